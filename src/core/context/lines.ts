// Line boundaries by offset. `lastIndexOf('\n', -1)` searches from 0 rather than finding
// nothing, so every backward step goes through here: a text starting with "\n" once made
// the prefix walk return the same line start forever.

/** Offset where the line holding `offset` starts (the cursor line when `offset` is a cursor). */
export function lineStartAt(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the "\n" ending the line holding `offset`, or the text's length on the last line. */
export function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset));
  return nl === -1 ? text.length : nl;
}
