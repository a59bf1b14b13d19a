// The per-replica view (webview/replicas.ts builds it) as a panel section: rebuilt only when
// the replicas' data changed, absent when the profile's numbers come from this machine.
import type { PanelState } from '../../src/protocol';
import { changeGate, el } from '../dom';
import { replicasSection } from '../replicas';
import type { Section } from '../section';

export function replicasPanelSection(): Section {
  const element = el('div', undefined, 'replicas-slot');
  const show = changeGate((view: PanelState['replicas']) => element.replaceChildren(...[replicasSection(view)].filter((e): e is HTMLElement => e !== undefined)));
  return { element, update: (s) => show(s.replicas) };
}
