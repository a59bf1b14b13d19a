// The profiling panel (browser side). It holds no data of its own: it says "ready", the
// host hydrates it, and updates replace the state. Built with DOM APIs and textContent
// only (no HTML from data), @vscode-elements for native-looking controls, Chart.js for
// the live TTFT chart.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip } from 'chart.js';
import type { ComparisonView, HostMessage, PanelCommand, PanelMessage, PanelState, ProfileRow } from '../src/protocol';
import { replicasSection } from './replicas';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

declare function acquireVsCodeApi(): { postMessage(msg: PanelMessage): void };
const vscode = acquireVsCodeApi();

let chart: Chart | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const fmtMs = (v?: number) => (v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const fmtPct = (v?: number) => (v === undefined ? '–' : `${(v * 100).toFixed(0)} %`);
const fmtNum = (v?: number | null, d = 1) => (v === undefined || v === null ? '–' : v.toFixed(d));

function button(label: string, command: PanelCommand): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.addEventListener('click', () => vscode.postMessage({ type: 'command', command }));
  return b;
}

function profileTable(rows: ProfileRow[]): HTMLElement {
  const table = el('table', undefined, 'profiles');
  const head = el('tr');
  for (const h of ['profile', 'requests', 'failed', 'kept', 'TTFT p50', 'TTFT p90', 'TTFT p99', 'E2E p50', 'TPOT p50', 'decode tok/s p50']) head.append(el('th', h));
  table.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of [
      r.profile, String(r.count), fmtPct(r.failureRate), fmtPct(r.acceptanceRate),
      fmtMs(r.ttftMs.p50), fmtMs(r.ttftMs.p90), fmtMs(r.ttftMs.p99), fmtMs(r.e2eMs.p50), fmtMs(r.tpotMs.p50), fmtNum(r.decodeTokensPerSec.p50),
    ]) tr.append(el('td', c));
    table.append(tr);
  }
  return table;
}

/** Throughput and TTFT per concurrency level: a table, so it reads without a chart. */
function sweepTable(c: ComparisonView): HTMLElement[] {
  const rows = c.rows.filter((r) => r.sweep?.length);
  if (!rows.length) return [];
  const table = el('table', undefined, 'sweep');
  const head = el('tr');
  for (const h of ['profile', 'in flight', 'throughput tok/s', 'scaling', 'TTFT p50', 'TTFT p90', 'goodput']) head.append(el('th', h));
  table.append(head);
  for (const r of rows) {
    for (const l of r.sweep!) {
      const tr = el('tr');
      for (const v of [r.profile, String(l.concurrency), fmtNum(l.throughput), l.scaling === undefined ? '–' : `${l.scaling.toFixed(2)}x`, fmtMs(l.ttftP50), fmtMs(l.ttftP90), fmtPct(l.goodput)]) tr.append(el('td', v));
      table.append(tr);
    }
  }
  const within = rows.map((r) => `${r.profile}: ${r.maxConcurrencyWithinSlo ?? 'none'}`).join(', ');
  return [el('h3', 'Throughput against concurrency'), table, el('p', `Highest concurrency with TTFT p90 ≤ ${c.ttftSloMs} ms: ${within}.`, 'muted')];
}

/** TTFT by prompt length class. */
function lengthTable(c: ComparisonView): HTMLElement[] {
  const rows = c.rows.filter((r) => r.lengthClasses?.some((x) => x.count > 0));
  if (!rows.length) return [];
  const table = el('table', undefined, 'lengths');
  const head = el('tr');
  for (const h of ['profile', 'prompt length', 'requests', 'TTFT mean ± std', 'TTFT p50']) head.append(el('th', h));
  table.append(head);
  for (const r of rows) {
    for (const x of r.lengthClasses!) {
      const tr = el('tr');
      for (const v of [r.profile, x.name, String(x.count), x.ttftMeanMs === undefined ? '–' : `${fmtMs(x.ttftMeanMs)} ± ${fmtMs(x.ttftStdMs)}`, fmtMs(x.ttftP50Ms)]) tr.append(el('td', v));
      table.append(tr);
    }
  }
  return [el('h3', 'TTFT by prompt length'), table];
}

function comparisonSection(c: ComparisonView | undefined): HTMLElement {
  const sec = el('section', undefined, 'comparison');
  sec.append(el('h2', 'Model comparison'));
  if (!c) {
    sec.append(el('p', 'No comparison yet. "Run comparison" replays your recorded traffic (or a sample of this workspace) against two or more profiles.', 'muted'));
    return sec;
  }
  const when = new Date(c.finishedAt).toLocaleString();
  sec.append(el('p', `${c.cases} cases from ${c.source === 'recorded' ? 'your recorded traffic' : c.source === 'mixed' ? 'your recorded traffic and this workspace' : 'this workspace'}, finished ${when}${c.cancelled ? ' (cancelled: partial)' : ''}. Goodput = share of requests with TTFT ≤ ${c.ttftSloMs} ms.`, 'muted'));
  const table = el('table', undefined, 'profiles');
  const head = el('tr');
  for (const h of ['profile', 'model', 'n', 'failed', 'TTFT p50', 'TTFT p90', 'E2E p50', 'decode tok/s', 'throughput tok/s', 'goodput', 'exact 1st line', 'edit sim', 'brackets ok', 'card VRAM peak MiB', 'server TTFT', 'parses after', 'cold TTFT', 'load', 'model VRAM idle / 1st token / peak MiB', 'GPU util']) head.append(el('th', h));
  table.append(head);
  for (const r of c.rows) {
    const tr = el('tr');
    tr.dataset['profile'] = r.profile;
    for (const v of [
      r.profile, r.model ?? (r.error ? `failed: ${r.error}` : '–'), String(r.count), String(r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.e2eP50),
      fmtNum(r.decodeP50), fmtNum(r.throughput), fmtPct(r.goodput), fmtPct(r.exactMatch), fmtNum(r.editSim, 2), fmtPct(r.bracketsBalanced), fmtNum(r.vramPeakMiB, 0), fmtMs(r.serverTtftMs),
      fmtPct(r.parsesAfter), fmtMs(r.coldTtftMs), fmtMs(r.loadMs),
      r.modelVram ? [r.modelVram.idleMiB, r.modelVram.firstTokenMiB, r.modelVram.peakMiB].map((v) => fmtNum(v, 0)).join(' / ') : (r.gpuNote ? `not attributed: ${r.gpuNote}` : '–'),
      r.modelVram?.utilShared ? 'shared with other processes' : fmtNum(r.utilMeanPct, 1),
    ]) tr.append(el('td', v));
    table.append(tr);
  }
  sec.append(table);
  if (c.savedTo) sec.append(el('p', `Full report: ${c.savedTo}`, 'muted'));
  return sec;
}

/** The sweep and length-class tables, in their own section below the comparison's one-row-per-profile table. */
function comparisonDetails(c: ComparisonView | undefined): HTMLElement {
  const sec = el('section', undefined, 'comparison-details');
  if (c) sec.append(...sweepTable(c), ...lengthTable(c));
  return sec;
}

function render(state: PanelState): void {
  const app = document.getElementById('app')!;
  const header = el('header');
  header.append(el('h1', 'Completion Lab'));
  const status = el('p', undefined, 'status');
  status.append(el('span', `Profile: ${state.activeProfile ?? 'none'}`), el('span', ` · model: ${state.model ?? '–'}`), el('span', ` · server: ${state.serverState}`));
  if (state.serverMessage) status.append(el('span', ` (${state.serverMessage})`, 'warn'));
  header.append(status);
  const actions = el('div', undefined, 'actions');
  actions.append(button('Select model', 'completionLab.selectModel'), button('Run comparison', 'completionLab.runComparison'), button('Export data', 'completionLab.exportData'), button('Clear recorded traffic', 'completionLab.clearTraffic'));
  header.append(actions);

  const live = el('section');
  live.append(el('h2', `Live: last ${state.recent.length} completions`));
  const canvasBox = el('div', undefined, 'chart');
  const canvas = el('canvas');
  canvas.id = 'ttft-chart';
  canvasBox.append(canvas);
  live.append(canvasBox);

  const server = el('section');
  server.append(el('h2', 'Server (/metrics) and GPU'));
  const m = state.serverMetrics;
  server.append(el('p', m ? `Server-side: TTFT mean ${fmtMs(m.ttftMeanMs)}, ${fmtNum(m.genTokensPerSec)} tok/s generated, KV cache ${fmtNum(m.kvCacheUsagePct)} %, running ${fmtNum(m.running, 0)}, waiting ${fmtNum(m.waiting, 0)}` : 'Server-side metrics: none yet.'));
  if (state.gpus.length) {
    for (const g of state.gpus) {
      server.append(el('p', `GPU ${g.index} ${g.name ?? ''}: util ${fmtNum(g.utilGpuPct, 0)} %, VRAM ${fmtNum(g.memUsedMiB, 0)} / ${fmtNum(g.memTotalMiB, 0)} MiB, ${fmtNum(g.powerW, 0)} W, ${fmtNum(g.tempC, 0)} °C`));
    }
  } else {
    server.append(el('p', `GPU: ${state.gpuState}`));
  }

  const profiles = el('section');
  profiles.append(el('h2', 'Profiles on your recorded traffic'));
  profiles.append(state.profiles.length ? profileTable(state.profiles) : el('p', 'No recorded completions yet: type in an editor with a profile active.'));
  profiles.append(el('p', `${state.storedRecords} records stored${state.skippedLines ? `, ${state.skippedLines} damaged lines skipped` : ''}. Recording of source text is ${state.recording ? 'on' : 'off'}.`, 'muted'));

  chart?.destroy();
  const replicas = replicasSection(state.replicas);
  app.replaceChildren(header, live, server, ...(replicas ? [replicas] : []), profiles, comparisonSection(state.comparison), comparisonDetails(state.comparison));
  const labels = state.recent.map((p) => new Date(p.ts).toLocaleTimeString());
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'TTFT (ms)', data: state.recent.map((p) => p.ttftMs ?? null), borderColor: themeColor('--vscode-charts-blue', '#3794ff'), tension: 0.2 },
        { label: 'E2E (ms)', data: state.recent.map((p) => p.e2eMs ?? null), borderColor: themeColor('--vscode-charts-green', '#89d185'), tension: 0.2 },
        { label: 'keystroke → ghost text (ms)', data: state.recent.map((p) => p.keystrokeToShownMs ?? null), borderColor: themeColor('--vscode-charts-yellow', '#cca700'), tension: 0.2 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
}

/** A colour from VS Code's theme (the webview gets them as CSS variables), so charts follow light, dark and high-contrast themes. */
function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || fallback;
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const msg = e.data;
  if (msg && (msg.type === 'hydrate' || msg.type === 'update')) render(msg.state);
});

vscode.postMessage({ type: 'ready' });
