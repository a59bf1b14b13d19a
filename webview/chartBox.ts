// One chart with its text alternative: a figure holding a canvas (role "img", its
// aria-label a one-line summary) and a table of the same numbers that a screen reader reads
// and a user can copy. Created once; set() updates the chart's data and the table in place.
import * as l10n from '@vscode/l10n';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type ChartDataset } from 'chart.js';
import type { ChartSpec, SeriesSpec, TableSpec } from './chartData';
import { DataTable, el } from './dom';
import { displayLanguage } from './format';
import { themeColors, type ThemeColors } from './theme';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

const boxes = new Set<ChartBox>();

/** Every chart re-reads the theme's colours (VS Code switched theme). */
export function recolorCharts(): void {
  for (const b of boxes) b.recolor();
}

export class ChartBox {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly canvasBox: HTMLElement;
  private readonly table: DataTable;
  private chart: Chart | undefined;
  private spec: ChartSpec | undefined;

  constructor(readonly name: string, title: string, headers: readonly string[]) {
    this.element = el('figure', undefined, 'chart-figure');
    this.element.dataset['chart'] = name;
    const caption = el('figcaption', title);
    caption.id = `chart-${name}-title`;
    const box = (this.canvasBox = el('div', undefined, 'chart'));
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-describedby', `chart-${name}-table`);
    box.append(this.canvas);
    this.table = new DataTable(`alt ${name}`, headers);
    this.table.element.id = `chart-${name}-table`;
    this.table.element.setAttribute('aria-label', l10n.t("{0}: the chart's numbers", title));
    this.element.append(caption, box, this.table.element);
    boxes.add(this);
  }

  /**
   * New data: the chart's datasets are replaced and redrawn without animation; the table's
   * rows likewise. `drawn` false: only the table shows (nothing to plot, e.g. no per-process data).
   */
  set(spec: ChartSpec, table: TableSpec, summary: string, drawn = true): void {
    this.spec = spec;
    this.canvasBox.hidden = !drawn;
    this.canvas.setAttribute('aria-label', summary);
    this.table.set(table.rows);
    const colors = themeColors();
    if (!this.chart) {
      this.chart = new Chart(this.canvas, config(spec, colors));
      return;
    }
    const next = config(spec, colors);
    this.chart.data.labels = next.data.labels ?? [];
    this.chart.data.datasets = next.data.datasets;
    this.chart.options = next.options ?? {};
    this.chart.update('none');
  }

  recolor(): void {
    if (this.chart && this.spec) {
      const next = config(this.spec, themeColors());
      this.chart.data.datasets = next.data.datasets;
      this.chart.options = next.options ?? {};
      this.chart.update('none');
    }
  }

  dispose(): void {
    this.chart?.destroy();
    boxes.delete(this);
    this.element.remove();
  }
}

function dataset(s: SeriesSpec, c: ThemeColors, bar: boolean): ChartDataset {
  const color = c.palette[s.color % c.palette.length]!;
  const d: Record<string, unknown> = {
    label: s.label,
    data: s.data,
    borderColor: color,
    backgroundColor: color,
    yAxisID: s.axis ?? 'y',
  };
  if (!bar) {
    Object.assign(d, { type: 'line', tension: 0, pointRadius: s.pointsOnly ? 4 : 0, spanGaps: true, borderWidth: 2 });
    if (s.stepped) d['stepped'] = 'after';
    if (s.dashed) d['borderDash'] = [6, 4];
    if (s.pointsOnly) Object.assign(d, { showLine: false, pointStyle: 'triangle' });
  }
  return d as unknown as ChartDataset;
}

function config(spec: ChartSpec, c: ThemeColors): ChartConfiguration {
  const bar = spec.kind === 'bar';
  const axis = (a: { title: string; min?: number; max?: number }, position: 'left' | 'right' | 'bottom', extra: Record<string, unknown> = {}) => ({
    position,
    title: { display: true, text: a.title, color: c.foreground },
    ticks: { color: c.foreground },
    grid: { color: c.grid, drawOnChartArea: position !== 'right' },
    ...(a.min !== undefined ? { min: a.min } : {}),
    ...(a.max !== undefined ? { max: a.max } : {}),
    ...extra,
  });
  const scales: Record<string, unknown> = {
    x: bar ? axis(spec.x, 'bottom', { type: 'category' }) : axis(spec.x, 'bottom', { type: 'linear' }),
    y: axis(spec.y, 'left', { type: 'linear', beginAtZero: true }),
  };
  const used = new Set(spec.series.map((s) => s.axis ?? 'y'));
  if (spec.y2 && used.has('y2')) scales['y2'] = axis(spec.y2, 'right', { type: 'linear' });
  if (spec.y3 && used.has('y3')) scales['y3'] = axis(spec.y3, 'right', { type: 'linear', ticks: { color: c.foreground, precision: 0 } });
  return {
    type: bar ? 'bar' : 'line',
    data: { ...(spec.labels ? { labels: spec.labels } : {}), datasets: spec.series.map((s) => dataset(s, c, bar)) },
    options: {
      animation: false,
      locale: displayLanguage(),
      responsive: true,
      maintainAspectRatio: false,
      parsing: bar ? undefined : false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { labels: { color: c.foreground } } },
      scales,
    } as ChartConfiguration['options'],
  } as ChartConfiguration;
}
