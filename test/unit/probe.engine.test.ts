// probeServer and MetricsScraper against the real embedded engine (llama.cpp, tiny model).
import * as assert from 'node:assert/strict';
import { probeServer } from '../../src/core/server/probe';
import { MetricsScraper } from '../../src/core/server/metricsScraper';
import { windowDelta, type ServerMetrics } from '../../src/core/server/serverMetrics';
import { startEngine, type StartedEngine } from '../support/engine';

describe('probe against the embedded engine', function () {
  this.timeout(180_000);
  let engine: StartedEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  it('finds the model, its max_model_len, and says it is completion-lab', async () => {
    const r = await probeServer(engine.url + '/v1', { timeoutMs: 10_000 });
    assert.equal(r.reachable, true);
    assert.equal(r.health, 'ok');
    assert.equal(r.kind, 'completion-lab');
    assert.equal(r.models.length, 1);
    assert.equal(r.models[0]!.id, engine.model);
    assert.equal(r.models[0]!.maxModelLen, engine.maxModelLen);
    assert.ok(r.models[0]!.maxModelLen! > 0);
    assert.equal(r.models[0]!.ownedBy, 'completion-lab');
    assert.ok(r.version);
    assert.equal(r.metrics?.kind, 'completion-lab');
    assert.deepEqual(r.errors, []);
  });

  it('a scrape after one completion shows generation tokens, TTFT and a window rate', async () => {
    const scraper = new MetricsScraper(engine.url, { intervalMs: 250, modelName: engine.model });
    const scrapes: ServerMetrics[] = [];
    scraper.onScrape((m) => scrapes.push(m));
    const hold = scraper.acquire();
    try {
      while (!scrapes.length) await new Promise((r) => setTimeout(r, 50));
      const before = scrapes[scrapes.length - 1]!;
      const res = await fetch(`${engine.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: engine.model, prompt: 'def add(a, b):\n    return', max_tokens: 8, temperature: 0 }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { usage: { completion_tokens: number } };
      const after = (await scraper.scrapeNow())!;
      assert.ok(after.generationTokens! >= (before.generationTokens ?? 0) + body.usage.completion_tokens, JSON.stringify(after));
      assert.ok(after.generationTokens! > 0);
      assert.ok(after.ttft!.count >= 1);
      assert.ok(after.promptTokens! > 0);
      assert.ok(after.requests! >= 1);
      // Scheduled scrapes may fall between: compare the scrapes either side of the request.
      const w = windowDelta(before, after);
      assert.ok(w.generationTokens! >= body.usage.completion_tokens);
      assert.ok(w.meanTtftMs! > 0, JSON.stringify({ w, b: before.ttft, a: after.ttft }));
      assert.ok(w.generationTokensPerSec! > 0);
      assert.ok(scraper.lastWindow(), 'the scraper keeps its last two scrapes');
    } finally {
      hold.dispose();
      scraper.dispose();
    }
  });
});
