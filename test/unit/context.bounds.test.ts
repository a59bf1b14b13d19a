// Work on the typing path is bounded by the budget, never by the file: a 1 MB minified line
// once cost 4.5 s of tokenizing per keystroke, and the line cache kept every document text
// it had seen alive. Asserted by what the tokenizer was handed and by what the GC can free,
// not by time (speed is in `npm run bench`).
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { buildContext, countLineTokens, decode, fitTokens, lineCacheBytes, MAX_CHARS_PER_TOKEN, tokenizedChars, vocabularySize } from '../../src/core/context';

function minifiedLine(chars: number): string {
  const unit = 'function a(b,c){return b.map(function(d){return d*c+1})}var e=[1,2,3];';
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

describe('context: bounded work on huge lines', function () {
  this.timeout(120_000);

  it(`no token of the vocabulary is longer than MAX_CHARS_PER_TOKEN (${MAX_CHARS_PER_TOKEN}) characters`, () => {
    let longest = 0;
    for (let id = 0; id < vocabularySize(); id++) longest = Math.max(longest, decode([id]).length);
    assert.equal(longest, MAX_CHARS_PER_TOKEN, 'the bound is the vocabulary\'s longest token, no more');
  });

  for (const template of [{ kind: 'prefix-only' as const }, { kind: 'qwen-fim' as const }]) {
    it(`${template.kind}: a 1 MB minified cursor line costs tokenizing about what fits, not the line`, () => {
      const line = minifiedLine(1_000_000);
      const text = `import x\n${line.slice(0, 500_000)}${line.slice(500_000)}\nmore()\n`;
      const offset = 'import x\n'.length + 500_000;
      const before = tokenizedChars();
      const c = buildContext({ text, offset, budgetTokens: 1536, maxTokens: 64, template });
      const handed = tokenizedChars() - before;
      assert.ok(c.promptTokens <= c.limitTokens);
      assert.ok(c.promptTokens > c.limitTokens * 0.9, `the budget is used (${c.promptTokens} of ${c.limitTokens})`);
      assert.equal(text.slice(offset - c.prefix.length, offset), c.prefix);
      assert.ok(handed <= 64 * 1536, `${handed} characters tokenized for a budget of 1536 tokens`);
    });
  }

  it('fitTokens keeps the longest end that fits, counting windows near that size', () => {
    const s = minifiedLine(200_000);
    const before = tokenizedChars();
    const f = fitTokens(s, 100, 'keep-end');
    assert.ok(tokenizedChars() - before < 20 * 100 * 4);
    assert.ok(f.cut && f.tokens <= 100 && f.tokens >= 95, `${f.tokens} tokens`);
    assert.ok(s.endsWith(f.text));
    const whole = fitTokens('short line', 100, 'keep-start');
    assert.deepEqual([whole.text, whole.cut], ['short line', false]);
  });

  it('the line cache holds no document text (each keystroke\'s getText() copy is freed) and stays within its byte bound', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const base = Array.from({ length: 2000 }, (_, i) => `    value_${i} = compute_something(${i}, scale=${i % 7})`).join('\n');
    countLineTokens(base.slice(0, 200)); // the tokenizer itself is loaded before measuring
    gc();
    const heapBefore = v8.getHeapStatistics().used_heap_size;
    // 200 keystrokes: each a fresh 200 KB document text whose cursor line is new.
    for (let k = 0; k < 200; k++) {
      const doc = `${base}\n    total = value_${k} + compute_something(${k}) # typed`;
      const at = doc.lastIndexOf('\n') + 1;
      countLineTokens(doc.slice(at));
    }
    gc();
    const grown = v8.getHeapStatistics().used_heap_size - heapBefore;
    assert.ok(grown < 8 * 1024 * 1024, `the heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB after 200 keystrokes on a ${(base.length / 1024).toFixed(0)} KB file`);
    assert.ok(lineCacheBytes() <= 8 * 1024 * 1024);
  });
});
