// A record store that cannot write, in a real extension host: the file being written is
// replaced by a directory (a real write error on a real file system, EISDIR), so every
// write fails until it is removed. The status bar says so, what to do and how many records
// were dropped, typing goes on, and the warning clears when a write succeeds again while the
// tooltip keeps the count.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import { api, closeAllEditors, engineUrl, openFixture, setProfiles, typeAtEnd, waitFor, waitForShown } from './util';

/** Asks for completions until the status bar's tooltip satisfies `test`. */
function triggerUntil(a: CompletionLabApi, test: (tooltip: string) => boolean, what: string): Promise<{ text: string; tooltip: string }> {
  return waitFor(async () => {
    await vscode.commands.executeCommand('type', { text: ' ' });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((r) => setTimeout(r, 300));
    const s = a.status();
    return s && test(s.tooltip) ? s : undefined;
  }, 60_000, what);
}

/** The file this window writes records to now: the newest in the store's folder. */
function currentFile(dir: string): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(dir, f));
  assert.ok(files.length > 0, `records were written to ${dir}`);
  return files.sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs)[0]!;
}

describe('record store under a write error', function () {
  this.timeout(120_000);
  let blocked: string | undefined;

  before(async () => {
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 4 }], 'tiny', { debounceMs: 50 });
  });
  after(async () => {
    if (blocked) fs.rmSync(blocked, { recursive: true, force: true });
    await closeAllEditors();
  });

  it('is shown once in the status bar with what to do, and clears when writes succeed again', async () => {
    const a = await api();
    const editor = await openFixture('main.py');
    await typeAtEnd(editor, '\n\ndef area(r):\n    ');
    await waitForShown(a, (await a.records()).length);
    blocked = currentFile(a.storeDir());
    fs.rmSync(blocked);
    fs.mkdirSync(blocked);

    const requestsBefore = a.counters().requests;
    // The first dropped record may be the outcome of the completion shown before the file
    // was blocked (written when typing moves on), so wait for a new request as well: the
    // claim is that completions go on while the store cannot write.
    const failing = await triggerUntil(
      a,
      (t) => /being dropped/.test(t) && a.counters().requests > requestsBefore,
      'the store problem in the status bar, with completions going on',
    );
    assert.match(failing.tooltip, /EISDIR/, 'names the error');
    assert.match(failing.tooltip, /Free space on that disk/, 'says what to do');
    assert.match(failing.tooltip, /Recorded completions dropped so far\\?: \d+\./, 'says how many were dropped');
    // Said once: more failed writes do not repeat it.
    const again = await triggerUntil(a, () => a.counters().requests > requestsBefore + 2, 'more requests while writes fail');
    assert.equal(again.tooltip.split('being dropped').length - 1, 1, 'the problem appears once in the tooltip');

    fs.rmdirSync(blocked);
    blocked = undefined;
    const cleared = await triggerUntil(a, (t) => !/being dropped/.test(t), 'the store problem to clear');
    assert.doesNotMatch(cleared.tooltip, /EISDIR/);
    assert.match(cleared.tooltip, /could not be written in this window and were dropped\\?: [1-9]\d*\./, 'the loss stays in the tooltip');
  });
});
