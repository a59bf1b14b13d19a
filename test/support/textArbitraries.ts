// Generated texts for property tests: the shapes real files have and hand-made strings
// miss (empty, only newlines, leading and trailing newlines, CRLF, lone CR, tabs, very long
// lines, non-ASCII, emoji, combining marks, NUL).
import fc from 'fast-check';

const pieces = [
  '', '\n', '\n\n', '\r\n', '\r', '\t', '    ', ' ', 'import os', 'def f(x):', '  return x', '}', '{',
  'é', 'e\u0301', 'ü', '日本語', '😀', '👩‍💻', '\u0000', '<think>', '</think>', '<|fim_prefix|>', '"""',
];

/** A text built from code-like pieces, edge characters and arbitrary strings. */
export const textArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...pieces) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constantFrom('x', ' ', 'ab ', '\t').chain((c) => fc.integer({ min: 200, max: 6000 }).map((n) => c.repeat(n))) },
    ),
    { maxLength: 40 },
  )
  .map((xs) => xs.join(''));

/** A text and a cursor offset anywhere in it (both ends included). */
export const textAndOffsetArb: fc.Arbitrary<{ text: string; offset: number }> = textArb.chain((text) => fc.nat({ max: text.length }).map((offset) => ({ text, offset })));
