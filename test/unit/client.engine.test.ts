// The streaming client against the REAL embedded engine (llama.cpp, tiny random-weight
// Qwen2 whose output bias forbids EOS, so every completion runs to max_tokens).
import * as assert from 'node:assert/strict';
import { isAbort } from '../../src/core/client/errors';
import { listModels } from '../../src/core/client/models';
import { streamCompletion } from '../../src/core/client/stream';
import { scrapeMetric, startEngine } from '../support/engine';

type Engine = Awaited<ReturnType<typeof startEngine>>;

describe('streaming client against the embedded engine', function () {
  this.timeout(120_000);
  let engine: Engine;

  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  it('lists the served model with its context length', async () => {
    const models = await listModels(engine.url, { timeoutMs: 10_000 });
    const served = models.find((m) => m.id === engine.model);
    assert.ok(served, `${engine.model} not in ${JSON.stringify(models)}`);
    assert.equal(served.maxModelLen, engine.maxModelLen);
  });

  it('streams a completion with consistent timings and server-counted tokens', async () => {
    const deltas: string[] = [];
    const result = await streamCompletion({
      endpoint: engine.url,
      model: engine.model,
      prompt: 'def fibonacci(n):\n    ',
      maxTokens: 24,
      temperature: 0.2,
      seed: 1,
      onText: (d) => deltas.push(d),
    });
    const t = result.timings;
    assert.ok(t.ttftMs !== undefined && t.ttftMs > 0, `TTFT ${t.ttftMs}`);
    assert.ok(t.e2eMs !== undefined && t.e2eMs >= t.ttftMs, `E2E ${t.e2eMs} < TTFT ${t.ttftMs}`);
    assert.ok(result.usage, 'the final usage chunk was read');
    assert.equal(result.usage.completionTokens, 24);
    assert.equal(t.outputTokens, 24);
    assert.ok(t.promptTokens !== undefined && t.promptTokens > 0);
    assert.ok(result.chunkCount >= 1);
    assert.equal(result.marks.chunks.length, result.chunkCount);
    assert.ok(t.decodeTokensPerSec !== undefined && t.decodeTokensPerSec > 0, `decode ${t.decodeTokensPerSec}`);
    assert.equal(result.finishReason, 'length');
    assert.equal(deltas.join(''), result.text);
    assert.ok(result.text.length > 0);
  });

  it('maps an unknown model to a clear error', async () => {
    await assert.rejects(
      streamCompletion({ endpoint: engine.url, model: 'no-such-model', prompt: 'x', maxTokens: 4 }),
      (err: Error & { kind?: string }) => err.kind === 'unknown-model',
    );
  });

  it('aborting mid-stream makes the engine stop generating', async () => {
    const metric = 'vllm:generation_tokens_total';
    const before = await scrapeMetric(engine.url, metric);
    const controller = new AbortController();
    let texts = 0;
    const maxTokens = 4000;
    await assert.rejects(
      streamCompletion({
        endpoint: engine.url,
        model: engine.model,
        prompt: 'import os\n',
        maxTokens,
        signal: controller.signal,
        onText: () => {
          texts++;
          controller.abort();
        },
      }),
      (err) => isAbort(err),
    );
    assert.equal(texts, 1);
    // Give the engine a moment to see the closed socket, then it must be idle.
    await sleep(300);
    const first = await scrapeMetric(engine.url, metric);
    await sleep(1000);
    const second = await scrapeMetric(engine.url, metric);
    assert.equal(second, first, `the engine kept generating after the abort (${second - first} tokens in 1 s)`);
    assert.ok(first - before >= 1 && first - before < maxTokens, `generated ${first - before} tokens for the aborted request`);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
