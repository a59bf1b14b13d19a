// The inline completion provider. Debounce, then one request per editor: a new keystroke
// aborts the request in flight (closing its connection, so the server stops generating),
// typed-through completions are answered from the cache with no request, and every
// request that reached the server leaves one record. No dialogs from in here: trouble
// goes to the status bar and the log.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { DEFAULT_KEY_WINDOW, type KeyWindow } from '../core/cache/cacheKey';
import { CompletionCache } from '../core/cache/completionCache';
import { ClientError } from '../core/client/errors';
import { completeAt, type CompleteAtOutput, type ContextBuilder } from '../core/pipeline/completeAt';
import { TypingRhythm } from '../core/typing/adaptiveDebounce';
import type { CompletionRecord, Outcome } from '../core/store/record';
import type { ActiveProfile } from './activeProfile';
import { config } from './config';
import type { Enablement } from './enablement';
import { Disposable } from './dispose';
import { errorText, log } from './log';
import type { OtherFiles } from './otherFiles';
import { ACCEPT_COMMAND, type OutcomeTracker } from './outcomes';
import type { RequestSpan, Recorder } from './recorder';
import type { Connected } from './serverConnection';

/** How long a "Suggest now" waits for VS Code to call the provider with an explicit trigger. */
const FORCE_WINDOW_MS = 10_000;

/** Alternatives fetched for one spot: cycling there again asks the server no more. */
interface MoreAtSpot {
  version: number;
  offset: number;
  recordId: string;
  texts: string[];
}

interface InFlight {
  controller: AbortController;
  /** Set when a newer request for the same document took over. */
  superseded: boolean;
}

export interface ProviderDeps {
  /** The active profile: its connection and its API key. */
  active: () => ActiveProfile | undefined;
  outcomes: OutcomeTracker;
  /** Every request that reached the server leaves one record through it. */
  recorder: Recorder;
  /** Where prompts are built: a worker thread, so tokenizing never blocks the editor. */
  context?: ContextBuilder;
  /** Whether completions are on for this language now (switch, snooze, languages map). */
  gate: (languageId: string) => Enablement;
  /** Snippets of other files for the prompt (recently edited or viewed, imported). */
  otherFiles?: OtherFiles;
}

/** Where in which document a request was made. */
interface Spot {
  doc: vscode.TextDocument;
  pos: vscode.Position;
  text: string;
  offset: number;
  keystrokeAt: number;
  /** The wait chosen after the keystroke (adaptive, or 0 when forced). */
  debounceMs: number;
}

export class CompletionProvider extends Disposable implements vscode.InlineCompletionItemProvider {
  private readonly cache = new CompletionCache();
  /** Each open document's typing rhythm: the wait after a keystroke follows it. */
  private readonly rhythm = new Map<string, TypingRhythm>();
  private readonly inFlight = new Map<string, InFlight>();
  /** Per document: the alternatives fetched at its last cycled spot. */
  private readonly more = new Map<string, MoreAtSpot>();
  /** Requests that reached the server (for tests and the panel). */
  requests = 0;
  cacheHits = 0;
  /** Calls answered with nothing because completions are off here (language, switch, snooze). */
  declined = 0;
  /** Set by the "Suggest now" command: the next explicit trigger skips the gate and the wait. */
  private forcedUntil = 0;

  constructor(private readonly deps: ProviderDeps) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.contentChanges.length) return;
      const key = e.document.uri.toString();
      let r = this.rhythm.get(key);
      if (!r) this.rhythm.set(key, (r = new TypingRhythm()));
      r.keystroke(Date.now());
    }));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      this.rhythm.delete(key);
      this.more.delete(key);
      this.inFlight.get(key)?.controller.abort();
    }));
    this.register({ dispose: () => this.inFlight.forEach((f) => f.controller.abort()) });
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** The next explicit trigger (within a few seconds) asks the server even where completions are off. */
  forceNext(): void {
    this.forcedUntil = Date.now() + FORCE_WINDOW_MS;
  }

  private takeForce(ctx: vscode.InlineCompletionContext): boolean {
    if (ctx.triggerKind !== vscode.InlineCompletionTriggerKind.Invoke || Date.now() > this.forcedUntil) return false;
    this.forcedUntil = 0;
    return true;
  }

  async provideInlineCompletionItems(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    ctx: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const forced = this.takeForce(ctx);
    if (!forced && !this.deps.gate(doc.languageId).on) {
      this.declined++;
      return undefined;
    }
    const active = this.deps.active();
    if (!active) return undefined;
    const conn = active.connection;
    const offset = doc.offsetAt(pos);
    const text = doc.getText();
    const key = doc.uri.toString();

    // Typing through a suggestion: the rest is shown at once, no request.
    const hit = this.cache.lookup(key, text, offset);
    if (hit) {
      this.cacheHits++;
      this.deps.outcomes.shown(doc, offset - hit.typed, hit.entry.text, hit.entry.recordId);
      const first = this.item(hit.remaining, pos, hit.entry.recordId);
      // Asked for again where a suggestion shows, nothing typed (next/previous suggestion, or a
      // trigger by hand): one request with n > 1 fills the list, once per spot. Typing never does.
      const count = config.suggestionCount();
      if (hit.typed === 0 && ctx.triggerKind === vscode.InlineCompletionTriggerKind.Invoke && count > 1 && !conn.backingOff) {
        return [first, ...(await this.alternatives({ doc, pos, text, offset, keystrokeAt: Date.now(), debounceMs: 0 }, hit.entry.text, count, active, token))];
      }
      return [first];
    }
    if (conn.backingOff) return undefined;

    const rhythm = this.rhythm.get(doc.uri.toString());
    const keystrokeAt = rhythm?.lastKeystroke() ?? Date.now();
    const debounceMs = forced ? 0 : (rhythm ?? new TypingRhythm()).wait(config.debounce());
    const wait = debounceMs - (Date.now() - keystrokeAt);
    if (wait > 0) await sleep(wait);
    if (token.isCancellationRequested) return undefined;

    const server = await conn.connect();
    if (!server || token.isCancellationRequested) return undefined;
    return this.request({ doc, pos, text, offset, keystrokeAt, debounceMs }, active, server, token);
  }

  /** Other completions for a spot where `shown` is on screen: fetched once (one request, n of them), then kept for the spot. */
  private async alternatives(spot: Spot, shown: string, n: number, active: ActiveProfile, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[]> {
    const key = spot.doc.uri.toString();
    let known = this.more.get(key);
    if (!known || known.version !== spot.doc.version || known.offset !== spot.offset) {
      const server = await active.connection.connect();
      if (!server || token.isCancellationRequested) return [];
      const got = await this.request(spot, active, server, token, { n, shown });
      if (!got) return [];
      known = { version: spot.doc.version, offset: spot.offset, ...got };
      this.more.set(key, known);
    }
    const { recordId, texts } = known;
    // They settle with the suggestion already shown there: the one taken accepted, the others rejected.
    this.deps.outcomes.alternatives(spot.doc, spot.offset, texts, recordId);
    return texts.map((t) => this.item(t, spot.pos, recordId, t));
  }

  /** One request per editor: the newer one wins, the older one is aborted on the server. */
  private async request(spot: Spot, active: ActiveProfile, server: Connected, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[] | undefined>;
  private async request(spot: Spot, active: ActiveProfile, server: Connected, token: vscode.CancellationToken, more: { n: number; shown: string }): Promise<{ recordId: string; texts: string[] } | undefined>;
  private async request(
    spot: Spot,
    active: ActiveProfile,
    server: Connected,
    token: vscode.CancellationToken,
    more?: { n: number; shown: string },
  ): Promise<vscode.InlineCompletionItem[] | { recordId: string; texts: string[] } | undefined> {
    const key = spot.doc.uri.toString();
    const flight = this.claimFlight(key);
    const sub = token.onCancellationRequested(() => flight.controller.abort());

    const started = Date.now();
    const base = { ...this.baseRecord(spot.doc, server.effective, started, started - spot.keystrokeAt), debounceMs: spot.debounceMs };
    let outcome: Outcome = 'failed';
    let record: CompletionRecord = base;
    let span: RequestSpan | undefined;
    try {
      this.requests++;
      const out = await this.send(spot, active, server, flight.controller.signal, more?.n);
      const t = out.result.timings;
      record = { ...base, prefix: out.cursorText.prefix, suffix: out.cursorText.suffix, promptTokens: out.context.promptTokens ?? t.promptTokens, timings: t };
      const wallT0 = out.result.marks.wallT0;
      span = { t0: wallT0, t1: wallT0 + (t.e2eMs ?? 0), ...(t.ttftMs !== undefined ? { firstTokenTs: wallT0 + t.ttftMs } : {}) };
      active.connection.reportSuccess();
      if (more) {
        // Alternatives are not cached for typing through; the outcome tracker follows them with the spot.
        const texts = (out.choices ?? []).filter((t) => t !== more.shown);
        const unwanted = token.isCancellationRequested || flight.superseded;
        outcome = unwanted ? (flight.superseded ? 'superseded' : 'cancelled') : texts.length ? 'shown' : 'empty';
        if (outcome === 'shown') record = { ...record, shownText: texts[0]!, timeToShownMs: Date.now() - started };
        return outcome === 'shown' ? { recordId: base.id, texts } : undefined;
      }
      // The cache key covers what the model saw (and what post-processing read after the cursor).
      const keyWindow = { before: out.context.prefix.length, after: Math.max(out.context.suffix.length, DEFAULT_KEY_WINDOW.after) };
      const shown = this.answer(spot, out.text, base.id, keyWindow, token.isCancellationRequested || flight.superseded ? (flight.superseded ? 'superseded' : 'cancelled') : undefined);
      outcome = shown.outcome;
      if (outcome === 'shown') {
        const now = Date.now();
        record = { ...record, shownText: out.text, timeToShownMs: now - started, keystrokeToShownMs: now - spot.keystrokeAt };
      }
      return shown.items;
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'aborted') {
        outcome = flight.superseded ? 'superseded' : 'cancelled';
      } else {
        outcome = 'failed';
        record = { ...record, error: errorText(err) };
        active.connection.reportFailure(err);
      }
      return undefined;
    } finally {
      sub.dispose();
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      record = { ...record, outcome };
      this.deps.recorder.record(record, span);
      log().debug(`completion ${record.id}: ${outcome}, TTFT ${record.timings?.ttftMs?.toFixed(0) ?? '-'} ms, ${record.timings?.outputTokens ?? '-'} tokens`);
    }
  }

  /** This editor's new request: the one in flight before it is superseded and aborted on the server. */
  private claimFlight(key: string): InFlight {
    const previous = this.inFlight.get(key);
    if (previous) {
      previous.superseded = true;
      previous.controller.abort();
    }
    const flight: InFlight = { controller: new AbortController(), superseded: false };
    this.inFlight.set(key, flight);
    return flight;
  }

  /** The completion itself, with the prompt built in the worker and other files' snippets. */
  private async send(spot: Spot, active: ActiveProfile, server: Connected, signal: AbortSignal, n: number | undefined): Promise<CompleteAtOutput> {
    const otherFiles = this.deps.otherFiles?.gather(spot.doc, spot.text, server.effective.otherFiles);
    return completeAt({
      text: spot.text,
      offset: spot.offset,
      languageId: spot.doc.languageId,
      resolved: server,
      budgetTokens: config.contextTokens(),
      signal,
      apiKey: await active.apiKey(),
      ...(this.deps.context ? { context: this.deps.context } : {}),
      ...(otherFiles ? { otherFiles } : {}),
      ...(n !== undefined ? { n } : {}),
    });
  }

  /** What a finished request shows; one the editor no longer wants is kept for typing through. */
  private answer(spot: Spot, text: string | undefined, recordId: string, keyWindow: KeyWindow, unwanted: 'superseded' | 'cancelled' | undefined): { outcome: Outcome; items?: vscode.InlineCompletionItem[] } {
    const add = () => this.cache.add(spot.doc.uri.toString(), spot.text, spot.offset, text ?? '', recordId, keyWindow);
    if (unwanted) {
      if (text) add();
      return { outcome: unwanted };
    }
    if (!text) return { outcome: 'empty' };
    add();
    this.deps.outcomes.shown(spot.doc, spot.offset, text, recordId);
    return { outcome: 'shown', items: [this.item(text, spot.pos, recordId)] };
  }

  /** `alternative`: the text of an item from a request for more (one record, several texts). */
  private item(text: string, pos: vscode.Position, recordId: string, alternative?: string): vscode.InlineCompletionItem {
    const item = new vscode.InlineCompletionItem(text, new vscode.Range(pos, pos));
    item.command = { command: ACCEPT_COMMAND, title: 'Accepted', arguments: alternative === undefined ? [recordId] : [recordId, alternative] };
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
      v: 2,
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
