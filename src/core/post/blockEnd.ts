// Where a multi-line completion should end: at the end of the block the cursor is in.
// Models keep writing past it (the next function, a closing brace the file already has);
// showing that makes the whole suggestion wrong.

const INDENT_LANGUAGES = new Set(['python', 'cython', 'mojo', 'yaml', 'nim', 'coffeescript', 'fsharp']);
const BRACE_LANGUAGES = new Set([
  'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'java', 'c', 'cpp', 'csharp', 'go', 'rust', 'php',
  'kotlin', 'swift', 'scala', 'dart', 'json', 'jsonc', 'css', 'scss', 'less', 'groovy', 'objective-c', 'objective-cpp', 'zig', 'solidity',
]);

export type BlockStyle = 'indent' | 'brace' | 'other';

export function blockStyle(languageId: string): BlockStyle {
  if (INDENT_LANGUAGES.has(languageId)) return 'indent';
  if (BRACE_LANGUAGES.has(languageId)) return 'brace';
  return 'other';
}

export function indentWidth(line: string): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w += 1;
    else if (ch === '\t') w += 4;
    else break;
  }
  return w;
}

const CLOSER = /^\s*[)\]}]/;

/**
 * Cuts `text` (what follows the cursor; its first line continues `prefixLine`) where the
 * block ends: a line dedented below the cursor line; a line back at the cursor line's
 * level after a deeper body (a closing bracket there is kept: it closes the block the
 * cursor line opened); two blank lines in a row.
 */
export function cutAtBlockEnd(text: string, prefixLine: string, languageId: string): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const style = blockStyle(languageId);
  const cursorLine = prefixLine + lines[0];
  const base = cursorLine.trim() ? indentWidth(cursorLine) : indentWidth(prefixLine);
  let seenDeeper = false;
  let blankRun = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!; // i < lines.length
    if (!line.trim()) {
      blankRun++;
      if (blankRun >= 2) return lines.slice(0, i - 1).join('\n');
      continue;
    }
    blankRun = 0;
    const w = indentWidth(line);
    if (w > base) {
      seenDeeper = true;
      continue;
    }
    if (w < base) return lines.slice(0, i).join('\n');
    // Back at the cursor line's level.
    if (style === 'other') continue;
    if (!seenDeeper) continue; // sibling statements of the cursor line
    if (CLOSER.test(line)) return lines.slice(0, i + 1).join('\n');
    return lines.slice(0, i).join('\n');
  }
  return text;
}
