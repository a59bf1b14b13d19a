// Where and when completions run, in a real extension host against the real embedded
// engine: the per-language defaults, the snooze (ends by itself), "Suggest now", the
// status bar menu, partial acceptance word by word, and keybindings that clash with none
// of VS Code's defaults.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import { api, closeAllEditors, engineUrl, extension, newRecords, openFixture, runTakingFirstPicks, setProfiles, typeAtEnd, waitFor, waitForShown } from './util';

/** Types, asks for a completion with VS Code's own trigger, and waits until the provider declined. */
async function typeDeclined(a: CompletionLabApi, editor: vscode.TextEditor, text: string): Promise<void> {
  const declined = a.counters().declined;
  await typeAtEnd(editor, text);
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await waitFor(() => a.counters().declined > declined, 10_000, 'the provider to be asked and decline');
}

describe('control where and when', function () {
  this.timeout(120_000);

  before(async () => {
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 0, keptTextDelaySeconds: 1 });
  });
  afterEach(async () => closeAllEditors());

  it('markdown gets no request with the default languages; "Suggest a completion now" asks anyway', async () => {
    const a = await api();
    assert.deepEqual(vscode.workspace.getConfiguration('completionLab').get('languages'), { '*': true, markdown: false, plaintext: false, scminput: false });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# Notes\n\nThe build ' });
    const editor = await vscode.window.showTextDocument(doc);
    const before = (await a.records()).length;
    const requests = a.counters().requests;
    await typeDeclined(a, editor, 'runs');
    assert.equal(a.counters().requests, requests, 'no request for markdown');

    // VS Code does not ask again for an explicit request it answered at this very text: type on.
    await typeAtEnd(editor, ' ');
    await vscode.commands.executeCommand('completionLab.triggerCompletion');
    const rec = await waitFor(async () => (await newRecords(a, before))[0], 30_000, 'the forced request');
    assert.equal(rec.languageId, 'markdown');
    assert.equal(a.counters().requests, requests + 1, 'exactly the one forced request');
  });

  it('a snooze stops requests, shows in the status bar, and ends on time by itself', async () => {
    const a = await api();
    const editor = await openFixture('main.py');
    const until = await vscode.commands.executeCommand<number>('completionLab.snooze', 0.15); // 9 s
    assert.ok(typeof until === 'number' && until > Date.now());
    await waitFor(() => /snoozed until/.test(a.status()?.text ?? ''), 5000, 'the status bar to say snoozed');
    const menu = a.statusMenu().map((e) => e.label);
    assert.ok(menu.some((l) => /Resume/.test(l)), `the menu offers to resume: ${menu.join(' | ')}`);
    const requests = a.counters().requests;
    await typeDeclined(a, editor, '\n\ndef snoozed(a):\n    ');
    assert.equal(a.counters().requests, requests, 'no request while snoozed');

    // No keystroke needed: the status bar turns back when the snooze ends.
    await waitFor(() => !/snoozed/.test(a.status()?.text ?? ''), 15_000, 'the snooze to end');
    assert.ok(Date.now() >= until, 'it did not end early');
    const before = (await a.records()).length;
    await typeAtEnd(editor, 'r');
    await waitForShown(a, before, 'a completion after the snooze');
  });

  it('the status bar item opens a menu with the live numbers and every action', async () => {
    const a = await api();
    const entries = a.statusMenu();
    assert.match(entries[0]!.label, /Last TTFT .* p50 .* tok\/s/);
    const commands = entries.map((e) => e.command);
    for (const c of ['completionLab.toggle', 'completionLab.snooze', 'completionLab.selectModel', 'completionLab.showPanel', 'completionLab.showLog']) {
      assert.ok(commands.includes(c), `menu runs ${c}`);
    }
    assert.deepEqual(entries.filter((e) => e.command === 'completionLab.snooze').map((e) => e.args?.[0]), [5, 15, 30, 60]);

    await vscode.commands.executeCommand('completionLab.toggle');
    try {
      await waitFor(() => /: off/.test(a.status()?.text ?? ''), 5000, 'the status bar to say off');
      assert.ok(a.statusMenu().some((e) => /Turn inline completions on/.test(e.label)));
    } finally {
      await vscode.commands.executeCommand('completionLab.toggle');
    }
    await waitFor(() => !/: off/.test(a.status()?.text ?? ''), 5000, 'the status bar to say on again');
  });

  it('accepting the next word is recorded as a partial acceptance with its char count', async () => {
    const a = await api();
    const before = (await a.records()).length;
    const editor = await openFixture('shapes.py');
    await typeAtEnd(editor, '\n\ndef words(s):\n    ');
    const shown = await waitForShown(a, before);
    const length = editor.document.getText().length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord');
    await waitFor(() => editor.document.getText().length > length, 5000, 'the next word to be inserted');
    const inserted = editor.document.getText().length - length;
    assert.ok(shown.shownText!.startsWith(editor.document.getText().slice(length)), 'what was inserted is the start of the suggestion');
    // Moving away ends it.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const rec = await waitFor(async () => (await a.records()).find((r) => r.id === shown.id && r.outcome !== 'shown'), 10_000, 'the outcome');
    assert.equal(rec.acceptedChars, inserted);
    assert.equal(rec.outcome, inserted < shown.shownText!.length ? 'partial' : 'accepted');
  });

  it('the keybindings clash with no VS Code default binding', async () => {
    const ours = (extension().packageJSON as { contributes: { keybindings: { command: string; key: string }[] } }).contributes.keybindings;
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const doc = await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'vscode' ? vscode.window.activeTextEditor.document : undefined, 10_000, 'the default keybindings');
    // JSON with comments: drop the comment lines.
    const defaults = JSON.parse(doc.getText().split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n')) as { key: string; command: string }[];
    assert.ok(defaults.length > 100, `read ${defaults.length} default bindings`);
    for (const k of ours) {
      const clash = defaults.filter((d) => d.key === k.key && !d.command.startsWith('completionLab.'));
      assert.deepEqual(clash, [], `${k.key} (${k.command}) is already bound`);
    }
  });

  it('a template warning in the status bar links to "Set the prompt template", which offers the template that fits the model first; choosing it clears the warning', async () => {
    const a = await api();
    const cfg = () => vscode.workspace.getConfiguration('completionLab');
    // FIM on a Qwen base model (the tiny test model): allowed, with a warning in the status bar.
    await setProfiles([{ name: 'tiny-fim', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 8, temperature: 0.5 }], 'tiny-fim');
    try {
      const editor = await openFixture('main.py');
      let before = (await a.records()).length;
      await typeAtEnd(editor, '\n\nx_template = ');
      await waitForShown(a, before);
      const warned = await waitFor(() => { const st = a.status(); return st && /not documented as FIM/.test(st.tooltip) ? st : undefined; }, 20_000, 'the template warning in the status bar');
      // The tooltip's link, followed as a click would: its command (one the tooltip may run) and arguments.
      const link = /\[Choose another prompt template\]\(command:([\w.]+)\?([^)\s]+)\)/.exec(warned.tooltip);
      assert.ok(link, `a link to choose another template in the tooltip: ${warned.tooltip}`);
      assert.ok((warned.enabledCommands as string[]).includes(link[1]!), 'the tooltip may run it');
      const arg: unknown = JSON.parse(decodeURIComponent(link[2]!));
      assert.deepEqual(arg, { setTemplate: 'tiny-fim' });
      // The real picker: take its first entry, the one that fits the served model.
      await runTakingFirstPicks(link[1]!, arg, 'the template picker to be answered');
      const saved = (cfg().inspect<{ name: string; template: string; maxTokens?: number; temperature?: number }[]>('profiles')?.globalValue ?? []).find((p) => p.name === 'tiny-fim');
      assert.equal(saved?.template, 'prefix-only', 'prefix-only, which fits a Qwen base model, was offered first and saved');
      assert.equal(saved?.maxTokens, 8, 'the profile\'s other fields are kept');
      assert.equal(saved?.temperature, 0.5);

      before = (await a.records()).length;
      await typeAtEnd(editor, '1 + ');
      const next = await waitForShown(a, before);
      assert.equal(next.template, 'prefix-only', 'the next request uses it');
      await waitFor(() => (/not documented as FIM/.test(a.status()?.tooltip ?? '') ? undefined : true), 20_000, 'the warning to leave the status bar');
    } finally {
      await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny');
    }
  });
});
