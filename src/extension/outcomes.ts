// What happened to each completion shown: accepted (Tab), partially accepted (word by
// word, or typed through), rejected (typed something else, moved away), and, some seconds
// later, the text the developer actually kept at that spot: the ground truth that
// comparisons score against.
import * as vscode from 'vscode';
import type { RecordStore } from '../core/store/recordStore';
import { Disposable } from './dispose';

interface Tracked {
  recordId: string;
  uri: string;
  /** Document offset where the ghost text starts; moved by edits before it. */
  offset: number;
  text: string;
  /** Characters of `text` already in the document (accepted or typed through). */
  accepted: number;
  /** The same, counted in the document, where each "\n" of `text` may be "\r\n". */
  docAccepted: number;
  /** Inserted by an accept command (Tab / accept word) rather than typed one by one. */
  byCommand: boolean;
  done: boolean;
}

export const ACCEPT_COMMAND = 'completionLab._accepted';

export class OutcomeTracker extends Disposable {
  private readonly byDoc = new Map<string, Tracked>();
  private readonly keptTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: () => RecordStore | undefined,
    private readonly keptDelayMs: () => number,
    private readonly onOutcome: (id: string, outcome: string) => void = () => undefined,
  ) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)));
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)));
    this.register({ dispose: () => this.keptTimers.forEach(clearTimeout) });
  }

  /** A completion was handed to the editor at `offset` of `doc`. */
  shown(doc: vscode.TextDocument, offset: number, text: string, recordId: string): void {
    const uri = doc.uri.toString();
    const prev = this.byDoc.get(uri);
    if (prev && !prev.done && prev.recordId !== recordId) this.finish(prev, prev.accepted > 0 ? 'partial' : 'rejected');
    if (prev && prev.recordId === recordId) return; // the same completion, shown again while typing through
    this.byDoc.set(uri, { recordId, uri, offset, text, accepted: 0, docAccepted: 0, byCommand: false, done: false });
  }

  /**
   * The whole suggestion was accepted: the editor ran a completion's ACCEPT_COMMAND (Tab), which
   * activation registers. `alternative`: one of the other suggestions cycled to (not followed
   * while shown): its record says accepted.
   */
  accepted(id: string, alternative?: string): void {
    for (const t of this.byDoc.values()) {
      if (t.recordId === id && !t.done) {
        t.accepted = t.text.length;
        this.finish(t, 'accepted');
      }
    }
    if (alternative !== undefined) {
      this.store()?.update(id, { outcome: 'accepted', acceptedChars: alternative.length });
      this.onOutcome(id, 'accepted');
    }
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const t = this.byDoc.get(e.document.uri.toString());
    if (!t) return;
    for (const c of e.contentChanges) {
      const at = t.offset + t.docAccepted;
      // An edit wholly before the spot moves it (an insert AT the spot is the suggestion's business).
      if (c.rangeOffset < t.offset && c.rangeOffset + c.rangeLength <= t.offset) {
        t.offset += c.text.length - c.rangeLength;
        continue;
      }
      if (t.done) continue;
      // In a CRLF document the editor inserts the suggestion's "\n" as "\r\n".
      const inserted = c.text.replace(/\r\n/g, '\n');
      // An insert at the spot, or (Tab after typing part of it) the editor rewriting the
      // typed part together with the rest: either way, what now stands from the
      // suggestion's start must be a beginning of the suggestion.
      const kept = c.rangeOffset + c.rangeLength === at && c.rangeOffset >= t.offset ? charsOfDocLength(t.text, c.rangeOffset - t.offset, e.document.eol === vscode.EndOfLine.CRLF) : -1;
      const now = kept >= 0 ? t.text.slice(0, kept) + inserted : undefined;
      if (now !== undefined && inserted.length > 0 && t.text.startsWith(now)) {
        t.accepted = now.length;
        t.docAccepted = c.rangeOffset - t.offset + c.text.length;
        if (inserted.length > 1) t.byCommand = true;
        if (t.accepted >= t.text.length) this.finish(t, 'accepted');
      } else {
        this.finish(t, t.accepted > 0 ? 'partial' : 'rejected');
      }
    }
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const t = this.byDoc.get(e.textEditor.document.uri.toString());
    if (!t || t.done) return;
    const sel = e.selections[0];
    if (!sel) return;
    const off = e.textEditor.document.offsetAt(sel.active);
    if (!sel.isEmpty || off !== t.offset + t.docAccepted) this.finish(t, t.accepted > 0 ? 'partial' : 'rejected');
  }

  private finish(t: Tracked, outcome: 'accepted' | 'partial' | 'rejected'): void {
    if (t.done) return;
    t.done = true;
    this.store()?.update(t.recordId, { outcome, acceptedChars: t.accepted });
    this.onOutcome(t.recordId, outcome);
    // The store's epoch now: a Clear before the timer fires makes the store drop the kept text.
    const epoch = this.store()?.epoch;
    const timer = setTimeout(() => {
      this.keptTimers.delete(timer);
      void this.captureKept(t, epoch);
    }, this.keptDelayMs());
    this.keptTimers.add(timer);
  }

  /** The text now at the spot, as many lines as the suggestion had: what the developer kept. */
  private async captureKept(t: Tracked, epoch: number | undefined): Promise<void> {
    if (this.byDoc.get(t.uri) === t) this.byDoc.delete(t.uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === t.uri);
    if (!doc || doc.isClosed) return;
    const start = doc.positionAt(Math.min(t.offset, doc.getText().length));
    const lines = t.text.split('\n').length;
    const endLine = Math.min(doc.lineCount - 1, start.line + lines - 1);
    const kept = doc.getText(new vscode.Range(start, doc.lineAt(endLine).range.end)).replace(/\r\n/g, '\n');
    this.store()?.update(t.recordId, { keptText: kept }, epoch);
  }
}

/** How many characters of `text` take `docLength` characters in the document (each "\n" two with CRLF); -1 if none do. */
function charsOfDocLength(text: string, docLength: number, crlf: boolean): number {
  let doc = 0;
  for (let i = 0; i <= text.length; i++) {
    if (doc === docLength) return i;
    if (doc > docLength || i === text.length) return -1;
    doc += crlf && text[i] === '\n' ? 2 : 1;
  }
  return -1;
}
