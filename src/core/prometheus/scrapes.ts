// Waiting for Prometheus to have scraped past a moment. Prometheus holds what it scraped, so
// a window edge reads the last scrape at or before it: for exact counts, an edge needs a
// scrape after the traffic before it and before the traffic after it.
import type { PrometheusClient } from './client';

/**
 * Resolves true once every target that is up has been scraped at or after `epochMs`; false
 * when `timeoutMs` passed first (or the signal aborted). Down targets are not waited for.
 */
export async function waitForScrapesAfter(client: PrometheusClient, epochMs: number, opts: { timeoutMs?: number; signal?: AbortSignal; pollMs?: number } = {}): Promise<boolean> {
  const end = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    const targets = await client.targets(opts.signal).catch(() => []);
    const up = targets.filter((t) => t.health === 'up');
    if (up.length && up.every((t) => t.lastScrape !== undefined && t.lastScrape >= epochMs)) return true;
    if (Date.now() > end || opts.signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

/** The longest scrape interval among the targets that are up (undefined if none says). */
export async function longestScrapeIntervalMs(client: PrometheusClient, signal?: AbortSignal): Promise<number | undefined> {
  const intervals = (await client.targets(signal)).filter((t) => t.health === 'up').map((t) => t.scrapeIntervalMs).filter((v): v is number => v !== undefined);
  return intervals.length ? Math.max(...intervals) : undefined;
}
