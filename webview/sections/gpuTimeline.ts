// Each profile's run over time: the card's VRAM and utilisation, the model's own VRAM, and
// its requests (in flight, first tokens). One chart per profile, kept by profile name.
import * as l10n from '@vscode/l10n';
import { joinItems } from '../separators';
import type { ComparisonView, PanelState } from '../../src/protocol';
import { ChartBox } from '../chartBox';
import { timelineChart, timelineTable } from '../chartData';
import { changeGate, el } from '../dom';
import type { Section } from '../section';

export function gpuTimelineSection(): Section {
  const element = el('section', undefined, 'timelines');
  const grid = el('div', undefined, 'chart-grid');
  element.append(el('h3', l10n.t("GPU over each profile's run, its requests marked")), grid);
  const boxes = new Map<string, ChartBox>();
  const show = changeGate((c: ComparisonView | undefined) => {
    const rows = c?.rows.filter((r) => r.timeline && r.timeline.requests.length) ?? [];
    element.hidden = rows.length === 0;
    for (const [name, box] of boxes) {
      if (!rows.some((r) => r.profile === name)) {
        box.dispose();
        boxes.delete(name);
      }
    }
    const table = c ? timelineTable(c) : undefined;
    for (const r of rows) {
      let box = boxes.get(r.profile);
      if (!box) {
        box = new ChartBox(`timeline-${boxes.size}`, r.profile, table!.headers);
        box.element.dataset['profile'] = r.profile;
        boxes.set(r.profile, box);
      }
      grid.append(box.element); // keeps the report's order
      const own = { headers: table!.headers, rows: table!.rows.filter((x) => x.key === r.profile) };
      const numbers = joinItems(own.rows[0]?.cells.map((v, i) => `${own.headers[i]} ${v}`) ?? []);
      const summary = r.timeline!.points.length
        ? l10n.t('{0}: requests in flight and first tokens over the run, with VRAM and utilisation. {1}.', r.profile, numbers)
        : l10n.t('{0}: requests in flight and first tokens over the run. {1}. No GPU samples were taken during this run (no GPU tool, or polling off).', r.profile, numbers);
      box.set(timelineChart(r.timeline!), own, summary);
    }
  });
  return { element, update: (s: PanelState) => show(s.comparison) };
}
