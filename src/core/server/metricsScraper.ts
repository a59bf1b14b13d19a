// MetricsScraper: scrapes a server's /metrics while someone holds it (ref-counted), each
// scrape scheduled by setTimeout after the previous one answered, so a slow server is
// never asked twice at once. Keeps the previous and the latest scrape for windowDelta().
import { Emitter } from '../gpu/emitter';
import { HeldLoop } from '../gpu/heldLoop';
import type { Disposable } from '../gpu/types';
import { readServerMetrics, windowDelta, type MetricsWindow, type ServerMetrics } from './serverMetrics';
import { serverRoot } from './probe';

export interface MetricsScraperOptions {
  /** Default 5000 ms, at least 250. */
  intervalMs?: number;
  timeoutMs?: number;
  modelName?: string;
  apiKey?: string;
}

export class MetricsScraper {
  readonly url: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly scrapes = new Emitter<ServerMetrics>();
  private readonly errors = new Emitter<string>();
  private readonly loop: HeldLoop<ServerMetrics | undefined>;
  private prev: ServerMetrics | undefined;
  private last: ServerMetrics | undefined;
  private lastError: string | undefined;

  constructor(url: string, private readonly options: MetricsScraperOptions = {}) {
    this.url = `${serverRoot(url)}/metrics`;
    this.intervalMs = Math.max(250, options.intervalMs ?? 5000);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.loop = new HeldLoop(this.intervalMs, (signal) => this.fetchOnce(signal));
  }

  onScrape(listener: (m: ServerMetrics) => void): Disposable {
    return this.scrapes.on(listener);
  }

  /** A failed scrape: reported when it first fails and when the reason changes, not every time. */
  onError(listener: (message: string) => void): Disposable {
    return this.errors.on(listener);
  }

  get latest(): ServerMetrics | undefined {
    return this.last;
  }

  /** Server-side means and rates between the last two scrapes. */
  lastWindow(): MetricsWindow | undefined {
    return this.prev && this.last ? windowDelta(this.prev, this.last) : undefined;
  }

  acquire(): Disposable {
    return this.loop.acquire();
  }

  /** One scrape now, outside the schedule (e.g. right after a completion ended). */
  async scrapeNow(): Promise<ServerMetrics | undefined> {
    return this.loop.runOnce();
  }

  dispose(): void {
    this.loop.dispose();
  }

  private async fetchOnce(signal: AbortSignal): Promise<ServerMetrics | undefined> {
    try {
      const headers: Record<string, string> = {};
      if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
      const res = await fetch(this.url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]), headers });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const m = readServerMetrics(text, { ts: Date.now(), ...(this.options.modelName ? { modelName: this.options.modelName } : {}) });
      this.prev = this.last;
      this.last = m;
      this.lastError = undefined;
      this.scrapes.emit(m);
      return m;
    } catch (err) {
      if (signal.aborted) return undefined;
      const e = err as Error & { cause?: { code?: string } };
      const message = `${this.url}: ${e.cause?.code ?? e.message}`;
      if (message !== this.lastError) this.errors.emit(message);
      this.lastError = message;
      return undefined;
    }
  }
}
