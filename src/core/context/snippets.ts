// Snippets of other files for the prompt: which ones, in which order. Only the same
// language (another language's code teaches the model the wrong syntax), the current file
// never, one snippet per file and never the same text twice.

/** Why a file is a candidate, best first: what the current file imports, then what was edited, then what was looked at. */
export type SnippetSource = 'import' | 'edited' | 'viewed';
const SOURCE_ORDER: Readonly<Record<SnippetSource, number>> = { import: 0, edited: 1, viewed: 2 };

export interface ContextSnippet {
  /** Workspace-relative path, with forward slashes: what the model is told the file is. */
  path: string;
  languageId: string;
  /** The part of the file the host picked (bounded in size; cut to the budget later on line boundaries). */
  text: string;
  source: SnippetSource;
  /** When the file was edited or viewed (ms since epoch); newer is more relevant. */
  at: number;
}

/** Most relevant first: by source, then the most recent; same language only, deduplicated. */
export function rankSnippets(candidates: readonly ContextSnippet[], current: { path: string; languageId: string }): ContextSnippet[] {
  const sorted = candidates
    .filter((s) => s.languageId === current.languageId && s.path !== current.path && s.text.trim().length > 0)
    .sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || b.at - a.at);
  const paths = new Set<string>();
  const texts = new Set<string>();
  const out: ContextSnippet[] = [];
  for (const s of sorted) {
    // A file edited and imported appears once, at its best rank; copies of a file under
    // two names (or one snippet offered twice) once.
    const key = normalized(s.text);
    if (paths.has(s.path) || texts.has(key)) continue;
    paths.add(s.path);
    texts.add(key);
    // LF like the current file's text (pipeline/lineEndings.ts says why).
    out.push(s.text.includes('\r\n') ? { ...s, text: s.text.replace(/\r\n/g, '\n') } : s);
  }
  return out;
}

function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
