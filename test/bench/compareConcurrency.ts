// The comparison runner against one embedded engine (2 parallel sequences) at concurrency
// 1, 2 and 4: what queueing does to client-side TTFT/E2E and what it buys in throughput,
// with the server's own /metrics numbers beside. 12 workspace cases, 32 tokens each.
// The second table is the runner's own overhead: its wall time against the sum of the
// server's request times (Σ server E2E from /metrics), i.e. how many requests the server
// really had in flight, and the time per request spent outside the server (client E2E −
// server E2E: HTTP, SSE parsing, prompt building, post-processing). Prints tables only.
import * as path from 'node:path';
import { sampleWorkspaceCases } from '../../src/core/compare/cases';
import { runComparison } from '../../src/core/compare/runner';
import type { ComparisonReport } from '../../src/core/compare/report';
import { loadGeneratorOverhead } from '../../src/core/prometheus/fleetReport';
import { repoRoot, startEngine } from '../support/engine';

const f = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d));

async function main(): Promise<void> {
  const engine = await startEngine();
  try {
    const cases = await sampleWorkspaceCases(path.join(repoRoot, 'sample-workspace'), { count: 12, seed: 1 });
    const profile = { name: 'tiny', endpoint: engine.url, template: 'qwen-fim' as const, maxTokens: 32 };
    // Warm-up (tokenizer, connection, engine caches), not reported.
    await runComparison({ cases: cases.slice(0, 2), profiles: [profile] });
    console.log(`${cases.length} cases x ${profile.maxTokens} tokens, engine with 2 parallel sequences (CPU, tiny random-weight Qwen2)\n`);
    console.log('| concurrency | TTFT p50 ms | TTFT p90 ms | E2E p50 ms | TPOT p50 ms | throughput tok/s | goodput (300 ms) | server mean TTFT ms | server gen tok/s |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const reports: ComparisonReport[] = [];
    for (const concurrency of [1, 2, 4]) {
      const report = await runComparison({ cases, profiles: [profile], concurrency, seed: 1 });
      reports.push(report);
      const p = report.profiles[0]!;
      if (p.status !== 'ok' || p.failures) throw new Error(`run failed: ${p.error ?? p.results.find((r) => r.error)?.error}`);
      const w = p.server?.window;
      console.log(`| ${concurrency} | ${f(p.ttftMs.p50)} | ${f(p.ttftMs.p90)} | ${f(p.e2eMs.p50)} | ${f(p.tpotMs.p50, 2)} | ${f(p.throughputTokensPerSec)} | ${f((p.goodput ?? 0) * 100, 0)}% | ${f(w?.meanTtftMs)} | ${f(w?.generationTokensPerSec)} |`);
    }
    console.log('\nThe runner\'s overhead: its wall time against the sum of the server\'s request times (/metrics E2E histogram)\n');
    console.log('| concurrency | runner wall ms | Σ server request time ms | in flight at the server (Σ / wall) | slots left idle by the runner (1 − Σ / (wall × concurrency)) | client − server E2E ms/request |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const report of reports) {
      const p = report.profiles[0]!;
      const o = loadGeneratorOverhead({ ...(p.wallMs !== undefined ? { wallMs: p.wallMs } : {}), concurrency: report.concurrency, e2eMs: p.e2eMs }, p.server?.window);
      if (!o) throw new Error(`no server window for concurrency ${report.concurrency}: ${p.serverError ?? 'no /metrics'}`);
      console.log(`| ${report.concurrency} | ${f(o.wallMs, 0)} | ${f(o.serverBusyMs, 0)} | ${f(o.achievedConcurrency, 2)} | ${f((1 - o.achievedConcurrency / report.concurrency) * 100, 0)}% | ${f(o.clientOverheadMsPerRequest, 2)} |`);
    }
  } finally {
    await engine.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
