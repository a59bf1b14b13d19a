// The live chart: the last completions' TTFT, E2E and keystroke-to-ghost-text, with the
// latest ones as its table.
import * as l10n from '@vscode/l10n';
import type { PanelState, RecentPoint } from '../../src/protocol';
import { ChartBox } from '../chartBox';
import { liveChart, liveTable } from '../chartData';
import { changeGate, el } from '../dom';
import { fmtMs } from '../format';
import type { Section } from '../section';

export function liveSection(): Section {
  const element = el('section', undefined, 'live');
  const title = el('h2');
  const chart = new ChartBox('live', l10n.t('Your last completions'), liveTable([]).headers);
  element.append(title, chart.element);
  const show = changeGate((recent: RecentPoint[]) => {
    title.textContent = l10n.t('Live: last {0} completions', recent.length);
    const last = recent[recent.length - 1];
    chart.set(liveChart(recent), liveTable(recent), last ? l10n.t('Line chart of the last {0} completions; the newest: TTFT {1}, E2E {2}.', recent.length, fmtMs(last.ttftMs), fmtMs(last.e2eMs)) : l10n.t('No completions yet.'), recent.length > 0);
  });
  return { element, update: (s: PanelState) => show(s.recent) };
}
