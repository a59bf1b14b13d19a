// Raw model output -> the text shown as ghost text, or undefined when nothing is worth
// showing. The same rules serve the editor, the CLI and comparisons, so what is measured
// is what the user would see.
import { cutAtBlockEnd } from './blockEnd';
import { trimLineOverlap, trimLinesOverlap } from './overlap';
import { removeThink } from './think';

export interface PostOptions {
  /** Text before the cursor on its line. */
  prefixLine: string;
  /** Text after the cursor (its own line first); a few KB is plenty. */
  suffixText: string;
  languageId: string;
  /** Allow more than one line (default true). Mid-line completions are one line regardless. */
  multiline?: boolean;
  /** Cut at the first of these (the server may not have applied them, e.g. over a proxy). */
  stop?: readonly string[];
  /** Remove <think> reasoning (default true). */
  stripThink?: boolean;
}

export function postProcess(raw: string, opts: PostOptions): string | undefined {
  let text = opts.stripThink === false ? raw : removeThink(raw);
  text = text.replace(/\r\n/g, '\n');

  for (const s of opts.stop ?? []) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at !== -1) text = text.slice(0, at);
  }

  const nl = opts.suffixText.indexOf('\n');
  const restOfLine = nl === -1 ? opts.suffixText : opts.suffixText.slice(0, nl);
  const midLine = restOfLine.trim().length > 0;

  if (midLine) {
    // Code follows the cursor on this line: complete only this line.
    const end = text.indexOf('\n');
    text = end === -1 ? text : text.slice(0, end);
    text = trimLineOverlap(text.trimEnd(), restOfLine);
  } else if (opts.multiline === false) {
    const [first = '', second] = text.split('\n');
    // At the end of a line the model often starts with the newline: then show the next line.
    text = !first.trim() && second !== undefined && opts.prefixLine.trim() ? `${first}\n${second}` : first;
  } else {
    text = cutAtBlockEnd(text, opts.prefixLine, opts.languageId);
    text = trimLinesOverlap(text, opts.suffixText);
  }

  text = text.trimEnd();
  return text.trim() ? text : undefined;
}
