// `completion-lab gpu --prometheus URL [--selector SEL]`: the GPUs (DCGM exporter) and vLLM
// replicas of a shared server or cluster, read through Prometheus, one JSON line per poll.
// A problem (unreachable, selector matching nothing, GPU series without DCGM labels) is
// one line on stderr when it starts, not one per poll; --count stops after N polls.
import { PrometheusFleetSource } from '../../core/prometheus/fleetSource';
import { PrometheusWatch, type FleetPoll } from '../../core/prometheus/watch';
import { CliUsageError } from '../usage';

export interface FleetWatchArgs {
  url: string;
  selector: string;
  gpuSelector?: string;
  intervalMs: number;
  count?: number;
}

function toLine(p: FleetPoll): string {
  return JSON.stringify({
    ts: p.ts,
    source: 'prometheus',
    gpus: p.gpus?.gpus ?? [],
    replicas: (p.servers?.replicas ?? []).map((r) => ({
      name: r.name,
      instance: r.instance,
      requestsRunning: r.metrics.requestsRunning,
      requestsWaiting: r.metrics.requestsWaiting,
      kvCacheUsage: r.metrics.kvCacheUsage,
      meanTtftMs: p.latency?.replicas.find((l) => l.instance === r.instance)?.meanTtftMs,
    })),
    fleet: p.servers && {
      requestsRunning: p.servers.total.requestsRunning,
      requestsWaiting: p.servers.total.requestsWaiting,
      kvCacheUsage: p.servers.total.kvCacheUsage,
      meanTtftMs: p.latency?.meanTtftMs,
      p50TtftMs: p.latency?.p50TtftMs,
      p90TtftMs: p.latency?.p90TtftMs,
    },
  });
}

export async function runFleetWatch(a: FleetWatchArgs): Promise<number> {
  let source: PrometheusFleetSource;
  try {
    source = new PrometheusFleetSource({ url: a.url, selector: a.selector, ...(a.gpuSelector !== undefined ? { gpuSelector: a.gpuSelector } : {}) });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const watch = new PrometheusWatch(source, { intervalMs: a.intervalMs });
  return new Promise<number>((resolve) => {
    let polls = 0;
    const finish = (code: number): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      watch.dispose();
      resolve(code);
    };
    const onSignal = (): void => finish(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    watch.onProblem((m) => process.stderr.write(`completion-lab gpu: ${m}\n`));
    watch.onPoll((p) => {
      if (a.count !== undefined && polls >= a.count) return;
      process.stdout.write(toLine(p) + '\n');
      polls++;
      if (a.count !== undefined && polls >= a.count) finish(watch.state.kind === 'ok' ? 0 : 1);
    });
    watch.acquire();
  });
}
