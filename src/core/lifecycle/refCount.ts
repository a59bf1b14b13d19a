// A reference-counted hold: work runs while at least one holder keeps its hold, and stops
// when the last one lets go (the GPU sampler and the /metrics scraper poll only while
// someone looks).
import type { Disposable } from './disposable';

export class RefCount {
  private holders = 0;
  /** Bumped by reset(), so holds taken before it are not counted again. */
  private epoch = 0;

  constructor(
    private readonly start: () => void,
    private readonly stop: () => void,
  ) {}

  /** Starts the work on the first hold; each hold is released once, however often disposed. */
  acquire(): Disposable {
    let released = false;
    const epoch = this.epoch;
    if (++this.holders === 1) this.start();
    return {
      dispose: () => {
        if (released || epoch !== this.epoch) return;
        released = true;
        if (--this.holders === 0) this.stop();
      },
    };
  }

  get count(): number {
    return this.holders;
  }

  /** Drops every hold at once (shutdown); holds released later are ignored. */
  reset(): void {
    this.holders = 0;
    this.epoch++;
  }
}
