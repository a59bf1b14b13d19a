// The comparison report model (what the runner returns, the CLI prints and the panel
// shows), its per-profile aggregates, and its markdown form. Pure functions. Client-side
// numbers (DESIGN.md "Metrics") and server-side /metrics numbers are kept apart.
import type { Timings } from '../client/types';
import { mean } from '../stats/describe';
import { copyTimings, summarizeRequests, type RequestSummary, type RequestTiming } from '../stats/summarize';
import { DEFAULT_LENGTH_BOUNDS, lengthClasses, type LengthBounds, type LengthClassResult } from './lengthClasses';
import type { GpuWindowSummary } from '../gpu/summary';
import type { ModelGpuSummary } from '../gpu/attribution';
import type { MetricsWindow, ServerKind } from '../server/serverMetrics';
import type { QualityScores } from './quality';
import type { SelectionSource } from './cases';
import { lengthSection, significanceSection, sweepSection } from './reportSections';
import type { ProfileTimeline } from './timeline';

export interface CaseResult {
  caseId: string;
  languageId: string;
  /** Epoch ms when the request started. */
  startedAt: number;
  /** cancelled: aborted by the user while in flight (not a failure). */
  status: 'ok' | 'failed' | 'cancelled';
  /** What would be shown ('' = nothing worth showing). */
  completion?: string;
  raw?: string;
  groundTruth: string;
  quality?: QualityScores;
  /** As the client measured them; promptTokens is the tokenizer's count of the prompt built. */
  timings?: Timings;
  promptTokens?: number;
  finishReason?: string | null;
  error?: string;
}

/** A comparison case as the one summary reads it (timings flattened, prompt size kept for length classes). */
export function caseTiming(r: CaseResult): RequestTiming & { promptTokens?: number } {
  const t: RequestTiming & { promptTokens?: number } = { startedAt: r.startedAt, status: r.status };
  if (r.promptTokens !== undefined) t.promptTokens = r.promptTokens;
  return copyTimings(t, r.timings ?? {});
}

/** A server started by the comparison (CLI --launch / --engine): its load, measured. */
export interface ServerLoad {
  /** How it was started (the launch command, or "embedded engine"). */
  how: string;
  /** Spawn to the first /health 200. */
  readyMs: number;
  /** Spawn to the end of the first completed request (the uncounted warm-up). */
  firstCompletionMs?: number;
  /** The server's processes' GPU memory once ready (per-process, when it could be attributed). */
  vramAfterLoadMiB?: number;
}

/** One concurrency level of a sweep: the one summary over that level's requests. */
export interface LevelResult extends RequestSummary {
  concurrency: number;
  /** Throughput against the first level's (1 when the sweep starts at 1). */
  scaling?: number;
  windowStart: number;
  windowEnd: number;
}

/**
 * One profile: the summary of its requests (src/core/stats, the same function as the
 * panel's live numbers; at the first concurrency level), plus quality, GPU and server numbers.
 */
export interface ProfileResult extends RequestSummary {
  name: string;
  endpoint: string;
  /** failed: the server could not be used at all (error says why); cancelled: stopped part way. */
  status: 'ok' | 'failed' | 'cancelled';
  error?: string;
  model?: string;
  root?: string;
  maxModelLen?: number;
  template?: string;
  maxTokens?: number;
  warnings?: string[];
  /** TTFT of the first (uncounted) warm-up request: the server's cold start. */
  coldTtftMs?: number;
  /** When the comparison started this profile's server itself. */
  load?: ServerLoad;
  /** Per concurrency level, when more than one was asked for. */
  sweep?: LevelResult[];
  /** Highest level whose p90 TTFT met the SLO; null when none did. */
  maxConcurrencyWithinSlo?: number | null;
  /** TTFT by prompt length (first level's requests). */
  lengthClasses?: LengthClassResult[];
  exactMatchRate?: number;
  meanEditSimFirstLine?: number;
  meanEditSim?: number;
  /** tree-sitter: the document parses after insertion, over the cases where the ground-truth document parses. */
  parsesAfterRate?: number;
  /** tree-sitter: the document parsed before insertion (prefix + suffix), over the cases with a grammar. */
  parsedBeforeRate?: number;
  /** Heuristic (see quality.ts), over the cases whose language it fits and has no grammar. */
  bracketsBalancedRate?: number;
  jsonParsesRate?: number;
  /** Epoch ms of this profile's window (GPU and /metrics). */
  windowStart?: number;
  windowEnd?: number;
  /** The card(s) as the GPU sampler saw them: every process's use together. */
  gpu?: GpuWindowSummary;
  /** This profile's own server processes' GPU memory (or why it could not be attributed). */
  modelGpu?: ModelGpuSummary;
  /** The run over time (GPU samples, the server's own memory, every request), for the panel's chart. */
  timeline?: ProfileTimeline | undefined;
  /** Server-side, from /metrics before and after this profile's run. */
  server?: { kind: ServerKind; window: MetricsWindow };
  serverError?: string;
  results: CaseResult[];
}

/** Bump when a field changes meaning or goes away (adding one is compatible). */
export const REPORT_SCHEMA_VERSION = 2;

export interface ComparisonReport {
  /** 2: sweep, length classes, per-model GPU; reports without it are version 1. */
  schemaVersion: number;
  startedAt: number;
  finishedAt: number;
  cancelled: boolean;
  cases: number;
  source: SelectionSource;
  ttftSloMs: number;
  /** The first (or only) concurrency level: the one the headline numbers are from. */
  concurrency: number;
  concurrencyLevels?: number[];
  lengthBounds?: LengthBounds;
  /** The doubling search for the highest concurrency within the SLO, when it ran. */
  concurrencySearch?: { max: number };
  /** Uncounted requests sent to each profile before its measured run (cold start kept out). */
  warmupRequests?: number;
  /** Workspace cases whose cursor was at a line end (`--cursor line-end`); absent when none. */
  lineEndCases?: number;
  profiles: ProfileResult[];
}

export interface AggregateInput {
  name: string;
  endpoint: string;
  status: ProfileResult['status'];
  error?: string;
  model?: string;
  results: CaseResult[];
  ttftSloMs: number;
  wallMs?: number;
  windowStart?: number;
  windowEnd?: number;
  lengthBounds?: LengthBounds;
}

export function aggregate(input: AggregateInput): ProfileResult {
  const finished = input.results.filter((r) => r.status !== 'cancelled');
  const ok = finished.filter((r) => r.status === 'ok');
  const summary = summarizeRequests(input.results.map(caseTiming), { ttftSloMs: input.ttftSloMs, ...(input.wallMs !== undefined ? { wallMs: input.wallMs } : {}) });
  // A profile that never ran has no wall time (the summary would measure 0 from no requests).
  if (input.wallMs === undefined) {
    delete summary.wallMs;
    delete summary.throughputTokensPerSec;
  }
  const out: ProfileResult = { name: input.name, endpoint: input.endpoint, status: input.status, ...summary, results: input.results };
  if (input.error !== undefined) out.error = input.error;
  if (input.model !== undefined) out.model = input.model;
  if (input.windowStart !== undefined) out.windowStart = input.windowStart;
  if (input.windowEnd !== undefined) out.windowEnd = input.windowEnd;
  if (ok.some((r) => r.promptTokens !== undefined)) out.lengthClasses = lengthClasses(input.results.map(caseTiming), input.lengthBounds ?? DEFAULT_LENGTH_BOUNDS);
  if (finished.length) {
    // Quality over finished requests: a failed request scores as a miss, not as absent.
    const q = finished.map((r) => r.quality);
    out.exactMatchRate = q.filter((s) => s?.exactMatch).length / finished.length;
    out.meanEditSimFirstLine = mean(q.map((s) => s?.editSimFirstLine ?? 0))!;
    out.meanEditSim = mean(q.map((s) => s?.editSim ?? 0))!;
    const rate = (pick: (s: QualityScores) => boolean | undefined): number | undefined => {
      const vals = ok.map((r) => (r.quality ? pick(r.quality) : undefined)).filter((v): v is boolean => v !== undefined);
      return vals.length ? vals.filter(Boolean).length / vals.length : undefined;
    };
    const pa = rate((s) => s.parses);
    if (pa !== undefined) out.parsesAfterRate = pa;
    const pb = rate((s) => s.parsedBefore);
    if (pb !== undefined) out.parsedBeforeRate = pb;
    const bb = rate((s) => s.bracketsBalanced);
    if (bb !== undefined) out.bracketsBalancedRate = bb;
    const jp = rate((s) => s.jsonParses);
    if (jp !== undefined) out.jsonParsesRate = jp;
  }
  return out;
}

export function toJson(report: ComparisonReport): string {
  return JSON.stringify(report, null, 2);
}

type Better = 'lower' | 'higher';
interface Row {
  label: string;
  value: (p: ProfileResult) => number | undefined;
  format: (v: number) => string;
  better?: Better;
  /** A cell's text where a number would mislead (e.g. "shared"). */
  text?: (p: ProfileResult) => string | undefined;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const num = (digits: number) => (v: number): string => v.toFixed(digits);
const mib = (v: number): string => `${v.toFixed(0)} MiB`;
const util = (v: number): string => `${v.toFixed(1)}%`;
const sharedUtil = (p: ProfileResult): string | undefined => (p.modelGpu?.utilShared ? 'shared' : undefined);

function meanPromptTokens(p: ProfileResult): number | undefined {
  const counts = p.results.filter((r) => r.status === 'ok' && r.promptTokens !== undefined).map((r) => r.promptTokens!);
  return counts.length ? counts.reduce((s, n) => s + n, 0) / counts.length : undefined;
}

const GROUPS: { title: string; rows: Row[] }[] = [
  {
    title: 'Latency (client side)',
    rows: [
      { label: 'TTFT p50', value: (p) => p.ttftMs.p50, format: ms, better: 'lower' },
      { label: 'Cold TTFT (first warm-up request)', value: (p) => p.coldTtftMs, format: ms },
      { label: 'TTFT p90', value: (p) => p.ttftMs.p90, format: ms, better: 'lower' },
      { label: 'TTFT p99', value: (p) => p.ttftMs.p99, format: ms, better: 'lower' },
      { label: 'TTFT mean ± std', value: (p) => p.ttftMs.mean, format: ms },
      { label: 'E2E p50', value: (p) => p.e2eMs.p50, format: ms, better: 'lower' },
      { label: 'E2E p90', value: (p) => p.e2eMs.p90, format: ms, better: 'lower' },
      { label: 'TPOT p50', value: (p) => p.tpotMs.p50, format: ms, better: 'lower' },
      { label: 'Decode tokens/s p50', value: (p) => p.decodeTokensPerSec.p50, format: num(1), better: 'higher' },
    ],
  },
  {
    title: 'Throughput and reliability',
    rows: [
      { label: 'Requests finished', value: (p) => p.count, format: num(0) },
      { label: 'Failures', value: (p) => (p.status === 'failed' ? undefined : p.failures), format: num(0), better: 'lower' },
      { label: 'Output tokens', value: (p) => p.outputTokens, format: num(0) },
      // What other files' snippets (a profile's otherFiles) or a template cost in prompt size.
      { label: 'Prompt tokens (mean)', value: meanPromptTokens, format: num(0) },
      { label: 'Throughput (tokens/s)', value: (p) => p.throughputTokensPerSec, format: num(1), better: 'higher' },
      { label: 'Goodput (TTFT within SLO)', value: (p) => p.goodput, format: pct, better: 'higher' },
    ],
  },
  {
    title: 'Quality (against the ground truth)',
    rows: [
      { label: 'Exact match, first line', value: (p) => p.exactMatchRate, format: pct, better: 'higher' },
      { label: 'Edit similarity, first line', value: (p) => p.meanEditSimFirstLine, format: num(3), better: 'higher' },
      { label: 'Edit similarity, whole', value: (p) => p.meanEditSim, format: num(3), better: 'higher' },
      { label: 'Parses after insertion (tree-sitter)', value: (p) => p.parsesAfterRate, format: pct, better: 'higher' },
      { label: 'Parsed before insertion (tree-sitter)', value: (p) => p.parsedBeforeRate, format: pct },
      { label: 'Brackets balanced (heuristic)', value: (p) => p.bracketsBalancedRate, format: pct, better: 'higher' },
      { label: 'JSON still parses', value: (p) => p.jsonParsesRate, format: pct, better: 'higher' },
    ],
  },
  {
    // DESIGN.md "Per-model numbers": a card's memory belongs to every process on it.
    title: 'GPU: each model\'s own server processes',
    rows: [
      { label: 'VRAM idle (model)', value: (p) => p.modelGpu?.vramIdleMiB, format: mib },
      { label: 'VRAM at first token (model)', value: (p) => p.modelGpu?.vramAtFirstTokenMiB, format: mib },
      { label: 'VRAM peak (model)', value: (p) => p.modelGpu?.vramPeakMiB, format: mib, better: 'lower' },
      { label: 'VRAM std (model)', value: (p) => p.modelGpu?.vramStdMiB, format: mib },
      { label: 'GPU util mean (card running only this model)', value: (p) => p.modelGpu?.utilMeanPct, format: util, text: sharedUtil },
      { label: 'GPU util std (card running only this model)', value: (p) => p.modelGpu?.utilStdPct, format: util, text: sharedUtil },
    ],
  },
  {
    title: 'GPU: the whole card (every process on it, not one model\'s)',
    rows: [
      { label: 'Card VRAM idle', value: (p) => p.modelGpu?.card?.vramIdleMiB ?? p.gpu?.vramIdleMiB, format: mib },
      { label: 'Card VRAM peak', value: (p) => p.modelGpu?.card?.vramPeakMiB ?? p.gpu?.vramPeakMiB, format: mib },
      { label: 'Card memory total', value: (p) => p.modelGpu?.card?.memTotalMiB, format: mib },
      { label: 'Card util mean', value: (p) => p.gpu?.utilMeanPct, format: util },
      { label: 'Card util std', value: (p) => p.gpu?.utilStdPct, format: util },
    ],
  },
  {
    title: 'Server side (/metrics, beside the client numbers, not mixed in)',
    rows: [
      { label: 'Requests seen', value: (p) => p.server?.window.requests, format: num(0) },
      { label: 'Mean TTFT', value: (p) => p.server?.window.meanTtftMs, format: ms, better: 'lower' },
      { label: 'Mean inter-token latency', value: (p) => p.server?.window.meanInterTokenMs, format: ms, better: 'lower' },
      { label: 'Mean E2E', value: (p) => p.server?.window.meanE2eMs, format: ms, better: 'lower' },
      { label: 'Generation tokens/s', value: (p) => p.server?.window.generationTokensPerSec, format: num(1), better: 'higher' },
    ],
  },
];

/** Profiles best on one metric (several on a tie), among those with a value; [] when under two have one. */
export function winners(report: ComparisonReport, value: (p: ProfileResult) => number | undefined, better: Better): string[] {
  const vals = report.profiles
    .filter((p) => p.status !== 'failed' && p.count > 0)
    .map((p) => ({ name: p.name, v: value(p) }))
    .filter((x): x is { name: string; v: number } => x.v !== undefined && Number.isFinite(x.v));
  if (vals.length < 2) return [];
  const best = better === 'lower' ? Math.min(...vals.map((x) => x.v)) : Math.max(...vals.map((x) => x.v));
  return vals.filter((x) => Math.abs(x.v - best) <= 1e-9 * Math.max(1, Math.abs(best))).map((x) => x.name);
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toMarkdown(report: ComparisonReport): string {
  const lines: string[] = [];
  const when = new Date(report.startedAt).toISOString();
  const secs = ((report.finishedAt - report.startedAt) / 1000).toFixed(1);
  lines.push('# Model comparison');
  lines.push('');
  const atEnds = report.lineEndCases && report.lineEndCases === report.cases;
  const source = { recorded: 'recorded traffic, ground truth = what was kept', workspace: atEnds ? 'sampled from the workspace at line ends, as after typing a line; ground truth = a line break and the real next lines' : 'sampled from the workspace, ground truth = the real next lines', mixed: 'recorded traffic (ground truth = what was kept) topped up with workspace samples (ground truth = the real next lines)' }[report.source];
  lines.push(`${report.cases} cases (${source}), ` +
    `${report.profiles.length} profiles, concurrency ${(report.concurrencyLevels ?? [report.concurrency]).join(', ')}, TTFT SLO ${report.ttftSloMs} ms` +
    `${report.warmupRequests ? `, ${report.warmupRequests} uncounted warm-up request${report.warmupRequests > 1 ? 's' : ''} per profile` : ''}. Started ${when}, took ${secs} s.`);
  if (report.cancelled) lines.push('', '**Cancelled**: the numbers below cover only the requests that finished.');
  lines.push('');
  lines.push('| profile | endpoint | model | template | max tokens | status |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const p of report.profiles) {
    const status = p.status === 'failed' ? `failed: ${p.error ?? ''}` : p.status === 'cancelled' ? `cancelled (${p.count} finished)` : `ok (${p.count} requests, ${p.failures} failed)`;
    lines.push(`| ${esc(p.name)} | ${esc(p.endpoint)} | ${esc(p.model ?? '-')} | ${p.template ?? '-'} | ${p.maxTokens ?? '-'} | ${esc(status)} |`);
  }
  const warnings = report.profiles.flatMap((p) => (p.warnings ?? []).map((w) => `${p.name}: ${w}`));
  if (warnings.length) lines.push('', ...warnings.map((w) => `- ${esc(w)}`));

  const names = report.profiles.map((p) => esc(p.name));
  for (const g of GROUPS) {
    const rows = g.rows.filter((r) => report.profiles.some((p) => r.value(p) !== undefined || r.text?.(p) !== undefined));
    if (!rows.length) continue;
    lines.push('', `## ${g.title}`, '');
    lines.push(`| metric | ${names.join(' | ')} |`);
    lines.push(`| --- |${names.map(() => ' ---: |').join('')}`);
    for (const r of rows) {
      const cells = report.profiles.map((p) => {
        const t = r.text?.(p);
        if (t !== undefined) return t;
        const v = r.value(p);
        if (v === undefined || !Number.isFinite(v)) return '-';
        if (r.label === 'TTFT mean ± std' && p.ttftMs.std !== undefined) return `${ms(v)} ± ${ms(p.ttftMs.std)}`;
        return r.format(v);
      });
      lines.push(`| ${r.label} | ${cells.join(' | ')} |`);
    }
    const wins = rows
      .filter((r) => r.better)
      .map((r) => ({ r, w: winners(report, r.value, r.better!) }))
      .filter((x) => x.w.length > 0);
    if (wins.length) {
      lines.push('');
      for (const { r, w } of wins) lines.push(`- Winner, ${r.label} (${r.better === 'lower' ? 'lowest' : 'highest'}): ${w.length > 1 ? `tie: ${w.join(', ')}` : w[0]}`);
    }
  }
  lines.push(...significanceSection(report), ...sweepSection(report), ...lengthSection(report));
  const serverNotes = report.profiles.filter((p) => p.serverError).map((p) => `- ${p.name}: ${esc(p.serverError!)}`);
  if (serverNotes.length) lines.push('', 'Server-side numbers missing:', ...serverNotes);
  const unattributed = report.profiles.filter((p) => p.modelGpu?.attribution === 'none').map((p) => `- ${p.name}: ${esc(p.modelGpu!.reason ?? '')}`);
  if (unattributed.length) lines.push('', 'No per-process GPU data (the card\'s numbers are not shown as the model\'s):', ...unattributed);
  const shared = report.profiles.filter((p) => p.modelGpu?.utilShared).map((p) => p.name);
  if (shared.length) lines.push('', `GPU utilisation is per card and cannot be split per process: "shared" where other processes ran on the same card (${shared.map(esc).join(', ')}).`);
  const gpuless = report.profiles.every((p) => !p.gpu && !p.modelGpu);
  if (gpuless) lines.push('', 'No GPU numbers: no GPU sampler was running (no nvidia-smi/amd-smi/rocm-smi here, or the caller gave none).');
  return lines.join('\n') + '\n';
}
