// The embedded engine's HTTP API, against the real engine (built CLI, tiny Qwen2 model):
// the shapes a vLLM client relies on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { streamCompletion } from '../../src/core/client/stream';
import { scrapeMetric, startEngine } from '../support/engine';

type Engine = Awaited<ReturnType<typeof startEngine>>;

interface Chunk {
  id?: string;
  object?: string;
  model?: string;
  choices: { index: number; text: string; logprobs: null; finish_reason: string | null; stop_reason: string | number | null }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** POSTs a streaming completion and returns the raw SSE `data:` payloads in order. */
async function streamEvents(url: string, body: Record<string, unknown>): Promise<string[]> {
  const res = await fetch(`${url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const text = await res.text();
  const events = text.split('\n\n').filter((e) => e.length > 0);
  for (const e of events) assert.ok(e.startsWith('data: '), `every SSE event is a data line: ${JSON.stringify(e)}`);
  return events.map((e) => e.slice('data: '.length));
}

async function postJson(url: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('embedded engine: HTTP API (real llama.cpp, tiny model)', function () {
  let engine: Engine;
  const requestLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'engine-api-')), 'requests.jsonl');
  before(async function () {
    engine = await startEngine({ args: ['--log-requests', requestLog] });
  });
  after(async () => {
    await engine?.stop();
    fs.rmSync(path.dirname(requestLog), { recursive: true, force: true });
  });

  it('a streaming answer honours "Connection: close": the server closes the socket after [DONE]', async () => {
    const { hostname, port } = new URL(engine.url);
    const body = JSON.stringify({ model: engine.model, prompt: 'x = ', max_tokens: 4, stream: true });
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const s = net.connect({ host: hostname, port: Number(port) }, () =>
        s.write(`POST /v1/completions HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`));
      s.setEncoding('utf8');
      s.on('data', (d: string) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
    assert.match(reply.split('\r\n\r\n')[0]!, /^connection: close$/im);
    assert.match(reply, /data: \[DONE\]/);
  });

  it('serves /v1/models, /health and /version in vLLM shapes', async () => {
    const models = (await (await fetch(`${engine.url}/v1/models`)).json()) as any;
    assert.equal(models.object, 'list');
    assert.equal(models.data.length, 1);
    const m = models.data[0];
    assert.equal(m.id, 'tiny-qwen2');
    assert.equal(m.id, engine.model);
    assert.equal(m.object, 'model');
    assert.equal(m.owned_by, 'completion-lab');
    assert.equal(typeof m.created, 'number');
    assert.match(m.root, /\.gguf$/);
    assert.equal(m.max_model_len, 4096);
    assert.equal(engine.maxModelLen, 4096);

    const health = await fetch(`${engine.url}/health`);
    assert.equal(health.status, 200);
    const version = (await (await fetch(`${engine.url}/version`)).json()) as any;
    assert.equal(typeof version.version, 'string');
  });

  it('takes a path with trailing slashes as the path without them; a path of 12,000 slashes gets its 404 and the server still answers', async () => {
    assert.equal((await fetch(`${engine.url}/v1/models///`)).status, 200);
    // The slashes were stripped by a regex that backtracks quadratically on such a path.
    assert.equal((await fetch(`${engine.url}/x${'/'.repeat(12_000)}y`)).status, 404);
    assert.equal((await fetch(`${engine.url}/health`)).status, 200);
  });

  it('streams content chunks, then finish_reason, then usage with completion_tokens = max_tokens, then [DONE]', async () => {
    const events = await streamEvents(engine.url, { model: engine.model, prompt: 'def fibonacci(n):\n', max_tokens: 12, temperature: 0.6, top_p: 0.95, stream_options: { include_usage: true } });
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage!.completion_tokens, 12);
    assert.ok(usageChunk.usage!.prompt_tokens > 0);
    assert.equal(usageChunk.usage!.total_tokens, usageChunk.usage!.prompt_tokens + 12);

    const content = chunks.slice(0, -1);
    const withText = content.filter((c) => c.choices[0]!.text.length > 0);
    assert.ok(withText.length >= 1, 'at least one chunk carries text');
    for (const c of content) {
      assert.equal(c.object, 'text_completion');
      assert.equal(c.model, engine.model);
      assert.equal(c.id, content[0]!.id);
      assert.equal(c.choices.length, 1);
      assert.equal(c.choices[0]!.logprobs, null);
      assert.equal(c.usage, null);
    }
    assert.equal(content.at(-1)!.choices[0]!.finish_reason, 'length');
    assert.ok(content.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null));
  });

  it('without include_usage sends no usage chunk', async () => {
    const events = await streamEvents(engine.url, { prompt: 'x = ', max_tokens: 3 });
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    assert.ok(chunks.every((c) => c.choices.length === 1 && c.usage === null));
  });

  it('works with the official openai client, stream_options.include_usage included', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.completions.create({ model: engine.model, prompt: 'import os\n', max_tokens: 8, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.Completions.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices.length > 0) text += chunk.choices[0]!.text;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(text.length > 0);
    assert.equal(usage?.completion_tokens, 8);

    const whole = await client.completions.create({ model: engine.model, prompt: 'import os\n', max_tokens: 5 });
    assert.equal(whole.object, 'text_completion');
    assert.equal(whole.usage?.completion_tokens, 5);
    assert.equal(whole.choices[0]!.finish_reason, 'length');
  });

  it('defaults max_tokens to 16, like vLLM', async () => {
    const { status, json } = await postJson(engine.url, '/v1/completions', { prompt: 'print(' });
    assert.equal(status, 200);
    assert.equal(json.usage.completion_tokens, 16);
  });

  it('cuts the text at a stop string and reports it as stop_reason', async () => {
    // Greedy, so the same prompt gives the same text: take a piece of it as the stop string.
    const body = { prompt: 'class Tree:\n', max_tokens: 24, temperature: 0 };
    const first = await postJson(engine.url, '/v1/completions', body);
    const full: string = first.json.choices[0].text;
    assert.ok(full.length >= 6, `greedy text is long enough: ${JSON.stringify(full)}`);
    const stop = full.slice(3, 6);
    const cut = full.slice(0, full.indexOf(stop));
    const second = await postJson(engine.url, '/v1/completions', { ...body, stop: [stop] });
    assert.equal(second.json.choices[0].text, cut);
    assert.equal(second.json.choices[0].finish_reason, 'stop');
    assert.equal(second.json.choices[0].stop_reason, stop);

    const events = await streamEvents(engine.url, { ...body, stop });
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    assert.equal(chunks.map((c) => c.choices[0]!.text).join(''), cut);
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'stop');
  });

  it('ends on a stop token id with stop_reason = that id', async () => {
    // Greedy: the first token is the same every time; take its id as the stop token.
    const body = { prompt: 'fn main() {', temperature: 0 };
    const firstText: string = (await postJson(engine.url, '/v1/completions', { ...body, max_tokens: 1 })).json.choices[0].text;
    const ids = (await postJson(engine.url, '/tokenize', { prompt: firstText })).json.tokens as number[];
    assert.equal(ids.length, 1, `the first token's text ${JSON.stringify(firstText)} is one token`);
    const { json } = await postJson(engine.url, '/v1/completions', { ...body, max_tokens: 10, stop_token_ids: [ids[0]] });
    assert.equal(json.choices[0].finish_reason, 'stop');
    assert.equal(json.choices[0].stop_reason, ids[0]);
    assert.equal(json.choices[0].text, '');
    assert.equal(json.usage.completion_tokens, 1);
  });

  it('rejects a prompt that does not fit with 400, param input_tokens, vLLM message', async () => {
    const prompt = 'word '.repeat(5000);
    const { status, json } = await postJson(engine.url, '/v1/completions', { model: engine.model, prompt, max_tokens: 16, stream: true });
    assert.equal(status, 400);
    assert.equal(json.error.param, 'input_tokens');
    assert.equal(json.error.code, 400);
    assert.equal(json.error.type, 'BadRequestError');
    assert.match(json.error.message, /^This model's maximum context length is 4096 tokens\. However, your request has \d+ input tokens\./);
  });

  it('answers an unknown model with 404 in vLLM error shape', async () => {
    const { status, json } = await postJson(engine.url, '/v1/completions', { model: 'no-such-model', prompt: 'x', max_tokens: 2 });
    assert.equal(status, 404);
    assert.equal(json.error.message, 'The model `no-such-model` does not exist.');
    assert.equal(json.error.code, 404);
    assert.ok('param' in json.error && 'type' in json.error);
  });

  it('answers bad JSON and bad parameters with 400', async () => {
    const bad = await postJson(engine.url, '/v1/completions', '{"prompt": ');
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /not valid JSON/);
    const negative = await postJson(engine.url, '/v1/completions', { prompt: 'x', max_tokens: -1 });
    assert.equal(negative.status, 400);
    assert.equal(negative.json.error.param, 'max_tokens');
    const suffix = await postJson(engine.url, '/v1/completions', { prompt: 'x', suffix: 'y' });
    assert.equal(suffix.status, 400);
    assert.equal(suffix.json.error.param, 'suffix');
    const outOfVocab = await postJson(engine.url, '/v1/completions', { prompt: [1, 999_999], max_tokens: 2 });
    assert.equal(outOfVocab.status, 400);
    assert.match(outOfVocab.json.error.message, /999999 is out of vocabulary/);
  });

  it('n > 1 (as vLLM takes it): each choice streams under its own index with its own finish_reason; usage counts every choice', async () => {
    const events = await streamEvents(engine.url, { prompt: 'def f(x):\n', max_tokens: 5, n: 3, temperature: 1, stream_options: { include_usage: true } });
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    const usage = chunks.at(-1)!.usage!;
    assert.equal(usage.completion_tokens, 15, 'three choices of 5 tokens');
    assert.equal(usage.total_tokens, usage.prompt_tokens + 15);
    for (const index of [0, 1, 2]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index);
      assert.ok(mine.some((c) => c.choices[0]!.text.length > 0), `choice ${index} has text`);
      assert.equal(mine.filter((c) => c.choices[0]!.finish_reason !== null).length, 1, `choice ${index} finishes once`);
    }
    const plain = await postJson(engine.url, '/v1/completions', { prompt: 'x = ', max_tokens: 3, n: 2, seed: 7 });
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.json.choices.map((c: { index: number }) => c.index), [0, 1]);
    assert.equal(plain.json.usage.completion_tokens, 6);
    for (const n of [0, 9, 1.5]) {
      const bad = await postJson(engine.url, '/v1/completions', { prompt: 'x', n });
      assert.equal(bad.status, 400, `n = ${n}`);
      assert.equal(bad.json.error.param, 'n');
    }
  });

  it('the streaming client reads every choice of an n > 1 answer; the text is choice 0\'s', async () => {
    const r = await streamCompletion({ endpoint: engine.url, model: engine.model, prompt: 'import os\n', maxTokens: 4, n: 3, temperature: 1, seed: 11 });
    assert.equal(r.choices?.length, 3);
    assert.equal(r.text, r.choices![0]);
    assert.ok(r.choices!.every((t) => t.length > 0), 'every choice has text');
    assert.equal(r.usage?.completionTokens, 12);
    const one = await streamCompletion({ endpoint: engine.url, model: engine.model, prompt: 'import os\n', maxTokens: 4 });
    assert.equal(one.choices, undefined, 'one completion: no choices list');
  });

  it('--log-requests writes each completion request as it was received, one JSON line each', async () => {
    const prompt = `# logged ${Date.now()}\nvalue = `;
    await postJson(engine.url, '/v1/completions', { prompt, max_tokens: 2, seed: 5 });
    const lines = fs.readFileSync(requestLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; n: number; seed: number; max_tokens: number });
    const mine = lines.find((l) => l.prompt === prompt);
    assert.ok(mine, 'the request is in the log');
    assert.deepEqual({ n: mine.n, seed: mine.seed, max_tokens: mine.max_tokens }, { n: 1, seed: 5, max_tokens: 2 });
  });

  it('takes a prompt given as token ids', async () => {
    const { status, json } = await postJson(engine.url, '/v1/completions', { prompt: [151659, 71, 18503], max_tokens: 2 });
    assert.equal(status, 200);
    assert.equal(json.usage.prompt_tokens, 3);
    assert.equal(json.usage.completion_tokens, 2);
  });

  it('counts prompt and generation tokens in /metrics under vLLM names', async () => {
    const before = await scrapeMetric(engine.url, 'vllm:generation_tokens_total');
    const beforePrompt = await scrapeMetric(engine.url, 'vllm:prompt_tokens_total');
    const beforeRequests = await scrapeMetric(engine.url, 'completion_lab:requests_total');
    const { json } = await postJson(engine.url, '/v1/completions', { prompt: 'let a = 1;', max_tokens: 7 });
    assert.equal((await scrapeMetric(engine.url, 'vllm:generation_tokens_total')) - before, 7);
    assert.equal((await scrapeMetric(engine.url, 'vllm:prompt_tokens_total')) - beforePrompt, json.usage.prompt_tokens);
    assert.equal((await scrapeMetric(engine.url, 'completion_lab:requests_total')) - beforeRequests, 1);
    const text = await (await fetch(`${engine.url}/metrics`)).text();
    for (const name of ['vllm:time_to_first_token_seconds_bucket', 'vllm:e2e_request_latency_seconds_count', 'vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:request_success_total']) {
      assert.match(text, new RegExp(`^${name}\\{[^}]*model_name="tiny-qwen2"`, 'm'), name);
    }
  });
});
