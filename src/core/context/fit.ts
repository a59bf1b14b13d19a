// Token counts on a budget: the work is bounded by what can fit, never by the length of
// the text (a 1 MB minified line once took 4.5 s to tokenize whole on every keystroke).
// Windows grow from the kept end, doubling, and stop at the first one over the budget.
import { countLineTokens, countTokens, decode, encode } from './tokenizer';

/**
 * The longest token in the Qwen vocabulary is 128 characters (a run of spaces; a test reads
 * the vocabulary), so `n` tokens never cover more than `n * MAX_CHARS_PER_TOKEN` characters of
 * NFC text: a piece longer than that cannot fit and is not counted at all.
 */
export const MAX_CHARS_PER_TOKEN = 128;
/** First window: about what `max` tokens of ordinary code cover (3-4 chars per token). */
const FIRST_WINDOW_CHARS_PER_TOKEN = 4;

export interface Fitted {
  text: string;
  tokens: number;
  /** Whether `text` is shorter than the input. */
  cut: boolean;
}

/**
 * `s` whole when it has at most `max` tokens, else the longest start ('keep-start') or end
 * ('keep-end') of it that has. Counts windows of at most about twice what fits.
 */
export function fitTokens(s: string, max: number, keep: 'keep-start' | 'keep-end'): Fitted {
  if (!s) return { text: '', tokens: 0, cut: false };
  if (max <= 0) return { text: '', tokens: 0, cut: true };
  const take = (len: number): string => (keep === 'keep-start' ? s.slice(0, len) : s.slice(s.length - len));
  const limit = Math.min(s.length, max * MAX_CHARS_PER_TOKEN);
  let fit = 0;
  let fitTokensN = 0;
  let w = Math.min(limit, max * FIRST_WINDOW_CHARS_PER_TOKEN);
  let over = -1;
  for (;;) {
    const n = w === s.length ? countLineTokens(s) : countTokens(take(w));
    if (n > max) {
      over = w;
      break;
    }
    fit = w;
    fitTokensN = n;
    if (w === s.length) return { text: s, tokens: n, cut: false };
    if (w >= limit) return { text: take(w), tokens: n, cut: true };
    w = Math.min(limit, w * 2);
  }
  // Between `fit` (fits) and `over` (does not): the tokenizer says where `max` tokens end.
  const ids = encode(take(over));
  const keptIds = keep === 'keep-start' ? ids.slice(0, max) : ids.slice(ids.length - max);
  let len = Math.max(fit, Math.min(over - 1, decode(keptIds).length));
  // Decoding may differ by a few characters (a split character at the edge, NFC): step back until it fits.
  for (;;) {
    if (len <= fit) return { text: take(fit), tokens: fitTokensN, cut: true };
    const n = countTokens(take(len));
    if (n <= max) return { text: take(len), tokens: n, cut: true };
    len = Math.max(fit, len - Math.max(1, (n - max) * 2));
  }
}

/**
 * The token count of `s` when it is at most `max`, else undefined; counts growing windows
 * from its start, so a long line that cannot fit costs about `max` tokens of work.
 */
export function countWithin(s: string, max: number): number | undefined {
  if (s.length > max * MAX_CHARS_PER_TOKEN) return undefined;
  if (s.length <= max * FIRST_WINDOW_CHARS_PER_TOKEN) {
    const n = countLineTokens(s);
    return n <= max ? n : undefined;
  }
  for (let w = max * FIRST_WINDOW_CHARS_PER_TOKEN; ; w = Math.min(s.length, w * 2)) {
    const n = w === s.length ? countLineTokens(s) : countTokens(s.slice(0, w));
    if (n > max) return undefined;
    if (w === s.length) return n;
  }
}
