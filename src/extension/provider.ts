// The inline completion provider. Debounce, then one request per editor: a new keystroke
// aborts the request in flight (closing its connection, so the server stops generating),
// typed-through completions are answered from the cache with no request, and every
// request that reached the server leaves one record. No dialogs from in here: trouble
// goes to the status bar and the log.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { CompletionCache } from '../core/cache/completionCache';
import { ClientError } from '../core/client/errors';
import { completeAt, type ContextBuilder } from '../core/pipeline/completeAt';
import type { CompletionRecord, Outcome } from '../core/store/record';
import { config } from './config';
import { Disposable } from './dispose';
import type { LiveStats } from './liveStats';
import { errorText, log } from './log';
import { ACCEPT_COMMAND, type OutcomeTracker } from './outcomes';
import type { ServerConnection } from './serverConnection';

/** Chars of prefix kept as the cache key: enough to tell places apart, cheap to compare. */
const CACHE_PREFIX_CHARS = 2000;

interface InFlight {
  controller: AbortController;
  /** Set when a newer request for the same document took over. */
  superseded: boolean;
}

export interface ProviderDeps {
  connection: () => ServerConnection | undefined;
  stats: LiveStats;
  outcomes: OutcomeTracker;
  record: (r: CompletionRecord) => void;
  apiKey: () => Promise<string | undefined>;
  /** GPU numbers over a request's lifetime, when a sampler is running. */
  gpuWindow: (t0: number, t1: number, firstTokenTs?: number) => CompletionRecord['gpu'] | undefined;
  /** Where prompts are built: a worker thread, so tokenizing never blocks the editor. */
  context?: ContextBuilder;
}

export class CompletionProvider extends Disposable implements vscode.InlineCompletionItemProvider {
  private readonly cache = new CompletionCache();
  private readonly lastChange = new Map<string, number>();
  private readonly inFlight = new Map<string, InFlight>();
  /** Requests that reached the server (for tests and the panel). */
  requests = 0;
  cacheHits = 0;

  constructor(private readonly deps: ProviderDeps) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) this.lastChange.set(e.document.uri.toString(), Date.now());
    }));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      this.lastChange.delete(key);
      this.inFlight.get(key)?.controller.abort();
    }));
    this.register({ dispose: () => this.inFlight.forEach((f) => f.controller.abort()) });
  }

  clearCache(): void {
    this.cache.clear();
  }

  async provideInlineCompletionItems(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    _ctx: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!config.enabled()) return undefined;
    const conn = this.deps.connection();
    if (!conn) return undefined;
    const key = doc.uri.toString();
    const offset = doc.offsetAt(pos);
    const text = doc.getText();
    const line = doc.lineAt(pos.line).text;
    const lineSuffix = line.slice(pos.character);
    const prefixTail = text.slice(Math.max(0, offset - CACHE_PREFIX_CHARS), offset);

    // Typing through a suggestion: the rest is shown at once, no request.
    const hit = this.cache.lookup(prefixTail, lineSuffix);
    if (hit) {
      this.cacheHits++;
      this.deps.outcomes.shown(doc, offset - hit.typed, hit.entry.text, hit.entry.recordId);
      return [this.item(hit.remaining, pos, hit.entry.recordId)];
    }
    if (conn.backingOff) return undefined;

    const keystrokeAt = this.lastChange.get(key) ?? Date.now();
    const wait = config.debounceMs() - (Date.now() - keystrokeAt);
    if (wait > 0) await sleep(wait);
    if (token.isCancellationRequested) return undefined;

    const server = await conn.connect();
    if (!server || token.isCancellationRequested) return undefined;

    // One request per editor: the newer one wins, the older one is aborted on the server.
    const previous = this.inFlight.get(key);
    if (previous) {
      previous.superseded = true;
      previous.controller.abort();
    }
    const flight: InFlight = { controller: new AbortController(), superseded: false };
    this.inFlight.set(key, flight);
    const sub = token.onCancellationRequested(() => flight.controller.abort());

    const started = Date.now();
    const base = this.baseRecord(doc, server.effective, started, started - keystrokeAt);
    let outcome: Outcome = 'failed';
    let record: CompletionRecord = base;
    try {
      this.requests++;
      const apiKey = await this.deps.apiKey();
      const out = await completeAt({
        text,
        offset,
        languageId: doc.languageId,
        profile: server.profile,
        server: { modelId: server.served.id, root: server.served.root, maxModelLen: server.served.maxModelLen },
        budgetTokens: config.contextTokens(),
        signal: flight.controller.signal,
        apiKey,
        ...(this.deps.context ? { context: this.deps.context } : {}),
      });
      const t = out.result.timings;
      record = {
        ...base,
        prefix: out.context.prefix,
        suffix: out.context.suffix,
        promptTokens: out.context.promptTokens ?? t.promptTokens,
        ttftMs: t.ttftMs,
        e2eMs: t.e2eMs,
        tpotMs: t.tpotMs,
        decodeTokensPerSec: t.decodeTokensPerSec,
        outputTokens: t.outputTokens,
      };
      const wallT0 = out.result.marks.wallT0;
      const firstTokenTs = t.ttftMs !== undefined ? wallT0 + t.ttftMs : undefined;
      const gpu = this.deps.gpuWindow(wallT0, wallT0 + (t.e2eMs ?? 0), firstTokenTs);
      if (gpu) record.gpu = gpu;
      conn.reportSuccess();
      if (token.isCancellationRequested || flight.superseded) {
        // Finished, but the editor no longer wants it: keep it for typing through.
        outcome = flight.superseded ? 'superseded' : 'cancelled';
        if (out.text) this.cache.add({ prefix: prefixTail, lineSuffix, text: out.text, recordId: base.id });
        return undefined;
      }
      if (!out.text) {
        outcome = 'empty';
        return undefined;
      }
      outcome = 'shown';
      record.shownText = out.text;
      record.timeToShownMs = Date.now() - started;
      this.cache.add({ prefix: prefixTail, lineSuffix, text: out.text, recordId: base.id });
      this.deps.outcomes.shown(doc, offset, out.text, base.id);
      return [this.item(out.text, pos, base.id)];
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'aborted') {
        outcome = flight.superseded ? 'superseded' : 'cancelled';
      } else {
        outcome = 'failed';
        record = { ...record, error: errorText(err) };
        conn.reportFailure(err);
      }
      return undefined;
    } finally {
      sub.dispose();
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      record = { ...record, outcome };
      this.deps.record(record);
      this.deps.stats.add(record);
      log().debug(`completion ${record.id}: ${outcome}, TTFT ${record.ttftMs?.toFixed(0) ?? '-'} ms, ${record.outputTokens ?? '-'} tokens`);
    }
  }

  private item(text: string, pos: vscode.Position, recordId: string): vscode.InlineCompletionItem {
    const item = new vscode.InlineCompletionItem(text, new vscode.Range(pos, pos));
    item.command = { command: ACCEPT_COMMAND, title: 'Accepted', arguments: [recordId] };
    return item;
  }

  private baseRecord(
    doc: vscode.TextDocument,
    eff: { name: string; model: string; endpoint: string; template: string },
    ts: number,
    keystrokeToRequestMs: number,
  ): CompletionRecord {
    const rel = vscode.workspace.asRelativePath(doc.uri, false);
    return {
      v: 1,
      kind: 'completion',
      id: crypto.randomUUID(),
      ts,
      profile: eff.name,
      model: eff.model,
      endpoint: eff.endpoint,
      template: eff.template,
      languageId: doc.languageId,
      pathHash: crypto.createHash('sha256').update(rel).digest('hex').slice(0, 16),
      keystrokeToRequestMs,
      outcome: 'pending',
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
