// What happened to each completion shown: accepted (Tab), partially accepted (word by
// word, or typed through), rejected (typed something else, moved away, took an alternative
// instead: core/typing/suggestionSpot.ts follows every suggestion of a spot), and, some seconds
// later, the text the developer actually kept at that spot: the ground truth that
// comparisons score against.
import * as vscode from 'vscode';
import type { RecordStore } from '../core/store/recordStore';
import { SuggestionSpot, type Settlement } from '../core/typing/suggestionSpot';
import { Disposable } from './dispose';

interface Tracked {
  uri: string;
  spot: SuggestionSpot;
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

  /** A completion was handed to the editor at `offset` of `doc`: it replaces the spot shown before. */
  shown(doc: vscode.TextDocument, offset: number, text: string, recordId: string): void {
    const uri = doc.uri.toString();
    const prev = this.byDoc.get(uri);
    if (prev?.spot.has(recordId)) return; // the same completion, shown again while typing through
    if (prev && !prev.spot.done) this.finish(prev, prev.spot.settle());
    this.byDoc.set(uri, { uri, spot: new SuggestionSpot(offset, recordId, text) });
  }

  /**
   * Alternatives (one request's `texts`) handed to the editor for the spot at `offset`, where a
   * suggestion already shows: they join it, and settle with it.
   */
  alternatives(doc: vscode.TextDocument, offset: number, texts: readonly string[], recordId: string): void {
    const [first, ...rest] = texts;
    if (first === undefined) return;
    const prev = this.byDoc.get(doc.uri.toString());
    if (prev && !prev.spot.done && prev.spot.offset === offset) {
      for (const t of texts) prev.spot.add(recordId, t);
      return;
    }
    this.shown(doc, offset, first, recordId);
    for (const t of rest) this.byDoc.get(doc.uri.toString())?.spot.add(recordId, t);
  }

  /**
   * The whole suggestion was accepted: the editor ran a completion's ACCEPT_COMMAND (Tab), which
   * activation registers. `alternative`: which of the record's suggestions (one cycled to).
   */
  accepted(id: string, alternative?: string): void {
    for (const t of this.byDoc.values()) {
      if (!t.spot.has(id)) continue;
      const changed = t.spot.accept(id, alternative);
      if (changed) this.finish(t, changed);
      return;
    }
    // No longer followed (its spot was replaced): the command still says what was taken.
    if (alternative !== undefined) {
      this.store()?.update(id, { outcome: 'accepted', acceptedChars: alternative.length });
      this.onOutcome(id, 'accepted');
    }
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const t = this.byDoc.get(e.document.uri.toString());
    if (!t) return;
    const crlf = e.document.eol === vscode.EndOfLine.CRLF;
    for (const c of e.contentChanges) {
      const settled = t.spot.change(c, crlf);
      if (settled) this.finish(t, settled);
    }
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const t = this.byDoc.get(e.textEditor.document.uri.toString());
    const sel = e.selections[0];
    if (!t || !sel) return;
    const settled = t.spot.cursor(e.textEditor.document.offsetAt(sel.active), sel.isEmpty);
    if (settled) this.finish(t, settled);
  }

  /** Writes each record's outcome and, some seconds later, the text kept at the spot. */
  private finish(t: Tracked, settled: readonly Settlement[]): void {
    for (const s of settled) {
      this.store()?.update(s.recordId, { outcome: s.outcome, acceptedChars: s.acceptedChars });
      this.onOutcome(s.recordId, s.outcome);
    }
    // The store's epoch now: a Clear before the timer fires makes the store drop the kept text.
    const epoch = this.store()?.epoch;
    const timer = setTimeout(() => {
      this.keptTimers.delete(timer);
      void this.captureKept(t, settled, epoch);
    }, this.keptDelayMs());
    this.keptTimers.add(timer);
  }

  /** The text now at the spot, as many lines as each record's suggestion had: what the developer kept. */
  private async captureKept(t: Tracked, settled: readonly Settlement[], epoch: number | undefined): Promise<void> {
    if (this.byDoc.get(t.uri) === t) this.byDoc.delete(t.uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === t.uri);
    if (!doc || doc.isClosed) return;
    const start = doc.positionAt(Math.min(t.spot.offset, doc.getText().length));
    for (const s of settled) {
      const endLine = Math.min(doc.lineCount - 1, start.line + s.text.split('\n').length - 1);
      const kept = doc.getText(new vscode.Range(start, doc.lineAt(endLine).range.end)).replace(/\r\n/g, '\n');
      this.store()?.update(s.recordId, { keptText: kept }, epoch);
    }
  }
}
