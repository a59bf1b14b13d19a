// The panel's header: the active profile, its server's state, and the main actions.
import '@vscode-elements/elements/dist/vscode-button/index.js';
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
  actions.append(button('Select model', 'completionLab.selectModel'), button('Run comparison', 'completionLab.runComparison'), button('Export data', 'completionLab.exportData'), button('Clear recorded traffic', 'completionLab.clearTraffic'));
  element.append(el('h1', 'Completion Lab'), status, actions);
  const show = changeGate((s: Pick<PanelState, 'activeProfile' | 'model' | 'serverState' | 'serverMessage'>) => {
    status.replaceChildren(el('span', `Profile: ${s.activeProfile ?? 'none'}`), el('span', ` · model: ${s.model ?? '–'}`), el('span', ` · server: ${s.serverState}`));
    if (s.serverMessage) status.append(el('span', ` (${s.serverMessage})`, 'warn'));
  });
  return { element, update: (s) => show({ activeProfile: s.activeProfile, model: s.model, serverState: s.serverState, serverMessage: s.serverMessage }) };
}
