// The panel's per-replica view: a profile served through Prometheus, one row per replica
// (with the GPUs its pod holds), GPUs no replica holds, and the fleet's totals. Text in a
// table (cells from src/replicaTable.ts, shared with the status bar), built with
// textContent only. Absent when the profile's numbers come from this machine.
import type { ReplicasView } from '../src/protocol';
import { replicaTable, TOTALS_NOTE } from '../src/replicaTable';

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
  sec.append(el('h2', 'Replicas and GPUs (Prometheus)'));
  sec.append(el('p', `Prometheus at ${view.url}; replicas ${view.selector}, GPUs ${view.gpuSelector}${view.ts === undefined ? '' : `; read at ${new Date(view.ts).toLocaleTimeString()}`}.`, 'muted'));
  for (const p of view.problems) sec.append(el('p', p, 'warn'));
  if (view.state === 'stopped') sec.append(el('p', 'Prometheus is read while this window has focus or the panel is open.', 'muted'));
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
  sec.append(table, el('p', TOTALS_NOTE, 'muted'));
  return sec;
}
