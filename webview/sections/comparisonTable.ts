// The latest comparison: where its cases came from, one row per profile, where the report is.
import * as l10n from '@vscode/l10n';
import type { ComparisonView, PanelState, QualityGapView } from '../../src/protocol';
import { changeGate, DataTable, el } from '../dom';
import { fmtDateTime, fmtMs, fmtNum, fmtPct } from '../format';
import type { Section } from '../section';

// Metric names users write as is (TTFT p50, E2E p50, goodput) stay in English.
const headers = (): string[] => [l10n.t('profile'), l10n.t('model'), 'n', l10n.t('failed'), 'TTFT p50', 'TTFT p90', 'E2E p50', l10n.t('decode tok/s'), l10n.t('throughput tok/s'), 'goodput', l10n.t('exact 1st line'), l10n.t('edit sim'), l10n.t('brackets ok'), l10n.t('card VRAM peak MiB'), l10n.t('server TTFT'), l10n.t('parses after'), l10n.t('cold TTFT'), l10n.t('load'), l10n.t('model VRAM idle / 1st token / peak MiB'), l10n.t('card GPU util %')];

/** Where the comparison's cases came from, in words (an id the panel does not know is shown as sent). */
function sourceText(c: ComparisonView): string {
  if (c.source === 'workspace' && c.lineEndCases === c.cases) return l10n.t('this workspace, the cursor at line ends');
  const words: Record<string, string> = { recorded: l10n.t('your recorded traffic'), mixed: l10n.t('your recorded traffic and this workspace'), workspace: l10n.t('this workspace') };
  return words[c.source] ?? c.source;
}

const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${fmtNum(Math.abs(v), 3)}`;

/** One profile's quality against the first's, on the same cases: whether the gap is real or may be chance. */
function gapText(g: QualityGapView): string {
  const sim = g.editSimInterval
    ? l10n.t('{0} ({1} to {2})', signed(g.editSimDiff), signed(g.editSimInterval[0]), signed(g.editSimInterval[1]))
    : signed(g.editSimDiff);
  const p = g.exactP < 0.001 ? `< ${fmtNum(0.001, 3)}` : fmtNum(g.exactP, 3);
  const numbers = l10n.t('{0} against {1}: exact first line {2} against {3} of {4} cases (p {5}), first-line edit similarity {6}.', g.profile, g.against, g.exactThis, g.exactAgainst, g.cases, p, sim);
  return `${numbers} ${g.real ? l10n.t('A real gap on these cases.') : l10n.t('May be chance: compare on more cases.')}`;
}

export function comparisonSection(): Section {
  const element = el('section', undefined, 'comparison');
  const note = el('p', undefined, 'muted');
  const table = new DataTable('profiles', headers());
  const saved = el('p', undefined, 'muted saved');
  const gapsTitle = el('p', l10n.t('Quality gaps, real or chance (each profile against the first, on the cases both answered; 95 % intervals):'), 'gaps-title');
  const gaps = el('ul', undefined, 'quality-gaps');
  element.append(el('h2', l10n.t('Model comparison')), note, table.element, gapsTitle, gaps, saved);
  const show = changeGate((c: ComparisonView | undefined) => {
    table.element.hidden = !c;
    saved.hidden = !c?.savedTo;
    const gapList = c?.qualityGaps ?? [];
    gapsTitle.hidden = gaps.hidden = gapList.length === 0;
    gaps.replaceChildren(...gapList.map((g) => {
      const li = el('li', gapText(g));
      li.dataset['profile'] = g.profile;
      li.dataset['real'] = String(g.real);
      return li;
    }));
    if (!c) {
      note.textContent = l10n.t('No comparison yet. "Run comparison" replays your recorded traffic (or a sample of this workspace) against two or more profiles.');
      table.set([]);
      return;
    }
    note.textContent = `${l10n.t('{0} cases from {1}, finished {2}{3}.', c.cases, sourceText(c), fmtDateTime(c.finishedAt), c.cancelled ? l10n.t(' (cancelled: partial)') : '')}${l10n.t(' Goodput = share of requests with TTFT ≤ {0} ms.', c.ttftSloMs)}`;
    table.set(c.rows.map((r) => ({
      key: r.profile,
      cells: [
        r.profile, r.model ?? (r.error ? l10n.t('failed: {0}', r.error) : '–'), String(r.count), String(r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.e2eP50),
        fmtNum(r.decodeP50), fmtNum(r.throughput), fmtPct(r.goodput), fmtPct(r.exactMatch), fmtNum(r.editSim, 2), fmtPct(r.bracketsBalanced), fmtNum(r.vramPeakMiB, 0), fmtMs(r.serverTtftMs),
        fmtPct(r.parsesAfter), fmtMs(r.coldTtftMs), fmtMs(r.loadMs),
        r.modelVram ? [r.modelVram.idleMiB, r.modelVram.firstTokenMiB, r.modelVram.peakMiB].map((v) => fmtNum(v, 0)).join(' / ') : (r.gpuNote ? l10n.t('no per-process data (see the VRAM table)') : '–'),
        r.modelVram?.utilShared ? l10n.t('shared with other processes') : fmtNum(r.utilMeanPct, 1),
      ],
    })));
    saved.textContent = c.savedTo ? l10n.t('Full report: {0}', c.savedTo) : '';
  });
  return { element, update: (s: PanelState) => show(s.comparison) };
}
