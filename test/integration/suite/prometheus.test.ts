// A shared server read through Prometheus, in a real extension host: a real Prometheus
// (Debian's package) scrapes two embedded engines (as two vLLM replicas with the pod and
// namespace labels Kubernetes gives them) and an exporter printing dcgm-exporter's format.
// The status bar and the panel's per-replica view must show what the exporter served and
// what the engines counted, per replica and over the fleet, and say that Prometheus is the
// source. When Prometheus or its series are missing: one log line and a state, however
// many polls fail.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import type { ReplicasView } from '../../../src/protocol';
import { startDcgmExporter, type DcgmExporter, fakeGpu as gpu } from '../../support/dcgmExporter';
import { scrapeMetric, startEngine, type StartedEngine } from '../../support/engine';
import { unusedPort } from '../../support/ports';
import { prometheusBinary, PROMETHEUS_MISSING, startPrometheus, type StartedPrometheus } from '../../support/prometheus';
import { api, engineUrl, waitFor } from './util';

const SELECTOR = '{namespace="llm", pod=~"vllm-.*"}';

async function complete(url: string, model: string): Promise<void> {
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt: 'def add(a, b):\n    return', max_tokens: 4, temperature: 0 }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.json();
}

/** The tooltip as a reader sees it: markdown escapes removed. */
const plain = (md: string) => md.replace(/\\(.)/g, '$1');

/** The rows of the tooltip's markdown table, cells unescaped, keyed by their first cell. */
function tooltipRows(md: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of md.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| ---')) continue;
    const cells = line.slice(2, -2).split(' | ').map(plain);
    rows.set(cells[0]!, cells);
  }
  return rows;
}

const gib = (mib: number) => (mib / 1024).toFixed(1);

describe('a shared server read through Prometheus', function () {
  this.timeout(180_000);
  let a: CompletionLabApi;
  let second: StartedEngine | undefined;
  let dcgm: DcgmExporter | undefined;
  let prom: StartedPrometheus | undefined;
  let model = '';
  const gpus = [gpu(0, 'vllm-0', 37, 30_000, 113_000, 210.5), gpu(1, 'vllm-1', 81, 52_000, 91_000, 455.25), gpu(2, undefined, 0, 1, 143_000, 75)];

  before(async function () {
    if (!prometheusBinary()) {
      console.log(`    ${PROMETHEUS_MISSING}`);
      this.skip();
    }
    a = await api();
    second = await startEngine();
    model = second.model;
    dcgm = await startDcgmExporter(gpus);
    const hostPort = (u: string) => new URL(u).host;
    prom = await startPrometheus([
      { job: 'vllm', targets: [engineUrl(), second.url].map((u, i) => ({ address: hostPort(u), labels: { namespace: 'llm', pod: `vllm-${i}` } })) },
      { job: 'dcgm', honorLabels: true, targets: [{ address: hostPort(dcgm.url) }] },
      { job: 'dcgm-bare', metricsPath: '/bare', targets: [{ address: hostPort(dcgm.url), labels: { namespace: 'bare' } }] },
    ]);
    await prom.waitForTargetsUp(4);
    // Polled once a second, so several polls pass within each test; the panel open keeps it polling.
    await vscode.workspace.getConfiguration('completionLab').update('prometheus.pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('completionLab.showPanel');
  });

  after(async () => {
    const cfg = vscode.workspace.getConfiguration('completionLab');
    await cfg.update('profiles', [{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], vscode.ConfigurationTarget.Global);
    await cfg.update('activeProfile', 'tiny', vscode.ConfigurationTarget.Global);
    await cfg.update('prometheus.url', undefined, vscode.ConfigurationTarget.Global);
    await cfg.update('prometheus.pollIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await prom?.stop();
    await dcgm?.close();
    await second?.stop();
  });

  /** Uses `prometheus` as the active profile's block and `url` as completionLab.prometheus.url. */
  async function useFleet(prometheus: object, url: string | undefined): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('completionLab');
    await cfg.update('prometheus.url', url, vscode.ConfigurationTarget.Global);
    await cfg.update('profiles', [{ name: 'fleet', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16, prometheus }], vscode.ConfigurationTarget.Global);
    await cfg.update('activeProfile', 'fleet', vscode.ConfigurationTarget.Global);
  }

  /** The per-replica view once `check` holds for it. */
  async function replicasWhen(what: string, check: (v: ReplicasView) => boolean): Promise<ReplicasView> {
    return waitFor(async () => {
      const v = (await a.panelState()).replicas;
      return v && check(v) ? v : undefined;
    }, 30_000, what, 200);
  }

  /** Waits until `n` more polls have been shown after the current one. */
  async function polls(n: number): Promise<void> {
    let seen = (await a.panelState()).replicas?.ts ?? 0;
    for (let i = 0; i < n; i++) {
      const v = await replicasWhen(`poll ${i + 1} of ${n}`, (x) => (x.ts ?? 0) > seen);
      seen = v.ts!;
    }
  }

  it('the status bar and the panel show each replica\'s and the fleet\'s numbers as the engines counted them and the exporter served them', async () => {
    // Traffic straight to each replica: one request to vllm-0, two to vllm-1.
    await complete(engineUrl(), model);
    await complete(second!.url, model);
    await complete(second!.url, model);
    await prom!.waitForScrapeAfter(Date.now());
    const counted = await Promise.all([engineUrl(), second!.url].map((u) => scrapeMetric(u, 'vllm:time_to_first_token_seconds_count')));
    const ttftSum1 = await scrapeMetric(second!.url, 'vllm:time_to_first_token_seconds_sum');
    const kv = await Promise.all([engineUrl(), second!.url].map((u) => scrapeMetric(u, 'vllm:kv_cache_usage_perc')));
    const logged = a.logWritten();
    await useFleet({ selector: SELECTOR }, prom!.url);

    const view = await replicasWhen('both replicas with their counts', (v) => v.replicas.length === 2 && v.replicas.every((r, i) => r.requests === counted[i]) && v.total.gpus === 2);
    assert.equal(view.state, 'ok');
    assert.deepEqual(view.problems, []);
    assert.equal(view.url, prom!.url);
    assert.deepEqual(view.replicas.map((r) => [r.name, r.gpus.map((g) => [g.index, g.pod, g.utilGpuPct, g.memUsedMiB, g.memTotalMiB, g.powerW])]), [
      ['vllm-0', [[0, 'vllm-0', 37, 30_000, 143_000, 210.5]]],
      ['vllm-1', [[1, 'vllm-1', 81, 52_000, 143_000, 455.25]]],
    ]);
    assert.deepEqual(view.otherGpus, [], 'the idle GPU (no pod) is not picked by the selector');
    assert.equal(view.total.requests, counted[0]! + counted[1]!, 'requests are summed over replicas');
    assert.equal(view.total.utilMeanPct, (37 + 81) / 2, 'utilisation is averaged over GPUs');
    assert.equal(view.total.memUsedMiB, 30_000 + 52_000, 'VRAM is summed');
    assert.equal(view.total.memTotalMiB, 143_000 * 2);
    assert.equal(view.total.powerW, 210.5 + 455.25, 'power is summed');
    assert.equal(view.total.running, 0);
    assert.equal(view.total.waiting, 0);
    assert.deepEqual(view.replicas.map((r) => r.kvCachePct), kv.map((v) => v * 100));
    assert.equal(view.total.kvCachePct, ((kv[0]! + kv[1]!) / 2) * 100, 'KV-cache usage is averaged over replicas');
    // vllm-1 served only these two requests: its server-side TTFT mean is its own sum / count.
    const r1 = view.replicas[1]!;
    assert.ok(r1.ttftMeanMs !== undefined && Math.abs(r1.ttftMeanMs - (ttftSum1 / counted[1]!) * 1000) < 1e-6 * r1.ttftMeanMs, `vllm-1 TTFT mean ${r1.ttftMeanMs} ms, the engine's own ${(ttftSum1 / counted[1]!) * 1000} ms`);

    const status = await waitFor(() => { const s = a.status(); return s && tooltipRows(s.tooltip).has('vllm-1') ? s : undefined; }, 15_000, 'the replicas in the tooltip');
    assert.ok(status.text.includes(`VRAM ${gib(82_000)}/${gib(286_000)} GiB`), `the fleet's VRAM in the status text: ${status.text}`);
    assert.ok(plain(status.tooltip).includes(`(GPU via Prometheus at ${prom!.url})`), 'the source is named');
    const rows = tooltipRows(status.tooltip);
    assert.deepEqual(rows.get('vllm-0')?.slice(0, 3), ['vllm-0', '0', String(counted[0])]);
    assert.deepEqual(rows.get('vllm-0')?.slice(-3), ['37 %', `${gib(30_000)} / ${gib(143_000)} GiB`, '211 W']);
    assert.deepEqual(rows.get('vllm-1')?.slice(-3), ['81 %', `${gib(52_000)} / ${gib(143_000)} GiB`, '455 W']);
    assert.deepEqual(rows.get('all: 2 replicas')?.slice(-3), ['59 %', `${gib(82_000)} / ${gib(286_000)} GiB`, '666 W']);
    assert.equal(rows.get('all: 2 replicas')?.[2], String(counted[0]! + counted[1]!));
    const problems = a.logSince(logged).filter((l) => l.includes('Prometheus:'));
    assert.deepEqual(problems, [], 'no Prometheus problem logged');
  });

  it('an unreachable Prometheus: one log line and a state, not an error per poll', async () => {
    const port = await unusedPort();
    const logged = a.logWritten();
    await useFleet({ url: `http://127.0.0.1:${port}`, selector: SELECTOR }, prom!.url);
    await replicasWhen('the unreachable state', (v) => v.state === 'unreachable' && v.url === `http://127.0.0.1:${port}`);
    await polls(3);
    const view = (await a.panelState()).replicas!;
    assert.equal(view.replicas.length + view.total.gpus, 0, 'no numbers shown, none left from before');
    const status = a.status()!;
    assert.match(plain(status.tooltip), new RegExp(`Cannot reach Prometheus at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)\\. Check completionLab\\.prometheus\\.url`));
    assert.doesNotMatch(status.text, /VRAM/);
    const lines = a.logSince(logged).filter((l) => l.includes('Cannot reach Prometheus'));
    assert.equal(lines.length, 1, lines.join('\n'));
  });

  it('a selector that matches nothing: one line each for the replicas and the GPUs, and the state says what to check', async () => {
    const logged = a.logWritten();
    await useFleet({ selector: '{namespace="nowhere"}' }, prom!.url);
    const view = await replicasWhen('the no-match state', (v) => v.state === 'no-match' && v.problems.length === 2 && v.selector.includes('nowhere'));
    await polls(3);
    assert.match(view.problems[0]!, /No vLLM series in Prometheus at .* match \{namespace="nowhere"\}: check the selector/);
    assert.match(view.problems[1]!, /No DCGM GPU series \(DCGM_FI_DEV_\*\) in Prometheus at .* match \{namespace="nowhere"\}/);
    const status = a.status()!;
    assert.ok(plain(status.tooltip).includes('No vLLM series in Prometheus'), 'the tooltip says it');
    assert.doesNotMatch(status.text, /VRAM/);
    const lines = a.logSince(logged).filter((l) => l.includes('Prometheus:'));
    assert.equal(lines.length, 2, lines.join('\n'));
  });

  it('GPU series without DCGM labels: one line, the replicas still shown, no GPU numbers', async () => {
    const logged = a.logWritten();
    await useFleet({ selector: SELECTOR, gpuSelector: '{namespace="bare"}' }, prom!.url);
    const view = await replicasWhen('the no-dcgm-labels state', (v) => v.state === 'no-dcgm-labels' && v.replicas.length === 2);
    await polls(3);
    assert.equal(view.total.gpus, 0);
    assert.deepEqual(view.replicas.map((r) => r.gpus.length), [0, 0]);
    assert.match(view.problems.join('\n'), /carry no "gpu" or "UUID" label/);
    const status = a.status()!;
    assert.ok(plain(status.tooltip).includes('carry no "gpu" or "UUID" label'));
    assert.doesNotMatch(status.text, /VRAM/);
    assert.ok(tooltipRows(status.tooltip).has('vllm-0'), 'the replicas stay in the tooltip');
    const lines = a.logSince(logged).filter((l) => l.includes('Prometheus:'));
    assert.equal(lines.length, 1, lines.join('\n'));
  });
});
