// Windows line endings. Models are trained on "\n" text: a CRLF prompt reads as unfamiliar
// tokens, and the bundled model, at the same spot, answered a class body with LF and
// repeated the previous line's tail with CRLF. So prompts are built from the text with
// "\r\n" made "\n", the cursor moved to match; the editor turns the inserted "\n" back
// into the document's own line ending.

export interface LfText {
  text: string;
  offset: number;
}

/** `text` with every "\r\n" as "\n", and `offset` moved to the same place in it. */
export function withLf(text: string, offset: number): LfText {
  if (!text.includes('\r\n')) return { text, offset };
  let removed = 0;
  for (let i = text.indexOf('\r\n'); i !== -1 && i < offset; i = text.indexOf('\r\n', i + 2)) {
    // A cursor between "\r" and "\n" (no editor puts one there) counts as before the "\r".
    removed += i + 1 < offset ? 1 : 0;
  }
  return { text: text.replace(/\r\n/g, '\n'), offset: offset - removed };
}
