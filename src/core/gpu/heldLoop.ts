// A poll loop that runs while someone holds it (ref-counted acquire/dispose), each round
// scheduled after the previous one finished, so a slow source is never asked twice at once.
// Stopping aborts the round in flight; a round of an older start never schedules another.
import type { Disposable } from './types';

export class HeldLoop<T = unknown> {
  private holders = 0;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: AbortController | undefined;

  /** `round` gets a signal that aborts when the loop stops; `onStart`/`onStop` frame a held period. */
  constructor(
    private readonly intervalMs: number,
    private readonly round: (signal: AbortSignal) => Promise<T>,
    private readonly hooks: { onStart?: () => void; onStop?: () => void } = {},
  ) {}

  get holderCount(): number {
    return this.holders;
  }

  acquire(): Disposable {
    let released = false;
    if (++this.holders === 1) {
      this.hooks.onStart?.();
      void this.loop(++this.generation);
    }
    return {
      dispose: () => {
        if (released) return;
        released = true;
        if (--this.holders === 0) this.stop();
      },
    };
  }

  /** One round now, outside the schedule (its signal aborts if the loop stops meanwhile). */
  runOnce(): Promise<T> {
    const ctrl = new AbortController();
    this.inFlight = ctrl;
    return this.round(ctrl.signal).finally(() => {
      if (this.inFlight === ctrl) this.inFlight = undefined;
    });
  }

  /** Stops now, whoever holds it. */
  dispose(): void {
    this.holders = 0;
    this.stop();
  }

  private stop(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.hooks.onStop?.();
  }

  private async loop(gen: number): Promise<void> {
    await this.runOnce().catch(() => undefined);
    if (gen !== this.generation) return;
    this.timer = setTimeout(() => void this.loop(gen), this.intervalMs);
  }
}
