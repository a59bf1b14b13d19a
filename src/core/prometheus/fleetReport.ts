// Fleet numbers for a comparison profile's window, and their markdown: which replicas served
// the requests (from the servers' own counters, per `instance`), the fleet's TTFT, its GPUs,
// and the load generator's own overhead, so a concurrency level's numbers are the servers'.
import type { Distribution } from '../stats/describe';
import type { MetricsWindow } from '../server/serverMetrics';
import { PrometheusError } from './errors';
import { PrometheusFleetSource, type FleetConfig, type FleetWindow } from './fleetSource';
import { longestScrapeIntervalMs, waitForScrapesAfter } from './scrapes';

export interface LoadGeneratorOverhead {
  requestedConcurrency: number;
  /** The profile's wall time at the client. */
  wallMs: number;
  /** Σ server-side E2E over the window (mean × count of vllm:e2e_request_latency_seconds). */
  serverBusyMs: number;
  /** serverBusyMs / wallMs: how many requests the servers had in flight on average. Below the
   *  requested concurrency, the load generator (or the network) did not keep them busy. */
  achievedConcurrency: number;
  /** (Σ client E2E − Σ server E2E) / requests: per-request time outside the servers. */
  clientOverheadMsPerRequest?: number;
}

export interface FleetProfileNumbers {
  profile: string;
  selector: string;
  window?: FleetWindow;
  loadGenerator?: LoadGeneratorOverhead;
  error?: string;
}

/**
 * The fleet's numbers over [t0, t1] for one selector: waits (up to `waitMs`) until Prometheus
 * has scraped past t1, then reads, the end edge at the first scrape after t1. Exact when the
 * replicas had no other traffic between the scrape before t0 and t0, nor between t1 and the
 * scrape after it (runFleetComparison in the CLI waits for those scrapes). Never throws: an
 * error is returned as a line.
 */
export async function readFleetWindow(config: FleetConfig, t0: number, t1: number, opts: { waitMs?: number; signal?: AbortSignal } = {}): Promise<{ window?: FleetWindow; error?: string }> {
  try {
    const source = new PrometheusFleetSource(config);
    const scraped = await waitForScrapesAfter(source.client, t1, { timeoutMs: opts.waitMs ?? 120_000, ...(opts.signal ? { signal: opts.signal } : {}) });
    // The end edge is read one scrape interval after t1: the first scrape after the window.
    const interval = (await longestScrapeIntervalMs(source.client, opts.signal)) ?? 0;
    const window = await source.window(t0, t1, opts.signal, Math.min(Date.now(), t1 + interval));
    if (!scraped) window.notes.push(`Prometheus had not scraped every target after the window ended within ${Math.round((opts.waitMs ?? 120_000) / 1000)} s: the last requests may be missing.`);
    return { window };
  } catch (err) {
    return { error: err instanceof PrometheusError ? err.message : `Prometheus: ${(err as Error).message}` };
  }
}

/** The load generator's overhead from the client's own numbers and the servers' window. */
export function loadGeneratorOverhead(client: { wallMs?: number; concurrency: number; e2eMs: Distribution }, server: MetricsWindow | undefined): LoadGeneratorOverhead | undefined {
  if (!client.wallMs || !server?.requests || server.meanE2eMs === undefined) return undefined;
  const serverBusyMs = server.meanE2eMs * server.requests;
  const out: LoadGeneratorOverhead = { requestedConcurrency: client.concurrency, wallMs: client.wallMs, serverBusyMs, achievedConcurrency: serverBusyMs / client.wallMs };
  if (client.e2eMs.mean !== undefined && client.e2eMs.count === server.requests) {
    out.clientOverheadMsPerRequest = (client.e2eMs.mean * client.e2eMs.count - serverBusyMs) / server.requests;
  }
  return out;
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const f = (v: number | undefined, digits: number, unit = ''): string => (v === undefined ? '–' : `${v.toFixed(digits)}${unit}`);

export function fleetMarkdown(url: string, entries: readonly FleetProfileNumbers[]): string {
  const lines = ['', `## Fleet, read from Prometheus at ${esc(url)}`, ''];
  for (const e of entries) {
    lines.push(`### ${esc(e.profile)} — ${esc(e.selector || '{}')}`, '');
    if (e.error) {
      lines.push(esc(e.error), '');
      continue;
    }
    const w = e.window;
    if (!w) continue;
    if (w.server) {
      const total = w.server.requests ?? 0;
      lines.push('| replica | requests served | share | mean TTFT | generation tokens |', '| --- | ---: | ---: | ---: | ---: |');
      for (const r of w.replicas) {
        const n = r.window.requests ?? 0;
        lines.push(`| ${esc(r.name)}${r.pod ? ` (${esc(r.instance)})` : ''} | ${n} | ${total ? f((100 * n) / total, 0, ' %') : '–'} | ${f(r.window.meanTtftMs, 1, ' ms')} | ${f(r.window.generationTokens, 0)} |`);
      }
      lines.push(`| **all** | ${total} | 100 % | ${f(w.server.meanTtftMs, 1, ' ms')} | ${f(w.server.generationTokens, 0)} |`, '');
      lines.push(`Server-side TTFT p50 / p90 (histogram_quantile): ${f(w.p50TtftMs, 1, ' ms')} / ${f(w.p90TtftMs, 1, ' ms')}; generation ${f(w.server.generationTokensPerSec, 1)} tokens/s.`, '');
    }
    if (w.gpu) {
      const total = w.gpu.perGpu.reduce((a, g) => a + (g.vramTotalMiB ?? 0), 0);
      lines.push(`GPUs: utilisation mean ${f(w.gpu.utilMeanPct, 1, ' %')}, VRAM peak ${f(w.gpu.vramPeakMiB, 0)} of ${total || '–'} MiB, power mean ${f(w.gpu.powerMeanW, 1, ' W')} (summed over GPUs, utilisation averaged).`, '');
      lines.push('| GPU | host | util mean | VRAM peak | power mean |', '| --- | --- | ---: | ---: | ---: |');
      for (const g of w.gpu.perGpu) {
        lines.push(`| ${g.index} ${esc(g.uuid ?? '')} | ${esc(g.hostname ?? '')} | ${f(g.utilMeanPct, 1, ' %')} | ${f(g.vramPeakMiB, 0, ' MiB')} | ${f(g.powerMeanW, 1, ' W')} |`);
      }
      lines.push('');
    }
    const lg = e.loadGenerator;
    if (lg) {
      lines.push(
        `Load generator: ${lg.requestedConcurrency} requested in flight; the servers were busy ${f(lg.serverBusyMs, 0)} ms (Σ server E2E) in ${f(lg.wallMs, 0)} ms of wall time, ` +
          `${f(lg.achievedConcurrency, 1)} in flight on average` +
          (lg.clientOverheadMsPerRequest !== undefined ? `; ${f(lg.clientOverheadMsPerRequest, 1, ' ms')} per request outside the servers (client E2E − server E2E).` : '.'),
        '',
      );
    }
    for (const n of w.notes) lines.push(`- ${esc(n)}`);
    if (w.notes.length) lines.push('');
  }
  return lines.join('\n');
}
