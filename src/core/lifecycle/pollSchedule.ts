// A poll schedule: each round starts intervalMs after the previous one finished, so a slow
// source is never asked twice at once. stop() aborts the round in flight, and a round of an
// earlier start never schedules another. Held through a RefCount by its owner (the /metrics
// scraper, the Prometheus watch), so it runs only while someone looks.
export class PollSchedule<T> {
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: AbortController | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly round: (signal: AbortSignal) => Promise<T>,
  ) {}

  start(): void {
    void this.loop(++this.generation);
  }

  /** One round now, outside the schedule (its signal aborts if the schedule stops). */
  async runNow(): Promise<T> {
    const ctrl = new AbortController();
    this.inFlight = ctrl;
    try {
      return await this.round(ctrl.signal);
    } finally {
      if (this.inFlight === ctrl) this.inFlight = undefined;
    }
  }

  stop(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
  }

  private async loop(gen: number): Promise<void> {
    await this.runNow().catch(() => undefined);
    if (gen !== this.generation) return;
    this.timer = setTimeout(() => void this.loop(gen), this.intervalMs);
  }
}
