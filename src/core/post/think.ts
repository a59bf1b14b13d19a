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
  // Removing a tag can join its neighbours into a new one ("<th</think>ink>"): repeat until
  // none is left. Each pass removes at least one tag, so this ends.
  let out = removeThinkOnce(text);
  while (hasThink(out)) out = removeThinkOnce(out);
  return out;
}

/** Drops the blank lines at the start of `s` (keeping the indentation of the first line with text). */
function dropLeadingBlankLines(s: string): string {
  let i = 0;
  let cut = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) {
    if (s[i] === '\n') cut = i + 1;
    i++;
  }
  return s.slice(cut);
}

function removeThinkOnce(text: string): string {
  let out = text;
  const firstClose = out.indexOf(CLOSE);
  const firstOpen = out.indexOf(OPEN);
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    out = dropLeadingBlankLines(out.slice(firstClose + CLOSE.length));
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
    if (open === 0 || endsWithLineBreak(out.slice(0, open))) rest = dropLeadingBlankLines(rest);
    out = out.slice(0, open) + rest;
  }
  // A stream cut off in the middle of the opening tag.
  const tail = /<(t(h(i(nk?)?)?)?)?$/.exec(out);
  if (tail && tail[0].length >= 3) out = out.slice(0, tail.index);
  // Stray closing tags (a second lone `</think>`) are dropped as well.
  return out.split(CLOSE).join('');
}

/** Whether `s` ends with a newline followed only by spaces and tabs. */
function endsWithLineBreak(s: string): boolean {
  let i = s.length - 1;
  while (i >= 0 && (s[i] === ' ' || s[i] === '\t')) i--;
  return i >= 0 && s[i] === '\n';
}

export function hasThink(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}
