// Stepping through lines at the edges of a text: a leading newline, the cursor at offset 0,
// CRLF. The builder runs in a worker with a memory limit, so a walk that never ends fails
// the test instead of taking the test process down.
import * as assert from 'node:assert/strict';
import { type BuiltContext, type ContextInput } from '../../src/core/context';
import { compiledTest, runBounded } from '../support/bounded';

function buildMany(inputs: ContextInput[]): Promise<BuiltContext[]> {
  return runBounded<BuiltContext[]>(compiledTest('support/contextBatch.js'), 'buildMany', [inputs], { maxOldMb: 128 });
}

describe('context: line walks at the edges of the text', function () {
  this.timeout(60_000);

  for (const template of [{ kind: 'prefix-only' as const }, { kind: 'qwen-fim' as const }]) {
    it(`a file starting with an empty line (${template.kind}): every cursor gives back the text around it`, async () => {
      const text = '\nimport os\n\nx = ';
      const inputs = Array.from({ length: text.length + 1 }, (_, offset) => ({ text, offset, budgetTokens: 256, maxTokens: 16, template }));
      const built = await buildMany(inputs);
      for (const [offset, c] of built.entries()) {
        assert.equal(c.prefix, text.slice(0, offset), `prefix at offset ${offset}`);
        if (template.kind === 'qwen-fim') assert.equal(c.suffix, text.slice(offset), `suffix at offset ${offset}`);
        assert.equal(c.truncatedPrefixLines, 0);
      }
    });
  }

  it('only newlines, and the cursor at offset 0 before a newline', async () => {
    const inputs: ContextInput[] = [];
    for (const text of ['\n', '\n\n\n', '\r\n\r\n', '\n\nabc']) {
      for (let offset = 0; offset <= text.length; offset++) inputs.push({ text, offset, budgetTokens: 128, maxTokens: 8, template: { kind: 'qwen-fim' } });
    }
    const built = await buildMany(inputs);
    for (const [i, c] of built.entries()) {
      const { text, offset } = inputs[i]!;
      assert.equal(c.prefix + c.suffix, text, JSON.stringify({ text, offset }));
      assert.equal(c.prefix, text.slice(0, offset));
    }
  });
});
