// Where a suggestion was made, in a form that does not slide as the user types. A key of
// "the last N characters before the cursor" moves by one with every keystroke, so after
// typing k characters it no longer starts with the old key and typing through missed in
// any file with more than N characters above the cursor. Instead: the anchor (the offset
// the suggestion was made at) plus a hash of the text the model saw on both sides of it.
// Typing through inserts only between the anchor and the cursor, so both windows stay
// put; an edit anywhere in them changes the hash, and an edit above them shifts the
// anchor away from the typed text. Work per lookup is bounded by the windows, never the file.
import { createHash } from 'node:crypto';

/** Window lengths when the caller does not know what the model saw. */
export const DEFAULT_KEY_WINDOW = { before: 4000, after: 4000 } as const;

export interface CacheKey {
  /** UTF-16 offset in the document where the suggestion starts. */
  anchor: number;
  /** Characters before the anchor covered by the hash. */
  before: number;
  /** Characters after the cursor covered by the hash (the cursor is the anchor plus what was typed). */
  after: number;
  hash: string;
}

export interface KeyWindow {
  before: number;
  after: number;
}

/**
 * The key of a suggestion made at `anchor`, checked while the cursor is at `cursor`
 * (>= anchor: the characters between them are the ones typed through). `window` should
 * cover the prompt's prefix and suffix, so no edit to anything the model saw can hit.
 */
export function cacheKey(text: string, anchor: number, cursor: number = anchor, window: KeyWindow = DEFAULT_KEY_WINDOW): CacheKey {
  const before = Math.min(Math.max(0, Math.floor(window.before)), anchor);
  const after = Math.min(Math.max(0, Math.floor(window.after)), text.length - cursor);
  const hash = createHash('sha256')
    .update(text.slice(anchor - before, anchor))
    .update('\u0000')
    .update(text.slice(cursor, cursor + after))
    .digest('base64');
  return { anchor, before, after, hash };
}
