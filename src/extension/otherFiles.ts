// Candidate snippets of other files for the prompt, gathered cheaply on the typing path:
// parts of the recently edited or viewed files that are still open, and the top of the
// files the current one imports (open ones, or a small cache filled off the typing path
// when an editor becomes active). Nothing here counts tokens: the prompt worker ranks,
// cuts and places the snippets (the tokenizer lives there, not in the extension host).
import * as vscode from 'vscode';
import { importCandidates } from '../core/context/imports';
import type { ContextSnippet } from '../core/context/snippets';
import type { OtherFilesRequest } from '../core/pipeline/completeAt';
import { config } from './config';
import { Disposable } from './dispose';

/** Files remembered as recently edited or viewed. */
const MAX_RECENT = 20;
/** Lines of a recent file around where it was edited or viewed. */
const WINDOW_LINES_BEFORE = 10;
const WINDOW_LINES_AFTER = 30;
/** Characters one candidate may carry to the worker: far more than a snippet's share of the budget. */
const MAX_SNIPPET_CHARS = 4000;
/** Candidates per request; the worker keeps what fits, most relevant first. */
const MAX_CANDIDATES = 8;
/** Imported files read from disk: how many are kept, and the largest read. */
const MAX_CACHED_FILES = 32;
const MAX_READ_BYTES = 256 * 1024;

interface Recent {
  uri: string;
  source: 'edited' | 'viewed';
  line: number;
  at: number;
}

export class OtherFiles extends Disposable {
  /** By URI; Map order is the order of last use, oldest first. */
  private readonly recent = new Map<string, Recent>();
  /** The top of imported files that are not open, by workspace-relative path. */
  private readonly heads = new Map<string, string>();

  constructor() {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      const change = e.contentChanges[0];
      if (change && isFile(e.document)) this.touch(e.document.uri.toString(), 'edited', change.range.start.line);
    }));
    this.register(vscode.window.onDidChangeActiveTextEditor((ed) => this.viewed(ed)));
    // A saved file may have changed since it was cached.
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.heads.delete(relPath(d.uri))));
    this.viewed(vscode.window.activeTextEditor);
  }

  /** The snippets for a request at `doc` (whose text is `text`), or undefined when the setting or the profile says no. */
  gather(doc: vscode.TextDocument, text: string, profileChoice: boolean | undefined): OtherFilesRequest | undefined {
    if (!(profileChoice ?? config.otherFiles())) return undefined;
    const currentPath = relPath(doc.uri);
    const open = new Map<string, vscode.TextDocument>();
    for (const d of vscode.workspace.textDocuments) if (isFile(d) && d.languageId === doc.languageId) open.set(d.uri.toString(), d);
    const snippets: ContextSnippet[] = [];

    for (const group of importCandidates(text, doc.languageId, currentPath)) {
      for (const p of group) {
        const d = [...open.values()].find((o) => relPath(o.uri) === p);
        const head = d ? d.getText(new vscode.Range(0, 0, WINDOW_LINES_BEFORE + WINDOW_LINES_AFTER, 0)) : this.heads.get(p);
        if (head === undefined) continue;
        snippets.push({ path: p, languageId: doc.languageId, text: bounded(head), source: 'import', at: 0 });
        break;
      }
    }
    const current = doc.uri.toString();
    for (const r of [...this.recent.values()].reverse()) {
      const d = open.get(r.uri);
      if (!d || r.uri === current) continue;
      const from = Math.max(0, r.line - WINDOW_LINES_BEFORE);
      const window = d.getText(new vscode.Range(from, 0, r.line + WINDOW_LINES_AFTER, 0));
      snippets.push({ path: relPath(d.uri), languageId: d.languageId, text: bounded(window), source: r.source, at: r.at });
      if (snippets.length >= MAX_CANDIDATES) break;
    }
    if (snippets.length === 0) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    return { snippets: snippets.slice(0, MAX_CANDIDATES), currentPath, repoName: folder?.name ?? vscode.workspace.name ?? '', minPrefixShare: config.minPrefixShare() };
  }

  private viewed(ed: vscode.TextEditor | undefined): void {
    if (!ed || !isFile(ed.document)) return;
    this.touch(ed.document.uri.toString(), 'viewed', ed.visibleRanges[0]?.start.line ?? ed.selection.active.line);
    void this.prefetchImports(ed.document);
  }

  private touch(uri: string, source: Recent['source'], line: number): void {
    const before = this.recent.get(uri);
    this.recent.delete(uri);
    // Looking at a file again keeps it an edited one (and where it was edited).
    const keepEdit = source === 'viewed' && before?.source === 'edited';
    this.recent.set(uri, keepEdit ? { ...before, at: Date.now() } : { uri, source, line, at: Date.now() });
    while (this.recent.size > MAX_RECENT) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Reads the top of the files `doc` imports that are not open, so a request finds them without a read. */
  private async prefetchImports(doc: vscode.TextDocument): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || !config.otherFiles()) return;
    for (const group of importCandidates(doc.getText(), doc.languageId, relPath(doc.uri))) {
      for (const p of group) {
        if (this.heads.has(p)) break;
        try {
          const uri = vscode.Uri.joinPath(folder.uri, p);
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.type !== vscode.FileType.File) continue;
          // A huge file (generated, vendored) is not read whole for its first lines.
          if (stat.size > MAX_READ_BYTES) break;
          const bytes = await vscode.workspace.fs.readFile(uri);
          const head = new TextDecoder().decode(bytes.subarray(0, MAX_SNIPPET_CHARS * 4));
          this.heads.set(p, bounded(head));
          while (this.heads.size > MAX_CACHED_FILES) this.heads.delete(this.heads.keys().next().value!);
          break;
        } catch {
          // Not there under this name: try the next candidate.
        }
      }
    }
  }
}

function isFile(d: vscode.TextDocument): boolean {
  return d.uri.scheme === 'file' || d.uri.scheme === 'vscode-remote' || d.uri.scheme === 'untitled';
}

function relPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}

/** At most MAX_SNIPPET_CHARS, ending at a line end (the worker cuts further on lines). */
function bounded(text: string): string {
  if (text.length <= MAX_SNIPPET_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_SNIPPET_CHARS);
  return text.slice(0, cut > 0 ? cut : MAX_SNIPPET_CHARS);
}
