// The profiling panel (browser side). It holds no data of its own: it says "ready", the
// host hydrates it, and updates replace the state. Built with DOM APIs and textContent
// only (no HTML from data), @vscode-elements for native-looking controls, Chart.js for
// the live TTFT chart.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import * as l10n from '@vscode/l10n';
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip } from 'chart.js';
import type { ComparisonView, HostMessage, PanelCommand, PanelMessage, PanelState, ProfileRow } from '../src/protocol';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

declare function acquireVsCodeApi(): { postMessage(msg: PanelMessage): void };
const vscode = acquireVsCodeApi();

// The host puts its l10n bundle and VS Code's display language in the page (panel.ts).
const bundleText = document.getElementById('l10n-bundle')?.textContent;
if (bundleText) l10n.config({ contents: JSON.parse(bundleText) as l10n.l10nJsonFormat });
const lang = document.documentElement.lang || undefined;
const fixed = (v: number, d: number) => v.toLocaleString(lang, { minimumFractionDigits: d, maximumFractionDigits: d });

let chart: Chart | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const fmtMs = (v?: number) => (v === undefined ? '–' : v >= 1000 ? `${fixed(v / 1000, 2)} s` : `${fixed(v, 0)} ms`);
const fmtPct = (v?: number) => (v === undefined ? '–' : `${fixed(v * 100, 0)} %`);
const fmtNum = (v?: number | null, d = 1) => (v === undefined || v === null ? '–' : fixed(v, d));

function button(label: string, command: PanelCommand): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.addEventListener('click', () => vscode.postMessage({ type: 'command', command }));
  return b;
}

function profileTable(rows: ProfileRow[]): HTMLElement {
  const table = el('table', undefined, 'profiles');
  const head = el('tr');
  for (const h of [l10n.t('profile'), l10n.t('requests'), l10n.t('failed'), l10n.t('kept'), 'TTFT p50', 'TTFT p90', 'TTFT p99', 'E2E p50', 'TPOT p50', l10n.t('decode tok/s p50')]) head.append(el('th', h));
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
  for (const h of [l10n.t('profile'), l10n.t('in flight'), l10n.t('throughput tok/s'), l10n.t('scaling'), 'TTFT p50', 'TTFT p90', 'goodput']) head.append(el('th', h));
  table.append(head);
  for (const r of rows) {
    for (const l of r.sweep!) {
      const tr = el('tr');
      for (const v of [r.profile, String(l.concurrency), fmtNum(l.throughput), l.scaling === undefined ? '–' : `${fixed(l.scaling, 2)}x`, fmtMs(l.ttftP50), fmtMs(l.ttftP90), fmtPct(l.goodput)]) tr.append(el('td', v));
      table.append(tr);
    }
  }
  const within = rows.map((r) => `${r.profile}: ${r.maxConcurrencyWithinSlo ?? l10n.t('none')}`).join(', ');
  return [el('h3', l10n.t('Throughput against concurrency')), table, el('p', l10n.t('Highest concurrency with TTFT p90 ≤ {0} ms: {1}.', c.ttftSloMs, within), 'muted')];
}

/** TTFT by prompt length class. */
function lengthTable(c: ComparisonView): HTMLElement[] {
  const rows = c.rows.filter((r) => r.lengthClasses?.some((x) => x.count > 0));
  if (!rows.length) return [];
  const table = el('table', undefined, 'lengths');
  const head = el('tr');
  for (const h of [l10n.t('profile'), l10n.t('prompt length'), l10n.t('requests'), l10n.t('TTFT mean ± std'), 'TTFT p50']) head.append(el('th', h));
  table.append(head);
  for (const r of rows) {
    for (const x of r.lengthClasses!) {
      const tr = el('tr');
      for (const v of [r.profile, x.name, String(x.count), x.ttftMeanMs === undefined ? '–' : `${fmtMs(x.ttftMeanMs)} ± ${fmtMs(x.ttftStdMs)}`, fmtMs(x.ttftP50Ms)]) tr.append(el('td', v));
      table.append(tr);
    }
  }
  return [el('h3', l10n.t('TTFT by prompt length')), table];
}

function comparisonSection(c: ComparisonView | undefined): HTMLElement {
  const sec = el('section', undefined, 'comparison');
  sec.append(el('h2', l10n.t('Model comparison')));
  if (!c) {
    sec.append(el('p', l10n.t('No comparison yet. "Run comparison" replays your recorded traffic (or a sample of this workspace) against two or more profiles.'), 'muted'));
    return sec;
  }
  const when = new Date(c.finishedAt).toLocaleString(lang);
  sec.append(el('p', `${l10n.t('{0} cases from {1}, finished {2}{3}.', c.cases, c.source === 'recorded' ? l10n.t('your recorded traffic') : c.source === 'mixed' ? l10n.t('your recorded traffic and this workspace') : l10n.t('this workspace'), when, c.cancelled ? l10n.t(' (cancelled: partial)') : '')}${l10n.t(' Goodput = share of requests with TTFT ≤ {0} ms.', c.ttftSloMs)}`, 'muted'));
  const table = el('table', undefined, 'profiles');
  const head = el('tr');
  for (const h of [l10n.t('profile'), l10n.t('model'), 'n', l10n.t('failed'), 'TTFT p50', 'TTFT p90', 'E2E p50', l10n.t('decode tok/s'), l10n.t('throughput tok/s'), 'goodput', l10n.t('exact 1st line'), l10n.t('edit sim'), l10n.t('brackets ok'), l10n.t('card VRAM peak MiB'), l10n.t('server TTFT'), l10n.t('parses after'), l10n.t('cold TTFT'), l10n.t('load'), l10n.t('model VRAM idle / 1st token / peak MiB'), l10n.t('GPU util')]) head.append(el('th', h));
  table.append(head);
  for (const r of c.rows) {
    const tr = el('tr');
    tr.dataset['profile'] = r.profile;
    for (const v of [
      r.profile, r.model ?? (r.error ? l10n.t('failed: {0}', r.error) : '–'), String(r.count), String(r.failures), fmtMs(r.ttftP50), fmtMs(r.ttftP90), fmtMs(r.e2eP50),
      fmtNum(r.decodeP50), fmtNum(r.throughput), fmtPct(r.goodput), fmtPct(r.exactMatch), fmtNum(r.editSim, 2), fmtPct(r.bracketsBalanced), fmtNum(r.vramPeakMiB, 0), fmtMs(r.serverTtftMs),
      fmtPct(r.parsesAfter), fmtMs(r.coldTtftMs), fmtMs(r.loadMs),
      r.modelVram ? [r.modelVram.idleMiB, r.modelVram.firstTokenMiB, r.modelVram.peakMiB].map((v) => fmtNum(v, 0)).join(' / ') : (r.gpuNote ? l10n.t('not attributed: {0}', r.gpuNote) : '–'),
      r.modelVram?.utilShared ? l10n.t('shared with other processes') : fmtNum(r.utilMeanPct, 1),
    ]) tr.append(el('td', v));
    table.append(tr);
  }
  sec.append(table);
  if (c.savedTo) sec.append(el('p', l10n.t('Full report: {0}', c.savedTo), 'muted'));
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
  status.append(el('span', l10n.t('Profile: {0}', state.activeProfile ?? l10n.t('none'))), el('span', ` · ${l10n.t('model: {0}', state.model ?? '–')}`), el('span', ` · ${l10n.t('server: {0}', serverStateText(state.serverState))}`));
  if (state.serverMessage) status.append(el('span', ` (${state.serverMessage})`, 'warn'));
  header.append(status);
  const actions = el('div', undefined, 'actions');
  actions.append(button(l10n.t('Select model'), 'completionLab.selectModel'), button(l10n.t('Run comparison'), 'completionLab.runComparison'), button(l10n.t('Export data'), 'completionLab.exportData'), button(l10n.t('Clear recorded traffic'), 'completionLab.clearTraffic'));
  header.append(actions);

  const live = el('section');
  live.append(el('h2', l10n.t('Live: last {0} completions', state.recent.length)));
  const canvasBox = el('div', undefined, 'chart');
  const canvas = el('canvas');
  canvas.id = 'ttft-chart';
  canvasBox.append(canvas);
  live.append(canvasBox);

  const server = el('section');
  server.append(el('h2', l10n.t('Server (/metrics) and GPU')));
  const m = state.serverMetrics;
  server.append(el('p', m ? l10n.t('Server-side: TTFT mean {0}, {1} tok/s generated, KV cache {2} %, running {3}, waiting {4}', fmtMs(m.ttftMeanMs), fmtNum(m.genTokensPerSec), fmtNum(m.kvCacheUsagePct), fmtNum(m.running, 0), fmtNum(m.waiting, 0)) : l10n.t('Server-side metrics: none yet.')));
  if (state.gpus.length) {
    for (const g of state.gpus) {
      server.append(el('p', l10n.t('GPU {0} {1}: util {2} %, VRAM {3} / {4} MiB, {5} W, {6} °C', g.index, g.name ?? '', fmtNum(g.utilGpuPct, 0), fmtNum(g.memUsedMiB, 0), fmtNum(g.memTotalMiB, 0), fmtNum(g.powerW, 0), fmtNum(g.tempC, 0))));
    }
  } else {
    server.append(el('p', l10n.t('GPU: {0}', gpuStateText(state.gpuState))));
  }

  const profiles = el('section');
  profiles.append(el('h2', l10n.t('Profiles on your recorded traffic')));
  profiles.append(state.profiles.length ? profileTable(state.profiles) : el('p', l10n.t('No recorded completions yet: type in an editor with a profile active.')));
  profiles.append(el('p', `${state.skippedLines ? l10n.t('{0} records stored, {1} damaged lines skipped.', state.storedRecords, state.skippedLines) : l10n.t('{0} records stored.', state.storedRecords)}${state.recording ? l10n.t(' Recording of source text is on.') : l10n.t(' Recording of source text is off.')}`, 'muted'));

  chart?.destroy();
  app.replaceChildren(header, live, server, profiles, comparisonSection(state.comparison), comparisonDetails(state.comparison));
  const labels = state.recent.map((p) => new Date(p.ts).toLocaleTimeString(lang));
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'TTFT (ms)', data: state.recent.map((p) => p.ttftMs ?? null), borderColor: themeColor('--vscode-charts-blue', '#3794ff'), tension: 0.2 },
        { label: 'E2E (ms)', data: state.recent.map((p) => p.e2eMs ?? null), borderColor: themeColor('--vscode-charts-green', '#89d185'), tension: 0.2 },
        { label: l10n.t('keystroke → ghost text (ms)'), data: state.recent.map((p) => p.keystrokeToShownMs ?? null), borderColor: themeColor('--vscode-charts-yellow', '#cca700'), tension: 0.2 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
}

/** The host sends state ids; the user reads words (an id the panel does not know is shown as sent). */
function serverStateText(kind: string): string {
  const words: Record<string, string> = { unknown: l10n.t('not checked yet'), ok: l10n.t('ok'), unreachable: l10n.t('unreachable'), error: l10n.t('error') };
  return words[kind] ?? kind;
}

function gpuStateText(kind: string): string {
  const words: Record<string, string> = { running: l10n.t('running'), stopped: l10n.t('stopped'), restarting: l10n.t('restarting'), failed: l10n.t('failed') };
  return words[kind] ?? kind;
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
