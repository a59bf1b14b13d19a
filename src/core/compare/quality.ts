// Quality of one completion against the ground truth (what the developer kept, or the
// file's real next lines): pure functions, no model, no eval of anyone's code.
//
// - exactMatch: the first lines agree once trimmed (what "the suggestion was right" means
//   for single-line ghost text). Where the truth starts with a line break (the cursor at a
//   line end), the first line with text, and the line breaks before it, must agree.
// - editSimFirstLine / editSim: 1 - levenshtein / longer length, on the first line and on
//   the completion cut to the ground truth's length (a longer completion is not punished
//   for text the truth does not cover; a shorter one is).
// - parsesAfter / parsedBefore: a real parser (tree-sitter, parseCheck.ts) on the document
//   with the completion inserted, and on the document before insertion. `parses` is the
//   verdict: only where the ground-truth document parses (a prefix cut to the token budget,
//   or a file that never parsed, says nothing about the completion).
// - bracketsBalanced: only where no grammar is loaded, a HEURISTIC for "still parses" in C-like and Python-like code: the
//   document with the completion ends with the same open-bracket stack, and no more
//   mismatched closers, than the document with the ground truth. Strings and comments are
//   skipped roughly (quotes end at a newline unless triple-quoted/backtick; `//`, `/* */`,
//   `#` per language). It can be fooled (regex literals, Rust lifetimes, heredocs) but it
//   never runs code. Comparing against the truth document cancels most of what a cut
//   prefix (recorded traffic is cut to the token budget) does to the scan.
// - jsonParses: for JSON only, JSON.parse of the whole document with the completion
//   (undefined when even the ground-truth document does not parse, e.g. JSONC).
import { distance } from 'fastest-levenshtein';
import type { ParseChecker } from './parseCheck';

export interface QualityInput {
  /** What would be shown; undefined or '' when nothing was shown. */
  completion: string | undefined;
  groundTruth: string;
  prefix: string;
  suffix: string;
  languageId: string;
}

export interface QualityScores {
  exactMatch: boolean;
  editSimFirstLine: number;
  editSim: number;
  /** The document with the completion parses (tree-sitter; languages with a grammar). */
  parsesAfter?: boolean;
  /** The document before insertion (prefix + suffix) parses. */
  parsedBefore?: boolean;
  /** parsesAfter, where the ground-truth document parses (else undefined: cannot judge). */
  parses?: boolean;
  /** Where no grammar is loaded; undefined for languages the bracket scan does not fit. */
  bracketsBalanced?: boolean;
  /** JSON only. */
  jsonParses?: boolean;
}

export function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl === -1 ? s : s.slice(0, nl);
}

/** 1 - levenshtein / max length, in [0, 1]; two empty strings are identical (1). */
export function editSimilarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  return 1 - distance(a, b) / max;
}

/**
 * The first line a developer reads in the ghost text, for comparing with the truth's: where
 * the truth starts with a line break (the cursor at the end of a finished line, the answer on
 * the lines below), the blank lines up to and including the first line with text, each line
 * trimmed, so that "\n    return x" and "\nreturn x" agree but "return x" (glued onto the
 * finished line) and "  # done\n    return x" (a comment added to it) do not. Elsewhere the
 * first line, trimmed.
 */
export function shownFirstLine(s: string, truthStartsWithBreak: boolean): string {
  if (!truthStartsWithBreak) return firstLine(s).trim();
  const lines = s.split('\n');
  const firstText = lines.findIndex((l) => l.trim().length > 0);
  if (firstText === -1) return '';
  return lines.slice(0, firstText + 1).map((l) => l.trim()).join('\n');
}

/** The truth's first line is blank, as at a line end: the answer starts with a line break. */
export function startsWithLineBreak(truth: string): boolean {
  return firstLine(truth).trim().length === 0 && truth.trim().length > 0;
}

export function scoreCompletion(input: QualityInput, parser?: ParseChecker): QualityScores {
  const completion = input.completion ?? '';
  const truth = input.groundTruth;
  const atBreak = startsWithLineBreak(truth);
  const c1 = shownFirstLine(completion, atBreak);
  const t1 = shownFirstLine(truth, atBreak);
  const out: QualityScores = {
    exactMatch: c1.length > 0 && c1 === t1,
    editSimFirstLine: editSimilarity(c1, t1),
    editSim: editSimilarity(completion.slice(0, truth.length), truth),
  };
  const style = commentStyle(input.languageId);
  if (input.languageId === 'json') {
    const withTruth = tryJson(input.prefix + truth + input.suffix);
    if (withTruth) out.jsonParses = tryJson(input.prefix + completion + input.suffix);
  }
  if (parser?.ready(input.languageId)) {
    const parsesAfter = parser.parses(input.languageId, input.prefix + completion + input.suffix);
    const parsedBefore = parser.parses(input.languageId, input.prefix + input.suffix);
    const reference = parser.parses(input.languageId, input.prefix + truth + input.suffix);
    if (parsesAfter !== undefined) out.parsesAfter = parsesAfter;
    if (parsedBefore !== undefined) out.parsedBefore = parsedBefore;
    if (reference && parsesAfter !== undefined) out.parses = parsesAfter;
  } else if (style) {
    const a = scanBrackets(input.prefix + completion + input.suffix, style);
    const b = scanBrackets(input.prefix + truth + input.suffix, style);
    out.bracketsBalanced = a.open === b.open && a.mismatched <= b.mismatched;
  }
  return out;
}

function tryJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface CommentStyle {
  line: string[];
  block: boolean;
  tripleQuotes: boolean;
}

const C_LIKE: CommentStyle = { line: ['//'], block: true, tripleQuotes: false };
const HASH: CommentStyle = { line: ['#'], block: false, tripleQuotes: true };

const STYLES: Record<string, CommentStyle> = {
  python: HASH, cython: HASH, ruby: { line: ['#'], block: false, tripleQuotes: false },
  shellscript: { line: ['#'], block: false, tripleQuotes: false }, r: { line: ['#'], block: false, tripleQuotes: false },
  julia: { line: ['#'], block: false, tripleQuotes: true }, nim: { line: ['#'], block: false, tripleQuotes: true },
  php: { line: ['//', '#'], block: true, tripleQuotes: false },
  lua: { line: ['--'], block: false, tripleQuotes: false }, sql: { line: ['--'], block: true, tripleQuotes: false },
  json: { line: [], block: false, tripleQuotes: false }, jsonc: C_LIKE,
};
const C_LIKE_IDS = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'java', 'go', 'rust', 'c', 'cpp', 'csharp', 'kotlin', 'swift', 'scala', 'dart', 'css', 'scss', 'less', 'zig', 'solidity', 'vue'];

/** The comment syntax the bracket scan uses, or undefined where it does not apply. */
export function commentStyle(languageId: string): CommentStyle | undefined {
  return STYLES[languageId] ?? (C_LIKE_IDS.includes(languageId) ? C_LIKE : undefined);
}

const OPEN = '([{';
const CLOSE = ')]}';

/** Brackets still open at the end (as a string, innermost last) and closers that matched nothing. */
export function scanBrackets(text: string, style: CommentStyle): { open: string; mismatched: number } {
  const stack: string[] = [];
  let mismatched = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (style.line.some((l) => text.startsWith(l, i))) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (style.block && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const triple = style.tripleQuotes && text.startsWith(ch.repeat(3), i);
      i = skipString(text, i, ch, triple);
      continue;
    }
    const o = OPEN.indexOf(ch);
    if (o !== -1) stack.push(ch);
    else {
      const c = CLOSE.indexOf(ch);
      if (c !== -1) {
        if (stack.length && stack[stack.length - 1] === OPEN[c]) stack.pop();
        else mismatched++;
      }
    }
    i++;
  }
  return { open: stack.join(''), mismatched };
}

/** Index just past the string starting at `start`. Single-line quotes stop at a newline,
 * so one stray quote (an apostrophe in a comment we missed, a Rust lifetime) costs a line, not the file. */
function skipString(text: string, start: number, quote: string, triple: boolean): number {
  const n = text.length;
  if (triple) {
    const end = text.indexOf(quote.repeat(3), start + 3);
    return end === -1 ? n : end + 3;
  }
  let i = start + 1;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) return i + 1;
    if (ch === '\n' && quote !== '`') return i + 1;
    i++;
  }
  return n;
}
