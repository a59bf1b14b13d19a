// Per-profile aggregates of completion records, with DESIGN.md's definitions: p50/p90/p99,
// mean/std, failure rate, acceptance rate, throughput = sum(output tokens) / wall time, and
// goodput = the fraction of requests whose TTFT met the SLO (failed requests never do).
import type { CompletionRecord, Outcome } from '../store/record';
import { distribution, type Distribution } from './describe';

export interface ProfileSummary {
  profile: string;
  count: number;
  failures: number;
  failureRate: number;
  ttftMs: Distribution;
  e2eMs: Distribution;
  tpotMs: Distribution;
  decodeTokensPerSec: Distribution;
  outputTokens: number;
  /** Shown to the user as ghost text (then kept, partly kept, rejected, or still shown). */
  shown: number;
  accepted: number;
  partial: number;
  /** (accepted + partial) / shown; undefined when nothing was shown. */
  acceptanceRate?: number;
  /** From the first request start to the last request end. */
  wallMs?: number;
  throughputTokensPerSec?: number;
  /** Fraction of all requests with TTFT <= ttftSloMs (when an SLO is given). */
  goodput?: number;
  ttftSloMs?: number;
}

const SHOWN: ReadonlySet<Outcome> = new Set<Outcome>(['shown', 'accepted', 'partial', 'rejected']);

export function isFailure(r: CompletionRecord): boolean {
  return r.outcome === 'failed' || (r.error !== undefined && r.error !== '');
}

export function wasShown(r: CompletionRecord): boolean {
  return SHOWN.has(r.outcome) || (r.outcome === 'superseded' && r.timeToShownMs !== undefined);
}

export function summarizeRecords(records: readonly CompletionRecord[], profile: string, ttftSloMs?: number): ProfileSummary {
  const ok = records.filter((r) => !isFailure(r));
  const failures = records.length - ok.length;
  const shown = records.filter(wasShown).length;
  const accepted = records.filter((r) => r.outcome === 'accepted').length;
  const partial = records.filter((r) => r.outcome === 'partial').length;
  const outputTokens = ok.reduce((s, r) => s + (r.timings?.outputTokens ?? 0), 0);
  const out: ProfileSummary = {
    profile,
    count: records.length,
    failures,
    failureRate: records.length ? failures / records.length : 0,
    ttftMs: distribution(ok.map((r) => r.timings?.ttftMs)),
    e2eMs: distribution(ok.map((r) => r.timings?.e2eMs)),
    tpotMs: distribution(ok.map((r) => r.timings?.tpotMs)),
    decodeTokensPerSec: distribution(ok.map((r) => r.timings?.decodeTokensPerSec)),
    outputTokens,
    shown,
    accepted,
    partial,
  };
  if (shown) out.acceptanceRate = (accepted + partial) / shown;
  if (records.length) {
    const start = Math.min(...records.map((r) => r.ts));
    const end = Math.max(...records.map((r) => r.ts + (r.timings?.e2eMs ?? r.timings?.ttftMs ?? 0)));
    if (end > start) {
      out.wallMs = end - start;
      out.throughputTokensPerSec = outputTokens / (out.wallMs / 1000);
    }
  }
  if (ttftSloMs !== undefined && records.length) {
    out.ttftSloMs = ttftSloMs;
    out.goodput = ok.filter((r) => r.timings?.ttftMs !== undefined && r.timings?.ttftMs <= ttftSloMs).length / records.length;
  }
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
