// What happened to a suggestion, as the record keeps it: rejected when the developer types
// something else, accepted in full when they type part of it and press Tab, and accepted
// in a Windows (CRLF) file, where the editor inserts the suggestion's "\n" as "\r\n".
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import type { CompletionRecord } from '../../../src/core/store/record';
import { repoRoot, startEngine, type StartedEngine } from '../../support/engine';
import { api, closeAllEditors, engineUrl, setProfiles, waitFor, waitForShown } from './util';

async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = doc.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

function finished(a: CompletionLabApi, id: string, what: string): Promise<CompletionRecord> {
  return waitFor(async () => (await a.records()).find((r) => r.id === id && r.outcome !== 'shown'), 10_000, what);
}

describe('what happened to a suggestion', function () {
  this.timeout(180_000);
  const tiny = () => [{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }];

  before(async () => setProfiles(tiny(), 'tiny', { debounceMs: 50, keptTextDelaySeconds: 1 }));
  afterEach(async () => closeAllEditors());

  it('typing something else records it as rejected, with nothing accepted', async () => {
    const a = await api();
    const before = (await a.records()).length;
    await openUntitled('def scale(values, factor):\n    ');
    const shown = await waitForShown(a, before);
    const other = shown.shownText!.startsWith('#') ? '@' : '#';
    await vscode.commands.executeCommand('type', { text: other });
    const rec = await finished(a, shown.id, 'the record to leave "shown"');
    assert.equal(rec.outcome, 'rejected');
    assert.equal(rec.acceptedChars, 0);
  });

  it('typing the first characters and then Tab records the whole suggestion as accepted', async () => {
    const a = await api();
    const before = (await a.records()).length;
    const editor = await openUntitled('def mean(values):\n    ');
    const shown = await waitFor(async () => {
      const r = await waitForShown(a, before);
      return (r.shownText?.length ?? 0) >= 3 ? r : undefined;
    }, 60_000, 'a suggestion of 3 characters or more');
    const typed = shown.shownText!.slice(0, 2);
    await vscode.commands.executeCommand('type', { text: typed });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    const rec = await finished(a, shown.id, 'the record to say accepted');
    assert.equal(rec.outcome, 'accepted');
    assert.equal(rec.acceptedChars, shown.shownText!.length);
    assert.ok(editor.document.getText().endsWith(shown.shownText!), 'the document ends with the whole suggestion');
  });

  describe('in a CRLF file, with the bundled model (it answers a class body over several lines)', () => {
    let engine: StartedEngine | undefined;
    before(async function () {
      this.timeout(240_000);
      engine = await startEngine({ model: path.join(repoRoot, 'models', 'completion-lab-coder-50m.gguf'), env: { ELECTRON_RUN_AS_NODE: '1' }, timeoutMs: 180_000 });
      await setProfiles([{ name: 'coder', endpoint: engine.url, template: 'auto', temperature: 0, maxTokens: 32 }], 'coder', { debounceMs: 50, keptTextDelaySeconds: 1 });
    });
    after(async () => {
      await engine?.stop();
      await setProfiles(tiny(), 'tiny', { debounceMs: 50 });
    });

    it('Tab inserts the lines with the file\'s CRLF, and the record says accepted with every character', async () => {
      const a = await api();
      const before = (await a.records()).length;
      const editor = await openUntitled('import math\r\n\r\n\r\nclass Point:\r\n    def __init__(self, x, y):\r\n');
      assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
      const shown = await waitForShown(a, before);
      assert.ok(shown.shownText!.includes('\n'), `a suggestion over several lines: ${JSON.stringify(shown.shownText)}`);
      assert.match(shown.shownText!, /^\s*self\.x = x\n/, 'the model saw the cursor where it is (a CR-laden prompt made it repeat the line above)');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      const rec = await finished(a, shown.id, 'the record to say accepted');
      assert.equal(rec.outcome, 'accepted');
      assert.equal(rec.acceptedChars, shown.shownText!.length);
      assert.ok(editor.document.getText().endsWith(shown.shownText!.replace(/\n/g, '\r\n')), 'the document holds the suggestion with CRLF line ends');
      const kept = await waitFor(async () => (await a.records()).find((r) => r.id === shown.id && r.keptText !== undefined), 10_000, 'the kept text');
      assert.equal(kept.keptText, shown.shownText, 'the kept text reads as the suggestion, line ends and all');
    });
  });
});
