// Prometheus as a metrics source for a profile served by several replicas (or a shared GPU
// box nobody's editor runs on): the GPU sampler's shapes from NVIDIA's DCGM exporter series,
// and the /metrics reader's shapes from the vLLM series Prometheus scraped per replica.
//
// How numbers are combined over the fleet (one rule per metric):
// - VRAM used/total, power, tokens, request and histogram counters: SUMMED over GPUs/replicas.
// - GPU utilisation: AVERAGED over GPUs (a fleet at 50 % is half busy, whatever its size).
// - KV-cache usage: AVERAGED over replicas (each replica's fraction of its own cache).
// - requests running/waiting: SUMMED (the fleet's queue).
// - mean TTFT: Σ histogram sums / Σ counts (a request-weighted mean, not a mean of means);
//   quantiles: Prometheus' histogram_quantile over the buckets summed by `le`.
// A replica is a scrape target (`instance`), shown by its `pod` label where there is one.
import type { GpuWindowSummary } from '../gpu/summary';
import { summarizeGpuWindow } from '../gpu/summary';
import type { PromSample } from '../server/prometheus';
import { serverMetricsFromSamples, windowDelta, type MetricsWindow, type ServerMetrics } from '../server/serverMetrics';
import { PrometheusClient, type InstantSample, type Labels, type PrometheusClientOptions } from './client';
import { DCGM_NAMES, gpuReadings, gpuTotals, hasGpuLabels, type DcgmValue, type FleetGpuReading, type FleetGpuSample } from './dcgm';
import { PrometheusError } from './errors';
import { matchersText, parseSelector, seriesSelector, type LabelMatcher } from './selector';

/** The vLLM (current and older names), llama-server and embedded-engine series read per replica. */
const SERVER_NAMES = [
  'vllm:kv_cache_usage_perc',
  'vllm:gpu_cache_usage_perc',
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:prefix_cache_hits_total',
  'vllm:prefix_cache_queries_total',
  'vllm:gpu_prefix_cache_hits_total',
  'vllm:gpu_prefix_cache_queries_total',
  'vllm:prompt_tokens_total',
  'vllm:generation_tokens_total',
  ...['vllm:time_to_first_token_seconds', 'vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds', 'vllm:e2e_request_latency_seconds'].flatMap((h) => [`${h}_sum`, `${h}_count`]),
  'completion_lab:requests_total',
  'completion_lab:requests_aborted_total',
  'llamacpp:kv_cache_usage_ratio',
  'llamacpp:requests_processing',
  'llamacpp:requests_deferred',
  'llamacpp:prompt_tokens_total',
  'llamacpp:tokens_predicted_total',
];
const TTFT = 'vllm:time_to_first_token_seconds';

export interface FleetConfig {
  /** Prometheus base URL. */
  url: string;
  /** Label matchers of the profile's replicas (vLLM series), e.g. `{namespace="llm", pod=~"vllm-.*"}`. */
  selector: string;
  /** Label matchers of their GPUs (DCGM series); default: `selector`. */
  gpuSelector?: string;
  /** Only series labelled with this served model (`model_name`); unlabelled series count too. */
  modelName?: string;
  client?: PrometheusClientOptions;
}

export interface Replica {
  /** `pod` where Prometheus has one, else `instance`. */
  name: string;
  instance: string;
  pod?: string;
  namespace?: string;
}

export interface ReplicaMetrics extends Replica {
  metrics: ServerMetrics;
}

export interface FleetServers {
  ts: number;
  replicas: ReplicaMetrics[];
  /** Counters summed, KV-cache usage averaged over replicas (see the top of this file). */
  total: ServerMetrics;
}

export interface FleetLatency {
  /** The rate window in seconds. */
  windowS: number;
  meanTtftMs?: number;
  p50TtftMs?: number;
  p90TtftMs?: number;
  requestsPerSec?: number;
  replicas: (Replica & { meanTtftMs?: number; requestsPerSec?: number })[];
}

export interface FleetGpuWindow extends GpuWindowSummary {
  /** Mean over the window of the power summed over GPUs. */
  powerMeanW?: number;
  perGpu: { uuid?: string; hostname?: string; index: number; name: string | null; utilMeanPct?: number; vramPeakMiB?: number; vramTotalMiB?: number; powerMeanW?: number }[];
}

/** Fleet numbers over one window [t0, t1] (a comparison profile's run). */
export interface FleetWindow {
  t0: number;
  t1: number;
  /** Server-side deltas over all replicas; undefined when no vLLM series matched. */
  server?: MetricsWindow;
  /** Per replica; `window.requests` is how many requests it served (its TTFT count delta). */
  replicas: (Replica & { window: MetricsWindow })[];
  p50TtftMs?: number;
  p90TtftMs?: number;
  gpu?: FleetGpuWindow;
  /** Why a part is missing (no vLLM series, no DCGM series, ...), one line each. */
  notes: string[];
}

/** A problem that is a state, not a failure: reported once, the rest keeps working. */
export type FleetProblem = { kind: 'no-match' | 'no-gpu-series' | 'no-dcgm-labels'; message: string };

const ms = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? undefined : s * 1000);

function toPromSamples(samples: readonly InstantSample[]): PromSample[] {
  return samples.map((s) => {
    const { __name__: name = '', ...labels } = s.labels;
    return { name, labels, value: s.value };
  });
}

function replicaOf(labels: Labels): Replica {
  const instance = labels['instance'] ?? '';
  const r: Replica = { name: labels['pod'] ?? instance, instance };
  if (labels['pod'] !== undefined) r.pod = labels['pod'];
  if (labels['namespace'] !== undefined) r.namespace = labels['namespace'];
  return r;
}

function byReplica<T extends { labels: Labels }>(items: readonly T[]): Map<string, { replica: Replica; items: T[] }> {
  const out = new Map<string, { replica: Replica; items: T[] }>();
  for (const it of items) {
    const key = it.labels['instance'] ?? '';
    let e = out.get(key);
    if (!e) out.set(key, (e = { replica: replicaOf(it.labels), items: [] }));
    e.items.push(it);
  }
  return out;
}

export class PrometheusFleetSource {
  readonly client: PrometheusClient;
  readonly matchers: LabelMatcher[];
  readonly gpuMatchers: LabelMatcher[];
  private readonly modelName: string | undefined;

  /** Throws PrometheusError 'not-configured' / 'bad-config' for a missing URL or a bad selector. */
  constructor(readonly config: FleetConfig) {
    if (!config.url || !config.url.trim()) {
      throw new PrometheusError('not-configured', 'No Prometheus is configured: set completionLab.prometheus.url (or the profile\'s prometheus.url, or --prometheus URL) to read a shared server\'s GPUs and replicas.');
    }
    this.client = new PrometheusClient(config.url, config.client);
    this.matchers = parseSelector(config.selector);
    this.gpuMatchers = config.gpuSelector !== undefined ? parseSelector(config.gpuSelector) : this.matchers;
    this.modelName = config.modelName || undefined;
  }

  /** `{...}` as a user would write it, for messages. */
  describe(which: 'servers' | 'gpus' = 'servers'): string {
    return `{${matchersText(which === 'gpus' ? this.gpuMatchers : this.matchers)}}`;
  }

  /** The GPUs now (or at `atMs`), as the local sampler gives them, plus the problem if any. */
  async gpus(atMs?: number, signal?: AbortSignal): Promise<{ sample: FleetGpuSample; problem?: FleetProblem }> {
    const raw = await this.client.query(seriesSelector(DCGM_NAMES, this.gpuMatchers), atMs, signal);
    const values: DcgmValue[] = raw.map((s) => ({ name: s.labels['__name__'] ?? '', labels: s.labels, value: s.value }));
    const sample: FleetGpuSample = { ts: atMs ?? Date.now(), gpus: gpuReadings(values), processes: [] };
    return { sample, ...this.gpuProblem(values) };
  }

  /** Each replica's /metrics numbers as Prometheus last scraped them, and the fleet's. */
  async servers(atMs?: number, signal?: AbortSignal): Promise<{ servers: FleetServers; problem?: FleetProblem }> {
    const ts = atMs ?? Date.now();
    const raw = await this.client.query(seriesSelector(SERVER_NAMES, this.matchers), atMs, signal);
    return { servers: this.serversFrom(raw, ts), ...this.serverProblem(raw) };
  }

  /** TTFT mean and quantiles and request rate over the last `windowS` seconds (rates, so live). */
  async latency(windowS = 60, atMs?: number, signal?: AbortSignal): Promise<FleetLatency> {
    const sel = (suffix: string) => seriesSelector(`${TTFT}${suffix}`, this.modelMatchers());
    const w = `[${Math.max(1, Math.round(windowS))}s]`;
    // One evaluation time for all four: rate() extrapolates to its window's edges, so a sum and
    // a count read a few ms apart differ by a different factor (the mean was 0.2 % off).
    const at = atMs ?? Date.now();
    const q = (expr: string) => this.client.query(expr, at, signal);
    const [sum, count, p50, p90] = await Promise.all([
      q(`sum by (instance, pod, namespace) (rate(${sel('_sum')}${w}))`),
      q(`sum by (instance, pod, namespace) (rate(${sel('_count')}${w}))`),
      q(`histogram_quantile(0.5, sum by (le) (rate(${sel('_bucket')}${w})))`),
      q(`histogram_quantile(0.9, sum by (le) (rate(${sel('_bucket')}${w})))`),
    ]);
    const out: FleetLatency = { windowS, replicas: [] };
    let sumAll = 0;
    let countAll = 0;
    for (const [key, { replica, items }] of byReplica(count)) {
      const c = items.reduce((a, s) => a + s.value, 0);
      const s = sum.filter((x) => (x.labels['instance'] ?? '') === key).reduce((a, x) => a + x.value, 0);
      sumAll += s;
      countAll += c;
      const r: FleetLatency['replicas'][number] = { ...replica, requestsPerSec: c };
      if (c > 0) r.meanTtftMs = (s / c) * 1000;
      out.replicas.push(r);
    }
    out.replicas.sort((a, b) => a.name.localeCompare(b.name));
    if (count.length) out.requestsPerSec = countAll;
    if (countAll > 0) out.meanTtftMs = (sumAll / countAll) * 1000;
    const v50 = ms(p50[0]?.value);
    const v90 = ms(p90[0]?.value);
    if (v50 !== undefined) out.p50TtftMs = v50;
    if (v90 !== undefined) out.p90TtftMs = v90;
    return out;
  }

  /**
   * Fleet numbers over [t0, t1]: server counters read at both edges (per replica, then
   * summed), TTFT quantiles from the bucket increase, GPUs over the window by query_range.
   * Prometheus holds what it scraped: the start edge reads the last scrape at or before t0;
   * the end edge is read at `endReadAt` (default t1), which should be t1 plus one scrape
   * interval, so it reads the first scrape after t1 (readFleetWindow does so). Counts are then
   * exact when no other traffic reached the replicas between those scrapes and the edges.
   */
  async window(t0: number, t1: number, signal?: AbortSignal, endReadAt = t1): Promise<FleetWindow> {
    const out: FleetWindow = { t0, t1, replicas: [], notes: [] };
    const names = seriesSelector(SERVER_NAMES, this.matchers);
    const [before, after] = await Promise.all([this.client.query(names, t0, signal), this.client.query(names, endReadAt, signal)]);
    const problem = this.serverProblem(after).problem;
    if (problem) out.notes.push(problem.message);
    else {
      const a = this.serversFrom(before, t0);
      const b = this.serversFrom(after, endReadAt);
      out.server = windowDelta(a.total, b.total);
      for (const r of b.replicas) {
        const prev = a.replicas.find((x) => x.instance === r.instance)?.metrics ?? { ts: t0, kind: r.metrics.kind, models: [] };
        const { metrics, ...replica } = r;
        out.replicas.push({ ...replica, window: windowDelta(prev, metrics) });
      }
      const span = `[${Math.max(1, Math.ceil((endReadAt - t0) / 1000))}s]`;
      const bucket = seriesSelector(`${TTFT}_bucket`, this.modelMatchers());
      const [p50, p90] = await Promise.all(
        [0.5, 0.9].map((q) => this.client.query(`histogram_quantile(${q}, sum by (le) (increase(${bucket}${span})))`, endReadAt, signal)),
      );
      const v50 = ms(p50![0]?.value);
      const v90 = ms(p90![0]?.value);
      if (v50 !== undefined) out.p50TtftMs = v50;
      if (v90 !== undefined) out.p90TtftMs = v90;
    }
    const gpu = await this.gpuWindow(t0, t1, signal);
    if ('note' in gpu) out.notes.push(gpu.note);
    else out.gpu = gpu;
    return out;
  }

  private async gpuWindow(t0: number, t1: number, signal?: AbortSignal): Promise<FleetGpuWindow | { note: string }> {
    // Up to ~250 points per series; one step before t0 gives the idle reading.
    const stepS = Math.max(1, Math.ceil((t1 - t0) / 1000 / 250));
    const series = await this.client.queryRange(seriesSelector(DCGM_NAMES, this.gpuMatchers), t0 - stepS * 1000, t1, stepS, signal);
    const values = series.flatMap((s) => s.points.map((p) => ({ ts: p.ts, name: s.labels['__name__'] ?? '', labels: s.labels, value: p.value })));
    const problem = this.gpuProblem(values).problem;
    if (problem) return { note: problem.message };
    const byTs = new Map<number, DcgmValue[]>();
    for (const v of values) {
      let list = byTs.get(v.ts);
      if (!list) byTs.set(v.ts, (list = []));
      list.push(v);
    }
    const samples: FleetGpuSample[] = [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([ts, vs]) => ({ ts, gpus: gpuReadings(vs), processes: [] }));
    const inWindow = samples.filter((s) => s.ts >= t0 && s.ts <= t1);
    const out: FleetGpuWindow = { ...summarizeGpuWindow(samples, { t0, t1 }), perGpu: [] };
    const powers = inWindow.map((s) => gpuTotals(s.gpus).powerW).filter((v): v is number => v !== undefined);
    if (powers.length) out.powerMeanW = powers.reduce((a, b) => a + b, 0) / powers.length;
    const keyOf = (g: FleetGpuReading) => g.uuid ?? `${g.hostname ?? g.instance}/${g.index}`;
    const seen = new Map<string, FleetGpuReading[]>();
    for (const s of inWindow) for (const g of s.gpus) seen.set(keyOf(g), [...(seen.get(keyOf(g)) ?? []), g]);
    for (const readings of seen.values()) {
      const g0 = readings[0]!;
      const nums = (f: (g: FleetGpuReading) => number | null) => readings.map(f).filter((v): v is number => v !== null);
      const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
      const row: FleetGpuWindow['perGpu'][number] = { index: g0.index, name: g0.name };
      if (g0.uuid !== undefined) row.uuid = g0.uuid;
      if (g0.hostname !== undefined) row.hostname = g0.hostname;
      const util = avg(nums((g) => g.utilGpuPct));
      const power = avg(nums((g) => g.powerW));
      const used = nums((g) => g.memUsedMiB);
      const total = nums((g) => g.memTotalMiB);
      if (util !== undefined) row.utilMeanPct = util;
      if (power !== undefined) row.powerMeanW = power;
      if (used.length) row.vramPeakMiB = Math.max(...used);
      if (total.length) row.vramTotalMiB = total[total.length - 1]!;
      out.perGpu.push(row);
    }
    return out;
  }

  private modelMatchers(): LabelMatcher[] {
    return this.modelName ? [...this.matchers, { label: 'model_name', op: '=', value: this.modelName }] : this.matchers;
  }

  private serversFrom(raw: readonly InstantSample[], ts: number): FleetServers {
    const opts = { ts, ...(this.modelName ? { modelName: this.modelName } : {}) };
    const replicas: ReplicaMetrics[] = [];
    for (const { replica, items } of byReplica(raw).values()) {
      replicas.push({ ...replica, metrics: serverMetricsFromSamples(toPromSamples(items), opts) });
    }
    replicas.sort((a, b) => a.name.localeCompare(b.name));
    // Summing every series gives the fleet's counters and queue; KV-cache usage is a fraction
    // per replica, so the fleet's is their mean (summing would read 2 replicas at 60 % as 120 %).
    const total = serverMetricsFromSamples(toPromSamples(raw), opts);
    const kv = replicas.map((r) => r.metrics.kvCacheUsage).filter((v): v is number => v !== undefined);
    if (kv.length) total.kvCacheUsage = kv.reduce((a, b) => a + b, 0) / kv.length;
    else delete total.kvCacheUsage;
    return { ts, replicas, total };
  }

  private serverProblem(raw: readonly InstantSample[]): { problem?: FleetProblem } {
    if (raw.length) return {};
    return {
      problem: {
        kind: 'no-match',
        message: `No vLLM series in Prometheus at ${this.client.baseUrl.origin} match ${this.describe('servers')}: check the selector (try \`count by (job, instance) ({__name__=~"vllm:.*"})\` in Prometheus) and that Prometheus scrapes the replicas' /metrics.`,
      },
    };
  }

  private gpuProblem(values: readonly DcgmValue[]): { problem?: FleetProblem } {
    if (!values.length) {
      return {
        problem: {
          kind: 'no-gpu-series',
          message: `No DCGM GPU series (DCGM_FI_DEV_*) in Prometheus at ${this.client.baseUrl.origin} match ${this.describe('gpus')}: is NVIDIA's dcgm-exporter scraped, and do its labels fit the selector (pod/namespace labels need the exporter's Kubernetes mapping)? GPU numbers are not shown.`,
        },
      };
    }
    if (!values.some((v) => hasGpuLabels(v.labels))) {
      return {
        problem: {
          kind: 'no-dcgm-labels',
          message: `The DCGM series matching ${this.describe('gpus')} carry no "gpu" or "UUID" label (relabelled away?), so GPUs cannot be told apart. Keep the exporter's labels in the scrape config. GPU numbers are not shown.`,
        },
      };
    }
    return {};
  }
}
