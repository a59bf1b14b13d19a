// The fleet view at the concurrency a shared server sees: two embedded engines (two
// replicas) behind a round-robin TCP router, a real Prometheus scraping them every second,
// and the comparison run against the routed endpoint at concurrency 1, 8, 32 and 48 (the
// sample workspace's 48 cases all in flight), each level's numbers read back from Prometheus
// as `compare --prometheus` does. The point is the load generator's own overhead: the
// servers' busy time (Σ server E2E) against the wall time says how many requests they really
// had in flight, and client E2E − server E2E per request the time spent outside them.
// Prints tables only; skips without `prometheus`.
import * as path from 'node:path';
import { sampleWorkspaceCases } from '../../src/core/compare/cases';
import { runFleetComparison } from '../../src/cli/commands/compareFleet';
import { prometheusBinary, PROMETHEUS_MISSING, startPrometheus } from '../support/prometheus';
import { startRoundRobinRouter } from '../support/roundRobinRouter';
import { repoRoot, startEngine } from '../support/engine';

const f = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d));

async function main(): Promise<void> {
  if (!prometheusBinary()) {
    console.log(PROMETHEUS_MISSING);
    return;
  }
  const engines = await Promise.all([startEngine(), startEngine()]);
  const router = await startRoundRobinRouter(engines.map((e) => e.url));
  const prom = await startPrometheus([{ job: 'vllm', targets: engines.map((e, i) => ({ address: new URL(e.url).host, labels: { namespace: 'llm', pod: `vllm-${i}` } })) }]);
  try {
    await prom.waitForTargetsUp(2);
    const cases = await sampleWorkspaceCases(path.join(repoRoot, 'sample-workspace'), { count: 64, seed: 1 });
    const profile = { name: 'routed', endpoint: router.url, template: 'qwen-fim' as const, maxTokens: 16 };
    console.log(`${cases.length} cases x ${profile.maxTokens} tokens against 2 engines behind a round-robin router (CPU, tiny random-weight Qwen2), Prometheus scraping every 1 s\n`);
    console.log('| concurrency | wall ms | client E2E p50 ms | server busy ms (Σ E2E) | in flight at the servers | outside the servers ms/request | requests per replica | server TTFT mean / p90 ms | throughput tok/s |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    for (const concurrency of [1, 8, 32, 48]) {
      const { report, fleet } = await runFleetComparison({ cases, profiles: [profile], concurrency, warmupRequests: 1, seed: 1 }, { url: prom.url, selectors: ['{namespace="llm"}'] }, () => undefined);
      const p = report.profiles[0]!;
      const fl = fleet[0]!;
      if (p.status !== 'ok' || p.failures || !fl.window?.server) throw new Error(`run failed: ${p.error ?? fl.error ?? p.results.find((r) => r.error)?.error}`);
      const lg = fl.loadGenerator;
      const perReplica = fl.window.replicas.map((r) => `${r.name}: ${r.window.requests ?? 0}`).join(', ');
      console.log(`| ${concurrency} | ${f(p.wallMs, 0)} | ${f(p.e2eMs.p50)} | ${f(lg?.serverBusyMs, 0)} | ${f(lg?.achievedConcurrency, 2)} | ${f(lg?.clientOverheadMsPerRequest, 2)} | ${perReplica} | ${f(fl.window.server.meanTtftMs)} / ${f(fl.window.p90TtftMs)} | ${f(p.throughputTokensPerSec)} |`);
    }
  } finally {
    await prom.stop();
    await router.close();
    await Promise.all(engines.map((e) => e.stop()));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
