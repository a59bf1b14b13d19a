// What each chart of the panel draws, and the table that is its text alternative, built
// from the comparison view alone. Pure (no DOM, no Chart.js), so unit tests check that a
// chart and its table carry the same numbers. Colours are palette indices: the theme's
// colours are applied where the chart is drawn. Words go through @vscode/l10n (English
// where no bundle is configured, as in unit tests).
import * as l10n from '@vscode/l10n';
import type { ComparisonRow, ComparisonView, RecentPoint, TimelineView } from '../src/protocol';
import { fixed, fmtMiB, fmtMs, fmtNum, fmtPct, fmtTime } from './format';

export interface XY {
  x: number;
  y: number | null;
}

export interface SeriesSpec {
  label: string;
  data: (number | null)[] | XY[];
  /** Index into the theme's chart palette. */
  color: number;
  axis?: 'y' | 'y2' | 'y3';
  stepped?: boolean;
  dashed?: boolean;
  /** Points only (request marks). */
  pointsOnly?: boolean;
}

export interface AxisSpec {
  title: string;
  min?: number;
  max?: number;
}

export interface ChartSpec {
  kind: 'line' | 'bar';
  /** Category labels (bar charts); line charts use x/y points. */
  labels?: string[];
  series: SeriesSpec[];
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
  y3?: AxisSpec;
}

/** A text alternative: header cells and rows of cells (row key = the profile). */
export interface TableSpec {
  headers: string[];
  rows: { key?: string; cells: string[] }[];
}

const ran = (r: ComparisonRow): boolean => r.status !== 'failed' && r.count > 0;

/** TTFT CDF per profile: a step line from 0 to 1. */
export function ttftCdfChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.ttftCdf?.length);
  return {
    kind: 'line',
    x: { title: 'TTFT (ms)', min: 0 },
    y: { title: l10n.t('share of requests at or below'), min: 0, max: 1 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, stepped: true, data: [{ x: r.ttftCdf![0]!.x, y: 0 }, ...r.ttftCdf!.map((p) => ({ x: p.x, y: p.p }))] })),
  };
}

export function ttftCdfTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('requests'), 'TTFT p50', 'TTFT p90', 'TTFT p99', l10n.t('slowest'), l10n.t('within {0} ms', view.ttftSloMs)],
    rows: view.rows.filter(ran).map((r) => ({ key: r.profile, cells: [r.profile, String(r.count - r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.ttftP99), fmtMs(r.ttftCdf?.[r.ttftCdf.length - 1]?.x), fmtPct(r.goodput)] })),
  };
}

/** Throughput (solid, left axis) and TTFT p90 (dashed, right axis) against requests in flight. */
export function throughputChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.sweep?.length);
  return {
    kind: 'line',
    x: { title: l10n.t('requests in flight') },
    y: { title: l10n.t('throughput (tokens/s)'), min: 0 },
    y2: { title: 'TTFT p90 (ms)', min: 0 },
    series: rows.flatMap((r, i) => [
      { label: l10n.t('{0} tokens/s', r.profile), color: i, data: r.sweep!.map((l) => ({ x: l.concurrency, y: l.throughput ?? null })) },
      { label: `${r.profile} TTFT p90`, color: i, axis: 'y2' as const, dashed: true, data: r.sweep!.map((l) => ({ x: l.concurrency, y: l.ttftP90 ?? null })) },
    ]),
  };
}

export function throughputTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('in flight'), l10n.t('throughput tok/s'), l10n.t('scaling'), 'TTFT p50', 'TTFT p90', 'goodput'],
    rows: view.rows.filter((r) => r.sweep?.length).flatMap((r) => r.sweep!.map((l) => ({
      key: r.profile,
      cells: [r.profile, String(l.concurrency), fmtNum(l.throughput), l.scaling === undefined ? '–' : `${fixed(l.scaling, 2)}x`, fmtMs(l.ttftP50), fmtMs(l.ttftP90), fmtPct(l.goodput)],
    }))),
  };
}

/** The model server's own VRAM: idle, at first token, peak (profiles with per-process data only). */
export function vramChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.modelVram);
  const pick = (f: (v: NonNullable<ComparisonRow['modelVram']>) => number | undefined) => rows.map((r) => f(r.modelVram!) ?? null);
  return {
    kind: 'bar',
    labels: rows.map((r) => r.profile),
    x: { title: l10n.t('profile') },
    y: { title: l10n.t("model server's own VRAM (MiB)"), min: 0 },
    series: [
      { label: l10n.t('idle'), color: 0, data: pick((v) => v.idleMiB) },
      { label: l10n.t('at first token'), color: 1, data: pick((v) => v.firstTokenMiB) },
      { label: l10n.t('peak'), color: 2, data: pick((v) => v.peakMiB) },
    ],
  };
}

export function vramTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('model VRAM idle'), l10n.t('at first token'), l10n.t('peak'), l10n.t('std'), l10n.t('card VRAM idle'), l10n.t('card VRAM peak'), l10n.t('card total')],
    rows: view.rows.filter((r) => r.modelVram || r.gpuNote || r.cardVram).map((r) => {
      const m = r.modelVram;
      const own = m ? [fmtMiB(m.idleMiB), fmtMiB(m.firstTokenMiB), fmtMiB(m.peakMiB), fmtMiB(m.stdMiB)] : [l10n.t('no per-process data: {0}', r.gpuNote ?? l10n.t('not measured')), '–', '–', '–'];
      return { key: r.profile, cells: [r.profile, ...own, fmtMiB(r.cardVram?.idleMiB), fmtMiB(r.cardVram?.peakMiB), fmtMiB(r.cardVram?.totalMiB)] };
    }),
  };
}

/** Length classes in a fixed order, whatever each profile has. */
function classNames(rows: readonly ComparisonRow[]): string[] {
  const order = ['short', 'medium', 'long'];
  const names = [...new Set(rows.flatMap((r) => (r.lengthClasses ?? []).filter((c) => c.count > 0).map((c) => c.name)))];
  return names.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

/** A prompt-length class (an id in the report) in words; one the panel does not know is shown as sent. */
function className(name: string): string {
  const words: Record<string, string> = { short: l10n.t('short'), medium: l10n.t('medium'), long: l10n.t('long') };
  return words[name] ?? name;
}

/** TTFT mean per prompt-length class, one bar per profile. */
export function lengthChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.lengthClasses?.some((c) => c.count > 0));
  const names = classNames(rows);
  return {
    kind: 'bar',
    labels: names.map(className),
    x: { title: l10n.t('prompt length') },
    y: { title: l10n.t('TTFT mean (ms)'), min: 0 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, data: names.map((n) => r.lengthClasses!.find((c) => c.name === n)?.ttftMeanMs ?? null) })),
  };
}

export function lengthTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('prompt length'), l10n.t('requests'), l10n.t('TTFT mean ± std'), 'TTFT p50'],
    rows: view.rows.filter((r) => r.lengthClasses?.some((c) => c.count > 0)).flatMap((r) => r.lengthClasses!.map((c) => ({
      key: r.profile,
      cells: [r.profile, className(c.name), String(c.count), c.ttftMeanMs === undefined ? '–' : `${fmtMs(c.ttftMeanMs)} ± ${fmtMs(c.ttftStdMs)}`, fmtMs(c.ttftP50Ms)],
    }))),
  };
}

const quality = (): { label: string; value: (r: ComparisonRow) => number | undefined }[] => [
  { label: l10n.t('exact first line'), value: (r) => r.exactMatch },
  { label: l10n.t('edit similarity'), value: (r) => r.editSim },
  { label: l10n.t('parses after insertion'), value: (r) => r.parsesAfter },
  { label: l10n.t('brackets balanced'), value: (r) => r.bracketsBalanced },
];

/** Quality against the ground truth, as % per measure, one bar per profile. */
export function qualityChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter(ran);
  const measures = quality().filter((q) => rows.some((r) => q.value(r) !== undefined));
  return {
    kind: 'bar',
    labels: measures.map((q) => q.label),
    x: { title: l10n.t('measure') },
    y: { title: l10n.t('% of cases (edit similarity × 100)'), min: 0, max: 100 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, data: measures.map((q) => { const v = q.value(r); return v === undefined ? null : v * 100; }) })),
  };
}

export function qualityTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('exact first line'), l10n.t('edit similarity'), l10n.t('parses after insertion'), l10n.t('parsed before'), l10n.t('brackets balanced')],
    rows: view.rows.filter(ran).map((r) => ({ key: r.profile, cells: [r.profile, fmtPct(r.exactMatch), fmtNum(r.editSim, 2), fmtPct(r.parsesAfter), fmtPct(r.parsedBefore), fmtPct(r.bracketsBalanced)] })),
  };
}

/** Requests in flight over time, as steps (x in seconds): +1 at each start, -1 at each end. */
export function inFlightSteps(requests: TimelineView['requests']): XY[] {
  const events: [number, number][] = [];
  for (const r of requests) {
    events.push([r.start, 1]);
    events.push([r.end ?? r.firstToken ?? r.start, -1]);
  }
  // At one instant, ends before starts: a slot freed and taken again is not two in flight.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: XY[] = [{ x: 0, y: 0 }];
  let n = 0;
  for (const [t, d] of events) {
    n += d;
    const x = t / 1000;
    if (out[out.length - 1]!.x === x) out[out.length - 1]!.y = n;
    else out.push({ x, y: n });
  }
  return out;
}

/** One profile's run: card and model VRAM (MiB), utilisation (%), requests in flight, first tokens. */
export function timelineChart(t: TimelineView): ChartSpec {
  const s = (v: number): number => v / 1000;
  const pts = (f: (p: TimelineView['points'][number]) => number | undefined): XY[] => t.points.filter((p) => f(p) !== undefined).map((p) => ({ x: s(p.t), y: f(p)! }));
  const series: SeriesSpec[] = [];
  const card = pts((p) => p.cardVramMiB);
  const model = pts((p) => p.modelVramMiB);
  const util = pts((p) => p.utilPct);
  if (card.length) series.push({ label: l10n.t('card VRAM (MiB)'), color: 0, data: card });
  if (model.length) series.push({ label: l10n.t("model's own VRAM (MiB)"), color: 1, data: model });
  if (util.length) series.push({ label: l10n.t('card utilisation (%)'), color: 2, axis: 'y2', data: util });
  series.push({ label: l10n.t('requests in flight'), color: 3, axis: 'y3', stepped: true, data: inFlightSteps(t.requests) });
  series.push({ label: l10n.t('first token'), color: 4, axis: 'y3', pointsOnly: true, data: t.requests.filter((r) => r.firstToken !== undefined).map((r) => ({ x: s(r.firstToken!), y: 0 })) });
  return {
    kind: 'line',
    x: { title: l10n.t("seconds from the run's start"), min: 0, max: s(t.durationMs) },
    y: { title: 'VRAM (MiB)', min: 0 },
    y2: { title: l10n.t('utilisation (%)'), min: 0, max: 100 },
    y3: { title: l10n.t('requests in flight'), min: 0 },
    series,
  };
}

/** The timeline's text alternative: the report's own GPU numbers for the run, and its requests. */
export function timelineTable(view: ComparisonView): TableSpec {
  return {
    headers: [l10n.t('profile'), l10n.t('run'), l10n.t('requests'), l10n.t('most in flight'), l10n.t('GPU samples'), l10n.t('card VRAM peak'), l10n.t('model VRAM peak'), l10n.t('card util mean ± std')],
    rows: view.rows.filter((r) => r.timeline).map((r) => {
      const t = r.timeline!;
      const most = Math.max(0, ...inFlightSteps(t.requests).map((p) => p.y ?? 0));
      const util = r.modelVram?.utilShared ? l10n.t('shared with other processes') : r.utilMeanPct === undefined ? '–' : `${fmtNum(r.utilMeanPct)} % ± ${fmtNum(r.utilStdPct)}`;
      return { key: r.profile, cells: [r.profile, fmtMs(t.durationMs), String(t.requests.length), String(most), String(t.points.filter((p) => p.cardVramMiB !== undefined || p.utilPct !== undefined).length), fmtMiB(r.cardVram?.peakMiB), r.modelVram ? fmtMiB(r.modelVram.peakMiB) : l10n.t('no per-process data'), util] };
    }),
  };
}

/** Rows in the live chart's table: the newest completions. */
const TABLE_ROWS = 5;

/** A completion's outcome (an id in the record) in words. */
function outcomeText(outcome: string): string {
  const words: Record<string, string> = {
    pending: l10n.t('pending'), shown: l10n.t('shown'), accepted: l10n.t('accepted'), partial: l10n.t('partly accepted'), rejected: l10n.t('rejected'),
    superseded: l10n.t('superseded'), cancelled: l10n.t('cancelled'), empty: l10n.t('empty'), failed: l10n.t('failed'),
  };
  return words[outcome] ?? outcome;
}

export function liveChart(recent: readonly RecentPoint[]): ChartSpec {
  const series = (label: string, color: number, f: (p: RecentPoint) => number | undefined) => ({ label, color, data: recent.map((p, i) => ({ x: i + 1, y: f(p) ?? null })) });
  return {
    kind: 'line',
    x: { title: l10n.t('completion (oldest to newest)'), min: 1 },
    y: { title: 'ms', min: 0 },
    series: [series('TTFT (ms)', 0, (p) => p.ttftMs), series('E2E (ms)', 2, (p) => p.e2eMs), series(l10n.t('keystroke → ghost text (ms)'), 5, (p) => p.keystrokeToShownMs)],
  };
}

export function liveTable(recent: readonly RecentPoint[]): TableSpec {
  return {
    headers: [l10n.t('time'), l10n.t('profile'), 'TTFT', 'E2E', l10n.t('keystroke → ghost text'), l10n.t('outcome')],
    rows: recent.slice(-TABLE_ROWS).reverse().map((p) => ({ key: p.profile, cells: [fmtTime(p.ts), p.profile, fmtMs(p.ttftMs), fmtMs(p.e2eMs), fmtMs(p.keystrokeToShownMs), outcomeText(p.outcome)] })),
  };
}
