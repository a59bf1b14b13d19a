// What each chart of the panel draws, and the table that is its text alternative, built
// from the comparison view alone. Pure (no DOM, no Chart.js), so unit tests check that a
// chart and its table carry the same numbers. Colours are palette indices: the theme's
// colours are applied where the chart is drawn.
import type { ComparisonRow, ComparisonView, RecentPoint, TimelineView } from '../src/protocol';
import { fmtMiB, fmtMs, fmtNum, fmtPct } from './format';

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
    y: { title: 'share of requests at or below', min: 0, max: 1 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, stepped: true, data: [{ x: r.ttftCdf![0]!.x, y: 0 }, ...r.ttftCdf!.map((p) => ({ x: p.x, y: p.p }))] })),
  };
}

export function ttftCdfTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'requests', 'TTFT p50', 'TTFT p90', 'TTFT p99', 'slowest', `within ${view.ttftSloMs} ms`],
    rows: view.rows.filter(ran).map((r) => ({ key: r.profile, cells: [r.profile, String(r.count - r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.ttftP99), fmtMs(r.ttftCdf?.[r.ttftCdf.length - 1]?.x), fmtPct(r.goodput)] })),
  };
}

/** Throughput (solid, left axis) and TTFT p90 (dashed, right axis) against requests in flight. */
export function throughputChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.sweep?.length);
  return {
    kind: 'line',
    x: { title: 'requests in flight' },
    y: { title: 'throughput (tokens/s)', min: 0 },
    y2: { title: 'TTFT p90 (ms)', min: 0 },
    series: rows.flatMap((r, i) => [
      { label: `${r.profile} tokens/s`, color: i, data: r.sweep!.map((l) => ({ x: l.concurrency, y: l.throughput ?? null })) },
      { label: `${r.profile} TTFT p90`, color: i, axis: 'y2' as const, dashed: true, data: r.sweep!.map((l) => ({ x: l.concurrency, y: l.ttftP90 ?? null })) },
    ]),
  };
}

export function throughputTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'in flight', 'throughput tok/s', 'scaling', 'TTFT p50', 'TTFT p90', 'goodput'],
    rows: view.rows.filter((r) => r.sweep?.length).flatMap((r) => r.sweep!.map((l) => ({
      key: r.profile,
      cells: [r.profile, String(l.concurrency), fmtNum(l.throughput), l.scaling === undefined ? '–' : `${l.scaling.toFixed(2)}x`, fmtMs(l.ttftP50), fmtMs(l.ttftP90), fmtPct(l.goodput)],
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
    x: { title: 'profile' },
    y: { title: "model server's own VRAM (MiB)", min: 0 },
    series: [
      { label: 'idle', color: 0, data: pick((v) => v.idleMiB) },
      { label: 'at first token', color: 1, data: pick((v) => v.firstTokenMiB) },
      { label: 'peak', color: 2, data: pick((v) => v.peakMiB) },
    ],
  };
}

export function vramTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'model VRAM idle', 'at first token', 'peak', 'std', 'card VRAM idle', 'card VRAM peak', 'card total'],
    rows: view.rows.filter((r) => r.modelVram || r.gpuNote || r.cardVram).map((r) => {
      const m = r.modelVram;
      const own = m ? [fmtMiB(m.idleMiB), fmtMiB(m.firstTokenMiB), fmtMiB(m.peakMiB), fmtMiB(m.stdMiB)] : [`no per-process data: ${r.gpuNote ?? 'not measured'}`, '–', '–', '–'];
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

/** TTFT mean per prompt-length class, one bar per profile. */
export function lengthChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter((r) => r.lengthClasses?.some((c) => c.count > 0));
  const names = classNames(rows);
  return {
    kind: 'bar',
    labels: names,
    x: { title: 'prompt length' },
    y: { title: 'TTFT mean (ms)', min: 0 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, data: names.map((n) => r.lengthClasses!.find((c) => c.name === n)?.ttftMeanMs ?? null) })),
  };
}

export function lengthTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'prompt length', 'requests', 'TTFT mean ± std', 'TTFT p50'],
    rows: view.rows.filter((r) => r.lengthClasses?.some((c) => c.count > 0)).flatMap((r) => r.lengthClasses!.map((c) => ({
      key: r.profile,
      cells: [r.profile, c.name, String(c.count), c.ttftMeanMs === undefined ? '–' : `${fmtMs(c.ttftMeanMs)} ± ${fmtMs(c.ttftStdMs)}`, fmtMs(c.ttftP50Ms)],
    }))),
  };
}

const QUALITY: { label: string; value: (r: ComparisonRow) => number | undefined }[] = [
  { label: 'exact first line', value: (r) => r.exactMatch },
  { label: 'edit similarity', value: (r) => r.editSim },
  { label: 'parses after insertion', value: (r) => r.parsesAfter },
  { label: 'brackets balanced', value: (r) => r.bracketsBalanced },
];

/** Quality against the ground truth, as % per measure, one bar per profile. */
export function qualityChart(view: ComparisonView): ChartSpec {
  const rows = view.rows.filter(ran);
  const measures = QUALITY.filter((q) => rows.some((r) => q.value(r) !== undefined));
  return {
    kind: 'bar',
    labels: measures.map((q) => q.label),
    x: { title: 'measure' },
    y: { title: '% of cases (edit similarity × 100)', min: 0, max: 100 },
    series: rows.map((r, i) => ({ label: r.profile, color: i, data: measures.map((q) => { const v = q.value(r); return v === undefined ? null : v * 100; }) })),
  };
}

export function qualityTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'exact first line', 'edit similarity', 'parses after insertion', 'parsed before', 'brackets balanced'],
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
  if (card.length) series.push({ label: 'card VRAM (MiB)', color: 0, data: card });
  if (model.length) series.push({ label: "model's own VRAM (MiB)", color: 1, data: model });
  if (util.length) series.push({ label: 'card utilisation (%)', color: 2, axis: 'y2', data: util });
  series.push({ label: 'requests in flight', color: 3, axis: 'y3', stepped: true, data: inFlightSteps(t.requests) });
  series.push({ label: 'first token', color: 4, axis: 'y3', pointsOnly: true, data: t.requests.filter((r) => r.firstToken !== undefined).map((r) => ({ x: s(r.firstToken!), y: 0 })) });
  return {
    kind: 'line',
    x: { title: "seconds from the run's start", min: 0, max: s(t.durationMs) },
    y: { title: 'VRAM (MiB)', min: 0 },
    y2: { title: 'utilisation (%)', min: 0, max: 100 },
    y3: { title: 'requests in flight', min: 0 },
    series,
  };
}

/** The timeline's text alternative: the report's own GPU numbers for the run, and its requests. */
export function timelineTable(view: ComparisonView): TableSpec {
  return {
    headers: ['profile', 'run', 'requests', 'most in flight', 'GPU samples', 'card VRAM peak', 'model VRAM peak', 'card util mean ± std'],
    rows: view.rows.filter((r) => r.timeline).map((r) => {
      const t = r.timeline!;
      const most = Math.max(0, ...inFlightSteps(t.requests).map((p) => p.y ?? 0));
      const util = r.modelVram?.utilShared ? 'shared with other processes' : r.utilMeanPct === undefined ? '–' : `${fmtNum(r.utilMeanPct)} % ± ${fmtNum(r.utilStdPct)}`;
      return { key: r.profile, cells: [r.profile, fmtMs(t.durationMs), String(t.requests.length), String(most), String(t.points.filter((p) => p.cardVramMiB !== undefined || p.utilPct !== undefined).length), fmtMiB(r.cardVram?.peakMiB), r.modelVram ? fmtMiB(r.modelVram.peakMiB) : 'no per-process data', util] };
    }),
  };
}

/** Rows in the live chart's table: the newest completions. */
const TABLE_ROWS = 5;

export function liveChart(recent: readonly RecentPoint[]): ChartSpec {
  const series = (label: string, color: number, f: (p: RecentPoint) => number | undefined) => ({ label, color, data: recent.map((p, i) => ({ x: i + 1, y: f(p) ?? null })) });
  return {
    kind: 'line',
    x: { title: 'completion (oldest to newest)', min: 1 },
    y: { title: 'ms', min: 0 },
    series: [series('TTFT (ms)', 0, (p) => p.ttftMs), series('E2E (ms)', 2, (p) => p.e2eMs), series('keystroke → ghost text (ms)', 5, (p) => p.keystrokeToShownMs)],
  };
}

export function liveTable(recent: readonly RecentPoint[]): TableSpec {
  return {
    headers: ['time', 'profile', 'TTFT', 'E2E', 'keystroke → ghost text', 'outcome'],
    rows: recent.slice(-TABLE_ROWS).reverse().map((p) => ({ key: p.profile, cells: [new Date(p.ts).toLocaleTimeString(), p.profile, fmtMs(p.ttftMs), fmtMs(p.e2eMs), fmtMs(p.keystrokeToShownMs), p.outcome] })),
  };
}
