// The report's markdown sections that are tables of their own rather than one row per
// metric: the concurrency sweep, TTFT by prompt length, and whether quality gaps are real.
import { pairedQuality, type PairedCase, type PairedQuality } from '../stats/pairedQuality';
import type { ComparisonReport, ProfileResult } from './report';

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(1)} ms`);
const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function sweepSection(report: ComparisonReport): string[] {
  const swept = report.profiles.filter((p) => p.sweep?.length);
  if (!swept.length) return [];
  const search = report.concurrencySearch ? `, then doubling while TTFT p90 met the SLO, up to ${report.concurrencySearch.max}` : '';
  const lines = ['', `## Concurrency sweep (${(report.concurrencyLevels ?? []).join(', ')} requests in flight${search})`, ''];
  lines.push('| profile | concurrency | throughput (tokens/s) | scaling | TTFT p50 | TTFT p90 | goodput | failures |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const p of swept) {
    for (const l of p.sweep!) {
      const tput = l.throughputTokensPerSec === undefined ? '-' : l.throughputTokensPerSec.toFixed(1);
      const scaling = l.scaling === undefined ? '-' : `${l.scaling.toFixed(2)}x`;
      const good = l.goodput === undefined ? '-' : `${(l.goodput * 100).toFixed(1)}%`;
      lines.push(`| ${esc(p.name)} | ${l.concurrency} | ${tput} | ${scaling} | ${ms(l.ttftMs.p50)} | ${ms(l.ttftMs.p90)} | ${good} | ${l.failures} |`);
    }
  }
  lines.push('', `Highest concurrency whose TTFT p90 meets the ${report.ttftSloMs} ms SLO: ${swept.map((p) => `${esc(p.name)} ${p.maxConcurrencyWithinSlo ?? 'none'}`).join(', ')}.`);
  return lines;
}

export function lengthSection(report: ComparisonReport): string[] {
  const withClasses = report.profiles.filter((p) => p.lengthClasses?.some((c) => c.count > 0));
  if (!withClasses.length) return [];
  const lines = ['', '## TTFT by prompt length (prompt tokens)', ''];
  lines.push('| profile | class | requests | TTFT mean ± std | TTFT p50 |');
  lines.push('| --- | --- | ---: | ---: | ---: |');
  for (const p of withClasses) {
    for (const c of p.lengthClasses!) {
      const range = c.maxTokens === undefined ? `> ${c.minTokens - 1}` : c.minTokens === 0 ? `< ${c.maxTokens + 1}` : `${c.minTokens}-${c.maxTokens}`;
      const meanStd = c.ttftMeanMs === undefined ? '-' : `${ms(c.ttftMeanMs)} ± ${ms(c.ttftStdMs)}`;
      lines.push(`| ${esc(p.name)} | ${c.name} (${range}) | ${c.count} | ${meanStd} | ${ms(c.ttftP50Ms)} |`);
    }
  }
  return lines;
}

function scored(p: ProfileResult): PairedCase[] {
  return p.results.filter((r) => r.status === 'ok' && r.quality).map((r) => ({ caseId: r.caseId, exact: r.quality!.exactMatch, editSimFirstLine: r.quality!.editSimFirstLine }));
}

export interface QualityGap {
  profile: string;
  /** The first profile scored: every other one is paired with it. */
  against: string;
  q: PairedQuality;
  /** McNemar's p below 0.05, or an edit-similarity interval that leaves out 0. */
  real: boolean;
}

/**
 * Each profile against the first one scored, on the cases both answered: exact first line
 * with 95 % intervals and McNemar's p, and the first-line edit similarity difference with a
 * bootstrap interval. A winner named by the means may be chance; this says which. The
 * report's section and the panel read the same values.
 */
export function qualityGaps(report: ComparisonReport): QualityGap[] {
  const withQuality = report.profiles.map((p) => ({ p, cases: scored(p) })).filter((x) => x.cases.length > 0);
  const [base, ...rest] = withQuality;
  if (!base) return [];
  const out: QualityGap[] = [];
  for (const { p, cases } of rest) {
    const q = pairedQuality(cases, base.cases);
    if (!q) continue;
    const excludesZero = q.editSimInterval !== undefined && (q.editSimInterval[0] > 0 || q.editSimInterval[1] < 0);
    out.push({ profile: p.name, against: base.p.name, q, real: q.exactP < 0.05 || excludesZero });
  }
  return out;
}

export function significanceSection(report: ComparisonReport): string[] {
  const gaps = qualityGaps(report);
  if (!gaps.length) return [];
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
  const lines = ['', '## Quality gaps: real or chance? (paired, on the cases both answered)', ''];
  lines.push('| profile | against | cases | exact first line (95% interval) | exact only here / only there | p (McNemar) | first-line edit similarity difference (95% interval) |');
  lines.push('| --- | --- | ---: | --- | ---: | ---: | --- |');
  for (const { profile, against, q } of gaps) {
    const [alo, ahi] = q.exactIntervalA;
    const [blo, bhi] = q.exactIntervalB;
    const exact = `${pct(q.exactA / q.cases)} (${pct(alo)}-${pct(ahi)}) vs ${pct(q.exactB / q.cases)} (${pct(blo)}-${pct(bhi)})`;
    const sim = q.editSimInterval ? `${signed(q.editSimDiff)} (${signed(q.editSimInterval[0])} to ${signed(q.editSimInterval[1])})` : signed(q.editSimDiff);
    lines.push(`| ${esc(profile)} | ${esc(against)} | ${q.cases} | ${exact} | ${q.onlyA} / ${q.onlyB} | ${q.exactP < 0.001 ? '< 0.001' : q.exactP.toFixed(3)} | ${sim} |`);
  }
  lines.push('', 'A p below 0.05, or an interval that leaves out 0, is a gap these cases support; otherwise it may be chance: compare on more cases (`--count`).');
  return lines;
}
