// The context builder's properties over generated texts, run by runBounded() in a child
// process with a small heap (an unbounded walk ends it instead of the test process).
import fc from 'fast-check';
import { buildContext, countTokens, lineStartAt, type TemplateSpec } from '../../src/core/context';
import { textAndOffsetArb } from './textArbitraries';

const templates: TemplateSpec[] = [{ kind: 'prefix-only' }, { kind: 'qwen-fim' }, { kind: 'custom', custom: '<PRE>{prefix}<SUF>{suffix}<MID>' }];

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Throws (fast-check's counterexample report) when a property fails. */
export function checkContextProperties(numRuns: number, seed?: number): string {
  fc.assert(
    fc.property(textAndOffsetArb, fc.constantFrom(...templates), fc.integer({ min: 48, max: 2048 }), ({ text, offset }, template, budgetTokens) => {
      const c = buildContext({ text, offset, budgetTokens, maxTokens: 16, template });
      const withSuffix = template.kind !== 'prefix-only';
      // Within the budget, and the count is the exact one.
      if (c.promptTokens > c.limitTokens) throw new Error(`${c.promptTokens} tokens over the limit ${c.limitTokens}`);
      if (countTokens(c.prompt) !== c.promptTokens) throw new Error('promptTokens is not the prompt\'s count');
      // Prefix and suffix are exactly the text around the cursor as cut.
      const start = offset - c.prefix.length;
      if (text.slice(start, offset) !== c.prefix) throw new Error('prefix is not the text right before the cursor');
      if (withSuffix && text.slice(offset, offset + c.suffix.length) !== c.suffix) throw new Error('suffix is not the text right after the cursor');
      if (!withSuffix && c.suffix !== '') throw new Error('prefix-only sent a suffix');
      if (c.truncatedPrefixLines !== countNewlines(text.slice(0, start))) throw new Error(`truncatedPrefixLines ${c.truncatedPrefixLines} != lines cut`);
      // The cursor line is kept whole whenever it fits in half the room.
      const cursorLine = text.slice(lineStartAt(text, offset), offset);
      if (countTokens(cursorLine) * 2 <= c.limitTokens - 20 && !c.prefix.endsWith(cursorLine)) throw new Error('the cursor line was cut although it fits');
      // Cuts are on line boundaries unless the cursor line alone was too long.
      if (start > 0 && text[start - 1] !== '\n' && c.prefix.length > cursorLine.length) throw new Error('the prefix starts mid-line');
    }),
    { numRuns, ...(seed !== undefined ? { seed } : {}) },
  );
  return 'ok';
}
