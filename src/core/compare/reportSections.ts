// The report's markdown sections that are tables of their own rather than one row per
// metric: the concurrency sweep and TTFT by prompt length.
import type { ComparisonReport } from './report';

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
