// The end of a completion that repeats what already follows the cursor: accepted as is,
// it would be there twice (`foo(x))`, a second closing brace, the next line again).

/** Drops the end of `text` that equals the start of the text after the cursor on its line. */
export function trimLineOverlap(text: string, restOfLine: string): string {
  const rest = restOfLine.trimEnd();
  if (!rest) return text;
  // Never cut inside a word: "coun|t" is not an overlap with a suffix starting "t".
  const splitsWord = (cut: number): boolean => cut > 0 && cut < text.length && /\w/.test(text[cut - 1]!) && /\w/.test(text[cut]!);
  if (text.endsWith(rest) && !splitsWord(text.length - rest.length)) return text.slice(0, text.length - rest.length);
  const trimmedRest = rest.trimStart();
  const body = text.trimEnd();
  if (trimmedRest && body.endsWith(trimmedRest) && !splitsWord(body.length - trimmedRest.length)) return body.slice(0, body.length - trimmedRest.length).trimEnd();
  // A partial overlap only when it is punctuation (closing brackets, quotes, `;`).
  for (let k = Math.min(rest.length - 1, text.length); k >= 1; k--) {
    const overlap = rest.slice(0, k);
    if (!/[\w\s]/.test(overlap) && text.endsWith(overlap)) return text.slice(0, text.length - k);
  }
  return text;
}

/** Drops the last lines of `text` when they equal the lines that follow the cursor line. */
export function trimLinesOverlap(text: string, suffixText: string): string {
  const next = suffixText.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim());
  if (next.length === 0) return text;
  const lines = text.trimEnd().split('\n');
  const content: number[] = []; // indexes of non-blank completion lines after the first
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim()) content.push(i);
  for (let m = Math.min(content.length, next.length); m >= 1; m--) {
    const tail = content.slice(content.length - m);
    if (tail.every((idx, j) => lines[idx]!.trim() === next[j])) {
      // Also drop the blank lines right before the repeated part.
      let cut = tail[0]!; // m >= 1
      while (cut > 1 && !lines[cut - 1]!.trim()) cut--;
      return lines.slice(0, cut).join('\n');
    }
  }
  return text;
}
