// The comparison report model (what the runner returns, the CLI prints and the panel
// shows), its per-profile aggregates, and its markdown form. Pure functions. Client-side
// numbers (DESIGN.md "Metrics") and server-side /metrics numbers are kept apart.
import type { Timings } from '../client/types';
import { distribution, mean, type Distribution } from '../stats/describe';
import type { GpuWindowSummary } from '../gpu/summary';
import type { MetricsWindow, ServerKind } from '../server/serverMetrics';
import type { QualityScores } from './quality';

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

export interface ProfileResult {
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
  /** Requests that finished (ok + failed); cancelled ones are not counted. */
  count: number;
  failures: number;
  cancelledRequests: number;
  ttftMs: Distribution;
  e2eMs: Distribution;
  tpotMs: Distribution;
  decodeTokensPerSec: Distribution;
  outputTokens: number;
  /** First request start to last request end of this profile, ms. */
  wallMs?: number;
  /** sum(output tokens) / wall time. */
  throughputTokensPerSec?: number;
  /** Fraction of finished requests with TTFT <= the SLO (failed ones never meet it). */
  goodput?: number;
  exactMatchRate?: number;
  meanEditSimFirstLine?: number;
  meanEditSim?: number;
  /** Heuristic (see quality.ts), over the cases whose language it fits. */
  bracketsBalancedRate?: number;
  jsonParsesRate?: number;
  /** Epoch ms of this profile's window (GPU and /metrics). */
  windowStart?: number;
  windowEnd?: number;
  gpu?: GpuWindowSummary;
  /** Server-side, from /metrics before and after this profile's run. */
  server?: { kind: ServerKind; window: MetricsWindow };
  serverError?: string;
  results: CaseResult[];
}

export interface ComparisonReport {
  startedAt: number;
  finishedAt: number;
  cancelled: boolean;
  cases: number;
  source: 'recorded' | 'workspace';
  ttftSloMs: number;
  concurrency: number;
  /** Uncounted requests sent to each profile before its measured run (cold start kept out). */
  warmupRequests?: number;
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
}

export function aggregate(input: AggregateInput): ProfileResult {
  const finished = input.results.filter((r) => r.status !== 'cancelled');
  const ok = finished.filter((r) => r.status === 'ok');
  const outputTokens = ok.reduce((s, r) => s + (r.timings?.outputTokens ?? 0), 0);
  const out: ProfileResult = {
    name: input.name,
    endpoint: input.endpoint,
    status: input.status,
    count: finished.length,
    failures: finished.length - ok.length,
    cancelledRequests: input.results.length - finished.length,
    ttftMs: distribution(ok.map((r) => r.timings?.ttftMs)),
    e2eMs: distribution(ok.map((r) => r.timings?.e2eMs)),
    tpotMs: distribution(ok.map((r) => r.timings?.tpotMs)),
    decodeTokensPerSec: distribution(ok.map((r) => r.timings?.decodeTokensPerSec)),
    outputTokens,
    results: input.results,
  };
  if (input.error !== undefined) out.error = input.error;
  if (input.model !== undefined) out.model = input.model;
  if (input.windowStart !== undefined) out.windowStart = input.windowStart;
  if (input.windowEnd !== undefined) out.windowEnd = input.windowEnd;
  if (input.wallMs !== undefined && input.wallMs > 0) {
    out.wallMs = input.wallMs;
    out.throughputTokensPerSec = outputTokens / (input.wallMs / 1000);
  }
  if (finished.length) {
    out.goodput = ok.filter((r) => r.timings?.ttftMs !== undefined && r.timings?.ttftMs <= input.ttftSloMs).length / finished.length;
    // Quality over finished requests: a failed request scores as a miss, not as absent.
    const q = finished.map((r) => r.quality);
    out.exactMatchRate = q.filter((s) => s?.exactMatch).length / finished.length;
    out.meanEditSimFirstLine = mean(q.map((s) => s?.editSimFirstLine ?? 0))!;
    out.meanEditSim = mean(q.map((s) => s?.editSim ?? 0))!;
    const rate = (pick: (s: QualityScores) => boolean | undefined): number | undefined => {
      const vals = ok.map((r) => (r.quality ? pick(r.quality) : undefined)).filter((v): v is boolean => v !== undefined);
      return vals.length ? vals.filter(Boolean).length / vals.length : undefined;
    };
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
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const num = (digits: number) => (v: number): string => v.toFixed(digits);

const GROUPS: { title: string; rows: Row[] }[] = [
  {
    title: 'Latency (client side)',
    rows: [
      { label: 'TTFT p50', value: (p) => p.ttftMs.p50, format: ms, better: 'lower' },
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
      { label: 'Brackets balanced (heuristic)', value: (p) => p.bracketsBalancedRate, format: pct, better: 'higher' },
      { label: 'JSON still parses', value: (p) => p.jsonParsesRate, format: pct, better: 'higher' },
    ],
  },
  {
    title: 'GPU (over each profile\'s run)',
    rows: [
      { label: 'VRAM idle', value: (p) => p.gpu?.vramIdleMiB, format: (v) => `${v.toFixed(0)} MiB` },
      { label: 'VRAM peak', value: (p) => p.gpu?.vramPeakMiB, format: (v) => `${v.toFixed(0)} MiB`, better: 'lower' },
      { label: 'GPU util mean', value: (p) => p.gpu?.utilMeanPct, format: (v) => `${v.toFixed(1)}%` },
      { label: 'GPU util std', value: (p) => p.gpu?.utilStdPct, format: (v) => `${v.toFixed(1)}%` },
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
  lines.push(`${report.cases} cases (${report.source === 'recorded' ? 'recorded traffic, ground truth = what was kept' : 'sampled from the workspace, ground truth = the real next lines'}), ` +
    `${report.profiles.length} profiles, concurrency ${report.concurrency}, TTFT SLO ${report.ttftSloMs} ms` +
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
    const rows = g.rows.filter((r) => report.profiles.some((p) => r.value(p) !== undefined));
    if (!rows.length) continue;
    lines.push('', `## ${g.title}`, '');
    lines.push(`| metric | ${names.join(' | ')} |`);
    lines.push(`| --- |${names.map(() => ' ---: |').join('')}`);
    for (const r of rows) {
      const cells = report.profiles.map((p) => {
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
  const serverNotes = report.profiles.filter((p) => p.serverError).map((p) => `- ${p.name}: ${esc(p.serverError!)}`);
  if (serverNotes.length) lines.push('', 'Server-side numbers missing:', ...serverNotes);
  const gpuless = report.profiles.every((p) => !p.gpu);
  if (gpuless) lines.push('', 'No GPU numbers: no GPU sampler was running (no nvidia-smi/amd-smi/rocm-smi here, or the caller gave none).');
  return lines.join('\n') + '\n';
}
