// The comparison's charts, each with its table: TTFT distribution (CDF), throughput against
// concurrency, the models' own VRAM, TTFT by prompt length, quality. A chart without data
// in this comparison is hidden (e.g. no sweep, no per-process GPU data).
import * as l10n from '@vscode/l10n';
import { joinItems, joinRows, labelled } from '../separators';
import type { ComparisonView, PanelState } from '../../src/protocol';
import { ChartBox } from '../chartBox';
import { lengthChart, lengthTable, qualityChart, qualityTable, throughputChart, throughputTable, ttftCdfChart, ttftCdfTable, vramChart, vramTable, type ChartSpec, type TableSpec } from '../chartData';
import { changeGate, el } from '../dom';
import type { Section } from '../section';

interface ChartDef {
  name: string;
  title: string;
  chart: (c: ComparisonView) => ChartSpec;
  table: (c: ComparisonView) => TableSpec;
  summary: (c: ComparisonView, t: TableSpec) => string;
  /** A note under the chart (e.g. why a profile has no bars). */
  note?: (c: ComparisonView) => string;
}

const lines = (t: TableSpec): string => joinRows(t.rows.map((r) => joinItems(r.cells.map((c, i) => `${t.headers[i]} ${c}`))));

/** The charts, their titles and text alternatives in the display language (read when the section is built). */
const charts = (): ChartDef[] => [
  { name: 'ttft-cdf', title: l10n.t('TTFT distribution per profile (CDF)'), chart: ttftCdfChart, table: ttftCdfTable, summary: (_c, t) => l10n.t('Cumulative distribution of time to first token. {0}.', lines(t)) },
  {
    name: 'throughput', title: l10n.t('Throughput against concurrency'), chart: throughputChart, table: throughputTable,
    summary: (_c, t) => l10n.t('Throughput and TTFT p90 per number of requests in flight. {0}.', lines(t)),
    note: (c) => {
      const within = joinItems(c.rows.filter((r) => r.sweep?.length).map((r) => labelled(r.profile, String(r.maxConcurrencyWithinSlo ?? l10n.t('none')))));
      return c.concurrencySearchMax
        ? l10n.t('Highest concurrency with TTFT p90 ≤ {0} ms (doubling up to {1}): {2}.', c.ttftSloMs, c.concurrencySearchMax, within)
        : l10n.t('Highest concurrency with TTFT p90 ≤ {0} ms: {1}.', c.ttftSloMs, within);
    },
  },
  {
    name: 'vram', title: l10n.t("VRAM of each model's own server: idle, at first token, peak"), chart: vramChart, table: vramTable,
    summary: (_c, t) => l10n.t("Bar chart of each model server's own GPU memory. {0}.", lines(t)),
    note: () => l10n.t("From nvidia-smi's per-process memory of the server listening on the profile's port (and its child processes). The card's numbers (every process on it) are shown apart, never as the model's."),
  },
  { name: 'lengths', title: l10n.t('TTFT by prompt length'), chart: lengthChart, table: lengthTable, summary: (_c, t) => l10n.t('Bar chart of mean TTFT per prompt-length class. {0}.', lines(t)) },
  { name: 'quality', title: l10n.t('Quality against what was kept'), chart: qualityChart, table: qualityTable, summary: (_c, t) => l10n.t('Bar chart of quality measures in percent. {0}.', lines(t)) },
];

/** Whether a chart has something to draw. */
const hasData = (spec: ChartSpec, table: TableSpec): boolean => table.rows.length > 0 && spec.series.some((s) => s.data.some((d) => d !== null && (typeof d !== 'object' || d.y !== null)));

export function comparisonChartsSection(): Section {
  const element = el('section', undefined, 'comparison-charts');
  const grid = el('div', undefined, 'chart-grid');
  element.append(grid);
  const boxes = charts().map((def) => {
    const box = new ChartBox(def.name, def.title, def.table({ finishedAt: 0, cases: 0, source: '', cancelled: false, ttftSloMs: 0, rows: [] }).headers);
    const note = el('p', undefined, 'muted');
    box.element.append(note);
    box.element.hidden = true;
    grid.append(box.element);
    return { def, box, note };
  });
  const show = changeGate((c: ComparisonView | undefined) => {
    element.hidden = !c;
    for (const { def, box, note } of boxes) {
      const spec = c && def.chart(c);
      const table = c && def.table(c);
      // The table shows whenever it has rows (a profile without data says why); the canvas only with something to plot.
      const visible = !!(c && spec && table && table.rows.length > 0);
      box.element.hidden = !visible;
      if (!visible) continue;
      box.set(spec!, table!, def.summary(c!, table!), hasData(spec!, table!));
      note.textContent = def.note?.(c!) ?? '';
      note.hidden = !note.textContent;
    }
  });
  return { element, update: (s: PanelState) => show(s.comparison) };
}
