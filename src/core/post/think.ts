// Reasoning models (DeepSeek-R1 distills) write `<think>…</think>` as ordinary text; it is
// never code and is never shown.

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Removes `<think>…</think>` blocks, an unclosed `<think>…` to the end, and, when the text
 * starts inside a think block (the prompt opened it, so only `</think>` arrives),
 * everything before that lone `</think>`. Newlines right after a removed block go too:
 * they separate the reasoning from the answer, not the code from the cursor.
 */
export function removeThink(text: string): string {
  let out = text;
  const firstClose = out.indexOf(CLOSE);
  const firstOpen = out.indexOf(OPEN);
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    out = out.slice(firstClose + CLOSE.length).replace(/^[ \t]*\r?\n(\s*\r?\n)*/, '');
  }
  for (;;) {
    const open = out.indexOf(OPEN);
    if (open === -1) break;
    const close = out.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) {
      out = out.slice(0, open);
      break;
    }
    let rest = out.slice(close + CLOSE.length);
    if (open === 0 || /\n[ \t]*$/.test(out.slice(0, open))) rest = rest.replace(/^[ \t]*\r?\n(\s*\r?\n)*/, '');
    out = out.slice(0, open) + rest;
  }
  // A stream cut off in the middle of the opening tag.
  const tail = /<(t(h(i(nk?)?)?)?)?$/.exec(out);
  if (tail && tail[0].length >= 3) out = out.slice(0, tail.index);
  // Stray closing tags (a second lone `</think>`) are dropped as well.
  return out.split(CLOSE).join('');
}

export function hasThink(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}
