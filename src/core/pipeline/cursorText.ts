// The text before and after the cursor that a record keeps for replay, whatever template
// made the prompt: a prefix-only prompt has no suffix, but a later comparison may replay the
// same spot to a FIM model (which needs it) and post-processing needs the rest of the line
// to detect a mid-line cursor. The prefix is the one the prompt used (already cut to the
// token budget); the suffix is the prompt's when it had one, else the document's next text
// up to a line end, at most SUFFIX_KEEP_CHARS.
import type { BuiltContext } from '../context/buildContext';

export const SUFFIX_KEEP_CHARS = 2000;

export interface CursorText {
  prefix: string;
  suffix: string;
}

export function cursorText(text: string, offset: number, context: Pick<BuiltContext, 'prefix' | 'suffix'>): CursorText {
  if (context.suffix) return { prefix: context.prefix, suffix: context.suffix };
  const after = text.slice(offset, offset + SUFFIX_KEEP_CHARS);
  // Cut at the last line end so a replay never sees half a line (unless the rest is one line).
  const cut = after.length < SUFFIX_KEEP_CHARS ? after.length : after.lastIndexOf('\n') + 1 || after.length;
  return { prefix: context.prefix, suffix: after.slice(0, cut) };
}
