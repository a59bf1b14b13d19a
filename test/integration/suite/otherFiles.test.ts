// What the server receives: snippets of other open files in the prompt (Qwen2.5-Coder's
// repository format for a qwen-fim profile) with the current file's prefix keeping its
// share, and a second request with n > 1 only when the user cycles suggestions. Read from
// the embedded engine's --log-requests file, i.e. what really reached the server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, closeAllEditors, engineUrl, newRecords, openFixture, setProfiles, typeAtEnd, waitFor } from './util';

interface Logged {
  prompt: string;
  n: number;
}

function requestLog(): string | undefined {
  return process.env.COMPLETION_LAB_TEST_ENGINE_LOG || undefined;
}

function logged(): Logged[] {
  const file = requestLog()!;
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Logged);
}

async function serverTokens(text: string): Promise<number> {
  const res = await fetch(`${engineUrl()}/tokenize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: text }) });
  return ((await res.json()) as { count: number }).count;
}

/** Triggers a completion until the engine's log has a prompt holding `text` (typed just before the cursor). */
async function promptEndingIn(text: string): Promise<string> {
  const start = logged().length;
  return waitFor(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    return logged().slice(start).map((l) => l.prompt).find((p) => p.includes(text));
  }, 60_000, `a prompt with ${JSON.stringify(text)} in the engine's log`);
}

/** Appends `block` at the end of the editor's document in one edit and puts the cursor after it. */
async function appendBlock(editor: vscode.TextEditor, block: string): Promise<void> {
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  await editor.edit((b) => b.insert(end, block));
  const last = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(last, last);
}

describe('other files in the prompt, and more suggestions when cycling (embedded engine)', function () {
  this.timeout(120_000);
  const BUDGET = 512;
  const SHARE = 0.5;

  before(async function () {
    if (!requestLog()) this.skip();
    await setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50, contextTokens: BUDGET, 'context.minPrefixShare': SHARE });
  });
  after(async () => {
    const cfg = vscode.workspace.getConfiguration('completionLab');
    for (const k of ['contextTokens', 'context.minPrefixShare', 'context.otherFiles']) await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
  });
  afterEach(async () => closeAllEditors());

  it('a recently edited second file reaches the server in the repository format; the current file\'s prefix keeps its share', async () => {
    const a = await api();
    const marker = `scale_by_${Date.now()}`;
    const other = await openFixture('shapes.py');
    await typeAtEnd(other, `\n\ndef ${marker}(shape, k):\n    return shape.area() * k\n`);

    const editor = await openFixture('main.py');
    const tag = `tag_${Date.now()}`;
    // Far more than the budget before the cursor, so the snippet competes with the prefix.
    const rows = Array.from({ length: 150 }, (_, i) => `row_${i} = fibonacci(${i}) + ${i}`).join('\n');
    await appendBlock(editor, `\n\n${rows}\n${tag} = `);
    const before = (await a.records()).length;
    const prompt = await promptEndingIn(`${tag} = `);

    assert.ok(prompt.startsWith('<|repo_name|>'), `the repository format: ${JSON.stringify(prompt.slice(0, 60))}`);
    const files = [...prompt.matchAll(/<\|file_sep\|>([^\n]*)\n/g)].map((m) => m[1]);
    assert.deepEqual(files, ['shapes.py', 'main.py'], 'the other file first, the current file last');
    assert.ok(prompt.includes(`def ${marker}(shape, k):`), 'the edited lines of the second file are in the prompt');

    const prefix = prompt.slice(prompt.indexOf('<|fim_prefix|>') + '<|fim_prefix|>'.length, prompt.indexOf('<|fim_suffix|>'));
    const textBefore = editor.document.getText().slice(0, editor.document.offsetAt(editor.selection.active));
    assert.ok(textBefore.endsWith(prefix), 'the prefix is the text right before the cursor');
    assert.ok(prefix.startsWith('row_'), 'cut at a line start');
    const prefixTokens = await serverTokens(prefix);
    assert.ok(prefixTokens >= Math.ceil(BUDGET * SHARE), `the prefix keeps its share: ${prefixTokens} of ${BUDGET} tokens`);
    assert.ok((await serverTokens(prompt)) <= BUDGET, 'the whole prompt stays within the budget');
    const rec = (await newRecords(a, before)).find((r) => r.promptTokens !== undefined && r.prefix === prefix);
    assert.ok(rec, 'the record keeps the current file\'s prefix as sent (not the other file)');
  });

  it('with completionLab.context.otherFiles off the server gets the current file alone', async () => {
    await vscode.workspace.getConfiguration('completionLab').update('context.otherFiles', false, vscode.ConfigurationTarget.Workspace);
    const other = await openFixture('shapes.py');
    await typeAtEnd(other, '\n\ndef unused_helper():\n    pass\n');
    const editor = await openFixture('main.py');
    const tag = `off_${Date.now()}`;
    await appendBlock(editor, `\n\n${tag} = `);
    const prompt = await promptEndingIn(`${tag} = `);
    assert.ok(prompt.startsWith('<|fim_prefix|>'), `no other files: ${JSON.stringify(prompt.slice(0, 60))}`);
    assert.ok(!prompt.includes('<|file_sep|>') && !prompt.includes('unused_helper'));
  });

  it('typing sends one request per keystroke with n = 1; Show Next Inline Suggestion sends one with n > 1, once per spot', async () => {
    const a = await api();
    const editor = await openFixture('main.py');
    const start = logged().length;
    const before = (await a.records()).length;
    // Shown as the user sees it: from typing alone (automatic trigger). The editor does not ask
    // again for an explicit request it already answered, so no trigger by hand here.
    await typeAtEnd(editor, `\n\ndef cycle_${Date.now()}(values):\n    `);
    await waitFor(async () => (await newRecords(a, before)).find((r) => r.outcome === 'shown'), 60_000, 'ghost text after typing');
    const typed = logged().slice(start);
    assert.ok(typed.length >= 1 && typed.every((l) => l.n === 1), `typing: n = 1 only (${typed.map((l) => l.n).join(', ')})`);
    const counters = a.counters();

    const cycleStart = logged().length;
    const recordsBeforeCycle = (await a.records()).length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.showNext');
    const more = await waitFor(() => logged().slice(cycleStart).find((l) => l.n > 1), 30_000, `a request with n > 1 after Show Next (provider answers from the cache ${a.counters().cacheHits - counters.cacheHits}, requests ${a.counters().requests - counters.requests})`);
    assert.equal(more.n, 3, 'completionLab.suggestions.count (default 3)');
    // That request's own record (typing may have left more than one before it).
    await waitFor(async () => (await newRecords(a, recordsBeforeCycle)).length >= 1, 20_000, 'the cycling request\'s record');
    const afterFirst = logged().length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.showNext');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.showPrevious');
    assert.equal(logged().length, afterFirst, 'cycling again at the same spot asks the server nothing');
  });
});
