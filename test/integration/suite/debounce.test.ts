// The adaptive wait after a keystroke in a real extension host against the real engine:
// typing fast lengthens it, and each record says which wait was chosen and how long the
// developer waited from keystroke to ghost text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionRecord } from '../../../src/core/store/record';
import type { CompletionLabApi } from '../../../src/extension/api';
import { api, closeAllEditors, engineUrl, newRecords, openFixture, setProfiles, typeAtEnd, waitFor } from './util';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The request made after the last key of a phase (earlier ones were cancelled in their wait). */
async function requestAfter(a: CompletionLabApi, before: number): Promise<CompletionRecord> {
  return waitFor(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const recs = (await newRecords(a, before)).filter((r) => r.outcome !== 'superseded' && r.outcome !== 'cancelled');
    return recs[recs.length - 1];
  }, 60_000, 'a finished request');
}

describe('adaptive debounce', function () {
  this.timeout(120_000);

  before(async () => {
    // One suggestion per spot: the trigger below, where a suggestion shows, would otherwise ask
    // for alternatives, a request with no typing before it (wait 0) that is not what is measured.
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 8 }], 'tiny', { debounceMs: undefined, 'debounce.minMs': 0, 'debounce.maxMs': 400, 'suggestions.count': 1 });
  });
  after(async () => {
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50, 'debounce.minMs': undefined, 'debounce.maxMs': undefined, 'suggestions.count': undefined });
    await closeAllEditors();
  });

  it('typing fast lengthens the wait, and the record says so with keystroke-to-ghost-text time', async () => {
    const a = await api();
    const editor = await openFixture('main.py');
    await typeAtEnd(editor, '\n\n');
    // A slow typist: keys 700 ms apart (a pause each time).
    let before = (await a.records()).length;
    for (const ch of 'def ') {
      await typeAtEnd(editor, ch);
      await pause(700);
    }
    const slow = await requestAfter(a, before);

    // A burst: keys as fast as the editor takes them.
    before = (await a.records()).length;
    for (const ch of 'fast_typist(a, b):') await typeAtEnd(editor, ch);
    const fast = await requestAfter(a, before);

    assert.ok(slow.debounceMs !== undefined && fast.debounceMs !== undefined, 'each record has the chosen wait');
    assert.ok(fast.debounceMs! > slow.debounceMs!, `fast typing waits longer: ${fast.debounceMs} ms vs ${slow.debounceMs} ms after pauses`);
    assert.ok(fast.debounceMs! <= 400 && slow.debounceMs! >= 0, 'within the bounds');
    // Both are whole milliseconds of Date.now(), and a timer may fire within the same millisecond it was due: 1 ms slack.
    assert.ok(fast.keystrokeToRequestMs! >= fast.debounceMs! - 1, `the request left after its wait (${fast.keystrokeToRequestMs} ms >= ${fast.debounceMs} ms)`);
    const shown = [slow, fast].filter((r) => r.outcome === 'shown');
    for (const r of shown) assert.ok(r.keystrokeToShownMs! >= r.keystrokeToRequestMs! + r.timings!.ttftMs! - 1, 'keystroke → ghost text covers the wait and the request');
  });
});
