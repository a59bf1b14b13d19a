// The report as the published model comparisons print theirs: one row per model, the
// columns they use (load time; VRAM idle / first token / peak / std; utilisation; TTFT by
// prompt length; tokens/s; throughput at 1 and 4 in flight and the scaling; the highest
// concurrency within the TTFT SLO; failure rate; parse pass rate), as Markdown to paste
// where the articles put theirs, and the same columns (unformatted) as CSV.
import type { ComparisonReport, ProfileResult } from './report';

interface Column {
  header: string;
  /** CSV: the raw number (or text); undefined = empty cell. */
  value: (p: ProfileResult, r: ComparisonReport) => number | string | undefined;
  /** Markdown: the formatted cell. */
  show: (p: ProfileResult, r: ComparisonReport) => string | undefined;
}

const f = (digits: number, unit = '') => (v: number | undefined): string | undefined => (v === undefined ? undefined : `${v.toFixed(digits)}${unit}`);
const mib = f(0, ' MiB');
const ms = f(0, ' ms');
const pct = (v: number | undefined): string | undefined => (v === undefined ? undefined : `${(v * 100).toFixed(1)}%`);

/** Throughput at `level` requests in flight: from the sweep, or the run itself when it ran at that level only. */
export function throughputAt(p: ProfileResult, r: ComparisonReport, level: number): number | undefined {
  const l = p.sweep?.find((x) => x.concurrency === level);
  if (l) return l.throughputTokensPerSec;
  return !p.sweep && r.concurrency === level ? p.throughputTokensPerSec : undefined;
}

const ttftClass = (name: string) => (p: ProfileResult) => p.lengthClasses?.find((c) => c.name === name);

function meanStd(mean: number | undefined, sd: number | undefined, fmt: (v: number | undefined) => string | undefined): string | undefined {
  if (mean === undefined) return undefined;
  return sd === undefined ? fmt(mean) : `${fmt(mean)} ± ${fmt(sd)}`;
}

/** The model's own VRAM where it could be attributed; never the card's. */
const vram = (k: 'vramIdleMiB' | 'vramAtFirstTokenMiB' | 'vramPeakMiB' | 'vramStdMiB') => (p: ProfileResult): number | undefined => (p.modelGpu?.attribution === 'process' ? p.modelGpu[k] : undefined);

const COLUMNS: Column[] = [
  { header: 'Model', value: (p) => p.name, show: (p) => `${p.name}${p.model && p.model !== p.name ? ` (${p.model})` : ''}` },
  { header: 'Load time', value: (p) => p.load?.readyMs, show: (p) => f(1, ' s')(p.load?.readyMs === undefined ? undefined : p.load.readyMs / 1000) },
  { header: 'VRAM idle', value: vram('vramIdleMiB'), show: (p) => mib(vram('vramIdleMiB')(p)) },
  { header: 'VRAM at first token', value: vram('vramAtFirstTokenMiB'), show: (p) => mib(vram('vramAtFirstTokenMiB')(p)) },
  { header: 'VRAM peak', value: vram('vramPeakMiB'), show: (p) => mib(vram('vramPeakMiB')(p)) },
  { header: 'VRAM std', value: vram('vramStdMiB'), show: (p) => f(1, ' MiB')(vram('vramStdMiB')(p)) },
  { header: 'GPU util mean', value: (p) => (p.modelGpu?.utilShared ? 'shared' : p.modelGpu?.utilMeanPct), show: (p) => (p.modelGpu?.utilShared ? 'shared' : f(1, '%')(p.modelGpu?.utilMeanPct)) },
  { header: 'GPU util std', value: (p) => (p.modelGpu?.utilShared ? 'shared' : p.modelGpu?.utilStdPct), show: (p) => (p.modelGpu?.utilShared ? 'shared' : f(1, '%')(p.modelGpu?.utilStdPct)) },
  { header: 'Cold TTFT', value: (p) => p.coldTtftMs, show: (p) => ms(p.coldTtftMs) },
  ...['short', 'medium', 'long'].flatMap((name): Column[] => [
    { header: `TTFT ${name} mean`, value: (p) => ttftClass(name)(p)?.ttftMeanMs, show: (p) => meanStd(ttftClass(name)(p)?.ttftMeanMs, ttftClass(name)(p)?.ttftStdMs, ms) },
  ]),
  { header: 'Tokens/s (decode p50)', value: (p) => p.decodeTokensPerSec.p50, show: (p) => f(1)(p.decodeTokensPerSec.p50) },
  { header: 'Throughput @1 (tok/s)', value: (p, r) => throughputAt(p, r, 1), show: (p, r) => f(1)(throughputAt(p, r, 1)) },
  { header: 'Throughput @4 (tok/s)', value: (p, r) => throughputAt(p, r, 4), show: (p, r) => f(1)(throughputAt(p, r, 4)) },
  {
    header: 'Scaling 1→4',
    value: (p, r) => ratio(throughputAt(p, r, 4), throughputAt(p, r, 1)),
    show: (p, r) => f(2, 'x')(ratio(throughputAt(p, r, 4), throughputAt(p, r, 1))),
  },
  { header: 'Max concurrency within SLO', value: (p) => (p.maxConcurrencyWithinSlo === null ? 'none' : p.maxConcurrencyWithinSlo), show: (p) => (p.maxConcurrencyWithinSlo === null ? 'none' : p.maxConcurrencyWithinSlo?.toString()) },
  { header: 'Failure rate', value: (p) => (p.status === 'failed' ? undefined : p.failureRate), show: (p) => (p.status === 'failed' ? 'failed' : pct(p.failureRate)) },
  { header: 'Parse pass rate', value: (p) => p.parsesAfterRate, show: (p) => pct(p.parsesAfterRate) },
];

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || !b ? undefined : a / b;
}

const escMd = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toPublishedTable(report: ComparisonReport): string {
  const lines = [`| ${COLUMNS.map((c) => c.header).join(' | ')} |`, `| --- |${COLUMNS.slice(1).map(() => ' ---: |').join('')}`];
  for (const p of report.profiles) lines.push(`| ${COLUMNS.map((c) => escMd(c.show(p, report) ?? '-')).join(' | ')} |`);
  const notes = [
    `TTFT SLO ${report.ttftSloMs} ms; TTFT by prompt length: short < ${report.lengthBounds?.[0] ?? 256}, long > ${report.lengthBounds?.[1] ?? 1024} prompt tokens (mean ± std).`,
    'VRAM: the model server\'s own processes (nvidia-smi per process); "-" where it could not be attributed, never the whole card\'s.',
  ];
  return `${lines.join('\n')}\n\n${notes.join(' ')}\n`;
}

/** RFC 4180: quote a cell holding a comma, quote or line break. */
function csvCell(v: number | string | undefined): string {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? String(Number(v.toFixed(4))) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per profile, the published table's columns, raw numbers (ms, MiB, tokens/s, fractions). */
export function toCsv(report: ComparisonReport): string {
  const rows = [COLUMNS.map((c) => csvCell(c.header)).join(',')];
  for (const p of report.profiles) rows.push(COLUMNS.map((c) => csvCell(c.value(p, report))).join(','));
  return rows.join('\r\n') + '\r\n';
}
