// The per-replica view (panel and status bar) of what a Prometheus poll read: GPUs go to the
// replica whose pod holds them, totals are summed or averaged as each metric requires, and a
// part a problem hides is empty, never stale.
import * as assert from 'node:assert/strict';
import type { FleetGpuReading } from '../../src/core/prometheus/dcgm';
import type { FleetPoll, FleetState } from '../../src/core/prometheus/watch';
import type { ServerMetrics } from '../../src/core/server/serverMetrics';
import { renderStatus } from '../../src/extension/statusModel';
import { replicaView } from '../../src/extension/replicaView';
import { replicaTable } from '../../src/replicaTable';

const source = { url: 'http://prom:9090', selector: '{namespace="llm"}', gpuSelector: '{namespace="llm"}', windowS: 60 };
const ok: FleetState = { kind: 'ok', problems: [] };

function reading(index: number, pod: string | undefined, util: number, used: number, total: number, power: number): FleetGpuReading {
  return { index, name: 'NVIDIA H200', hostname: 'node-1', ...(pod ? { pod, namespace: 'llm' } : {}), utilGpuPct: util, utilMemPct: null, memUsedMiB: used, memTotalMiB: total, powerW: power, tempC: 40, smClockMHz: 1980 };
}

function metrics(count: number, running: number, waiting: number, kv: number): ServerMetrics {
  return { kind: 'vllm', models: [], requestsRunning: running, requestsWaiting: waiting, kvCacheUsage: kv, ttft: { sum: count * 0.05, count, buckets: [] } };
}

function poll(): FleetPoll {
  return {
    ts: 1000,
    gpus: { ts: 1000, processes: [], gpus: [reading(0, 'vllm-a', 30, 10_000, 80_000, 200), reading(1, 'vllm-a', 50, 20_000, 80_000, 300), reading(2, 'vllm-b', 70, 40_000, 80_000, 400), reading(3, undefined, 0, 0, 80_000, 60)] },
    servers: {
      ts: 1000,
      replicas: [
        { name: 'vllm-a', instance: '10.0.0.1:8000', pod: 'vllm-a', namespace: 'llm', metrics: metrics(12, 1, 0, 0.25) },
        { name: 'vllm-b', instance: '10.0.0.2:8000', pod: 'vllm-b', namespace: 'llm', metrics: metrics(8, 2, 3, 0.75) },
      ],
      total: { ...metrics(20, 3, 3, 0.5) },
    },
    latency: { windowS: 60, meanTtftMs: 48, p50TtftMs: 40, p90TtftMs: 90, requestsPerSec: 0.5, replicas: [{ name: 'vllm-a', instance: '10.0.0.1:8000', meanTtftMs: 45, requestsPerSec: 0.3 }, { name: 'vllm-b', instance: '10.0.0.2:8000', meanTtftMs: 52.5, requestsPerSec: 0.2 }] },
  };
}

describe('per-replica view through Prometheus', () => {
  it('gives each replica the GPUs its pod holds, keeps the others apart, and totals each metric its way', () => {
    const v = replicaView(source, ok, poll());
    assert.deepEqual(v.replicas.map((r) => [r.name, r.gpus.map((g) => g.index), r.requests, r.ttftMeanMs, r.running, r.waiting, r.kvCachePct]), [
      ['vllm-a', [0, 1], 12, 45, 1, 0, 25],
      ['vllm-b', [2], 8, 52.5, 2, 3, 75],
    ]);
    assert.deepEqual(v.otherGpus.map((g) => g.index), [3]);
    assert.deepEqual(v.total, { replicas: 2, gpus: 4, requests: 20, ttftMeanMs: 48, ttftP50Ms: 40, ttftP90Ms: 90, requestsPerSec: 0.5, running: 3, waiting: 3, kvCachePct: 50, utilMeanPct: 37.5, memUsedMiB: 70_000, memTotalMiB: 320_000, powerW: 960 });
  });

  it('the table: a replica with two GPUs shows their mean utilisation and summed VRAM and power, then the GPU no replica holds, then the totals', () => {
    const t = replicaTable(replicaView(source, ok, poll()));
    assert.deepEqual(t.headers, ['replica', 'GPUs', 'requests', 'TTFT mean (60 s)', 'req/s', 'running', 'waiting', 'KV cache', 'GPU util', 'VRAM', 'power']);
    assert.deepEqual(t.rows, [
      ['vllm-a', '0, 1', '12', '45 ms', '0.30', '1', '0', '25.0 %', '40 %', '29.3 / 156.3 GiB', '500 W'],
      ['vllm-b', '2', '8', '53 ms', '0.20', '2', '3', '75.0 %', '70 %', '39.1 / 78.1 GiB', '400 W'],
      ['GPU 3 on node-1', '3', '–', '–', '–', '–', '–', '–', '0 %', '0.0 / 78.1 GiB', '60 W'],
      ['all: 2 replicas', '4', '20', '48 ms (p50 40 ms, p90 90 ms)', '0.50', '3', '3', '50.0 %', '38 %', '68.4 / 312.5 GiB', '960 W'],
    ]);
  });

  it('a poll whose GPUs a problem hid shows no GPU numbers and says why', () => {
    const p = { ...poll() };
    delete p.gpus;
    const state: FleetState = { kind: 'no-dcgm-labels', message: 'no labels', problems: [{ kind: 'no-dcgm-labels', message: 'no labels' }] };
    const v = replicaView(source, state, p);
    assert.equal(v.state, 'no-dcgm-labels');
    assert.deepEqual(v.problems, ['no labels']);
    assert.deepEqual(v.replicas.map((r) => r.gpus.length), [0, 0]);
    assert.equal(v.total.gpus, 0);
    assert.equal(v.total.memUsedMiB, undefined);
    const unreachable = replicaView(source, { kind: 'unreachable', message: 'Cannot reach', problems: [{ kind: 'unreachable', message: 'Cannot reach' }] }, { ts: 2000 });
    assert.deepEqual([unreachable.replicas.length, unreachable.total.gpus, unreachable.ts], [0, 0, 2000]);
  });

  it('the status bar: the fleet\'s VRAM in its text, the table and the source in its tooltip, text from Prometheus escaped', () => {
    const p = poll();
    p.servers!.replicas[0]!.name = 'vllm-a|[x](command:evil)';
    const fleet = replicaView(source, ok, p);
    const base = { profile: 'p', count: 0, gpu: p.gpus!, gpuState: { kind: 'running' as const }, server: { kind: 'ok' as const }, gpuSource: { kind: 'prometheus' as const, url: 'http://prom:9090' }, fleet };
    const view = renderStatus({ kind: 'serving', base });
    assert.match(view.text, /VRAM 68\.4\/312\.5 GiB$/);
    assert.ok(view.tooltip.includes('| all\\: 2 replicas | 4 | 20 |'), view.tooltip);
    assert.ok(view.tooltip.includes('| vllm-a\\|\\[x\\]\\(command\\:evil\\) |'), 'a replica name cannot end a cell or make a link');
    assert.ok(view.tooltip.includes('(GPU via Prometheus at http\\://prom\\:9090)'));
    assert.doesNotMatch(view.tooltip, /GPU 0 NVIDIA H200: util/, 'not one card of the fleet as if it were the GPU');

    const lost = renderStatus({ kind: 'serving', base: { ...base, gpu: undefined, fleet: replicaView(source, { kind: 'unreachable', message: 'Cannot reach Prometheus', problems: [{ kind: 'unreachable', message: 'Cannot reach Prometheus' }] }, { ts: 3000 }) } });
    assert.doesNotMatch(lost.text, /VRAM/);
    assert.match(lost.tooltip, /\$\(warning\) Cannot reach Prometheus/);
    assert.doesNotMatch(lost.tooltip, /\| all:/);
  });
});
