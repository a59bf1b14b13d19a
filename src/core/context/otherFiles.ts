// Other files in the prompt, in the shape the model family was trained for:
// Qwen2.5-Coder's repository format (`<|repo_name|>`, then each file after `<|file_sep|>`
// and its path, the current file last) or, for every other model, the snippets as
// comments naming their file at the top of the text before the cursor. Snippets are cut
// on line boundaries to the tokens they are given, most relevant first.
import { countWithin } from './fit';
import type { ContextSnippet } from './snippets';
import { countTokens } from './tokenizer';

export type OtherFilesStyle = 'qwen-repo' | 'comment';

export const QWEN_REPO_NAME = '<|repo_name|>';
export const QWEN_FILE_SEP = '<|file_sep|>';

export interface OtherFilesInput {
  /** Candidates, most relevant first (see rankSnippets). */
  snippets: ContextSnippet[];
  /** The current file's workspace-relative path (named last in the repository format). */
  currentPath: string;
  /** The workspace folder's name (the repository format's first line). */
  repoName: string;
  languageId: string;
  style: OtherFilesStyle;
  /**
   * The current file's text before the cursor keeps at least this share of the prompt
   * limit (or all of it, when it is shorter): other files get only what is left.
   */
  minPrefixShare: number;
}

/** A kept snippet: the lines of it that fit. */
export interface FittedSnippet {
  path: string;
  text: string;
}

/**
 * What goes around the current file's part of the prompt: `before` precedes the whole
 * template (the repository format), `prefixHead` starts the text before the cursor (comments).
 */
export interface Frame {
  before: string;
  prefixHead: string;
}

export const NO_FRAME: Frame = { before: '', prefixHead: '' };

// Line comments per language; '//' for the C family and anything not listed.
const HASH = new Set(['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'julia', 'coffeescript', 'nim', 'graphql']);
const DASHES = new Set(['sql', 'lua', 'haskell', 'elm', 'ada']);

export function lineComment(languageId: string): string {
  if (HASH.has(languageId)) return '#';
  if (DASHES.has(languageId)) return '--';
  if (languageId === 'clojure' || languageId === 'scheme' || languageId === 'lisp') return ';;';
  return '//';
}

function header(style: OtherFilesStyle, path: string, languageId: string): string {
  return style === 'qwen-repo' ? `${QWEN_FILE_SEP}${path}\n` : `${lineComment(languageId)} Path: ${path}\n`;
}

function line(style: OtherFilesStyle, text: string, languageId: string): string {
  return style === 'qwen-repo' ? `${text}\n` : `${lineComment(languageId)} ${text}\n`.replace(/ \n$/, '\n');
}

/** The frame for these snippets (none kept: no frame at all, so the prompt is the plain one). */
export function frameFor(input: OtherFilesInput, kept: readonly FittedSnippet[]): Frame {
  if (kept.length === 0) return NO_FRAME;
  const { style, languageId } = input;
  const body = kept.map((s) => header(style, s.path, languageId) + s.text.split('\n').map((l) => line(style, l, languageId)).join('')).join(style === 'comment' ? '\n' : '');
  if (style === 'qwen-repo') return { before: `${QWEN_REPO_NAME}${input.repoName}\n${body}${QWEN_FILE_SEP}${input.currentPath}\n`, prefixHead: '' };
  return { before: '', prefixHead: `${body}\n` };
}

/** Tokens the frame adds besides the snippets' own lines (repository line, current file's path). */
export function frameOverhead(input: OtherFilesInput): number {
  if (input.style === 'comment') return 1;
  return countTokens(`${QWEN_REPO_NAME}${input.repoName}\n${QWEN_FILE_SEP}${input.currentPath}\n`);
}

/**
 * The snippets' leading lines that fit in `maxTokens` (each with its header), most
 * relevant first; a snippet whose header and first line do not fit is passed over.
 */
export function fitSnippets(input: OtherFilesInput, maxTokens: number): { kept: FittedSnippet[]; tokens: number } {
  const { style, languageId } = input;
  const kept: FittedSnippet[] = [];
  let used = 0;
  for (const s of input.snippets) {
    const head = countWithin(header(style, s.path, languageId), maxTokens - used);
    if (head === undefined) continue;
    let tokens = head;
    const lines: string[] = [];
    // Trailing blank lines say nothing; a snippet ends at its last line of code.
    for (const l of s.text.trimEnd().split('\n')) {
      const n = countWithin(line(style, l, languageId), maxTokens - used - tokens);
      if (n === undefined) break;
      lines.push(l);
      tokens += n;
    }
    if (lines.length === 0) continue;
    kept.push({ path: s.path, text: lines.join('\n') });
    used += tokens + (style === 'comment' ? 1 : 0);
  }
  return { kept, tokens: used };
}
