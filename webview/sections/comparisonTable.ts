// The latest comparison: where its cases came from, one row per profile, where the report is.
import type { ComparisonView, PanelState } from '../../src/protocol';
import { changeGate, DataTable, el } from '../dom';
import { fmtMs, fmtNum, fmtPct } from '../format';
import type { Section } from '../section';

const HEADERS = ['profile', 'model', 'n', 'failed', 'TTFT p50', 'TTFT p90', 'E2E p50', 'decode tok/s', 'throughput tok/s', 'goodput', 'exact 1st line', 'edit sim', 'brackets ok', 'card VRAM peak MiB', 'server TTFT', 'parses after', 'cold TTFT', 'load', 'model VRAM idle / 1st token / peak MiB', 'card GPU util %'];

const SOURCES: Record<string, string> = { recorded: 'your recorded traffic', mixed: 'your recorded traffic and this workspace', workspace: 'this workspace' };

export function comparisonSection(): Section {
  const element = el('section', undefined, 'comparison');
  const note = el('p', undefined, 'muted');
  const table = new DataTable('profiles', HEADERS);
  const saved = el('p', undefined, 'muted saved');
  element.append(el('h2', 'Model comparison'), note, table.element, saved);
  const show = changeGate((c: ComparisonView | undefined) => {
    table.element.hidden = !c;
    saved.hidden = !c?.savedTo;
    if (!c) {
      note.textContent = 'No comparison yet. "Run comparison" replays your recorded traffic (or a sample of this workspace) against two or more profiles.';
      table.set([]);
      return;
    }
    note.textContent = `${c.cases} cases from ${SOURCES[c.source] ?? c.source}, finished ${new Date(c.finishedAt).toLocaleString()}${c.cancelled ? ' (cancelled: partial)' : ''}. Goodput = share of requests with TTFT ≤ ${c.ttftSloMs} ms.`;
    table.set(c.rows.map((r) => ({
      key: r.profile,
      cells: [
        r.profile, r.model ?? (r.error ? `failed: ${r.error}` : '–'), String(r.count), String(r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.e2eP50),
        fmtNum(r.decodeP50), fmtNum(r.throughput), fmtPct(r.goodput), fmtPct(r.exactMatch), fmtNum(r.editSim, 2), fmtPct(r.bracketsBalanced), fmtNum(r.vramPeakMiB, 0), fmtMs(r.serverTtftMs),
        fmtPct(r.parsesAfter), fmtMs(r.coldTtftMs), fmtMs(r.loadMs),
        r.modelVram ? [r.modelVram.idleMiB, r.modelVram.firstTokenMiB, r.modelVram.peakMiB].map((v) => fmtNum(v, 0)).join(' / ') : (r.gpuNote ? 'no per-process data (see the VRAM table)' : '–'),
        r.modelVram?.utilShared ? 'shared with other processes' : fmtNum(r.utilMeanPct, 1),
      ],
    })));
    saved.textContent = c.savedTo ? `Full report: ${c.savedTo}` : '';
  });
  return { element, update: (s: PanelState) => show(s.comparison) };
}
