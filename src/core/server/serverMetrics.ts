// What a model server's /metrics says, read the same way for vLLM (current and older names),
// llama.cpp's llama-server (`--metrics`) and our embedded engine (vLLM names plus
// `completion_lab:*`). Server-side numbers are shown beside the client's, never mixed in.
import { histogramOf, parsePrometheus, sumOf, type Histogram, type LabelFilter, type PromSample } from './prometheus';

export type ServerKind = 'vllm' | 'llama.cpp' | 'completion-lab' | 'unknown';

export interface ServerMetrics {
  /** Epoch ms of the scrape (set by the caller; windowDelta needs it). */
  ts?: number;
  kind: ServerKind;
  /** 0..1 */
  kvCacheUsage?: number;
  requestsRunning?: number;
  requestsWaiting?: number;
  prefixCacheHits?: number;
  prefixCacheQueries?: number;
  /** hits / queries since the server started. */
  prefixCacheHitRate?: number;
  promptTokens?: number;
  generationTokens?: number;
  ttft?: Histogram;
  interToken?: Histogram;
  e2e?: Histogram;
  /** completion_lab:requests_total / _aborted_total (embedded engine only). */
  requests?: number;
  requestsAborted?: number;
  /** Model names seen in `model_name` labels. */
  models: string[];
}

function first(samples: readonly PromSample[], names: string[], filter: LabelFilter): number | undefined {
  for (const n of names) {
    const v = sumOf(samples, n, filter);
    if (v !== undefined) return v;
  }
  return undefined;
}

function firstHistogram(samples: readonly PromSample[], names: string[], filter: LabelFilter): Histogram | undefined {
  for (const n of names) {
    const h = histogramOf(samples, n, filter);
    if (h) return h;
  }
  return undefined;
}

export function detectKind(samples: readonly PromSample[]): ServerKind {
  if (samples.some((s) => s.name.startsWith('completion_lab:'))) return 'completion-lab';
  if (samples.some((s) => s.name.startsWith('vllm:'))) return 'vllm';
  if (samples.some((s) => s.name.startsWith('llamacpp:'))) return 'llama.cpp';
  return 'unknown';
}

/** Reads /metrics text; with `modelName`, only series labelled with that model (unlabelled ones too). */
export function readServerMetrics(text: string, opts: { modelName?: string; ts?: number } = {}): ServerMetrics {
  return serverMetricsFromSamples(parsePrometheus(text), opts);
}

/** The same reading from samples already parsed (or read back through Prometheus' API). */
export function serverMetricsFromSamples(samples: readonly PromSample[], opts: { modelName?: string; ts?: number } = {}): ServerMetrics {
  const filter: LabelFilter = opts.modelName === undefined ? () => true : (l) => l['model_name'] === undefined || l['model_name'] === opts.modelName;
  const models = [...new Set(samples.map((s) => s.labels['model_name']).filter((m): m is string => !!m))];
  const out: ServerMetrics = { kind: detectKind(samples), models };
  if (opts.ts !== undefined) out.ts = opts.ts;
  const set = <K extends keyof ServerMetrics>(key: K, value: ServerMetrics[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  // Current vLLM names first, then the older (pre-0.10) ones, then llama-server's.
  set('kvCacheUsage', first(samples, ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc', 'llamacpp:kv_cache_usage_ratio'], filter));
  set('requestsRunning', first(samples, ['vllm:num_requests_running', 'llamacpp:requests_processing'], filter));
  set('requestsWaiting', first(samples, ['vllm:num_requests_waiting', 'llamacpp:requests_deferred'], filter));
  set('prefixCacheHits', first(samples, ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total'], filter));
  set('prefixCacheQueries', first(samples, ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total'], filter));
  if (out.prefixCacheHits !== undefined && out.prefixCacheQueries) out.prefixCacheHitRate = out.prefixCacheHits / out.prefixCacheQueries;
  set('promptTokens', first(samples, ['vllm:prompt_tokens_total', 'llamacpp:prompt_tokens_total'], filter));
  set('generationTokens', first(samples, ['vllm:generation_tokens_total', 'llamacpp:tokens_predicted_total'], filter));
  set('ttft', firstHistogram(samples, ['vllm:time_to_first_token_seconds'], filter));
  set('interToken', firstHistogram(samples, ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'], filter));
  set('e2e', firstHistogram(samples, ['vllm:e2e_request_latency_seconds'], filter));
  set('requests', sumOf(samples, 'completion_lab:requests_total', filter));
  set('requestsAborted', sumOf(samples, 'completion_lab:requests_aborted_total', filter));
  return out;
}

export interface MetricsWindow {
  seconds: number;
  /** Requests that got their first token in the window (TTFT histogram count delta). */
  requests?: number;
  meanTtftMs?: number;
  meanInterTokenMs?: number;
  meanE2eMs?: number;
  generationTokens?: number;
  generationTokensPerSec?: number;
  promptTokensPerSec?: number;
  /** A counter went down: the server restarted between the scrapes; deltas are not meaningful. */
  reset?: boolean;
}

/** A series absent from the earlier scrape started at 0 (prom-client and prometheus_client
 * only print a labelled histogram once it has an observation). */
function delta(a: number | undefined, b: number | undefined): number | undefined {
  return b === undefined ? undefined : b - (a ?? 0);
}

/** Server-side means and rates over the window between two scrapes (both need `ts`). */
export function windowDelta(prev: ServerMetrics, cur: ServerMetrics): MetricsWindow {
  if (prev.ts === undefined || cur.ts === undefined) throw new Error('windowDelta needs scrapes with ts set');
  const seconds = (cur.ts - prev.ts) / 1000;
  const out: MetricsWindow = { seconds };
  const deltas = [
    delta(prev.generationTokens, cur.generationTokens),
    delta(prev.promptTokens, cur.promptTokens),
    delta(prev.ttft?.count, cur.ttft?.count),
    delta(prev.e2e?.count, cur.e2e?.count),
  ];
  if (deltas.some((d) => d !== undefined && d < 0)) {
    out.reset = true;
    return out;
  }
  const mean = (p?: Histogram, c?: Histogram) => {
    const dc = delta(p?.count, c?.count);
    const ds = delta(p?.sum, c?.sum);
    return dc && ds !== undefined ? (ds / dc) * 1000 : undefined;
  };
  const dReq = delta(prev.ttft?.count, cur.ttft?.count);
  if (dReq !== undefined) out.requests = dReq;
  const set = <K extends keyof MetricsWindow>(k: K, v: MetricsWindow[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('meanTtftMs', mean(prev.ttft, cur.ttft));
  set('meanInterTokenMs', mean(prev.interToken, cur.interToken));
  set('meanE2eMs', mean(prev.e2e, cur.e2e));
  const dGen = deltas[0];
  set('generationTokens', dGen);
  if (seconds > 0) {
    if (dGen !== undefined) out.generationTokensPerSec = dGen / seconds;
    if (deltas[1] !== undefined) out.promptTokensPerSec = deltas[1] / seconds;
  }
  return out;
}
