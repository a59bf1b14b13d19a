// The comparison runner: every case replayed through completeAt (exactly the editor's
// pipeline) against each profile in turn. Profile by profile, never interleaved, so a GPU
// window and a /metrics window belong to one model. Within a profile, the cases are replayed
// once per concurrency level (a sweep: 1, 2, 4, 8 requests in flight); an
// AbortSignal cancels in-flight requests (closing the connection frees the server's KV
// cache) and keeps what finished, marked cancelled. A profile whose server cannot be
// reached is reported with its error; the others still run.
import { isAbort } from '../client/errors';
import { listModels, pickServedModel } from '../client/models';
import { completeAt, inProcessContext, resolveFor, type CompletionClient, type ContextBuilder, type ResolvedProfile } from '../pipeline/completeAt';
import type { ModelProfile } from '../profiles/types';
import { fetchMetrics, metricsUrl } from '../server/metricsFetch';
import { windowDelta, type ServerMetrics } from '../server/serverMetrics';
import type { GpuWindowSummary } from '../gpu/summary';
import type { Disposable } from '../lifecycle/disposable';
import type { GpuSample } from '../gpu/types';
import { processMemory, summarizeModelGpu, type ModelGpuSummary } from '../gpu/attribution';
import type { ProcessVramSource } from '../gpu/processVram';
import { findServerProcesses, type ServerProcesses } from '../gpu/serverProcesses';
import type { LaunchedServer } from '../server/launch';
import type { ReplayCase } from './cases';
import { scoreCompletion } from './quality';
import { ParseChecker } from './parseCheck';
import { DEFAULT_TTFT_SLO_MS, summarizeRequests } from '../stats/summarize';
import { DEFAULT_LENGTH_BOUNDS, type LengthBounds } from './lengthClasses';
import { profileTimeline } from './timeline';
import { aggregate, caseTiming, REPORT_SCHEMA_VERSION, type CaseResult, type ComparisonReport, type LevelResult, type ProfileResult } from './report';

/** What the runner needs of a GPU sampler (GpuSampler fits). */
export interface GpuWindowSource {
  acquire(): Disposable;
  summarize(t0: number, t1: number): GpuWindowSummary;
  /** When present, the runner waits (briefly) for a first sample, so the first profile has an idle reading. */
  latest?(): unknown;
  readonly state?: { kind: string };
  /** Raw samples, for the card's numbers beside a model's own (GpuSampler has it). */
  samplesBetween?(t0: number, t1: number): GpuSample[];
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
  concurrency?: number;
}

export interface RunComparisonOptions {
  cases: readonly ReplayCase[];
  profiles: readonly ModelProfile[];
  /** Share of the prompt limit the text before the cursor keeps when other files are added (default 0.5, the editor's). */
  minPrefixShare?: number;
  /**
   * Requests in flight at once per profile; several levels make a sweep (every case replayed
   * at each level, in this order). Default 1 (the editor's own pattern).
   */
  concurrency?: number | readonly number[];
  /**
   * After the levels given, keep doubling the last level while its p90 TTFT meets the SLO,
   * up to `max` requests in flight: finds the highest concurrency within the SLO without
   * guessing the levels. Each extra level replays every case once more.
   */
  concurrencySearch?: { max: number };
  /** Prompt-token bounds of the length classes short | medium | long. Default [256, 1024]. */
  lengthBounds?: LengthBounds;
  /** Prompt token budget, as the editor's setting. Default 1536. */
  budgetTokens?: number;
  signal?: AbortSignal;
  /** After each request (done counts all profiles; total = cases x profiles). */
  onProgress?: (done: number, total: number, current: ProgressInfo) => void;
  gpuSampler?: GpuWindowSource;
  /**
   * Per-process GPU memory (nvidia-smi's compute apps): with it each profile's VRAM is its
   * own server's processes' (found by the endpoint's listening port), not the card's.
   */
  processVram?: ProcessVramSource & { ready?(timeoutMs?: number): Promise<void> };
  seed?: number;
  /** TTFT SLO for goodput and the highest concurrency within it. Default DEFAULT_TTFT_SLO_MS. */
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
  /**
   * Starts a profile's server before its run (and the runner stops it after), so servers
   * start one after another and their load time, first completion and VRAM after load are
   * measured; undefined for a profile whose server is already running.
   */
  launch?: (profile: ModelProfile) => Promise<LaunchedServer | undefined>;
  /** Judges "parses after insertion"; default: one loading the cases' tree-sitter grammars. */
  parseChecker?: ParseChecker;
  /** Tests and benches may pass another client; default: the real streaming client. */
  client?: CompletionClient;
  /** Where prompts are built (the extension: a worker thread); default in-process. */
  context?: ContextBuilder;
}

export { DEFAULT_TTFT_SLO_MS };
export const DEFAULT_BUDGET_TOKENS = 1536;
/** The editor's default of completionLab.context.minPrefixShare. */
export const DEFAULT_MIN_PREFIX_SHARE = 0.5;

/** Distinct positive whole levels in the order given; [1] when none. */
export function concurrencyLevels(c: number | readonly number[] | undefined): number[] {
  const list = (typeof c === 'number' ? [c] : c ?? [1]).map((n) => Math.max(1, Math.floor(n)));
  const out = [...new Set(list)];
  return out.length ? out : [1];
}

export async function runComparison(opts: RunComparisonOptions): Promise<ComparisonReport> {
  const startedAt = Date.now();
  const ttftSloMs = opts.ttftSloMs ?? DEFAULT_TTFT_SLO_MS;
  const levels = concurrencyLevels(opts.concurrency);
  const total = opts.cases.length * opts.profiles.length * levels.length;
  // Load the tokenizer now (about a second, once), not inside the first profile's window.
  const context = opts.context ?? inProcessContext;
  await context.warm();
  const parser = opts.parseChecker ?? new ParseChecker();
  await parser.prepare(opts.cases.map((c) => c.languageId));
  const gpuHold = opts.gpuSampler?.acquire();
  const vramHold = opts.processVram?.acquire();
  const profiles: ProfileResult[] = [];
  // One state for the whole run: the doubling search adds to its total as it goes.
  const run: RunState = { ttftSloMs, levels, total, progress: { done: 0 }, parser };
  try {
    if (opts.gpuSampler) await firstSample(opts.gpuSampler, opts.signal);
    await opts.processVram?.ready?.(FIRST_SAMPLE_WAIT_MS);
    for (const profile of opts.profiles) {
      if (opts.signal?.aborted) {
        profiles.push(aggregate({ name: profile.name, endpoint: profile.endpoint, status: 'cancelled', results: [], ttftSloMs }));
        continue;
      }
      profiles.push(await runLaunched(profile, opts, run));
    }
  } finally {
    gpuHold?.dispose();
    vramHold?.dispose();
  }
  const sources = new Set(opts.cases.map((c) => c.source));
  const lineEndCases = opts.cases.filter((c) => c.atLineEnd).length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    startedAt,
    finishedAt: Date.now(),
    cancelled: opts.signal?.aborted ?? false,
    cases: opts.cases.length,
    source: sources.size > 1 ? 'mixed' : sources.has('recorded') ? 'recorded' : 'workspace',
    ttftSloMs,
    concurrency: levels[0]!,
    concurrencyLevels: levels,
    lengthBounds: opts.lengthBounds ?? DEFAULT_LENGTH_BOUNDS,
    ...(opts.warmupRequests ? { warmupRequests: opts.warmupRequests } : {}),
    ...(lineEndCases ? { lineEndCases } : {}),
    ...(opts.concurrencySearch ? { concurrencySearch: { max: opts.concurrencySearch.max } } : {}),
    profiles,
  };
}

interface RunState {
  parser: ParseChecker;
  ttftSloMs: number;
  levels: number[];
  /** Grows when the doubling search adds a level. */
  total: number;
  progress: { done: number };
}

type Request = (c: ReplayCase) => ReturnType<typeof completeAt>;

/** Starts the profile's server when asked to, runs the profile, stops the server. */
async function runLaunched(profile: ModelProfile, opts: RunComparisonOptions, run: RunState): Promise<ProfileResult> {
  let server: LaunchedServer | undefined;
  try {
    server = await opts.launch?.(profile);
  } catch (err) {
    run.progress.done += opts.cases.length * run.levels.length;
    return aggregate({ name: profile.name, endpoint: profile.endpoint, ttftSloMs: run.ttftSloMs, status: 'failed', error: (err as Error).message, results: [] });
  }
  try {
    return await runProfile(profile, opts, run, server);
  } finally {
    await server?.stop();
  }
}

async function runProfile(profile: ModelProfile, opts: RunComparisonOptions, run: RunState, launched?: LaunchedServer): Promise<ProfileResult> {
  const { ttftSloMs } = run;
  const base = { name: profile.name, endpoint: profile.endpoint, ttftSloMs };
  const apiKey = (await opts.apiKeyFor?.(profile)) || undefined;
  // Found before the run: the server's processes (listener and descendants) on this machine.
  const processes = opts.processVram ? findServerProcesses(profile.endpoint) : undefined;
  let resolved: ResolvedProfile;
  try {
    const models = await listModels(profile.endpoint, { timeoutMs: 15_000, ...(apiKey ? { apiKey } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    resolved = resolveFor(profile, pickServedModel(models, profile.model, profile.endpoint, `"model" in profile "${profile.name}"`));
  } catch (err) {
    if (opts.signal?.aborted) return aggregate({ ...base, status: 'cancelled', results: [] });
    // Every case of this profile counts as done, so the progress bar still reaches the end.
    run.progress.done += opts.cases.length * run.levels.length;
    opts.onProgress?.(run.progress.done, run.total, { profile: profile.name, caseId: '' });
    const failed = aggregate({ ...base, status: 'failed', error: (err as Error).message, results: [] });
    if (processes?.kind === 'none') failed.modelGpu = { attribution: 'none', reason: processes.reason, snapshots: 0 };
    return failed;
  }

  const { served } = resolved;
  const request: Request = (c) =>
    completeAt({
      text: c.prefix + c.suffix,
      offset: c.prefix.length,
      languageId: c.languageId,
      resolved,
      budgetTokens: opts.budgetTokens ?? DEFAULT_BUDGET_TOKENS,
      multiline: opts.multiline ?? true,
      context: opts.context ?? inProcessContext,
      firstTokenTimeoutMs: opts.firstTokenTimeoutMs ?? 60_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 180_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      // Only for a profile that asks (otherFiles: true): recorded traffic has no other files, so
      // a comparison measures the current file alone unless a profile is the "with" side.
      ...(c.otherFiles && profile.otherFiles === true ? { otherFiles: { ...c.otherFiles, minPrefixShare: opts.minPrefixShare ?? DEFAULT_MIN_PREFIX_SHARE } } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(opts.client ? { client: opts.client } : {}),
    });

  // Warm-up before the window opens: its time, tokens and GPU use are not the profile's,
  // but the first one's TTFT is the server's cold start, reported as such.
  let coldTtftMs: number | undefined;
  let firstCompletionAt: number | undefined;
  const vramAfterLoad = launched && processes?.kind === 'local' ? loadedVram(opts, processes.pids) : undefined;
  for (let i = 0; i < (opts.warmupRequests ?? 0) && opts.cases.length && !opts.signal?.aborted; i++) {
    const out = await request(opts.cases[i % opts.cases.length]!).catch(() => undefined);
    if (i === 0) {
      coldTtftMs = out?.result.timings.ttftMs;
      if (out) firstCompletionAt = Date.now();
    }
  }
  if (opts.signal?.aborted) return aggregate({ ...base, status: 'cancelled', results: [] });

  const metricsBefore = await scrapeMetrics(profile.endpoint, served.id, apiKey);
  const levels: LevelRun[] = [];
  const planned = [...run.levels];
  for (let i = 0; i < planned.length && !opts.signal?.aborted; i++) {
    const level = await runLevel(profile.name, request, opts, planned[i]!, run);
    levels.push(level);
    const next = i === planned.length - 1 ? nextSearchLevel(level, opts.concurrencySearch, ttftSloMs) : undefined;
    if (next !== undefined) {
      planned.push(next);
      run.total += opts.cases.length;
    }
  }
  const first = levels[0] ?? { concurrency: run.levels[0]!, results: [], wallMs: 0, t0: Date.now(), t1: Date.now(), effective: undefined };
  const t0 = first.t0;
  const t1 = levels.length ? levels[levels.length - 1]!.t1 : t0;
  const metricsAfter = await scrapeMetrics(profile.endpoint, served.id, apiKey);

  // The profile's headline numbers and quality are its first level's (the editor's pattern at 1).
  const result = aggregate({
    ...base,
    status: opts.signal?.aborted ? 'cancelled' : 'ok',
    model: served.id,
    results: first.results,
    wallMs: first.wallMs,
    windowStart: t0,
    windowEnd: t1,
    lengthBounds: opts.lengthBounds ?? DEFAULT_LENGTH_BOUNDS,
  });
  if (coldTtftMs !== undefined) result.coldTtftMs = coldTtftMs;
  if (launched) {
    result.load = { how: launched.how, readyMs: launched.readyAt - launched.spawnedAt };
    if (firstCompletionAt !== undefined) result.load.firstCompletionMs = firstCompletionAt - launched.spawnedAt;
    const vram = await vramAfterLoad;
    if (vram !== undefined) result.load.vramAfterLoadMiB = vram;
  }
  if (levels.length > 1 || opts.concurrencySearch) {
    result.sweep = sweepOf(levels, ttftSloMs);
    const within = result.sweep.filter((l) => l.ttftMs.p90 !== undefined && l.ttftMs.p90 <= ttftSloMs).map((l) => l.concurrency);
    result.maxConcurrencyWithinSlo = within.length ? Math.max(...within) : null;
  }
  if (served.root) result.root = served.root;
  if (served.maxModelLen) result.maxModelLen = served.maxModelLen;
  const effective = levels.find((l) => l.effective)?.effective;
  if (effective) {
    result.template = effective.template;
    result.maxTokens = effective.maxTokens;
    if (effective.warnings.length) result.warnings = [...effective.warnings];
  }
  if (opts.gpuSampler) result.gpu = opts.gpuSampler.summarize(t0, t1);
  if (opts.processVram && processes) {
    if (processes.kind === 'local') await opts.processVram.after?.(t1);
    result.modelGpu = modelGpu(opts, processes, { t0, t1, firstTokenTs: firstTokenAt(first.results) });
  }
  result.timeline = timelineOf(opts, processes, result.modelGpu?.gpus, levels, t0, t1);
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

interface LevelRun {
  concurrency: number;
  results: CaseResult[];
  wallMs: number;
  t0: number;
  t1: number;
  effective: { template: string; maxTokens: number; warnings: string[] } | undefined;
}

/** Every case once, `concurrency` requests in flight; cancelled requests stop the level. */
async function runLevel(profileName: string, request: Request, opts: RunComparisonOptions, concurrency: number, run: RunState): Promise<LevelRun> {
  const results: CaseResult[] = new Array(opts.cases.length);
  let next = 0;
  let effective: LevelRun['effective'];
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
        effective ??= { template: out.effective.template, maxTokens: out.effective.maxTokens, warnings: out.warnings };
        results[index] = caseResult(c, startedAt, out, run.parser);
      } catch (err) {
        const cancelled = isAbort(err) || opts.signal?.aborted === true;
        results[index] = { caseId: c.id, languageId: c.languageId, startedAt, status: cancelled ? 'cancelled' : 'failed', groundTruth: c.groundTruth, error: (err as Error).message };
        if (cancelled) return;
      } finally {
        lastEnd = Math.max(lastEnd, performance.now());
      }
      run.progress.done++;
      opts.onProgress?.(run.progress.done, run.total, { profile: profileName, caseId: c.id, concurrency });
    }
  };

  const workers = Math.max(1, Math.min(concurrency, opts.cases.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  const wallMs = lastEnd - perf0;
  return { concurrency, results: results.filter((r): r is CaseResult => r !== undefined), wallMs, t0, t1: t0 + wallMs, effective };
}

function caseResult(c: ReplayCase, startedAt: number, out: Awaited<ReturnType<Request>>, parser: ParseChecker): CaseResult {
  const t = out.result.timings;
  const r: CaseResult = {
    caseId: c.id,
    languageId: c.languageId,
    startedAt,
    status: 'ok',
    completion: out.text ?? '',
    raw: out.raw,
    groundTruth: c.groundTruth,
    quality: scoreCompletion({ completion: out.text, groundTruth: c.groundTruth, prefix: c.prefix, suffix: c.suffix, languageId: c.languageId }, parser),
    timings: t,
    promptTokens: out.context.promptTokens,
    finishReason: out.result.finishReason,
  };
  return r;
}

/** Per level: the one summary, its window, and throughput against level 1's (or the first level's). */
function sweepOf(levels: readonly LevelRun[], ttftSloMs: number): LevelResult[] {
  const out = levels.map((l): LevelResult => ({ concurrency: l.concurrency, ...summarizeRequests(l.results.map(caseTiming), { ttftSloMs, wallMs: l.wallMs }), windowStart: l.t0, windowEnd: l.t1 }));
  const base = out[0]?.throughputTokensPerSec;
  if (base) for (const l of out) if (l.throughputTokensPerSec !== undefined) l.scaling = l.throughputTokensPerSec / base;
  return out;
}

/**
 * The doubling search's next level: twice `level`'s when its p90 TTFT met the SLO (and it
 * had no failures) and that stays within the bound; undefined ends the search.
 */
export function nextSearchLevel(level: Pick<LevelRun, 'concurrency' | 'results'>, search: { max: number } | undefined, ttftSloMs: number): number | undefined {
  if (!search) return undefined;
  const s = summarizeRequests(level.results.map(caseTiming), { ttftSloMs });
  const p90 = s.ttftMs.p90;
  const next = level.concurrency * 2;
  return p90 !== undefined && p90 <= ttftSloMs && s.failures === 0 && next <= search.max ? next : undefined;
}

/** The run over time for the panel: GPU samples, the server's own memory, every request. */
function timelineOf(opts: RunComparisonOptions, processes: ServerProcesses | undefined, gpus: number[] | undefined, levels: readonly LevelRun[], t0: number, t1: number): ProfileResult['timeline'] {
  const requests = levels.flatMap((l) => l.results.map((r) => ({ startedAt: r.startedAt, status: r.status, ttftMs: r.timings?.ttftMs, e2eMs: r.timings?.e2eMs, concurrency: l.concurrency })));
  return profileTimeline({
    t0,
    t1,
    requests,
    cardSamples: opts.gpuSampler?.samplesBetween?.(t0, t1) ?? [],
    ...(opts.processVram && processes?.kind === 'local' ? { snapshots: opts.processVram.between(t0, t1), pids: processes.pids } : {}),
    ...(gpus ? { gpus } : {}),
  });
}

/** The launched server's own GPU memory once it is ready (the next per-process reading). */
async function loadedVram(opts: RunComparisonOptions, pids: number[]): Promise<number | undefined> {
  const source = opts.processVram;
  if (!source) return undefined;
  const now = Date.now();
  await source.after?.(now);
  const snap = source.latest();
  return snap && snap.ts >= now ? processMemory(snap, new Set(pids))?.memMiB : undefined;
}

/** Epoch ms of the profile's first token: its earliest request start + TTFT. */
function firstTokenAt(results: readonly CaseResult[]): number | undefined {
  const ts = results.flatMap((r) => (r.timings?.ttftMs !== undefined ? [r.startedAt + r.timings.ttftMs] : []));
  return ts.length ? Math.min(...ts) : undefined;
}

function modelGpu(opts: RunComparisonOptions, processes: ServerProcesses, window: { t0: number; t1: number; firstTokenTs: number | undefined }): ModelGpuSummary {
  const source = opts.processVram!;
  if (processes.kind === 'none') return { attribution: 'none', reason: processes.reason, snapshots: 0 };
  if (source.problem) return { attribution: 'none', reason: source.problem, pids: processes.pids, snapshots: 0 };
  const w = { t0: window.t0, t1: window.t1, ...(window.firstTokenTs !== undefined ? { firstTokenTs: window.firstTokenTs } : {}) };
  // The card's samples from a little before the window, for its idle reading.
  const card = opts.gpuSampler?.samplesBetween?.(window.t0 - 10_000, window.t1) ?? [];
  return summarizeModelGpu(source.between(window.t0, window.t1), processes.pids, w, card);
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
