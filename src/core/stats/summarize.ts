// THE summary of a set of requests (DESIGN.md "Metrics: one definition everywhere"): the
// panel's live per-profile rows and every comparison report (each profile, each
// concurrency level, each prompt-length class) are computed here and nowhere else.
//   finished   = ok + failed requests; cancelled ones (stopped before a first token) are
//                neither, and counted apart
//   failureRate = failed / finished
//   throughput = sum(output tokens) / wall time (first start to last end, or as measured)
//   goodput    = ok requests with TTFT <= SLO / finished requests (a failure never meets it)
import type { CompletionRecord, Outcome } from '../store/record';
import { distribution, type Distribution } from './describe';

/** The TTFT service-level objective for goodput, unless the user sets another. */
export const DEFAULT_TTFT_SLO_MS = 300;

/** One request as the summary sees it: an editor record and a comparison case both map here. */
export interface RequestTiming {
  /** Epoch ms when the request started. */
  startedAt: number;
  status: 'ok' | 'failed' | 'cancelled';
  ttftMs?: number;
  e2eMs?: number;
  tpotMs?: number;
  decodeTokensPerSec?: number;
  outputTokens?: number;
}

/** The per-request timing numbers the summary reads. */
export const TIMING_KEYS = ['ttftMs', 'e2eMs', 'tpotMs', 'decodeTokensPerSec', 'outputTokens'] as const;
export type TimingKey = (typeof TIMING_KEYS)[number];

/** Copies the timing numbers that are defined from `from` onto `target` (absent stays absent). */
export function copyTimings<T extends Partial<Record<TimingKey, number>>>(target: T, from: Partial<Record<TimingKey, number | undefined>>): T {
  const into: Partial<Record<TimingKey, number>> = target;
  for (const k of TIMING_KEYS) {
    const v = from[k];
    if (v !== undefined) into[k] = v;
  }
  return target;
}

export interface RequestSummary {
  /** Finished requests: ok + failed. */
  count: number;
  failures: number;
  failureRate: number;
  cancelledRequests: number;
  ttftMs: Distribution;
  e2eMs: Distribution;
  tpotMs: Distribution;
  decodeTokensPerSec: Distribution;
  outputTokens: number;
  /** First request start to last request end, ms. */
  wallMs?: number;
  throughputTokensPerSec?: number;
  /** Fraction of finished requests with TTFT <= ttftSloMs. */
  goodput?: number;
  ttftSloMs?: number;
}

export interface SummaryOptions {
  ttftSloMs?: number;
  /** The wall time as measured by the caller (a runner knows it exactly); else from the timings. */
  wallMs?: number;
}

export function summarizeRequests(requests: readonly RequestTiming[], opts: SummaryOptions = {}): RequestSummary {
  const finished = requests.filter((r) => r.status !== 'cancelled');
  const ok = finished.filter((r) => r.status === 'ok');
  const outputTokens = ok.reduce((s, r) => s + (r.outputTokens ?? 0), 0);
  const out: RequestSummary = {
    count: finished.length,
    failures: finished.length - ok.length,
    failureRate: finished.length ? (finished.length - ok.length) / finished.length : 0,
    cancelledRequests: requests.length - finished.length,
    ttftMs: distribution(ok.map((r) => r.ttftMs)),
    e2eMs: distribution(ok.map((r) => r.e2eMs)),
    tpotMs: distribution(ok.map((r) => r.tpotMs)),
    decodeTokensPerSec: distribution(ok.map((r) => r.decodeTokensPerSec)),
    outputTokens,
  };
  const wallMs = opts.wallMs ?? measuredWall(finished);
  if (wallMs !== undefined && wallMs > 0) {
    out.wallMs = wallMs;
    out.throughputTokensPerSec = outputTokens / (wallMs / 1000);
  }
  if (opts.ttftSloMs !== undefined && finished.length) {
    out.ttftSloMs = opts.ttftSloMs;
    out.goodput = ok.filter((r) => r.ttftMs !== undefined && r.ttftMs <= opts.ttftSloMs!).length / finished.length;
  }
  return out;
}

function measuredWall(requests: readonly RequestTiming[]): number | undefined {
  if (!requests.length) return undefined;
  const start = Math.min(...requests.map((r) => r.startedAt));
  const end = Math.max(...requests.map((r) => r.startedAt + (r.e2eMs ?? r.ttftMs ?? 0)));
  return end - start;
}

export interface ProfileSummary extends RequestSummary {
  profile: string;
  /** Shown to the user as ghost text (then kept, partly kept, rejected, or still shown). */
  shown: number;
  accepted: number;
  partial: number;
  /** (accepted + partial) / shown; undefined when nothing was shown. */
  acceptanceRate?: number;
}

const SHOWN: ReadonlySet<Outcome> = new Set<Outcome>(['shown', 'accepted', 'partial', 'rejected']);
const STOPPED: ReadonlySet<Outcome> = new Set<Outcome>(['cancelled', 'superseded', 'pending']);

export function isFailure(r: CompletionRecord): boolean {
  return r.outcome === 'failed' || (r.error !== undefined && r.error !== '');
}

export function wasShown(r: CompletionRecord): boolean {
  return SHOWN.has(r.outcome) || (r.outcome === 'superseded' && r.timeToShownMs !== undefined);
}

/** An editor record as a request timing: stopped before its first token = cancelled. */
export function recordTiming(r: CompletionRecord): RequestTiming {
  const status = isFailure(r) ? 'failed' : STOPPED.has(r.outcome) && r.timings?.ttftMs === undefined ? 'cancelled' : 'ok';
  return copyTimings<RequestTiming>({ startedAt: r.ts, status }, r.timings ?? {});
}

export function summarizeRecords(records: readonly CompletionRecord[], profile: string, ttftSloMs: number = DEFAULT_TTFT_SLO_MS): ProfileSummary {
  const shown = records.filter(wasShown).length;
  const accepted = records.filter((r) => r.outcome === 'accepted').length;
  const partial = records.filter((r) => r.outcome === 'partial').length;
  const out: ProfileSummary = { profile, ...summarizeRequests(records.map(recordTiming), { ttftSloMs }), shown, accepted, partial };
  if (shown) out.acceptanceRate = (accepted + partial) / shown;
  return out;
}

/** One summary per profile, in order of first appearance. */
export function summarize(records: readonly CompletionRecord[], opts: { ttftSloMs?: number } = {}): ProfileSummary[] {
  const groups = new Map<string, CompletionRecord[]>();
  for (const r of records) {
    const g = groups.get(r.profile);
    if (g) g.push(r);
    else groups.set(r.profile, [r]);
  }
  return [...groups].map(([profile, rs]) => summarizeRecords(rs, profile, opts.ttftSloMs));
}
