// The per-replica table as text cells: one definition of its columns and number formats for
// the panel (a DOM table, webview/replicas.ts) and the status bar's tooltip (a markdown
// table). Rows: each replica with the GPUs its pod holds, then GPUs no replica holds, then
// the fleet's totals. Pure, and imports only the message types and @vscode/l10n (configured
// by the host and by the panel alike), so the webview bundles it.
import * as l10n from '@vscode/l10n';
import type { FleetGpuView, ReplicasView } from './protocol';

export interface ReplicaTable {
  headers: string[];
  rows: string[][];
}

const dash = '–';
const ms = (v?: number): string => (v === undefined ? dash : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const num = (v: number | undefined | null, digits = 0): string => (v === undefined || v === null ? dash : v.toFixed(digits));
const gib = (v: number | undefined | null): string => (v === undefined || v === null ? dash : (v / 1024).toFixed(1));

/** VRAM used / total in GiB. */
export function vramText(used: number | undefined | null, total: number | undefined | null): string {
  return used === undefined || used === null ? dash : `${gib(used)} / ${gib(total)} GiB`;
}

/** Several GPUs as one cell set: utilisation averaged, VRAM and power summed. */
function gpuCells(gpus: readonly FleetGpuView[]): string[] {
  if (!gpus.length) return [dash, dash, dash];
  const vals = (f: (g: FleetGpuView) => number | null) => gpus.map(f).filter((v): v is number => v !== null);
  const sum = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) : undefined);
  const util = vals((g) => g.utilGpuPct);
  const power = sum(vals((g) => g.powerW));
  return [
    util.length ? `${num(sum(util)! / util.length)} %` : dash,
    vramText(sum(vals((g) => g.memUsedMiB)), sum(vals((g) => g.memTotalMiB))),
    power === undefined ? dash : `${num(power)} W`,
  ];
}

function gpuName(g: FleetGpuView): string {
  const name = g.hostname ? l10n.t('GPU {0} on {1}', g.index, g.hostname) : `GPU ${g.index}`;
  return `${name}${g.pod ? ` (${g.pod})` : ''}`;
}

export function replicaTable(view: ReplicasView): ReplicaTable {
  const headers = [l10n.t('replica'), 'GPUs', l10n.t('requests'), l10n.t('TTFT mean ({0} s)', view.windowS), 'req/s', l10n.t('running'), l10n.t('waiting'), 'KV cache', l10n.t('GPU util'), 'VRAM', l10n.t('power')];
  const rows: string[][] = [];
  for (const r of view.replicas) {
    rows.push([r.name, r.gpus.map((g) => String(g.index)).join(', ') || dash, num(r.requests), ms(r.ttftMeanMs), num(r.requestsPerSec, 2), num(r.running), num(r.waiting), r.kvCachePct === undefined ? dash : `${num(r.kvCachePct, 1)} %`, ...gpuCells(r.gpus)]);
  }
  for (const g of view.otherGpus) rows.push([gpuName(g), String(g.index), dash, dash, dash, dash, dash, dash, ...gpuCells([g])]);
  const t = view.total;
  const p = t.ttftP50Ms === undefined ? '' : ` (p50 ${ms(t.ttftP50Ms)}, p90 ${ms(t.ttftP90Ms)})`;
  rows.push([
    t.replicas === 1 ? l10n.t('all: 1 replica') : l10n.t('all: {0} replicas', t.replicas), String(t.gpus), num(t.requests), `${ms(t.ttftMeanMs)}${p}`, num(t.requestsPerSec, 2), num(t.running), num(t.waiting),
    t.kvCachePct === undefined ? dash : `${num(t.kvCachePct, 1)} %`, t.utilMeanPct === undefined ? dash : `${num(t.utilMeanPct)} %`, vramText(t.memUsedMiB, t.memTotalMiB), t.powerW === undefined ? dash : `${num(t.powerW)} W`,
  ]);
  return { headers, rows };
}

/** How the totals are made, for a note under the table. */
export const totalsNote = (): string => l10n.t('all: requests, queue, VRAM and power summed; GPU utilisation and KV cache averaged; TTFT weighted by requests.');
