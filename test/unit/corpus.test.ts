// Real code from installed packages (TypeScript, JavaScript, a minified bundle, JSON,
// Markdown, C++), each also with an empty first line: the context builder (bounded, in a
// child with a small heap) and completeAt against the real embedded engine.
import * as assert from 'node:assert/strict';
import { completeAt, resolveFor } from '../../src/core/pipeline';
import { compiledTest, runBounded } from '../support/bounded';
import { corpus, cursors } from '../support/corpus';
import { startEngine, type StartedEngine } from '../support/engine';

describe('real code: the typing path over files shipped in node_modules', function () {
  this.timeout(300_000);

  it('has a corpus of several languages here', () => {
    const langs = new Set(corpus().map((f) => f.languageId));
    assert.ok(langs.size >= 4, `languages found: ${[...langs].join(', ')}`);
  });

  it('buildContext: bounded, within the budget, the exact text around the cursor, cursor line kept', async () => {
    const checked = await runBounded<number>(compiledTest('support/contextBatch.js'), 'checkCorpus', [[256, 1536]], { maxOldMb: 512 });
    assert.ok(checked >= corpus().length * 4 * 2 * 2, `${checked} cursors checked`);
  });

  describe('completeAt against the real engine', () => {
    let engine: StartedEngine;
    before(async () => {
      engine = await startEngine();
    });
    after(async () => engine?.stop());

    it('answers at the start, middle and end of every corpus file', async () => {
      const resolved = resolveFor({ name: 'corpus', endpoint: engine.url, template: 'qwen-fim', maxTokens: 2 }, { id: engine.model, maxModelLen: engine.maxModelLen });
      for (const f of corpus()) {
        const all = cursors(f.text, 1);
        for (const offset of [all[0]!, all[Math.floor(all.length / 2)]!, all[all.length - 1]!]) {
          const r = await completeAt({ text: f.text, offset, languageId: f.languageId, resolved, budgetTokens: 512 });
          assert.equal(r.result.timings.outputTokens, 2, `${f.name} at ${offset}`);
          assert.equal(r.result.usage?.promptTokens, r.context.promptTokens, `${f.name} at ${offset}: our count is the server's`);
        }
      }
    });
  });
});
