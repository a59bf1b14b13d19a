// A part of the panel: built once, then updated in place with each new state.
import type { PanelState } from '../src/protocol';

export interface Section {
  readonly element: HTMLElement;
  update(state: PanelState): void;
}
