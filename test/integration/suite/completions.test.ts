// Inline completions in a real extension host against the real embedded engine (tiny
// random-weight Qwen2: the text is noise, the tokens, timings and protocol are real).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import type { CompletionRecord } from '../../../src/core/store/record';
import { scrapeMetric } from '../../support/engine';
import { api, closeAllEditors, engineUrl, newRecords, openFixture, setProfiles, typeAtEnd, waitFor, waitForShown } from './util';

/**
 * Ghost text whose first `minChars` characters can be typed through as they are: letters,
 * digits and spaces. The tiny model's text is random; a bracket or quote typed would make the
 * editor auto-close it and a line break would be auto-indented, either changing the text after
 * the cursor (which the cache's key covers), so such a suggestion is passed over for a new
 * spot below it.
 */
async function typeThroughable(a: CompletionLabApi, editor: vscode.TextEditor, minChars: number): Promise<CompletionRecord> {
  const plain = new RegExp(`^[\\p{L}\\p{N}_ ]{${minChars}}`, 'u');
  for (let spot = 0; spot < 8; spot++) {
    const before = (await a.records()).length;
    if (spot > 0) await typeAtEnd(editor, `\n    v_${spot} = `);
    const shown = await waitForShown(a, before);
    if (plain.test(shown.shownText ?? '')) return shown;
  }
  return assert.fail(`no suggestion starting with ${minChars} letters, digits or spaces at 8 spots`);
}

describe('inline completions (embedded engine)', function () {
  this.timeout(120_000);
  const url = () => engineUrl();

  before(async () => {
    // One suggestion per spot: alternatives fetched by a second trigger are not in the
    // typing-through cache, and these tests type through what is shown.
    await setProfiles([{ name: 'tiny', endpoint: url(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50, keptTextDelaySeconds: 1, 'suggestions.count': 1 });
  });
  after(async () => setProfiles([{ name: 'tiny', endpoint: url(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { 'suggestions.count': undefined }));
  afterEach(async () => closeAllEditors());

  it('shows ghost text from the engine, Tab inserts it, and the record says accepted with real timings', async () => {
    const a = await api();
    const before = (await a.records()).length;
    const statusBefore = a.status()?.text;
    const editor = await openFixture('main.py');
    await typeAtEnd(editor, '\n\ndef add(a, b):\n    ');
    const textBefore = editor.document.getText();
    const shown = await waitForShown(a, before);
    assert.ok(shown.shownText && shown.shownText.trim().length > 0, 'ghost text is not blank');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await waitFor(() => editor.document.getText() !== textBefore, 5000, 'Tab to insert the suggestion');
    assert.ok(editor.document.getText().includes(shown.shownText!), 'the document holds the suggested text');

    const rec = await waitFor(async () => (await a.records()).find((r) => r.id === shown.id && r.outcome === 'accepted'), 10_000, 'the record to say accepted');
    assert.equal(rec.acceptedChars, shown.shownText!.length);
    assert.ok(rec.timings?.ttftMs! > 0 && rec.timings?.ttftMs! <= rec.timings?.e2eMs!, `0 < TTFT (${rec.timings?.ttftMs}) <= E2E (${rec.timings?.e2eMs})`);
    assert.equal(rec.timings?.outputTokens, 16, 'output tokens come from usage: the tiny model runs to max_tokens');
    assert.ok(rec.promptTokens! > 0);
    assert.equal(rec.template, 'qwen-fim');
    assert.equal(rec.languageId, 'python');

    const status = await waitFor(() => { const s = a.status(); return s && s.text !== statusBefore && /TTFT \d/.test(s.text) ? s : undefined; }, 5000, 'the status bar to show the new TTFT');
    assert.match(status.text, /p50 \d/);
    assert.match(status.tooltip, /\| end to end \| \d/);
    // The server's own numbers (scraped from /metrics) stand beside the client's.
    await waitFor(() => /Server \(\/metrics\): TTFT mean \d/.test(a.status()?.tooltip ?? ''), 20_000, 'the server-side TTFT in the tooltip');

    // Some seconds later the text at the spot is recorded: the ground truth for quality.
    const kept = await waitFor(async () => (await a.records()).find((r) => r.id === shown.id && r.keptText !== undefined), 10_000, 'the kept text');
    assert.ok(kept.keptText!.startsWith(shown.shownText!.split('\n')[0]!), `kept text starts with the accepted line: ${JSON.stringify(kept.keptText)}`);
  });

  it('typing through the ghost text makes no new request to the server', async () => {
    const a = await api();
    const editor = await openFixture('shapes.py');
    await typeAtEnd(editor, '\n\ndef perimeter(r):\n    ');
    const shown = await typeThroughable(a, editor, 3);
    const served = await scrapeMetric(url(), 'completion_lab:requests_total');
    const counters = a.counters();
    await vscode.commands.executeCommand('type', { text: shown.shownText!.slice(0, 2) });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    // The cache is asked before any debounce or request: once it answered, no request follows.
    await waitFor(() => a.counters().cacheHits > counters.cacheHits, 10_000, 'the typed-through completion to be answered from the cache');
    assert.equal(a.counters().requests, counters.requests, 'no new request from the editor');
    assert.equal(await scrapeMetric(url(), 'completion_lab:requests_total'), served, 'the engine received no new request');
  });

  it('typing through at the end of a 6,000-line file sends no request, character after character', async () => {
    const a = await api();
    const lines = Array.from({ length: 6000 }, (_, i) => (i % 3 === 2 ? '' : `value_${i} = compute(${i}, scale=${i % 7})`));
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: `${lines.join('\n')}\n` });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await typeAtEnd(editor, 'def total(values):\n    ');
    const shown = await typeThroughable(a, editor, 4);
    assert.ok(doc.offsetAt(editor.selection.active) > 2000, 'more than 2,000 characters before the cursor');
    const served = await scrapeMetric(url(), 'completion_lab:requests_total');
    const requests = a.counters().requests;
    for (const ch of shown.shownText!.slice(0, 3)) {
      const hits = a.counters().cacheHits;
      await vscode.commands.executeCommand('type', { text: ch });
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      // The cache is asked before any debounce or request: once it has answered, this
      // keystroke's provider call is done without one.
      await waitFor(() => a.counters().cacheHits > hits, 10_000, `the cache to answer after typing ${JSON.stringify(ch)}`);
      assert.equal(a.counters().requests, requests, 'no new request from the editor');
    }
    assert.equal(await scrapeMetric(url(), 'completion_lab:requests_total'), served, 'the engine received no new request');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a superseded request is aborted on the server: its token counter stops growing', async () => {
    const a = await api();
    await setProfiles([{ name: 'tiny', endpoint: url(), template: 'qwen-fim', maxTokens: 16 }, { name: 'long', endpoint: url(), template: 'prefix-only', maxTokens: 2000 }], 'long', { debounceMs: 0 });
    try {
      const before = (await a.records()).length;
      const editor = await openFixture('main.py');
      await typeAtEnd(editor, '\n\nclass Stack:\n    ');
      // The trigger command resolves only when the provider answers: do not wait for it.
      void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitFor(async () => (await scrapeMetric(url(), 'vllm:num_requests_running')) >= 1, 30_000, 'the long request to run on the engine');
      const abortedBefore = await scrapeMetric(url(), 'completion_lab:requests_aborted_total');
      // Completions off first, so the keystroke's own new request does not generate too:
      // what is measured is the old request's generation alone.
      await vscode.workspace.getConfiguration('completionLab').update('enabled', false, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('type', { text: 'x' }); // the keystroke cancels the request in flight
      await waitFor(async () => (await scrapeMetric(url(), 'completion_lab:requests_aborted_total')) > abortedBefore, 15_000, 'the engine to see the request aborted');
      const g1 = await scrapeMetric(url(), 'vllm:generation_tokens_total');
      await waitFor(async () => (await scrapeMetric(url(), 'vllm:num_requests_running')) === 0, 30_000, 'no request left running');
      // Nothing runs on the engine any more, so its token counter is final.
      const g2 = await scrapeMetric(url(), 'vllm:generation_tokens_total');
      assert.ok(g2 - g1 < 2000, 'the aborted request did not run to its 2000 tokens');
      const recs = await waitFor(async () => { const r = (await newRecords(a, before)).filter((x) => x.outcome === 'superseded' || x.outcome === 'cancelled'); return r.length ? r : undefined; }, 10_000, 'a superseded/cancelled record');
      assert.equal(recs[0]!.profile, 'long');
    } finally {
      await setProfiles([{ name: 'tiny', endpoint: url(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50, enabled: true });
    }
  });

  it('a file far longer than the context is cut to the budget and the server accepts the prompt', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('completionLab').update('contextTokens', 32768, vscode.ConfigurationTarget.Workspace);
    try {
      const before = (await a.records()).length;
      const body = Array.from({ length: 6000 }, (_, i) => `value_${i} = compute(${i}, "item ${i}")`).join('\n');
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: `${body}\n` });
      const editor = await vscode.window.showTextDocument(doc);
      await typeAtEnd(editor, 'result = ');
      const rec = await waitFor(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await new Promise((r) => setTimeout(r, 300));
        return (await newRecords(a, before)).find((r) => r.outcome !== 'superseded' && r.outcome !== 'cancelled');
      }, 60_000, 'a finished request');
      assert.equal(rec.error, undefined, `no error (got ${rec.error})`);
      assert.notEqual(rec.outcome, 'failed');
      assert.ok(rec.promptTokens! > 1000 && rec.promptTokens! <= 4096 - 16, `prompt cut to the engine's context: ${rec.promptTokens} tokens`);
    } finally {
      await vscode.workspace.getConfiguration('completionLab').update('contextTokens', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
