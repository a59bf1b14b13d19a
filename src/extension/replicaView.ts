// The per-replica view of a profile served through Prometheus: what the last poll of the
// PrometheusWatch read (each replica's /metrics numbers, its TTFT over the rate window, the
// DCGM GPUs), mapped to the panel's and the status bar's shape in this one place. A GPU
// belongs to a replica when the exporter's Kubernetes mapping names the replica's pod.
// Pure (no vscode import): unit-tested with the fleet source's own types.
import type { FleetGpuReading } from '../core/prometheus/dcgm';
import { gpuTotals } from '../core/prometheus/dcgm';
import type { FleetPoll, FleetState } from '../core/prometheus/watch';
import type { FleetGpuView, ReplicasView, ReplicaView } from '../protocol';

export interface ReplicaViewSource {
  /** Prometheus' origin. */
  url: string;
  selector: string;
  gpuSelector: string;
  /** The window of the live TTFT mean and request rate, seconds. */
  windowS: number;
}

function gpuView(g: FleetGpuReading): FleetGpuView {
  const v: FleetGpuView = { index: g.index, name: g.name, utilGpuPct: g.utilGpuPct, memUsedMiB: g.memUsedMiB, memTotalMiB: g.memTotalMiB, powerW: g.powerW };
  if (g.hostname !== undefined) v.hostname = g.hostname;
  if (g.pod !== undefined) v.pod = g.pod;
  return v;
}

/** The view of `poll` (undefined before the first) in `state`. A part a problem hides is left empty, never shown stale. */
export function replicaView(source: ReplicaViewSource, state: FleetState, poll: FleetPoll | undefined): ReplicasView {
  const gpus = poll?.gpus?.gpus ?? [];
  const servers = poll?.servers;
  const latency = poll?.latency;
  const claimed = new Set<FleetGpuReading>();
  const replicas: ReplicaView[] = (servers?.replicas ?? []).map((r) => {
    const m = r.metrics;
    const live = latency?.replicas.find((l) => l.instance === r.instance);
    // Same pod (and namespace where both say): the exporter's mapping of who holds the GPU.
    const own = r.pod === undefined ? [] : gpus.filter((g) => g.pod === r.pod && (g.namespace === undefined || r.namespace === undefined || g.namespace === r.namespace));
    for (const g of own) claimed.add(g);
    const row: ReplicaView = { name: r.name, instance: r.instance, gpus: own.map(gpuView) };
    if (m.ttft) row.requests = m.ttft.count;
    if (live?.meanTtftMs !== undefined) row.ttftMeanMs = live.meanTtftMs;
    if (live?.requestsPerSec !== undefined) row.requestsPerSec = live.requestsPerSec;
    if (m.requestsRunning !== undefined) row.running = m.requestsRunning;
    if (m.requestsWaiting !== undefined) row.waiting = m.requestsWaiting;
    if (m.kvCacheUsage !== undefined) row.kvCachePct = m.kvCacheUsage * 100;
    return row;
  });
  const t = servers?.total;
  const g = gpuTotals(gpus);
  const total: ReplicasView['total'] = { replicas: replicas.length, gpus: gpus.length };
  if (t?.ttft) total.requests = t.ttft.count;
  if (latency?.meanTtftMs !== undefined) total.ttftMeanMs = latency.meanTtftMs;
  if (latency?.p50TtftMs !== undefined) total.ttftP50Ms = latency.p50TtftMs;
  if (latency?.p90TtftMs !== undefined) total.ttftP90Ms = latency.p90TtftMs;
  if (latency?.requestsPerSec !== undefined) total.requestsPerSec = latency.requestsPerSec;
  if (t?.requestsRunning !== undefined) total.running = t.requestsRunning;
  if (t?.requestsWaiting !== undefined) total.waiting = t.requestsWaiting;
  if (t?.kvCacheUsage !== undefined) total.kvCachePct = t.kvCacheUsage * 100;
  if (g.utilMeanPct !== undefined) total.utilMeanPct = g.utilMeanPct;
  if (g.memUsedMiB !== undefined) total.memUsedMiB = g.memUsedMiB;
  if (g.memTotalMiB !== undefined) total.memTotalMiB = g.memTotalMiB;
  if (g.powerW !== undefined) total.powerW = g.powerW;
  const view: ReplicasView = {
    url: source.url,
    selector: source.selector,
    gpuSelector: source.gpuSelector,
    state: state.kind,
    problems: state.problems.map((p) => p.message),
    windowS: source.windowS,
    replicas,
    otherGpus: gpus.filter((x) => !claimed.has(x)).map(gpuView),
    total,
  };
  if (poll) view.ts = poll.ts;
  return view;
}
