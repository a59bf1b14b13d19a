// The panel's header: the active profile, its server's state, and the main actions.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import * as l10n from '@vscode/l10n';
import type { PanelCommand, PanelState } from '../../src/protocol';
import { changeGate, el } from '../dom';
import type { Section } from '../section';

export function headerSection(send: (command: PanelCommand) => void): Section {
  const element = el('header');
  const status = el('p', undefined, 'status');
  const actions = el('div', undefined, 'actions');
  const button = (label: string, command: PanelCommand): HTMLElement => {
    const b = document.createElement('vscode-button');
    b.textContent = label;
    b.addEventListener('click', () => send(command));
    return b;
  };
  actions.append(button(l10n.t('Select model'), 'completionLab.selectModel'), button(l10n.t('Run comparison'), 'completionLab.runComparison'), button(l10n.t('Export data'), 'completionLab.exportData'), button(l10n.t('Clear recorded traffic'), 'completionLab.clearTraffic'));
  element.append(el('h1', 'Completion Lab'), status, actions);
  const show = changeGate((s: Pick<PanelState, 'activeProfile' | 'model' | 'serverState' | 'serverMessage'>) => {
    status.replaceChildren(el('span', l10n.t('Profile: {0}', s.activeProfile ?? l10n.t('none'))), el('span', ` · ${l10n.t('model: {0}', s.model ?? '–')}`), el('span', ` · ${l10n.t('server: {0}', serverStateText(s.serverState))}`));
    if (s.serverMessage) status.append(el('span', ` (${s.serverMessage})`, 'warn'));
  });
  return { element, update: (s) => show({ activeProfile: s.activeProfile, model: s.model, serverState: s.serverState, serverMessage: s.serverMessage }) };
}

/** The host sends the server's state as an id; the user reads words (an id the panel does not know is shown as sent). */
function serverStateText(kind: string): string {
  const words: Record<string, string> = { unknown: l10n.t('not checked yet'), ok: l10n.t('ok'), unreachable: l10n.t('unreachable'), error: l10n.t('error') };
  return words[kind] ?? kind;
}
