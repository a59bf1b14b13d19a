// The per-replica view in a real browser: a real Prometheus (Debian's package) scrapes two
// embedded engines, as two vLLM replicas with Kubernetes' pod labels, and an exporter printing
// dcgm-exporter's format; the packaged extension reads them through it. The panel's
// "Replicas and GPUs" table and the status bar must show what the engines counted and the
// exporter served, per replica and for the fleet.
import * as assert from 'node:assert/strict';
import { startDcgmExporter, fakeGpu, type DcgmExporter } from '../support/dcgmExporter';
import { scrapeMetric, startEngine, type StartedEngine } from '../support/engine';
import { prometheusBinary, PROMETHEUS_MISSING, startPrometheus, type StartedPrometheus } from '../support/prometheus';
import { recordFailure, resultsDir, runCommand, startSession, statusItem, type Session } from './session';
import * as path from 'node:path';

const gib = (mib: number) => (mib / 1024).toFixed(1);

describe('e2e: a shared server\'s replicas and GPUs through Prometheus', function () {
  this.timeout(600000);
  let s: Session | undefined;
  let engines: StartedEngine[] = [];
  let dcgm: DcgmExporter | undefined;
  let prom: StartedPrometheus | undefined;

  before(async function () {
    if (!prometheusBinary()) {
      console.log(`    ${PROMETHEUS_MISSING}`);
      this.skip();
    }
    engines = await Promise.all([startEngine(), startEngine()]);
    dcgm = await startDcgmExporter([fakeGpu(0, 'vllm-0', 37, 30_000, 113_000, 210.5), fakeGpu(1, 'vllm-1', 81, 52_000, 91_000, 455.25)]);
    const hostPort = (u: string) => new URL(u).host;
    prom = await startPrometheus([
      { job: 'vllm', targets: engines.map((e, i) => ({ address: hostPort(e.url), labels: { namespace: 'llm', pod: `vllm-${i}` } })) },
      { job: 'dcgm', honorLabels: true, targets: [{ address: hostPort(dcgm.url) }] },
    ]);
    await prom.waitForTargetsUp(3);
    s = await startSession('universal', {
      settings: {
        'completionLab.profiles': [{ name: 'fleet', endpoint: engines[0]!.url, template: 'qwen-fim', maxTokens: 16, prometheus: { selector: '{namespace="llm", pod=~"vllm-.*"}' } }],
        'completionLab.activeProfile': 'fleet',
        'completionLab.prometheus.url': prom.url,
        'completionLab.prometheus.pollIntervalSeconds': 1,
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(s, 'fleet');
  });

  after(async () => {
    await s?.stop();
    await prom?.stop();
    await dcgm?.close();
    await Promise.all(engines.map((e) => e.stop()));
  });

  it('the panel shows a row per replica with its GPU and a row for the fleet; the status bar the fleet\'s VRAM', async () => {
    const { page } = s!;
    await statusItem(page).waitFor({ timeout: 120000 });
    await runCommand(page, 'Completion Lab: Show profiling panel');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const table = frame.locator('section.replicas table');
    await table.locator('tr', { hasText: 'all: 2 replicas' }).waitFor({ timeout: 60000 });
    const headers = await table.locator('th').allTextContents();
    assert.deepEqual(headers, ['replica', 'GPUs', 'requests', 'TTFT mean (60 s)', 'req/s', 'running', 'waiting', 'KV cache', 'GPU util', 'VRAM', 'power']);

    // Traffic straight to one replica while the panel is open: one request to vllm-1.
    const res = await fetch(`${engines[1]!.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: engines[1]!.model, prompt: 'def f(', max_tokens: 4 }) });
    assert.equal(res.status, 200);
    await res.json();
    await prom!.waitForScrapeAfter(Date.now());
    const counted = await Promise.all(engines.map((e) => scrapeMetric(e.url, 'vllm:time_to_first_token_seconds_count')));
    const read = () => table.locator('tr:has(td)').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    let rows = await read();
    for (const end = Date.now() + 60_000; rows[1]?.[2] !== String(counted[1]) && Date.now() < end; rows = await read()) await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[2], r[8], r[9], r[10]]), [
      ['vllm-0', '0', String(counted[0]), '37 %', `${gib(30_000)} / ${gib(143_000)} GiB`, '211 W'],
      ['vllm-1', '1', String(counted[1]), '81 %', `${gib(52_000)} / ${gib(143_000)} GiB`, '455 W'],
      ['all: 2 replicas', '2', String(counted[0]! + counted[1]!), '59 %', `${gib(82_000)} / ${gib(286_000)} GiB`, '666 W'],
    ]);
    assert.match(rows[1]![3]!, /^\d+ ms$/, `vllm-1 served a request in the last minute: its TTFT mean is shown (${rows[1]![3]})`);
    const note = await frame.locator('section.replicas p').first().textContent();
    assert.ok(note?.includes(`Prometheus at ${prom!.url}`), note ?? '');
    const status = (await statusItem(page).textContent())?.replace(/\u00a0/g, ' ') ?? '';
    assert.ok(status.includes(`VRAM ${gib(82_000)}/${gib(286_000)} GiB`), status);
    await page.screenshot({ path: path.join(resultsDir(), 'e2e-fleet-panel.png') });
  });
});
