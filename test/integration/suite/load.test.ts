// A day's typing in a few seconds, in a real extension host against the real engine:
// - 10,000 completions through a provider built from the extension's own parts, on a
//   200 KB file: heap growth (after forced GCs) stays under 50 MB. Most completions are
//   answered from the typing-through cache (the editor asks again at the same spot); every
//   250th is a real request to the engine that leaves a record in the store.
// - 1,000 keystrokes typed into the editor, with the extension's own provider asking on
//   each (no debounce), a hundred keys at a time with a pause until a request is generating:
//   the engine's own /metrics never show a queue of stale requests, and nothing is
//   generating once the last has finished.
// Both print a line `npm run bench` reads (speed is never asserted).
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import { scrapeMetrics } from '../../support/engine';
import { buildProvider, MemorySecrets, neverCancelled, typingContext, type ProviderParts } from './providerParts';
import { api, closeAllEditors, engineUrl, openFixture, setProfiles, waitFor } from './util';

const COMPLETIONS = 10_000;
const WARMUP = 500;
/** Completions asked at one spot before moving on (the first is a request, the rest cache hits). */
const PER_SPOT = 250;
const KEYSTROKES = 1_000;
/** Keys typed in one go before a pause long enough for a request to start. */
const BURST = 100;
const MIB = 1024 * 1024;

/** The extension host runs without --expose-gc; V8 gives `gc` to contexts made after the flag is set. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** About 200 KB of Python: the size that once grew the heap by 210 MB in 1,000 requests. */
function bigSource(): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 200_000; i++) {
    lines.push(`def step_${i}(values, scale=${i % 7}):`, `    total = sum(v * scale for v in values)`, `    return total + ${i}`, '');
  }
  return lines.join('\n');
}

function mark(line: string): void {
  console.log(`${process.env.COMPLETION_LAB_TEST_CONSOLE_MARK ?? ''}${line}`);
}

describe('load', function () {
  this.timeout(180_000);
  let parts: ProviderParts | undefined;

  before(async () => setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 4 }], 'tiny', { debounceMs: 0, contextTokens: 256 }));
  after(async () => {
    await parts?.dispose();
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50, contextTokens: undefined, enabled: undefined });
    await closeAllEditors();
  });

  it(`${COMPLETIONS} completions through the provider grow the heap by less than 50 MB`, async () => {
    const gc = collector();
    parts = buildProvider({ name: 'load', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 4 }, new MemorySecrets());
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: bigSource() });
    const spots: vscode.Position[] = [];
    for (let line = 2; line < doc.lineCount; line += 37) spots.push(doc.lineAt(line).range.end);

    let completions = 0;
    let spot = 0;
    let before: number | undefined;
    const t0 = Date.now();
    while (completions < COMPLETIONS) {
      const items = await parts.provider.provideInlineCompletionItems(doc, spots[spot % spots.length]!, typingContext, neverCancelled);
      if (items?.length) {
        completions++;
        if (completions % PER_SPOT === 0) spot++;
      } else {
        spot++; // the model answered nothing here: ask somewhere else
      }
      if (completions === WARMUP && before === undefined) before = heapAfterGc(gc);
    }
    await parts.store.flush();
    const after = heapAfterGc(gc);
    const growthMiB = (after - before!) / MIB;
    const { requests, cacheHits } = parts.provider;
    const records = (await parts.store.readAll()).records.length;
    mark(`load-heap ${JSON.stringify({ completions, requests, cacheHits, records, fileKiB: Math.round(doc.getText().length / 1024), heapBeforeMiB: +(before! / MIB).toFixed(1), heapAfterMiB: +(after / MIB).toFixed(1), growthMiB: +growthMiB.toFixed(1), seconds: (Date.now() - t0) / 1000 })}`);

    assert.equal(requests + cacheHits >= COMPLETIONS, true, 'every completion came from the engine or the typing-through cache');
    assert.ok(requests >= COMPLETIONS / PER_SPOT, `real requests were made (${requests})`);
    assert.equal(records, requests, 'every request left one record');
    assert.ok(growthMiB < 50, `heap grew by ${growthMiB.toFixed(1)} MB over ${COMPLETIONS - WARMUP} completions`);
  });

  it(`${KEYSTROKES} keystrokes never queue requests on the server and leave none generating after the last`, async () => {
    const a: CompletionLabApi = await api();
    const url = engineUrl();
    // Long answers (the tiny model runs to max_tokens), so a request is still generating when the next keys come.
    await setProfiles([{ name: 'tiny', endpoint: url, template: 'qwen-fim', maxTokens: 256 }], 'tiny', { debounceMs: 0, contextTokens: 256 });
    const editor = await openFixture('main.py');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('type', { text: '\n\n' });
    const requestsBefore = a.counters().requests;
    const recordsBefore = (await a.records()).length;
    const abortedBefore = (await scrapeMetrics(url, ['completion_lab:requests_aborted_total']))['completion_lab:requests_aborted_total']!;

    // The engine's own gauges, read all through the typing.
    const inFlight: number[] = [];
    let typing = true;
    const sampler = (async () => {
      while (typing) {
        const m = await scrapeMetrics(url, ['vllm:num_requests_running', 'vllm:num_requests_waiting']);
        inFlight.push(m['vllm:num_requests_running']! + m['vllm:num_requests_waiting']!);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const text = 'total = scale(values, 3) + offset\n';
    try {
      // BURST keys at a time, sent without waiting for each to land (a fast typist), then
      // a pause until a request is generating on the server: the next keys must abort it.
      for (let i = 0; i < KEYSTROKES; i += BURST) {
        const before = a.counters().requests;
        await Promise.all(Array.from({ length: BURST }, (_, k) => vscode.commands.executeCommand('type', { text: text[(i + k) % text.length] })));
        if (i + BURST < KEYSTROKES) {
          await waitFor(async () => a.counters().requests > before && (await scrapeMetrics(url, ['vllm:num_requests_running']))['vllm:num_requests_running']! > 0, 20_000, 'a request generating after a pause', 5);
        }
      }
    } finally {
      typing = false;
      await sampler;
    }
    // After the last key the editor stops asking (completions turned off): whatever the
    // server does from here on would be left over from the typing.
    await vscode.workspace.getConfiguration('completionLab').update('enabled', false, vscode.ConfigurationTarget.Workspace);
    // Counted after the switch-off: the editor's debounced call for the last keys may have
    // passed the enablement check while the setting was being written.
    const requests = a.counters().requests - requestsBefore;
    // Every request the keystrokes started is over (its record written), then the server is idle.
    await waitFor(async () => (await a.records()).length - recordsBefore >= requests, 30_000, 'a record for every request');
    const counters = ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:generation_tokens_total', 'completion_lab:requests_total', 'completion_lab:requests_aborted_total'];
    const idle = await waitFor(async () => {
      const m = await scrapeMetrics(url, counters);
      return m['vllm:num_requests_running'] === 0 && m['vllm:num_requests_waiting'] === 0 ? m : undefined;
    }, 30_000, 'the server to be idle after the last keystroke');
    await new Promise((r) => setTimeout(r, 1000));
    const later = await scrapeMetrics(url, counters);
    const outcomes: Record<string, number> = {};
    for (const r of (await a.records()).slice(recordsBefore)) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const maxInFlight = Math.max(...inFlight);
    const samplesWithTwo = inFlight.filter((n) => n >= 2).length;
    const serverAborted = idle['completion_lab:requests_aborted_total']! - abortedBefore;
    mark(`load-keystrokes ${JSON.stringify({ keystrokes: KEYSTROKES, requests, samples: inFlight.length, maxInFlight, samplesWithTwo, outcomes, serverAborted })}`);

    assert.ok(requests >= KEYSTROKES / BURST - 1, `the pauses started requests (${requests})`);
    assert.ok((outcomes['cancelled'] ?? 0) + (outcomes['superseded'] ?? 0) > 0, `newer keystrokes aborted older requests: ${JSON.stringify(outcomes)}`);
    assert.ok(serverAborted > 0, 'the server saw them aborted (their connection closed), not run to the end');
    // One request of the editor at a time; the engine may still count the one just aborted
    // while it finishes the prompt step it was in (llama.cpp does not stop mid-batch), so two
    // can be seen for a moment. A third would be a queue of stale requests.
    assert.ok(maxInFlight <= 2, `no queue of stale requests on the server (at most ${maxInFlight} in flight over ${inFlight.length} samples)`);
    assert.equal(later['completion_lab:requests_total'], idle['completion_lab:requests_total'], 'no request after the last');
    assert.equal(later['vllm:generation_tokens_total'], idle['vllm:generation_tokens_total'], 'nothing generates after the last request ended');
  });
});
