// One spot where ghost text is offered, and what became of it. A spot holds every suggestion
// the editor can show there: the first one, and the alternatives fetched when the developer
// cycles (each request's record may offer several). Edits and cursor moves are followed
// against all of them; the spot settles once, and then every record it holds gets its
// outcome: the suggestion taken is accepted (or partial, when only its start was kept), every
// other record rejected. A record counts once however many alternatives it offered, so the
// acceptance rate stays per request (accepted + partial over requests shown).

export type SettledOutcome = 'accepted' | 'partial' | 'rejected';

export interface Settlement {
  recordId: string;
  outcome: SettledOutcome;
  acceptedChars: number;
  /** The record's suggestion as it counts: the one taken, else the first it offered. */
  text: string;
}

/** A change to the document, in the editor's terms (offsets in the document's own text). */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

interface Candidate {
  recordId: string;
  text: string;
  /** Characters of `text` already in the document (accepted or typed through). */
  accepted: number;
  /** The same, counted in the document, where each "\n" of `text` may be "\r\n". */
  docAccepted: number;
  /** Still consistent with what is in the document. */
  live: boolean;
  /**
   * Closing brackets and quotes the editor put right after the cursor when the developer
   * typed an opening one ("(" becomes "()"): the suggestion may go on to type over them.
   */
  ahead: string;
}

/** What editors auto-close: typing the opener inserts one of these after the cursor. */
const CLOSERS = /^[)\]}"'`]+$/;

export class SuggestionSpot {
  private readonly candidates: Candidate[] = [];
  private settled: Settlement[] | undefined;

  /** `offset`: where the ghost text starts in the document; moved by edits before it. */
  constructor(public offset: number, recordId: string, text: string) {
    this.add(recordId, text);
  }

  get done(): boolean {
    return this.settled !== undefined;
  }

  /** Each record's outcome, once settled. */
  get settlements(): readonly Settlement[] | undefined {
    return this.settled;
  }

  has(recordId: string): boolean {
    return this.candidates.some((c) => c.recordId === recordId);
  }

  /** Another suggestion the editor can show here (an alternative cycled to). Once settled, nothing joins. */
  add(recordId: string, text: string): void {
    if (this.done || this.candidates.some((c) => c.recordId === recordId && c.text === text)) return;
    this.candidates.push({ recordId, text, accepted: 0, docAccepted: 0, live: true, ahead: '' });
  }

  /**
   * An edit. Returns the settlements when it settled the spot: a suggestion now wholly in the
   * document, or none of them any longer consistent with it.
   */
  change(c: TextChange, crlf: boolean): Settlement[] | undefined {
    // An edit wholly before the spot moves it (an insert AT the spot is the suggestion's business).
    if (c.rangeOffset < this.offset && c.rangeOffset + c.rangeLength <= this.offset) {
      this.offset += c.text.length - c.rangeLength;
      return undefined;
    }
    if (this.done) return undefined;
    // In a CRLF document the editor inserts the suggestion's "\n" as "\r\n".
    const inserted = c.text.replace(/\r\n/g, '\n');
    for (const s of this.candidates) {
      if (!s.live) continue;
      const at = this.offset + s.docAccepted;
      // An insert at the spot, or (Tab after typing part of it) the editor rewriting the typed
      // part together with the rest: either way, what now stands from the suggestion's start
      // must be a beginning of the suggestion.
      const kept = c.rangeOffset + c.rangeLength === at && c.rangeOffset >= this.offset ? charsOfDocLength(s.text, c.rangeOffset - this.offset, crlf) : -1;
      const now = kept >= 0 ? s.text.slice(0, kept) + inserted : undefined;
      if (now !== undefined && inserted.length > 0 && s.text.startsWith(now)) {
        s.accepted = now.length;
        s.docAccepted = c.rangeOffset - this.offset + c.text.length;
      } else if (!followsAutoClose(s, c, at, inserted)) {
        s.live = false;
      }
    }
    const whole = this.candidates.find((s) => s.live && s.accepted >= s.text.length);
    if (whole) return this.settleWith(whole);
    return this.candidates.some((s) => s.live) ? undefined : this.settle();
  }

  /** The cursor moved: anywhere but the end of what was taken of a suggestion still followed settles the spot. */
  cursor(offset: number, emptySelection: boolean): Settlement[] | undefined {
    if (this.done) return undefined;
    if (emptySelection) for (const s of this.candidates) if (s.live) steppedBack(s, this.offset + s.docAccepted - offset);
    if (emptySelection && this.candidates.some((s) => s.live && offset === this.offset + s.docAccepted)) return undefined;
    // Typing a closing bracket over the one the editor auto-closed only moves the cursor past
    // it: that character of the suggestion is now taken.
    const over = emptySelection ? this.candidates.filter((s) => s.live && steppedOver(s, offset - this.offset - s.docAccepted)) : [];
    if (over.length) {
      for (const s of this.candidates) if (!over.includes(s)) s.live = false;
      for (const s of over) {
        const n = offset - this.offset - s.docAccepted;
        s.accepted += n;
        s.docAccepted += n;
        s.ahead = s.ahead.slice(n);
      }
      const whole = over.find((s) => s.accepted >= s.text.length);
      return whole ? this.settleWith(whole) : undefined;
    }
    return this.settle();
  }

  /**
   * The editor ran a suggestion's accept command (Tab): `text` names which of the record's
   * suggestions (its first when absent). The command has the last word: a spot already
   * settled otherwise (an edit the editor reshaped) is settled again. Returns what changed.
   */
  accept(recordId: string, text?: string): Settlement[] | undefined {
    let s = this.candidates.find((c) => c.recordId === recordId && (text === undefined || c.text === text));
    if (!s && text !== undefined && this.has(recordId)) {
      // A text of the record's that the spot was not told of (the item as the editor kept it): the command still counts.
      s = { recordId, text, accepted: 0, docAccepted: 0, live: false, ahead: '' };
      this.candidates.push(s);
    }
    if (!s) return undefined;
    const before = this.settled;
    if (before?.find((x) => x.recordId === recordId)?.outcome === 'accepted') return undefined;
    s.accepted = s.text.length;
    this.settled = undefined;
    const after = this.settleWith(s);
    return before ? after.filter((a) => !before.some((b) => b.recordId === a.recordId && b.outcome === a.outcome && b.acceptedChars === a.acceptedChars)) : after;
  }

  /** The developer moved on: the suggestion followed furthest partial (if any of it was kept), every other record rejected. */
  settle(): Settlement[] {
    return this.settleWith(undefined);
  }

  /** `taken` (wholly in the document) accepted, or with none taken the furthest followed partial; every other record rejected. */
  private settleWith(taken: Candidate | undefined): Settlement[] {
    if (this.settled) return this.settled;
    let best = taken;
    if (!best) for (const s of this.candidates) if (s.accepted > 0 && (!best || s.accepted > best.accepted)) best = s;
    const out: Settlement[] = [];
    for (const s of this.candidates) {
      if (out.some((o) => o.recordId === s.recordId)) continue;
      const mine = best?.recordId === s.recordId ? best : undefined;
      out.push(mine
        ? { recordId: s.recordId, outcome: mine === taken ? 'accepted' : 'partial', acceptedChars: mine.accepted, text: mine.text }
        : { recordId: s.recordId, outcome: 'rejected', acceptedChars: 0, text: s.text });
    }
    this.settled = out;
    return out;
  }
}

/**
 * An edit at the end of what was taken that the editor shaped from the developer's typing:
 * an opening bracket or quote of the suggestion with its closer auto-inserted after the
 * cursor ("(" arriving as "()"), or a typed closer replacing the auto-inserted one. Advances
 * `s` and returns true when the suggestion still reads on.
 */
function followsAutoClose(s: Candidate, c: TextChange, at: number, inserted: string): boolean {
  if (c.rangeOffset !== at || inserted.length === 0 || inserted.includes('\n')) return false;
  const taken = s.text.slice(0, s.accepted);
  if (c.rangeLength > 0) {
    // Typed over: the replaced characters are the auto-closed ones, and the suggestion goes on with them.
    if (c.rangeLength > s.ahead.length || inserted !== s.ahead.slice(0, c.rangeLength) || !s.text.startsWith(taken + inserted)) return false;
    s.ahead = s.ahead.slice(c.rangeLength);
  } else {
    let typed = inserted.length - 1;
    while (typed > 0 && !(CLOSERS.test(inserted.slice(typed)) && s.text.startsWith(taken + inserted.slice(0, typed)))) typed--;
    if (typed === 0) return false;
    s.ahead = inserted.slice(typed) + s.ahead;
    inserted = inserted.slice(0, typed);
  }
  s.accepted += inserted.length;
  s.docAccepted += inserted.length;
  return true;
}

/**
 * The editor's "()" read as two characters of a suggestion that goes on with "()" (or '"' with
 * '""'), and the cursor then left between them: the closers after the cursor were
 * auto-inserted, not typed, so they move back to `ahead` and the spot stays open.
 */
function steppedBack(s: Candidate, n: number): void {
  if (n <= 0 || n > s.accepted || !CLOSERS.test(s.text.slice(s.accepted - n, s.accepted))) return;
  s.ahead = s.text.slice(s.accepted - n, s.accepted) + s.ahead;
  s.accepted -= n;
  s.docAccepted -= n;
}

/** Whether the cursor moved `n` characters on over auto-closed text that the suggestion goes on with. */
function steppedOver(s: Candidate, n: number): boolean {
  return n > 0 && n <= s.ahead.length && s.text.startsWith(s.text.slice(0, s.accepted) + s.ahead.slice(0, n));
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
