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
    this.register(vscode.commands.registerCommand(ACCEPT_COMMAND, (id: string, alternative?: string) => this.accepted(id, alternative)));
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
    this.byDoc.set(uri, { recordId, uri, offset, text, accepted: 0, byCommand: false, done: false });
  }

  /**
   * Called by the item's command when the whole suggestion was accepted. `alternative`: one of
   * the other suggestions cycled to (not followed while shown): its record says accepted.
   */
  private accepted(id: string, alternative?: string): void {
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
      const at = t.offset + t.accepted;
      // An edit wholly before the spot moves it (an insert AT the spot is the suggestion's business).
      if (c.rangeOffset < t.offset && c.rangeOffset + c.rangeLength <= t.offset) {
        t.offset += c.text.length - c.rangeLength;
        continue;
      }
      if (t.done) continue;
      const rest = t.text.slice(t.accepted);
      if (c.rangeLength === 0 && c.rangeOffset === at && c.text.length > 0 && rest.startsWith(c.text)) {
        t.accepted += c.text.length;
        if (c.text.length > 1) t.byCommand = true;
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
    if (!sel.isEmpty || off !== t.offset + t.accepted) this.finish(t, t.accepted > 0 ? 'partial' : 'rejected');
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
    const kept = doc.getText(new vscode.Range(start, doc.lineAt(endLine).range.end));
    this.store()?.update(t.recordId, { keptText: kept }, epoch);
  }
}
