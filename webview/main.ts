// The profiling panel (browser side). It holds no data of its own: it says "ready", the
// host hydrates it, and each update goes to every section, which changes its own DOM and
// charts in place (only where its data changed). One file per section under sections/;
// a new view adds its section to the list below.
// The language comes first: sections read their strings when they are built.
import './locale';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { HostMessage, PanelMessage } from '../src/protocol';
import { recolorCharts } from './chartBox';
import type { Section } from './section';
import { comparisonChartsSection } from './sections/comparisonCharts';
import { comparisonSection } from './sections/comparisonTable';
import { gpuTimelineSection } from './sections/gpuTimeline';
import { headerSection } from './sections/header';
import { liveSection } from './sections/live';
import { recordedSection } from './sections/recorded';
import { replicasPanelSection } from './sections/replicas';
import { serverGpuSection } from './sections/serverGpu';
import { onThemeChange } from './theme';

declare function acquireVsCodeApi(): { postMessage(msg: PanelMessage): void; setState(state: unknown): void };
const vscode = acquireVsCodeApi();
// The host owns the data; this only marks the panel as one to bring back after a reload.
vscode.setState({ panel: 1 });

const sections: Section[] = [
  headerSection((command) => vscode.postMessage({ type: 'command', command })),
  liveSection(),
  serverGpuSection(),
  replicasPanelSection(),
  recordedSection(),
  comparisonSection(),
  comparisonChartsSection(),
  gpuTimelineSection(),
];

let mounted = false;

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const msg = e.data;
  if (!msg || (msg.type !== 'hydrate' && msg.type !== 'update')) return;
  if (!mounted) {
    mounted = true;
    document.getElementById('app')!.replaceChildren(...sections.map((s) => s.element));
  }
  // One section's failure must not keep the others from showing their data.
  for (const s of sections) {
    try {
      s.update(msg.state);
    } catch (err) {
      console.error(`Completion Lab panel: ${(err as Error).stack ?? String(err)}`);
    }
  }
});

onThemeChange(recolorCharts);
vscode.postMessage({ type: 'ready' });
