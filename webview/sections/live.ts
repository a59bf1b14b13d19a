// The live chart: the last completions' TTFT, E2E and keystroke-to-ghost-text, with the
// latest ones as its table.
import type { PanelState, RecentPoint } from '../../src/protocol';
import { ChartBox } from '../chartBox';
import { liveChart, liveTable } from '../chartData';
import { changeGate, el } from '../dom';
import { fmtMs } from '../format';
import type { Section } from '../section';

export function liveSection(): Section {
  const element = el('section', undefined, 'live');
  const title = el('h2');
  const chart = new ChartBox('live', 'Your last completions', liveTable([]).headers);
  element.append(title, chart.element);
  const show = changeGate((recent: RecentPoint[]) => {
    title.textContent = `Live: last ${recent.length} completions`;
    const last = recent[recent.length - 1];
    chart.set(liveChart(recent), liveTable(recent), last ? `Line chart of the last ${recent.length} completions; the newest: TTFT ${fmtMs(last.ttftMs)}, E2E ${fmtMs(last.e2eMs)}.` : 'No completions yet.', recent.length > 0);
  });
  return { element, update: (s: PanelState) => show(s.recent) };
}
