// A client that closes the connection mid-stream (a stale completion) must stop the
// engine's generation, as vLLM does: no tokens are produced for nobody.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { scrapeMetric, startEngine } from '../support/engine';

type Engine = Awaited<ReturnType<typeof startEngine>>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a long streaming completion; resolves once `events` SSE events arrived, with the request. */
function startStream(url: string, maxTokens: number, events: number): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
      let seen = 0;
      res.on('data', (d: Buffer) => {
        seen += d.toString().split('data: ').length - 1;
        if (seen >= events) resolve(req);
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ prompt: 'def main():\n', max_tokens: maxTokens, stream: true }));
  });
}

describe('embedded engine: client disconnect aborts generation', function () {
  let engine: Engine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  it('stops counting generated tokens and counts the abort', async () => {
    const abortedBefore = await scrapeMetric(engine.url, 'completion_lab:requests_aborted_total');
    const tokensBefore = await scrapeMetric(engine.url, 'vllm:generation_tokens_total');
    // 4000 tokens take many seconds even at full speed: it is still running when we hang up.
    const req = await startStream(engine.url, 4000, 3);
    req.destroy();
    await sleep(500);
    const first = await scrapeMetric(engine.url, 'vllm:generation_tokens_total');
    await sleep(1000);
    const second = await scrapeMetric(engine.url, 'vllm:generation_tokens_total');
    assert.ok(first > tokensBefore, 'some tokens were generated before the abort');
    assert.ok(first - tokensBefore < 4000, 'it did not run to max_tokens');
    assert.equal(second, first, 'no tokens are generated after the client went away');
    assert.equal((await scrapeMetric(engine.url, 'completion_lab:requests_aborted_total')) - abortedBefore, 1);
    assert.equal(await scrapeMetric(engine.url, 'vllm:num_requests_running'), 0);
  });

  it('frees the sequence: the next request completes normally', async () => {
    const res = await fetch(`${engine.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', max_tokens: 4 }) });
    const json = (await res.json()) as { usage: { completion_tokens: number } };
    assert.equal(json.usage.completion_tokens, 4);
  });

  it('queues requests beyond --parallel and aborts a queued one without running it', async () => {
    // Both sequences busy with long generations, a third waits.
    const a = await startStream(engine.url, 4000, 2);
    const b = await startStream(engine.url, 4000, 2);
    const waitingReq = http.request(`${engine.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    waitingReq.on('error', () => undefined);
    waitingReq.end(JSON.stringify({ prompt: 'queued', max_tokens: 4000, stream: true }));
    let waiting = 0;
    for (let i = 0; i < 50 && waiting === 0; i++) {
      await sleep(100);
      waiting = await scrapeMetric(engine.url, 'vllm:num_requests_waiting');
    }
    assert.equal(waiting, 1);
    assert.equal(await scrapeMetric(engine.url, 'vllm:num_requests_running'), 2);
    const abortedBefore = await scrapeMetric(engine.url, 'completion_lab:requests_aborted_total');
    waitingReq.destroy();
    a.destroy();
    b.destroy();
    await sleep(500);
    assert.equal(await scrapeMetric(engine.url, 'vllm:num_requests_waiting'), 0);
    assert.equal(await scrapeMetric(engine.url, 'vllm:num_requests_running'), 0);
    assert.equal((await scrapeMetric(engine.url, 'completion_lab:requests_aborted_total')) - abortedBefore, 3);
  });
});
