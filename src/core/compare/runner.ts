// The comparison runner: every case replayed through completeAt (exactly the editor's
// pipeline) against each profile in turn. Profile by profile, never interleaved, so a GPU
// window and a /metrics window belong to one model. Bounded concurrency per profile; an
// AbortSignal cancels in-flight requests (closing the connection frees the server's KV
// cache) and keeps what finished, marked cancelled. A profile whose server cannot be
// reached is reported with its error; the others still run.
import { isAbort } from '../client/errors';
import { listModels, pickServedModel } from '../client/models';
import { warmTokenizer } from '../context/tokenizer';
import { completeAt, resolveFor, type CompletionClient, type ResolvedProfile } from '../pipeline/completeAt';
import type { ModelProfile } from '../profiles/types';
import { fetchMetrics, metricsUrl } from '../server/metricsFetch';
import { windowDelta, type ServerMetrics } from '../server/serverMetrics';
import type { GpuWindowSummary } from '../gpu/summary';
import type { Disposable } from '../lifecycle/disposable';
import type { ReplayCase } from './cases';
import { scoreCompletion } from './quality';
import { aggregate, type CaseResult, type ComparisonReport, type ProfileResult } from './report';

/** What the runner needs of a GPU sampler (GpuSampler fits). */
export interface GpuWindowSource {
  acquire(): Disposable;
  summarize(t0: number, t1: number): GpuWindowSummary;
  /** When present, the runner waits (briefly) for a first sample, so the first profile has an idle reading. */
  latest?(): unknown;
  readonly state?: { kind: string };
}

/** Most the runner waits for the sampler's first sample before the first profile starts. */
const FIRST_SAMPLE_WAIT_MS = 2000;

async function firstSample(sampler: GpuWindowSource, signal?: AbortSignal): Promise<void> {
  if (!sampler.latest) return;
  const until = Date.now() + FIRST_SAMPLE_WAIT_MS;
  while (sampler.latest() === undefined && Date.now() < until && !signal?.aborted) {
    const kind = sampler.state?.kind;
    if (kind === 'no-gpu-tool' || kind === 'failed' || kind === 'stopped') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ProgressInfo {
  profile: string;
  caseId: string;
}

export interface RunComparisonOptions {
  cases: readonly ReplayCase[];
  profiles: readonly ModelProfile[];
  /** Requests in flight at once per profile. Default 1 (the editor's own pattern). */
  concurrency?: number;
  /** Prompt token budget, as the editor's setting. Default 1536. */
  budgetTokens?: number;
  signal?: AbortSignal;
  /** After each request (done counts all profiles; total = cases x profiles). */
  onProgress?: (done: number, total: number, current: ProgressInfo) => void;
  gpuSampler?: GpuWindowSource;
  seed?: number;
  /** TTFT SLO for goodput. Default 300 ms. */
  ttftSloMs?: number;
  /** Show multi-line completions, as the editor does by default. Default true. */
  multiline?: boolean;
  /** API key per profile (the extension reads it from SecretStorage by apiKeyName). */
  apiKeyFor?: (profile: ModelProfile) => string | undefined | Promise<string | undefined>;
  firstTokenTimeoutMs?: number;
  totalTimeoutMs?: number;
  /**
   * Requests sent to each profile before its measured run and not counted: a server's first
   * request after start pays for kernel compilation and warm-up (1.8 s against ~130 ms on an
   * H100 here). Default 0.
   */
  warmupRequests?: number;
  /** Tests and benches may pass another client; default: the real streaming client. */
  client?: CompletionClient;
}

export const DEFAULT_TTFT_SLO_MS = 300;
export const DEFAULT_BUDGET_TOKENS = 1536;

export async function runComparison(opts: RunComparisonOptions): Promise<ComparisonReport> {
  const startedAt = Date.now();
  const ttftSloMs = opts.ttftSloMs ?? DEFAULT_TTFT_SLO_MS;
  const total = opts.cases.length * opts.profiles.length;
  const progress = { done: 0 };
  // Load the tokenizer now (about a second, once), not inside the first profile's window.
  warmTokenizer();
  const gpuHold = opts.gpuSampler?.acquire();
  const profiles: ProfileResult[] = [];
  try {
    if (opts.gpuSampler) await firstSample(opts.gpuSampler, opts.signal);
    for (const profile of opts.profiles) {
      if (opts.signal?.aborted) {
        profiles.push(aggregate({ name: profile.name, endpoint: profile.endpoint, status: 'cancelled', results: [], ttftSloMs }));
        continue;
      }
      profiles.push(await runProfile(profile, opts, ttftSloMs, total, progress));
    }
  } finally {
    gpuHold?.dispose();
  }
  const sources = new Set(opts.cases.map((c) => c.source));
  return {
    startedAt,
    finishedAt: Date.now(),
    cancelled: opts.signal?.aborted ?? false,
    cases: opts.cases.length,
    source: sources.has('recorded') ? 'recorded' : 'workspace',
    ttftSloMs,
    concurrency: Math.max(1, opts.concurrency ?? 1),
    ...(opts.warmupRequests ? { warmupRequests: opts.warmupRequests } : {}),
    profiles,
  };
}

async function runProfile(profile: ModelProfile, opts: RunComparisonOptions, ttftSloMs: number, total: number, progress: { done: number }): Promise<ProfileResult> {
  const base = { name: profile.name, endpoint: profile.endpoint, ttftSloMs };
  const apiKey = (await opts.apiKeyFor?.(profile)) || undefined;
  let resolved: ResolvedProfile;
  try {
    const models = await listModels(profile.endpoint, { timeoutMs: 15_000, ...(apiKey ? { apiKey } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    resolved = resolveFor(profile, pickServedModel(models, profile.model, profile.endpoint, `"model" in profile "${profile.name}"`));
  } catch (err) {
    if (opts.signal?.aborted) return aggregate({ ...base, status: 'cancelled', results: [] });
    // Every case of this profile counts as done, so the progress bar still reaches the end.
    progress.done += opts.cases.length;
    opts.onProgress?.(progress.done, total, { profile: profile.name, caseId: '' });
    return aggregate({ ...base, status: 'failed', error: (err as Error).message, results: [] });
  }

  const { served } = resolved;
  const request = (c: ReplayCase) =>
    completeAt({
      text: c.prefix + c.suffix,
      offset: c.prefix.length,
      languageId: c.languageId,
      resolved,
      budgetTokens: opts.budgetTokens ?? DEFAULT_BUDGET_TOKENS,
      multiline: opts.multiline ?? true,
      firstTokenTimeoutMs: opts.firstTokenTimeoutMs ?? 60_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 180_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(opts.client ? { client: opts.client } : {}),
    });

  // Warm-up before the window opens: its time, tokens and GPU use are not the profile's.
  for (let i = 0; i < (opts.warmupRequests ?? 0) && opts.cases.length && !opts.signal?.aborted; i++) {
    await request(opts.cases[i % opts.cases.length]!).catch(() => undefined);
  }
  if (opts.signal?.aborted) return aggregate({ ...base, status: 'cancelled', results: [] });

  const metricsBefore = await scrapeMetrics(profile.endpoint, served.id, apiKey);
  const results: CaseResult[] = new Array(opts.cases.length);
  let next = 0;
  /** The report names the settings used once a request has used them. */
  let answered = false;
  const t0 = Date.now();
  const perf0 = performance.now();
  let lastEnd = perf0;

  const worker = async (): Promise<void> => {
    while (next < opts.cases.length && !opts.signal?.aborted) {
      const index = next++;
      const c = opts.cases[index]!;
      const startedAt = Date.now();
      try {
        const out = await request(c);
        answered = true;
        const r: CaseResult = {
          caseId: c.id,
          languageId: c.languageId,
          startedAt,
          status: 'ok',
          completion: out.text ?? '',
          raw: out.raw,
          groundTruth: c.groundTruth,
          quality: scoreCompletion({ completion: out.text, groundTruth: c.groundTruth, prefix: c.prefix, suffix: c.suffix, languageId: c.languageId }),
          timings: out.result.timings,
          promptTokens: out.context.promptTokens,
          finishReason: out.result.finishReason,
        };
        results[index] = r;
      } catch (err) {
        const cancelled = isAbort(err) || opts.signal?.aborted === true;
        results[index] = { caseId: c.id, languageId: c.languageId, startedAt, status: cancelled ? 'cancelled' : 'failed', groundTruth: c.groundTruth, error: (err as Error).message };
        if (cancelled) return;
      } finally {
        lastEnd = Math.max(lastEnd, performance.now());
      }
      progress.done++;
      opts.onProgress?.(progress.done, total, { profile: profile.name, caseId: c.id });
    }
  };

  const workers = Math.max(1, Math.min(opts.concurrency ?? 1, opts.cases.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  const wallMs = lastEnd - perf0;
  const t1 = t0 + wallMs;
  const metricsAfter = await scrapeMetrics(profile.endpoint, served.id, apiKey);

  const result = aggregate({
    ...base,
    status: opts.signal?.aborted ? 'cancelled' : 'ok',
    model: served.id,
    results: results.filter((r): r is CaseResult => r !== undefined),
    wallMs,
    windowStart: t0,
    windowEnd: t1,
  });
  if (served.root) result.root = served.root;
  if (served.maxModelLen) result.maxModelLen = served.maxModelLen;
  if (answered) {
    const { effective } = resolved;
    result.template = effective.template;
    result.maxTokens = effective.maxTokens;
    if (effective.warnings.length) result.warnings = [...effective.warnings];
  }
  if (opts.gpuSampler) result.gpu = opts.gpuSampler.summarize(t0, t1);
  if (metricsBefore.metrics && metricsAfter.metrics) {
    try {
      result.server = { kind: metricsAfter.metrics.kind, window: windowDelta(metricsBefore.metrics, metricsAfter.metrics) };
    } catch (err) {
      result.serverError = (err as Error).message;
    }
  } else {
    const e = metricsBefore.error ?? metricsAfter.error;
    if (e) result.serverError = e;
  }
  return result;
}

/** One /metrics scrape, best effort: servers without /metrics are normal (Ollama, LM Studio). */
async function scrapeMetrics(endpoint: string, modelName: string, apiKey: string | undefined): Promise<{ metrics?: ServerMetrics; error?: string }> {
  try {
    const metrics = await fetchMetrics(endpoint, { timeoutMs: 5000, modelName, ...(apiKey ? { apiKey } : {}) });
    if (metrics.kind === 'unknown') return { error: `${metricsUrl(endpoint)} has no vLLM, llama.cpp or Completion Lab metrics; server-side numbers are not shown.` };
    return { metrics };
  } catch (err) {
    return { error: `${(err as Error).message}; server-side numbers are not shown.` };
  }
}
