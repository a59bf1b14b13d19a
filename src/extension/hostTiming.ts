// How long activation took and the longest stall of the extension host's event loop since
// then (a stall there freezes every editor in the window: typing, hovers, other
// extensions). Node's own histogram of event-loop delay, sampled every 10 ms, costs next to
// nothing; `npm run bench` reads it through the extension's API after an integration run.
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

export interface HostTimingSnapshot {
  /** activate() from its first line to its return. */
  activationMs: number;
  /** The longest delay of the event loop since activation began (a block of the host). */
  longestBlockMs: number;
  /** 99th percentile of the same delays. */
  p99DelayMs: number;
  /** How long the loop has been watched. */
  watchedMs: number;
  /** Prompts built in the worker thread (none on the host). */
  promptsBuiltInWorker: number;
  /** The longest blocks over 50 ms, each with when it began (ms since activation began). */
  blocks: { atMs: number; ms: number }[];
}

const TICK_MS = 20;
const BLOCK_MS = 50;
const KEEP_BLOCKS = 5;

export class HostTiming {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly startedAt = performance.now();
  private activatedAt: number | undefined;
  private readonly blocks: { atMs: number; ms: number }[] = [];
  private readonly ticker: NodeJS.Timeout;

  constructor() {
    this.histogram.enable();
    // The histogram has no timestamps: a coarse ticker says when the longest blocks began,
    // so a block can be matched to what was happening (activation, a suite, another extension).
    let last = performance.now();
    this.ticker = setInterval(() => {
      const now = performance.now();
      const late = now - last - TICK_MS;
      if (late > BLOCK_MS) this.noteBlock(last - this.startedAt, late);
      last = now;
    }, TICK_MS);
    this.ticker.unref();
  }

  private noteBlock(atMs: number, ms: number): void {
    this.blocks.push({ atMs: Math.round(atMs), ms: Math.round(ms) });
    this.blocks.sort((a, b) => b.ms - a.ms);
    this.blocks.length = Math.min(this.blocks.length, KEEP_BLOCKS);
  }

  activated(): void {
    this.activatedAt ??= performance.now();
  }

  snapshot(promptsBuiltInWorker: number): HostTimingSnapshot {
    const h = this.histogram;
    // The histogram counts the delay on top of the 10 ms resolution, in nanoseconds.
    return {
      activationMs: (this.activatedAt ?? performance.now()) - this.startedAt,
      longestBlockMs: h.count ? h.max / 1e6 : 0,
      p99DelayMs: h.count ? h.percentile(99) / 1e6 : 0,
      watchedMs: performance.now() - this.startedAt,
      promptsBuiltInWorker,
      blocks: [...this.blocks],
    };
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.histogram.disable();
  }
}
