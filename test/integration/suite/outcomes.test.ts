// What happened to a suggestion, as the record keeps it: rejected when the developer types
// something else, accepted in full when they type part of it and press Tab, settled with the
// alternatives fetched by cycling (the one taken accepted, the others rejected), and accepted
// in a Windows (CRLF) file, where the editor inserts the suggestion's "\n" as "\r\n".
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import type { CompletionRecord } from '../../../src/core/store/record';
import { repoRoot, startEngine, type StartedEngine } from '../../support/engine';
import { api, closeAllEditors, engineUrl, newRecords, setProfiles, waitFor, waitForShown } from './util';

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

  // One suggestion per spot until the cycling tests ask for more: an alternative fetched by a
  // second trigger that starts with the character typed would keep the spot open.
  before(async () => setProfiles(tiny(), 'tiny', { debounceMs: 50, keptTextDelaySeconds: 1, 'suggestions.count': 1 }));
  after(async () => setProfiles(tiny(), 'tiny', { 'suggestions.count': undefined }));
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
    // Letters or spaces to type through: a bracket or quote would be auto-closed by the
    // editor, which is typing something else. The tiny model's text is noise: ask at fresh
    // spots until one starts that way.
    const editor = await openUntitled('def mean(values):\n    ');
    let shown: CompletionRecord | undefined;
    for (let spot = 0; !shown; spot++) {
      assert.ok(spot < 8, 'a suggestion starting with two letters or spaces within 8 spots');
      const count = spot === 0 ? before : (await a.records()).length;
      if (spot > 0) await vscode.commands.executeCommand('type', { text: `\n    value_${spot} = ` });
      const r = await waitForShown(a, count);
      if (/^[\w ]{2}./.test(r.shownText ?? '')) shown = r;
    }
    const typed = shown.shownText!.slice(0, 2);
    for (const ch of typed) await vscode.commands.executeCommand('type', { text: ch });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    const rec = await finished(a, shown.id, 'the record to say accepted');
    assert.equal(rec.outcome, 'accepted');
    assert.equal(rec.acceptedChars, shown.shownText!.length);
    assert.ok(editor.document.getText().endsWith(shown.shownText!), 'the document ends with the whole suggestion');
  });

  describe('with suggestions.count 2: alternatives fetched by cycling settle with the suggestion shown first', () => {
    // Temperature 1 on the random-weight model: the two texts of the cycling request differ
    // from the first suggestion and from each other.
    before(async () => setProfiles([{ ...tiny()[0], temperature: 1 }], 'tiny', { debounceMs: 50, keptTextDelaySeconds: 1, 'suggestions.count': 2 }));
    after(async () => setProfiles(tiny(), 'tiny', { debounceMs: 50, 'suggestions.count': undefined }));

    /**
     * Typing (automatic trigger) until a suggestion shows, then Show Next: the first record and
     * the cycling request's. The model's noise, post-processed to one line, may leave no
     * alternative (that request ends empty): then on to a fresh spot.
     */
    async function cycle(a: CompletionLabApi): Promise<{ editor: vscode.TextEditor; first: CompletionRecord; more: CompletionRecord; textBefore: string }> {
      const editor = await openUntitled('def total(values):\n    ');
      const answered = async (count: number, ms: number) =>
        waitFor(async () => (await newRecords(a, count)).filter((r) => r.outcome === 'shown' || r.outcome === 'empty').pop(), ms, 'a record').catch(() => undefined);
      const tried: string[] = [];
      for (let spot = 0; spot < 12; spot++) {
        const count = (await a.records()).length;
        await vscode.commands.executeCommand('type', { text: `\n    v_${spot} = ` });
        // None at all while the new profile's connection is still being made: type again.
        const first = await answered(count, 10_000);
        tried.push(first?.outcome ?? 'none');
        if (first?.outcome !== 'shown') continue;
        const textBefore = editor.document.getText();
        const cycleCount = (await a.records()).length;
        await vscode.commands.executeCommand('editor.action.inlineSuggest.showNext');
        const more = await answered(cycleCount, 30_000);
        tried.push(`cycled: ${more?.outcome ?? 'none'}`);
        if (more?.outcome === 'shown') return { editor, first, more, textBefore };
      }
      assert.fail(`a suggestion and an alternative shown within 12 spots (${tried.join(', ')}; counters ${JSON.stringify(a.counters())})`);
    }

    it('moving the cursor away rejects the first suggestion and the alternatives\' record', async () => {
      const a = await api();
      const { editor, first, more } = await cycle(a);
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const recs = await Promise.all([finished(a, first.id, 'the first record to settle'), finished(a, more.id, 'the alternatives\' record to settle')]);
      assert.deepEqual(recs.map((r) => [r.outcome, r.acceptedChars]), [['rejected', 0], ['rejected', 0]]);
    });

    it('Tab on what shows after Show Next accepts that suggestion\'s record and rejects the other', async () => {
      const a = await api();
      const { editor, first, more, textBefore } = await cycle(a);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      const inserted = await waitFor(() => editor.document.getText() !== textBefore && editor.document.getText().slice(textBefore.length), 10_000, 'the suggestion inserted');
      const [r1, r2] = await Promise.all([finished(a, first.id, 'the first record to settle'), finished(a, more.id, 'the alternatives\' record to settle')]);
      const took = inserted === first.shownText ? 'first' : 'alternative';
      assert.deepEqual(
        [[r1.outcome, r1.acceptedChars], [r2.outcome, r2.acceptedChars]],
        took === 'first' ? [['accepted', inserted.length], ['rejected', 0]] : [['rejected', 0], ['accepted', inserted.length]],
        `took the ${took}: ${JSON.stringify(inserted)}`,
      );
    });
  });

  describe('in a CRLF file, with the bundled model (it answers a class body over several lines)', () => {
    let engine: StartedEngine | undefined;
    before(async function () {
      this.timeout(240_000);
      engine = await startEngine({ model: path.join(repoRoot, 'models', 'completion-lab-coder-50m.gguf'), env: { ELECTRON_RUN_AS_NODE: '1' }, timeoutMs: 180_000 });
      // The current file only: with other open files' snippets in the prompt, temperature 0
      // answers depend on which files earlier tests left open.
      await setProfiles([{ name: 'coder', endpoint: engine.url, template: 'auto', temperature: 0, maxTokens: 32, otherFiles: false }], 'coder', { debounceMs: 50, keptTextDelaySeconds: 1 });
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
      assert.match(shown.shownText!, /^\s*self\.x = x\n/, `the model saw the cursor where it is (a CR-laden prompt made it repeat the line above): ${JSON.stringify(shown.shownText)}`);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      const rec = await finished(a, shown.id, 'the record to say accepted');
      assert.equal(rec.outcome, 'accepted');
      assert.equal(rec.acceptedChars, shown.shownText!.length);
      assert.ok(editor.document.getText().endsWith(shown.shownText!.replace(/\n/g, '\r\n')), 'the document holds the suggestion with CRLF line ends');
      const kept = await waitFor(async () => (await a.records()).find((r) => r.id === shown.id && r.keptText !== undefined), 10_000, 'the kept text');
      assert.equal(kept.keptText, shown.shownText, 'the kept text reads as the suggestion, line ends and all');
    });

    it('typing a suggestion through, its brackets auto-closed by the editor and typed over, records it accepted', async () => {
      // The editor answers "(" with "()" and a typed ")" with a step over its own: the record
      // must follow both, or every call typed through would count as partial.
      const a = await api();
      const before = (await a.records()).length;
      const prefix = 'import os\n\n\ndef exists(path):\n    return ';
      const editor = await openUntitled(prefix);
      const shown = await waitForShown(a, before);
      const text = shown.shownText!;
      assert.match(text, /^[^\n]*\([^\n]*\)$/, `a one-line suggestion with a call in it: ${JSON.stringify(text)}`);
      for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
      assert.equal(editor.document.getText(), prefix + text, 'the editor typed over its own closing bracket');
      const rec = await finished(a, shown.id, 'the record to settle');
      assert.deepEqual([rec.outcome, rec.acceptedChars], ['accepted', text.length]);
    });
  });
});
