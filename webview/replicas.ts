// The panel's per-replica view: a profile served through Prometheus, one row per replica
// (with the GPUs its pod holds), GPUs no replica holds, and the fleet's totals. Text in a
// table (cells from src/replicaTable.ts, shared with the status bar), built with
// textContent only. Absent when the profile's numbers come from this machine.
import * as l10n from '@vscode/l10n';
import type { ReplicasView } from '../src/protocol';
import { replicaTable, totalsNote } from '../src/replicaTable';
import { fmtTime } from './format';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** The section, or undefined when there is no Prometheus source. */
export function replicasSection(view: ReplicasView | undefined): HTMLElement | undefined {
  if (!view) return undefined;
  const sec = el('section', undefined, 'replicas');
  sec.append(el('h2', l10n.t('Replicas and GPUs (Prometheus)')));
  sec.append(el('p', view.ts === undefined
    ? l10n.t('Prometheus at {0}; replicas {1}, GPUs {2}.', view.url, view.selector, view.gpuSelector)
    : l10n.t('Prometheus at {0}; replicas {1}, GPUs {2}; read at {3}.', view.url, view.selector, view.gpuSelector, fmtTime(view.ts)), 'muted'));
  for (const p of view.problems) sec.append(el('p', p, 'warn'));
  if (view.state === 'stopped') sec.append(el('p', l10n.t('Prometheus is read while this window has focus or the panel is open.'), 'muted'));
  if (view.ts === undefined || (!view.replicas.length && !view.total.gpus)) return sec;
  const { headers, rows } = replicaTable(view);
  const table = el('table', undefined, 'replicas');
  const head = el('tr');
  for (const h of headers) head.append(el('th', h));
  table.append(head);
  rows.forEach((cells, i) => {
    const tr = el('tr', undefined, i === rows.length - 1 ? 'total' : undefined);
    for (const c of cells) tr.append(el('td', c));
    table.append(tr);
  });
  sec.append(table, el('p', totalsNote(), 'muted'));
  return sec;
}
