import * as assert from 'node:assert/strict';
import { buildContext, countTokens, encode, promptLimit, renderPrompt, SAFETY_MARGIN_TOKENS } from '../../src/core/context';

/** A long, real-looking Python module: classes, methods, docstrings, blank lines. */
function pythonFile(lines: number): string {
  const out: string[] = ['import os', 'import sys', 'from typing import Optional', '', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(`class Worker${i}:`, `    """Handles batch ${i} of the queue (ü, café)."""`, '', `    def __init__(self, size: int = ${i}) -> None:`, '        self.size = size', `        self.items: list[int] = []`, '', `    def run(self, limit: Optional[int] = None) -> int:`, '        total = 0', '        for item in self.items[:limit]:', `            total += item * ${i % 7}`, '        return total', '', '');
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function offsetOfLine(text: string, line0: number): number {
  let off = 0;
  for (let l = 0; l < line0; l++) off = text.indexOf('\n', off) + 1;
  return off;
}

describe('context: token counts with the real Qwen tokenizer', () => {
  it('counts special tokens as one and matches known ids', () => {
    assert.equal(countTokens('<|fim_prefix|>'), 1);
    assert.deepEqual(encode('<|fim_prefix|>'), [151659]);
    assert.deepEqual(encode('<|fim_suffix|><|fim_middle|>'), [151661, 151660]);
    assert.deepEqual(encode('<|endoftext|>'), [151643]);
    assert.deepEqual(encode('hello'), [14990]);
    assert.equal(countTokens(''), 0);
  });

  it('NFC-normalises before counting (decomposed and composed text count alike)', () => {
    const composed = 'café naïve';
    const decomposed = composed.normalize('NFD');
    assert.notEqual(composed, decomposed);
    assert.equal(countTokens(decomposed), countTokens(composed));
  });
});

describe('context: prompt cut to the budget on line boundaries', () => {
  const file = pythonFile(5000);
  const lines = file.split('\n');
  const cursorLine = 2500;
  const lineStart = offsetOfLine(file, cursorLine);
  // Cursor in the middle of a line: after "        total" style text.
  const cursorCol = Math.min(8, lines[cursorLine]!.length);
  const offset = lineStart + cursorCol;
  const before = lines[cursorLine]!.slice(0, cursorCol);
  const after = lines[cursorLine]!.slice(cursorCol);

  for (const kind of ['prefix-only', 'qwen-fim'] as const) {
    it(`${kind}: prompt tokens <= budget, whole lines only, cursor line kept`, () => {
      for (const budget of [64, 300, 1536]) {
        const ctx = buildContext({ text: file, offset, budgetTokens: budget, maxTokens: 64, template: { kind } });
        assert.ok(ctx.promptTokens <= budget, `${ctx.promptTokens} > ${budget}`);
        assert.equal(ctx.promptTokens, countTokens(ctx.prompt));
        assert.equal(ctx.prompt, renderPrompt({ kind }, ctx.prefix, ctx.suffix));
        // Uses most of the budget (it is a cut, not a guess far below it).
        assert.ok(ctx.promptTokens > budget * 0.8, `only ${ctx.promptTokens} of ${budget}`);
        // Prefix is whole lines ending at the cursor: it is exactly the file's text before the cursor, from a line start.
        assert.ok(file.slice(0, offset).endsWith(ctx.prefix));
        const prefixStart = offset - ctx.prefix.length;
        assert.ok(prefixStart === 0 || file[prefixStart - 1] === '\n', 'prefix starts at a line start');
        assert.ok(ctx.prefix.endsWith(before));
        assert.equal(ctx.truncatedPrefixLines, file.slice(0, prefixStart).split('\n').length - 1);
        if (kind === 'qwen-fim') {
          assert.ok(ctx.prompt.startsWith('<|fim_prefix|>') && ctx.prompt.endsWith('<|fim_middle|>'));
          assert.ok(file.slice(offset).startsWith(ctx.suffix));
          assert.ok(countTokens(ctx.suffix) <= Math.floor(budget / 4), 'suffix within its quarter');
          const suffixEnd = offset + ctx.suffix.length;
          if (countTokens(after) > Math.floor((budget - 3) / 4)) {
            // The rest of the cursor line alone is over the suffix's share: only its start is sent.
            assert.ok(after.startsWith(ctx.suffix) && ctx.suffix.length > 0);
          } else {
            assert.ok(suffixEnd === file.length || file[suffixEnd] === '\n', 'suffix ends at a line end');
            assert.ok(ctx.suffix.startsWith(after));
            assert.ok(ctx.suffix.length > after.length, 'suffix has whole lines beyond the cursor line');
          }
          assert.equal(ctx.truncatedSuffixLines, file.slice(suffixEnd).split('\n').length - 1);
        } else {
          assert.equal(ctx.suffix, '');
          assert.equal(ctx.prompt, ctx.prefix);
          assert.equal(ctx.truncatedSuffixLines, 0);
        }
        assert.ok(ctx.truncatedPrefixLines > 2000);
      }
    });
  }

  it('caps by max_model_len - max_tokens - margin when that is smaller than the budget', () => {
    const ctx = buildContext({ text: file, offset, budgetTokens: 100_000, maxModelLen: 512, maxTokens: 64, template: { kind: 'qwen-fim' } });
    assert.equal(ctx.limitTokens, 512 - 64 - SAFETY_MARGIN_TOKENS);
    assert.ok(ctx.promptTokens <= ctx.limitTokens);
    assert.ok(ctx.promptTokens > ctx.limitTokens * 0.8);
    assert.equal(promptLimit(1536, 64), 1536);
  });

  it('keeps everything when the file fits, and handles cursor at start and end of file', () => {
    const small = 'def add(a, b):\n    return a + b\n\nprint(add(1, 2))\n';
    const mid = small.indexOf('return');
    const ctx = buildContext({ text: small, offset: mid, budgetTokens: 1536, maxTokens: 64, template: { kind: 'qwen-fim' } });
    assert.equal(ctx.prefix + ctx.suffix, small);
    assert.equal(ctx.truncatedPrefixLines + ctx.truncatedSuffixLines, 0);
    const start = buildContext({ text: small, offset: 0, budgetTokens: 1536, maxTokens: 64, template: { kind: 'prefix-only' } });
    assert.equal(start.prompt, '');
    const end = buildContext({ text: small, offset: small.length, budgetTokens: 1536, maxTokens: 64, template: { kind: 'prefix-only' } });
    assert.equal(end.prompt, small);
  });

  it('custom template: placeholders filled once, its own tokens counted', () => {
    const t = { kind: 'custom' as const, custom: '<PRE> {prefix} <SUF>{suffix} <MID>' };
    const ctx = buildContext({ text: file, offset, budgetTokens: 200, maxTokens: 64, template: t });
    assert.ok(ctx.prompt.startsWith('<PRE> ') && ctx.prompt.endsWith(' <MID>'));
    assert.ok(ctx.promptTokens <= 200);
    assert.throws(() => buildContext({ text: file, offset, budgetTokens: 200, maxTokens: 64, template: { kind: 'custom', custom: 'no placeholder' } }), /must contain \{prefix\}/);
  });

  it('cuts an over-long cursor line by characters rather than failing (minified code)', () => {
    const minified = 'var a=1;'.repeat(5000);
    const ctx = buildContext({ text: minified, offset: minified.length, budgetTokens: 100, maxTokens: 16, template: { kind: 'prefix-only' } });
    assert.ok(ctx.promptTokens <= 100 && ctx.promptTokens > 50);
    assert.ok(minified.endsWith(ctx.prefix));
  });

  it('says clearly when max_model_len leaves no room', () => {
    assert.throws(() => buildContext({ text: file, offset, budgetTokens: 1536, maxModelLen: 64, maxTokens: 64, template: { kind: 'prefix-only' } }), /No room for any code in the prompt: max_model_len 64 minus max_tokens 64/);
  });
});
