// The wait after a keystroke follows the developer's typing rhythm: an exponentially
// weighted mean of the gaps between keystrokes, per document. While they type fast (short
// gaps) the next key is likely near, so a request now would be superseded: wait longer.
// After a pause the key just typed is likely the last for a while: ask soon.

export interface DebounceBounds {
  minMs: number;
  maxMs: number;
}

/** Gaps at or under this count as fast typing (the wait is maxMs). */
export const FAST_GAP_MS = 80;
/** Gaps at or over this count as a pause (the wait is minMs); longer ones are capped here so one coffee break does not skew the mean. */
export const PAUSE_GAP_MS = 600;
/** Weight of the newest gap in the mean. */
const ALPHA = 0.3;

/** The wait for a mean gap: linear from maxMs (fast typing) down to minMs (pause). */
export function waitForGap(meanGapMs: number, b: DebounceBounds): number {
  const lo = Math.min(b.minMs, b.maxMs);
  const hi = Math.max(b.minMs, b.maxMs);
  const f = Math.min(1, Math.max(0, (meanGapMs - FAST_GAP_MS) / (PAUSE_GAP_MS - FAST_GAP_MS)));
  return Math.round(hi - f * (hi - lo));
}

/** One document's typing rhythm. */
export class TypingRhythm {
  private last: number | undefined;
  private mean: number | undefined;

  /** A keystroke (document change) at epoch ms `ts`. */
  keystroke(ts: number): void {
    if (this.last !== undefined) {
      const gap = Math.min(PAUSE_GAP_MS, Math.max(0, ts - this.last));
      this.mean = this.mean === undefined ? gap : ALPHA * gap + (1 - ALPHA) * this.mean;
    }
    this.last = ts;
  }

  /** Mean gap so far; before two keystrokes, a pause. */
  get meanGapMs(): number {
    return this.mean ?? PAUSE_GAP_MS;
  }

  lastKeystroke(): number | undefined {
    return this.last;
  }

  wait(b: DebounceBounds): number {
    return waitForGap(this.meanGapMs, b);
  }
}
