// Per profile, the summary of the completions recorded in the editor.
import * as l10n from '@vscode/l10n';
import type { PanelState } from '../../src/protocol';
import { changeGate, DataTable, el } from '../dom';
import { fmtMs, fmtNum, fmtPct } from '../format';
import type { Section } from '../section';

export function recordedSection(): Section {
  const element = el('section', undefined, 'recorded');
  const table = new DataTable('profiles', [l10n.t('profile'), l10n.t('requests'), l10n.t('failed'), l10n.t('kept'), 'TTFT p50', 'TTFT p90', 'TTFT p99', 'E2E p50', 'TPOT p50', l10n.t('decode tok/s p50')]);
  const empty = el('p', l10n.t('No recorded completions yet: type in an editor with a profile active.'));
  const note = el('p', undefined, 'muted');
  element.append(el('h2', l10n.t('Profiles on your recorded traffic')), table.element, empty, note);
  const show = changeGate((s: Pick<PanelState, 'profiles' | 'storedRecords' | 'skippedLines' | 'recording'>) => {
    table.set(s.profiles.map((r) => ({
      key: r.profile,
      cells: [r.profile, String(r.count), fmtPct(r.failureRate), fmtPct(r.acceptanceRate), fmtMs(r.ttftMs.p50), fmtMs(r.ttftMs.p90), fmtMs(r.ttftMs.p99), fmtMs(r.e2eMs.p50), fmtMs(r.tpotMs.p50), fmtNum(r.decodeTokensPerSec.p50)],
    })));
    table.element.hidden = !s.profiles.length;
    empty.hidden = s.profiles.length > 0;
    note.textContent = `${s.skippedLines ? l10n.t('{0} records stored, {1} damaged lines skipped.', s.storedRecords, s.skippedLines) : l10n.t('{0} records stored.', s.storedRecords)}${s.recording ? l10n.t(' Recording of source text is on.') : l10n.t(' Recording of source text is off.')}`;
  });
  return { element, update: (s) => show({ profiles: s.profiles, storedRecords: s.storedRecords, skippedLines: s.skippedLines, recording: s.recording }) };
}
