// The text around the cursor, cut to a token budget on line boundaries, rendered into
// the prompt. Works outward from the cursor line by line with cached per-line counts, so
// a 10k-line file costs no more than the lines kept; one exact count of the final prompt
// makes the budget a hard limit (per-line sums differ slightly from whole-text counts).
import { countWithin, fitTokens } from './fit';
import { lineEndAt, lineStartAt } from './lines';
import { fitSnippets, frameFor, frameOverhead, NO_FRAME, type Frame, type OtherFilesInput } from './otherFiles';
import { countTokens } from './tokenizer';
import { checkTemplate, renderPrompt, usesSuffix, type TemplateSpec } from './templates';

/** Tokens kept free below max_model_len besides max_tokens (BOS the server may add, tokenizer drift). */
export const SAFETY_MARGIN_TOKENS = 8;
/** With a FIM template the text after the cursor gets at most this share of the budget. */
export const SUFFIX_SHARE = 0.25;

export interface ContextInput {
  text: string;
  /** Cursor as a UTF-16 offset into `text`. */
  offset: number;
  budgetTokens: number;
  /** The server's context window (vLLM's max_model_len), when known. */
  maxModelLen?: number | undefined;
  maxTokens: number;
  template: TemplateSpec;
  /** Snippets of other files to add where they fit (absent: the current file alone). */
  otherFiles?: OtherFilesInput;
}

export interface BuiltContext {
  prompt: string;
  prefix: string;
  suffix: string;
  /** Exact count of `prompt` with the Qwen tokenizer, template tokens included. */
  promptTokens: number;
  /** The most prompt tokens allowed: min(budget, max_model_len - max_tokens - margin). */
  limitTokens: number;
  /** Whole lines dropped before the kept prefix / after the kept suffix. */
  truncatedPrefixLines: number;
  truncatedSuffixLines: number;
  /** Other files the prompt carries snippets of, most relevant first (absent: none). */
  otherFiles?: string[];
  /** Tokens those snippets and their frame take. */
  otherFilesTokens?: number;
}

export class ContextError extends Error {
  override readonly name = 'ContextError';
}

export function promptLimit(budgetTokens: number, maxTokens: number, maxModelLen?: number): number {
  const byModel = maxModelLen && maxModelLen > 0 ? maxModelLen - maxTokens - SAFETY_MARGIN_TOKENS : Infinity;
  return Math.floor(Math.min(budgetTokens, byModel));
}

export function buildContext(input: ContextInput): BuiltContext {
  const plain = buildCurrentFile(input, NO_FRAME);
  const other = input.otherFiles;
  if (!other || other.snippets.length === 0) return plain;
  // The current file's prefix keeps its share (or all of itself when shorter); its suffix
  // and the frame are paid first; the snippets get the rest, cut to it on line boundaries.
  const keepPrefix = Math.min(countTokens(plain.prefix), Math.ceil(plain.limitTokens * other.minPrefixShare));
  const fixed = countTokens(renderPrompt(input.template, '', '')) + countTokens(plain.suffix) + frameOverhead(other);
  let room = plain.limitTokens - fixed - keepPrefix;
  // Counts of joined text drift from sums of line counts by a few tokens: if the prefix came
  // out short, give the snippets less and build again (a few rounds at most).
  for (let round = 0; round < 4 && room > 0; round++) {
    const fitted = fitSnippets(other, room);
    if (fitted.kept.length === 0) return plain;
    const frame = frameFor(other, fitted.kept);
    let built: BuiltContext;
    try {
      built = buildCurrentFile(input, frame);
    } catch (err) {
      // No room beside these snippets after all: the current file alone is the prompt.
      if (err instanceof ContextError) return plain;
      throw err;
    }
    const kept = countTokens(built.prefix);
    if (kept >= keepPrefix) {
      return { ...built, otherFiles: fitted.kept.map((s) => s.path), otherFilesTokens: countTokens(frame.before + frame.prefixHead) };
    }
    room -= keepPrefix - kept + 4;
  }
  return plain;
}

function buildCurrentFile(input: ContextInput, frame: Frame): BuiltContext {
  const { text, template } = input;
  checkTemplate(template);
  const offset = Math.max(0, Math.min(input.offset, text.length));
  const limit = promptLimit(input.budgetTokens, input.maxTokens, input.maxModelLen);
  const render = (prefix: string, suffix: string): string => frame.before + renderPrompt(template, frame.prefixHead + prefix, suffix);
  const templateTokens = countTokens(render('', ''));
  const available = limit - templateTokens;
  if (available < 1) {
    const why = input.maxModelLen ? `max_model_len ${input.maxModelLen} minus max_tokens ${input.maxTokens} and a margin of ${SAFETY_MARGIN_TOKENS}` : `the budget of ${input.budgetTokens} tokens`;
    throw new ContextError(`No room for any code in the prompt: ${why} leaves ${limit} tokens and the template alone takes ${templateTokens}. Lower max tokens or raise the context budget.`);
  }
  const withSuffix = usesSuffix(template);

  // The cursor line is always kept; only if it alone is over budget is it cut by characters
  // (then nothing beyond the cut is added: prefix and suffix stay the text around the cursor).
  // Counting works on windows bounded by the budget, so a 1 MB line costs what fits of it.
  const lineStart = lineStartAt(text, offset);
  const lineEnd = lineEndAt(text, offset);
  const suffixCap = withSuffix ? Math.floor(available * SUFFIX_SHARE) : 0;
  const suffixFit = withSuffix ? fitTokens(text.slice(offset, lineEnd), suffixCap, 'keep-start') : { text: '', tokens: 0, cut: false };
  let cursorSuffix = suffixFit.text;
  let suffixTokens = suffixFit.tokens;
  const prefixFit = fitTokens(text.slice(lineStart, offset), available - suffixTokens, 'keep-end');
  let cursorPrefix = prefixFit.text;
  let prefixTokens = prefixFit.tokens;

  // Suffix lines, nearest first, each as "\n" + line (the newline ending the line before).
  const suffixPieces: string[] = [];
  const suffixCounts: number[] = [];
  if (withSuffix && !suffixFit.cut) {
    let pos = lineEnd;
    while (pos < text.length) {
      const next = text.indexOf('\n', pos + 1);
      const end = next === -1 ? text.length : next;
      const piece = text.slice(pos, end);
      const n = countWithin(piece, suffixCap - suffixTokens);
      if (n === undefined) break;
      suffixPieces.push(piece);
      suffixCounts.push(n);
      suffixTokens += n;
      pos = end;
    }
  }

  // Prefix lines, nearest first, each with its own "\n"; unused suffix share goes here.
  const prefixPieces: string[] = [];
  const prefixCounts: number[] = [];
  if (!prefixFit.cut) {
    let pos = lineStart;
    while (pos > 0) {
      // text[pos - 1] is the "\n" ending the line before; its line start is strictly below pos.
      const start = lineStartAt(text, pos - 1);
      const piece = text.slice(start, pos);
      const n = countWithin(piece, available - suffixTokens - prefixTokens);
      if (n === undefined) break;
      prefixPieces.push(piece);
      prefixCounts.push(n);
      prefixTokens += n;
      pos = start;
    }
  }

  // Exact count; per-line sums are an estimate, so drop far lines until the real count fits.
  for (;;) {
    const prefix = joinReversed(prefixPieces) + cursorPrefix;
    const suffix = withSuffix ? cursorSuffix + suffixPieces.join('') : '';
    const prompt = render(prefix, suffix);
    const promptTokens = countTokens(prompt);
    if (promptTokens <= limit) {
      const prefixStartFinal = lineStart - prefixPieces.reduce((s, p) => s + p.length, 0);
      const suffixEndFinal = lineEnd + suffixPieces.reduce((s, p) => s + p.length, 0);
      return {
        prompt,
        prefix,
        suffix,
        promptTokens,
        limitTokens: limit,
        truncatedPrefixLines: countNewlines(text, 0, prefixStartFinal),
        // Prefix-only sends no suffix by design: nothing of it was cut.
        truncatedSuffixLines: withSuffix ? countNewlines(text, suffixEndFinal, text.length) : 0,
      };
    }
    let excess = promptTokens - limit;
    if (prefixPieces.length > 0) {
      while (excess > 0 && prefixPieces.length > 0) {
        prefixPieces.pop();
        excess -= prefixCounts.pop()!;
      }
    } else if (suffixPieces.length > 0) {
      while (excess > 0 && suffixPieces.length > 0) {
        suffixPieces.pop();
        excess -= suffixCounts.pop()!;
      }
    } else {
      // Only the cursor line is left and it is still over: shorten it (far ends first).
      if (cursorSuffix.length > 0) cursorSuffix = cursorSuffix.slice(0, Math.floor(cursorSuffix.length / 2));
      else if (cursorPrefix.length > 0) cursorPrefix = cursorPrefix.slice(Math.ceil(cursorPrefix.length / 4));
      else throw new ContextError(`The prompt template alone is over the limit of ${limit} tokens.`);
    }
  }
}

function joinReversed(pieces: string[]): string {
  let s = '';
  for (let i = pieces.length - 1; i >= 0; i--) s += pieces[i];
  return s;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
