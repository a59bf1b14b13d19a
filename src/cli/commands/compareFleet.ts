// `completion-lab compare --prometheus URL --selector ...`: the comparison with each profile's
// fleet numbers (which replicas served its requests, the servers' TTFT, the GPUs, the load
// generator's overhead) read from Prometheus over its window. Prometheus holds what it
// scraped, so each profile runs on its own with a scrape waited for at both edges of its
// window: after its warm-up (run apart, before the window) and after its last request.
// Exact counts cost up to two scrape intervals per profile.
import { runComparison, type RunComparisonOptions } from '../../core/compare/runner';
import type { ComparisonReport } from '../../core/compare/report';
import { PrometheusClient } from '../../core/prometheus/client';
import { fleetConfigFor } from '../../core/prometheus/config';
import { loadGeneratorOverhead, readFleetWindow, type FleetProfileNumbers } from '../../core/prometheus/fleetReport';
import { waitForScrapesAfter } from '../../core/prometheus/scrapes';

export interface FleetArgs {
  url: string;
  /** One per profile (the same one repeated when one was given). */
  selectors: string[];
  gpuSelectors?: string[];
}

export async function runFleetComparison(opts: RunComparisonOptions, fleet: FleetArgs, log: (line: string) => void): Promise<{ report: ComparisonReport; fleet: FleetProfileNumbers[] }> {
  const client = new PrometheusClient(fleet.url);
  const edge = async (what: string): Promise<void> => {
    const ok = await waitForScrapesAfter(client, Date.now(), { timeoutMs: 120_000, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (!ok && !opts.signal?.aborted) log(`compare: Prometheus did not scrape every target ${what} within 120 s; the fleet counts may be off at that edge.`);
  };
  const reports: ComparisonReport[] = [];
  const numbers: FleetProfileNumbers[] = [];
  for (const [i, profile] of opts.profiles.entries()) {
    const one = { ...opts, profiles: [profile], warmupRequests: 0 };
    // The runner's own warm-up runs right before its window opens: run it apart instead.
    const warmup = Array.from({ length: opts.warmupRequests ?? 0 }, (_, k) => opts.cases[k % opts.cases.length]!);
    if (warmup.length) await runComparison({ ...one, cases: warmup, concurrency: 1, onProgress: () => undefined });
    log(`compare: ${profile.name}: waiting for a Prometheus scrape before the window opens`);
    await edge('before the window');
    const report = await runComparison(one);
    reports.push(report);
    const p = report.profiles[0]!;
    const selector = fleet.selectors[i]!;
    const entry: FleetProfileNumbers = { profile: profile.name, selector };
    const config = fleetConfigFor(fleet.url, { ...(p.model ? { model: p.model } : {}), prometheus: { selector, ...(fleet.gpuSelectors ? { gpuSelector: fleet.gpuSelectors[i]! } : {}) } });
    if (config instanceof Error) entry.error = config.message;
    else if (p.status === 'ok' && p.windowStart !== undefined && p.windowEnd !== undefined) {
      log(`compare: ${profile.name}: waiting for a Prometheus scrape after the window, then reading it`);
      const { window, error } = await readFleetWindow(config, p.windowStart, p.windowEnd, opts.signal ? { signal: opts.signal } : {});
      if (error) entry.error = error;
      if (window) {
        entry.window = window;
        const lg = loadGeneratorOverhead({ ...(p.wallMs !== undefined ? { wallMs: p.wallMs } : {}), concurrency: report.concurrency, e2eMs: p.e2eMs }, window.server);
        if (lg) entry.loadGenerator = lg;
      }
    } else entry.error = `no window: the profile ${p.status === 'failed' ? `failed (${p.error ?? ''})` : 'was cancelled'}.`;
    numbers.push(entry);
    if (opts.signal?.aborted) break;
  }
  const first = reports[0]!;
  const report: ComparisonReport = {
    ...first,
    finishedAt: reports[reports.length - 1]!.finishedAt,
    cancelled: reports.some((r) => r.cancelled),
    profiles: reports.flatMap((r) => r.profiles),
    ...(opts.warmupRequests ? { warmupRequests: opts.warmupRequests } : {}),
  };
  return { report, fleet: numbers };
}
