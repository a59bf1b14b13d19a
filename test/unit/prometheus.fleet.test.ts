// The Prometheus fleet source against a real Prometheus (Debian's package) scraping two real
// embedded engines (as two vLLM replicas, with pod/namespace labels as Kubernetes gives them)
// and an exporter printing dcgm-exporter's format: what the source reads back per replica,
// per GPU and summed must be what the engines counted and the exporter served.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PrometheusError } from '../../src/core/prometheus/errors';
import { PrometheusClient } from '../../src/core/prometheus/client';
import { PrometheusFleetSource } from '../../src/core/prometheus/fleetSource';
import { PrometheusWatch } from '../../src/core/prometheus/watch';
import { startDcgmExporter, type DcgmExporter, fakeGpu as gpu } from '../support/dcgmExporter';
import { repoRoot, scrapeMetric, startEngine, type StartedEngine } from '../support/engine';
import { startRoundRobinRouter, type Router } from '../support/roundRobinRouter';
import { prometheusBinary, PROMETHEUS_MISSING, startPrometheus, type StartedPrometheus } from '../support/prometheus';
import { unusedPort } from '../support/ports';

const SELECTOR = '{namespace="llm", pod=~"vllm-.*"}';

async function complete(engine: StartedEngine, maxTokens: number): Promise<void> {
  const res = await fetch(`${engine.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: engine.model, prompt: 'def add(a, b):\n    return', max_tokens: maxTokens, temperature: 0 }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.json();
}

describe('Prometheus fleet source against a real Prometheus', function () {
  this.timeout(240_000);
  let engines: StartedEngine[] = [];
  let dcgm: DcgmExporter;
  let prom: StartedPrometheus;
  let source: PrometheusFleetSource;
  let router: Router;

  before(async function () {
    if (!prometheusBinary()) {
      console.log(`    ${PROMETHEUS_MISSING}`);
      this.skip();
    }
    engines = await Promise.all([startEngine(), startEngine()]);
    dcgm = await startDcgmExporter([gpu(0, 'vllm-0', 37, 30_000, 113_000, 210.5), gpu(1, 'vllm-1', 81, 52_000, 91_000, 455.25), gpu(2, undefined, 0, 1, 143_000, 75)]);
    const hostPort = (u: string) => new URL(u).host;
    prom = await startPrometheus([
      { job: 'vllm', targets: engines.map((e, i) => ({ address: hostPort(e.url), labels: { namespace: 'llm', pod: `vllm-${i}` } })) },
      { job: 'dcgm', honorLabels: true, targets: [{ address: hostPort(dcgm.url) }] },
      { job: 'dcgm-bare', metricsPath: '/bare', targets: [{ address: hostPort(dcgm.url), labels: { namespace: 'bare' } }] },
    ]);
    await prom.waitForTargetsUp(4);
    source = new PrometheusFleetSource({ url: prom.url, selector: SELECTOR });
    router = await startRoundRobinRouter(engines.map((e) => e.url));
  });
  after(async () => {
    await router?.close();
    await prom?.stop();
    await dcgm?.close();
    await Promise.all(engines.map((e) => e.stop()));
  });

  it('reads each GPU the selector picks as the exporter served it, and the fleet totals', async () => {
    await prom.waitForScrapeAfter(Date.now());
    const { sample, problem } = await source.gpus();
    assert.equal(problem, undefined);
    // GPU 2 is idle (no pod label): the selector leaves it out.
    assert.deepEqual(sample.gpus.map((g) => [g.uuid, g.pod, g.utilGpuPct, g.memUsedMiB, g.memTotalMiB, g.powerW, g.hostname, g.name]), [
      [dcgm.gpus[0]!.uuid, 'vllm-0', 37, 30_000, 143_000, 210.5, 'gpu-node-1', 'NVIDIA H200'],
      [dcgm.gpus[1]!.uuid, 'vllm-1', 81, 52_000, 143_000, 455.25, 'gpu-node-1', 'NVIDIA H200'],
    ]);
    const all = await new PrometheusFleetSource({ url: prom.url, selector: '', gpuSelector: '{job="dcgm"}' }).gpus();
    assert.equal(all.sample.gpus.length, 3);
  });

  it('counts per replica the requests each engine served, and their sum', async () => {
    const before = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:time_to_first_token_seconds_count')));
    const sumBefore = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:time_to_first_token_seconds_sum')));
    const tokensBefore = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:generation_tokens_total')));
    const t0 = Date.now();
    await prom.waitForScrapeAfter(t0);
    for (let i = 0; i < 3; i++) await complete(engines[0]!, 6);
    await complete(engines[1]!, 4);
    const trafficEnd = Date.now();
    await prom.waitForScrapeAfter(trafficEnd);
    const t1 = Date.now();
    const after = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:time_to_first_token_seconds_count')));
    const tokensAfter = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:generation_tokens_total')));
    const sumAfter = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:time_to_first_token_seconds_sum')));
    const served = after.map((a, i) => a - before[i]!);
    assert.deepEqual(served, [3, 1], 'the engines themselves counted 3 and 1');

    const w = await source.window(t0, t1);
    assert.deepEqual(w.notes, []);
    assert.deepEqual(
      w.replicas.map((r) => [r.name, r.namespace, r.instance, r.window.requests, r.window.generationTokens]),
      engines.map((e, i) => [`vllm-${i}`, 'llm', new URL(e.url).host, served[i], tokensAfter[i]! - tokensBefore[i]!]),
    );
    for (const [i, r] of w.replicas.entries()) {
      assert.ok(Math.abs(r.window.meanTtftMs! - ((sumAfter[i]! - sumBefore[i]!) / served[i]!) * 1000) < 1e-9, 'the window mean is the engine\'s own');
    }
    assert.equal(w.server?.requests, 4);
    assert.equal(w.server?.generationTokens, tokensAfter[0]! + tokensAfter[1]! - tokensBefore[0]! - tokensBefore[1]!);
    assert.ok(w.server!.meanTtftMs! > 0);
    assert.ok(w.p50TtftMs! > 0 && w.p90TtftMs! >= w.p50TtftMs!, JSON.stringify(w));
    // The GPUs over the same window: the exporter's constant values, summed and averaged.
    assert.ok(w.gpu, JSON.stringify(w));
    assert.equal(w.gpu.vramPeakMiB, 82_000);
    assert.equal(w.gpu.utilMeanPct, 59);
    assert.equal(w.gpu.powerMeanW, 665.75);
    assert.deepEqual(w.gpu.perGpu.map((g) => [g.uuid, g.utilMeanPct, g.vramPeakMiB, g.vramTotalMiB, g.powerMeanW]), [
      [dcgm.gpus[0]!.uuid, 37, 30_000, 143_000, 210.5],
      [dcgm.gpus[1]!.uuid, 81, 52_000, 143_000, 455.25],
    ]);
  });

  it('live numbers: queue summed, KV cache averaged, TTFT mean as the engines\' own histograms say', async () => {
    await prom.waitForScrapeAfter(Date.now());
    const { servers, problem } = await source.servers();
    assert.equal(problem, undefined);
    assert.deepEqual(servers.replicas.map((r) => r.name), ['vllm-0', 'vllm-1']);
    for (const [i, r] of servers.replicas.entries()) {
      assert.equal(r.metrics.kind, 'completion-lab');
      assert.equal(r.metrics.requestsRunning, await scrapeMetric(engines[i]!.url, 'vllm:num_requests_running'));
      assert.equal(r.metrics.ttft?.count, await scrapeMetric(engines[i]!.url, 'vllm:time_to_first_token_seconds_count'));
      assert.equal(r.metrics.promptTokens, await scrapeMetric(engines[i]!.url, 'vllm:prompt_tokens_total'));
    }
    const kv = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:kv_cache_usage_perc')));
    assert.equal(servers.total.kvCacheUsage, (kv[0]! + kv[1]!) / 2);
    assert.equal(servers.total.ttft?.count, servers.replicas[0]!.metrics.ttft!.count + servers.replicas[1]!.metrics.ttft!.count);

    // Over a window reaching back before any traffic, rate(sum)/rate(count) is each engine's
    // own mean: both rates are read at one instant, so Prometheus extrapolates them alike.
    const lat = await source.latency(600);
    assert.deepEqual(lat.replicas.map((r) => r.name), ['vllm-0', 'vllm-1']);
    for (const [i, r] of lat.replicas.entries()) {
      const own = (await scrapeMetric(engines[i]!.url, 'vllm:time_to_first_token_seconds_sum')) / (await scrapeMetric(engines[i]!.url, 'vllm:time_to_first_token_seconds_count'));
      assert.ok(Math.abs(r.meanTtftMs! - own * 1000) < 1e-6 * own * 1000, `${r.name}: ${r.meanTtftMs} vs ${own * 1000}`);
    }
    assert.ok(lat.meanTtftMs! > 0 && lat.p90TtftMs! > 0);
  });

  it('says so once, in words, when the selector matches nothing or the GPU series lack their labels', async () => {
    const none = new PrometheusFleetSource({ url: prom.url, selector: '{namespace="nope"}' });
    const s = await none.servers();
    assert.equal(s.problem?.kind, 'no-match');
    assert.match(s.problem!.message, /No vLLM series .* match \{namespace="nope"\}/);
    assert.equal((await none.gpus()).problem?.kind, 'no-gpu-series');
    const bare = await new PrometheusFleetSource({ url: prom.url, selector: SELECTOR, gpuSelector: '{job="dcgm-bare"}' }).gpus();
    assert.equal(bare.problem?.kind, 'no-dcgm-labels');
    assert.match(bare.problem!.message, /no "gpu" or "UUID" label/);
    const w = await none.window(Date.now() - 5000, Date.now());
    assert.equal(w.server, undefined);
    assert.equal(w.notes.length, 2);
  });

  it('a watch holds GPU samples for the panel and comparisons, and logs a problem once over many polls', async () => {
    const watch = new PrometheusWatch(source, { intervalMs: 1000 });
    const t0 = Date.now();
    await watch.pollNow();
    await watch.pollNow();
    assert.equal(watch.state.kind, 'ok');
    assert.deepEqual(watch.latest()!.gpus.map((g) => g.memUsedMiB), [30_000, 52_000]);
    assert.deepEqual(watch.latestPoll!.servers!.replicas.map((r) => r.name), ['vllm-0', 'vllm-1']);
    const summary = watch.summarize(t0, Date.now());
    assert.equal(summary.samples, 2);
    assert.equal(summary.vramPeakMiB, 82_000);
    assert.equal(summary.utilMeanPct, 59);

    const lost = new PrometheusWatch(new PrometheusFleetSource({ url: prom.url, selector: '{namespace="nope"}' }));
    const problems: string[] = [];
    lost.onProblem((m) => problems.push(m));
    for (let i = 0; i < 3; i++) await lost.pollNow();
    assert.equal(lost.state.kind, 'no-match');
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /No vLLM series/);
    assert.match(problems[1]!, /No DCGM GPU series/);
  });

  it('maps a bad query, a server that is not Prometheus and a closed port to typed errors', async () => {
    await assert.rejects(prom.client.query('sum(('), (e: unknown) => e instanceof PrometheusError && e.kind === 'bad-query' && /parse error/.test(e.message));
    await assert.rejects(new PrometheusClient(engines[0]!.url).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'not-prometheus');
    const port = await unusedPort();
    await assert.rejects(new PrometheusClient(`http://127.0.0.1:${port}`).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'unreachable' && /connection refused/.test(e.message));
    const range = await prom.client.queryRange('up{job="vllm"}', Date.now() - 5000, Date.now(), 1);
    assert.equal(range.length, 2);
    assert.ok(range.every((r) => r.points.length >= 4 && r.points.every((p) => p.value === 1)));
  });

  it('compare --prometheus: a routed endpoint\'s report says which replicas served its requests, as the engines counted them', async () => {
    const count = (name: string) => Promise.all(engines.map((e) => scrapeMetric(e.url, name)));
    const before = await count('vllm:time_to_first_token_seconds_count');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fleet-')), 'report.md');
    const args = ['compare', '--profile', `routed=${router.url},maxTokens=4`, '--profile', `direct=${engines[1]!.url},maxTokens=4`, '--workspace', path.join(repoRoot, 'sample-workspace'), '--count', '6', '--concurrency', '3'];
    args.push('--prometheus', prom.url, '--selector', '{namespace="llm"}', '--selector', '{pod="vllm-1"}', '--json', '--out', out);
    const r = await cli(args);
    assert.equal(r.code, 0, r.stderr);
    const after = await count('vllm:time_to_first_token_seconds_count');
    const served = after.map((a, i) => a - before[i]!);
    const report = JSON.parse(r.stdout) as { fleet: { prometheus: string; profiles: { profile: string; window: { replicas: { name: string; window: { requests: number } }[]; notes: string[] }; loadGenerator: { requestedConcurrency: number; achievedConcurrency: number; serverBusyMs: number; wallMs: number } }[] } };
    const [routed, direct] = report.fleet.profiles;
    const byName = (p: typeof routed) => Object.fromEntries(p!.window.replicas.map((x) => [x.name, x.window.requests]));
    // The warm-up request (one per profile, run before each window) is not in the window.
    assert.equal(Object.values(byName(routed)).reduce((a, b) => a + b, 0), 6, JSON.stringify(routed));
    assert.deepEqual(byName(direct), { 'vllm-1': 6 });
    assert.equal(served[0]! + served[1]!, 6 + 6 + 2, 'the engines counted 12 measured and 2 warm-up requests');
    const routedOn0 = byName(routed)['vllm-0'] ?? 0;
    assert.ok(served[0]! - routedOn0 === 0 || served[0]! - routedOn0 === 1, `engine 0 served ${served[0]}, the report says ${routedOn0} (+ maybe the warm-up)`);
    for (const p of [routed!, direct!]) {
      assert.deepEqual(p.window.notes, []);
      assert.equal(p.loadGenerator.requestedConcurrency, 3);
      assert.ok(p.loadGenerator.achievedConcurrency > 0 && p.loadGenerator.achievedConcurrency <= 3.05, JSON.stringify(p.loadGenerator));
    }
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /## Fleet, read from Prometheus at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(md, /\| vllm-1 \(127\.0\.0\.1:\d+\) \| 6 \| 100 % \|/);
    assert.match(md, /Load generator: 3 requested in flight; the servers were busy \d+ ms/);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('gpu --prometheus: one JSON line per poll with the GPUs and replicas; a problem once on stderr', async () => {
    const r = await cli(['gpu', '--prometheus', prom.url, '--selector', SELECTOR, '--count', '1']);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(r.stdout.trim()) as { source: string; gpus: { uuid: string; utilGpuPct: number; memTotalMiB: number }[]; replicas: { name: string }[]; fleet: { requestsRunning: number } };
    assert.equal(line.source, 'prometheus');
    assert.deepEqual(line.gpus.map((g) => [g.uuid, g.utilGpuPct, g.memTotalMiB]), [[dcgm.gpus[0]!.uuid, 37, 143_000], [dcgm.gpus[1]!.uuid, 81, 143_000]]);
    assert.deepEqual(line.replicas.map((x) => x.name), ['vllm-0', 'vllm-1']);
    assert.equal(line.fleet.requestsRunning, 0);

    const lost = await cli(['gpu', '--prometheus', prom.url, '--selector', '{namespace="nope"}', '--count', '2', '--interval-ms', '1000']);
    assert.equal(lost.code, 1);
    assert.equal(lost.stdout.trim().split('\n').length, 2);
    const problems = lost.stderr.trim().split('\n');
    assert.equal(problems.length, 2, lost.stderr);
    assert.match(problems[0]!, /^completion-lab gpu: No vLLM series/);
    assert.match(problems[1]!, /^completion-lab gpu: No DCGM GPU series/);
  });
});

/** The built CLI (dist/cli.js), as a user runs it. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { cwd: repoRoot, env: { ...process.env, COMPLETION_LAB_CACHE: path.join(repoRoot, '.test-cache') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
