// MetricsScraper: scrapes a server's /metrics while someone holds it (ref-counted), each
// scrape scheduled by setTimeout after the previous one answered, so a slow server is
// never asked twice at once. Keeps the previous and the latest scrape for windowDelta().
import type { Disposable } from '../lifecycle/disposable';
import { Emitter } from '../lifecycle/emitter';
import { PollSchedule } from '../lifecycle/pollSchedule';
import { RefCount } from '../lifecycle/refCount';
import { fetchMetrics, metricsUrl } from './metricsFetch';
import { windowDelta, type MetricsWindow, type ServerMetrics } from './serverMetrics';

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
  private readonly schedule: PollSchedule<ServerMetrics | undefined>;
  private readonly holds: RefCount;
  private prev: ServerMetrics | undefined;
  private last: ServerMetrics | undefined;
  private lastError: string | undefined;

  constructor(private readonly endpoint: string, private readonly options: MetricsScraperOptions = {}) {
    this.url = metricsUrl(endpoint);
    this.intervalMs = Math.max(250, options.intervalMs ?? 5000);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.schedule = new PollSchedule(this.intervalMs, (signal) => this.fetchOnce(signal));
    this.holds = new RefCount(() => this.schedule.start(), () => this.schedule.stop());
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
    return this.holds.acquire();
  }

  /** One scrape now, outside the schedule (e.g. right after a completion ended). */
  async scrapeNow(): Promise<ServerMetrics | undefined> {
    return this.schedule.runNow();
  }

  dispose(): void {
    this.holds.reset();
    this.schedule.stop();
  }

  private async fetchOnce(signal: AbortSignal): Promise<ServerMetrics | undefined> {
    try {
      const { modelName, apiKey } = this.options;
      const m = await fetchMetrics(this.endpoint, { signal, timeoutMs: this.timeoutMs, ...(modelName ? { modelName } : {}), ...(apiKey ? { apiKey } : {}) });
      this.prev = this.last;
      this.last = m;
      this.lastError = undefined;
      this.scrapes.emit(m);
      return m;
    } catch (err) {
      if (signal.aborted) return undefined;
      const message = (err as Error).message;
      if (message !== this.lastError) this.errors.emit(message);
      this.lastError = message;
      return undefined;
    }
  }
}
