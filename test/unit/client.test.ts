// The streaming client against bad input no real engine produces on demand (scripted
// socket server), plus connection refused and abort. Real-engine behaviour is in
// client.engine.test.ts.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ClientError, type ClientErrorKind } from '../../src/core/client/errors';
import { listModels } from '../../src/core/client/models';
import { streamCompletion } from '../../src/core/client/stream';
import type { CompletionRequest } from '../../src/core/client/types';
import {
  httpAnswer,
  httpChunk,
  sseEvent,
  sseHead,
  sseHeadChunked,
  startScriptedServer,
  textChunk,
  usageChunk,
  type ScriptedServer,
  type Step,
} from '../support/scriptedServer';

describe('streaming client against bad input', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(script: Step[]): Promise<string> {
    server = await startScriptedServer(script);
    return server.url;
  }

  function request(endpoint: string, extra: Partial<CompletionRequest> = {}): CompletionRequest {
    return { endpoint, model: 'm', prompt: 'def f(', maxTokens: 8, ...extra };
  }

  async function rejectsWith(promise: Promise<unknown>, kind: ClientErrorKind, message?: RegExp): Promise<ClientError> {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof ClientError, `expected a ClientError, got ${String(err)}`);
      assert.equal(err.kind, kind, err.message);
      if (message) assert.match(err.message, message);
      return err;
    }
    assert.fail(`expected a '${kind}' ClientError, but the request succeeded`);
  }

  it('parses an SSE line torn across TCP writes (even inside a UTF-8 character)', async () => {
    const first = sseEvent(textChunk('héllo'));
    const bytes = Buffer.from(first);
    const cut = bytes.indexOf(Buffer.from('é')) + 1; // between the two bytes of 'é'
    const url = await serve([
      { write: sseHead() },
      { write: bytes.subarray(0, 12) },
      { delay: 20 },
      { write: bytes.subarray(12, cut) },
      { delay: 20 },
      { write: bytes.subarray(cut, bytes.length - 1) }, // all but the final blank line
      { delay: 20 },
      { write: '\n' + sseEvent(textChunk(' wörld', 'length')).slice(0, 9) },
      { delay: 20 },
      { write: sseEvent(textChunk(' wörld', 'length')).slice(9) + sseEvent(usageChunk(4, 3)) + 'data: [DONE]\n\n' },
      { end: true },
    ]);
    const deltas: string[] = [];
    const result = await streamCompletion(request(`${url}/v1/`, { onText: (d) => deltas.push(d) }));
    assert.equal(result.text, 'héllo wörld');
    assert.deepEqual(deltas, ['héllo', ' wörld']);
    assert.equal(result.chunkCount, 2);
    assert.equal(result.finishReason, 'length');
    assert.deepEqual(result.usage, { promptTokens: 4, completionTokens: 3 });
    assert.equal(result.timings.outputTokens, 3);
    assert.ok(result.timings.ttftMs! > 0 && result.timings.e2eMs! >= result.timings.ttftMs!);
    // The request the server saw: the right path and the body vLLM needs.
    assert.match(server!.heads[0]!, /^POST \/v1\/completions HTTP\/1\.1/);
    assert.deepEqual(server!.bodies[0], { model: 'm', prompt: 'def f(', max_tokens: 8, stream: true, stream_options: { include_usage: true } });
  });

  it('sends the API key as a bearer token', async () => {
    const url = await serve([{ write: sseHead() + sseEvent(textChunk('x', 'length')) + 'data: [DONE]\n\n' }, { end: true }]);
    await streamCompletion(request(url, { apiKey: 'sekret' }));
    assert.match(server!.heads[0]!, /\r\nauthorization: Bearer sekret/i);
  });

  it('rejects a data line that is not JSON as a malformed stream', async () => {
    const url = await serve([{ write: sseHead() + sseEvent(textChunk('ok')) + 'data: {"choices": [{"text": "x"\n\n' }, { stall: true }]);
    await rejectsWith(streamCompletion(request(url)), 'malformed-stream', /not JSON/);
  });

  it('reports a connection reset mid-stream', async () => {
    const url = await serve([{ write: sseHeadChunked() }, { write: httpChunk(sseEvent(textChunk('a'))) }, { delay: 20 }, { reset: true }]);
    await rejectsWith(streamCompletion(request(url)), 'malformed-stream', /closed the connection mid-stream/);
  });

  it('reports a chunked stream the server closes without finishing', async () => {
    const url = await serve([{ write: sseHeadChunked() }, { write: httpChunk(sseEvent(textChunk('a'))) }, { delay: 20 }, { end: true }]);
    await rejectsWith(streamCompletion(request(url)), 'malformed-stream', /mid-stream/);
  });

  it('reports a close-delimited stream that ends without [DONE] or finish_reason', async () => {
    const url = await serve([{ write: sseHead() + sseEvent(textChunk('a')) }, { end: true }]);
    await rejectsWith(streamCompletion(request(url)), 'malformed-stream', /no \[DONE\]/);
  });

  it('accepts a stream that ends after a finish_reason without [DONE]', async () => {
    const url = await serve([{ write: sseHead() + sseEvent(textChunk('a')) + sseEvent(textChunk('b', 'stop')) }, { end: true }]);
    const result = await streamCompletion(request(url));
    assert.equal(result.text, 'ab');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage, null);
    assert.equal(result.timings.outputTokens, undefined);
  });

  it('times out when no first token arrives and closes the connection', async () => {
    const url = await serve([{ write: sseHead() }, { stall: true }]);
    await rejectsWith(streamCompletion(request(url, { firstTokenTimeoutMs: 200 })), 'timeout-first-token', /within 200 ms/);
    await server!.clientClosed();
  });

  it('times out a request that runs past the total limit', async () => {
    const url = await serve([{ write: sseHead() + sseEvent(textChunk('a')) }, { stall: true }]);
    await rejectsWith(streamCompletion(request(url, { firstTokenTimeoutMs: 5000, totalTimeoutMs: 300 })), 'timeout-total');
    await server!.clientClosed();
  });

  it('reports an error event inside a 200 stream', async () => {
    const url = await serve([
      { write: sseHead() + sseEvent(textChunk('a')) + sseEvent({ error: { message: 'EngineCore encountered an issue', type: 'InternalServerError', param: null, code: 500 } }) },
      { stall: true },
    ]);
    await rejectsWith(streamCompletion(request(url)), 'stream-error', /EngineCore encountered an issue/);
  });

  const httpCases: { name: string; status: number; reason: string; body: string; type?: string; kind: ClientErrorKind; message: RegExp }[] = [
    { name: 'prompt too long (nested shape)', status: 400, reason: 'Bad Request', body: JSON.stringify({ error: { message: "This model's maximum context length is 2048 tokens. However, you requested 3000 tokens.", type: 'BadRequestError', param: 'input_tokens', code: 400 } }), kind: 'prompt-too-long', message: /maximum context length is 2048.*max-model-len/ },
    { name: 'prompt too long (flat shape)', status: 400, reason: 'Bad Request', body: JSON.stringify({ object: 'error', message: "This model's maximum context length is 2048 tokens.", type: 'BadRequestError', param: null, code: 400 }), kind: 'prompt-too-long', message: /2048/ },
    { name: 'unknown model', status: 404, reason: 'Not Found', body: JSON.stringify({ error: { message: 'The model `m` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } }), kind: 'unknown-model', message: /model "m".*does not exist/ },
    { name: 'missing key', status: 401, reason: 'Unauthorized', body: JSON.stringify({ error: 'Unauthorized' }), kind: 'unauthorized', message: /HTTP 401: Unauthorized.*API key/ },
    { name: 'other 400 (flat shape)', status: 400, reason: 'Bad Request', body: JSON.stringify({ object: 'error', message: 'suffix is not currently supported', type: 'BadRequestError', code: 400 }), kind: 'http', message: /HTTP 400: suffix is not currently supported/ },
    { name: 'non-JSON 502 from a proxy', status: 502, reason: 'Bad Gateway', body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', type: 'text/html', kind: 'http', message: /HTTP 502: <html><head><title>502 Bad Gateway/ },
  ];
  for (const c of httpCases) {
    it(`maps HTTP ${c.status}: ${c.name}`, async () => {
      const url = await serve(httpAnswer(c.status, c.reason, c.body, c.type));
      const err = await rejectsWith(streamCompletion(request(url)), c.kind, c.message);
      assert.equal(err.details.status, c.status);
    });
  }

  it('says connection refused, with the address and what to do', async () => {
    const port = await closedPort();
    await rejectsWith(streamCompletion(request(`http://127.0.0.1:${port}`)), 'connection-refused', new RegExp(`Cannot connect to http://127\\.0\\.0\\.1:${port}: connection refused\\. Is the server running\\?`));
  });

  it('aborts mid-stream through the AbortSignal and closes the connection', async () => {
    const url = await serve([{ write: sseHeadChunked() }, { write: httpChunk(sseEvent(textChunk('a'))) }, { stall: true }]);
    const controller = new AbortController();
    const texts: string[] = [];
    const pending = streamCompletion(request(url, { signal: controller.signal, onText: (d) => {
      texts.push(d);
      controller.abort();
    } }));
    await rejectsWith(pending, 'aborted', /cancelled/);
    await server!.clientClosed(); // what makes vLLM stop generating and free the KV cache
    assert.deepEqual(texts, ['a']);
  });

  it('does not send anything for an already aborted signal', async () => {
    const url = await serve([{ stall: true }]);
    await rejectsWith(streamCompletion(request(url, { signal: AbortSignal.abort() })), 'aborted');
    assert.equal(server!.requests, 0);
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    const body = sseEvent(textChunk('a', 'length')) + sseEvent(usageChunk(1, 1)) + 'data: [DONE]\n\n';
    const url = await serve([{ write: sseHeadChunked(true) }, { write: httpChunk(body) }, { write: httpChunk('') }]);
    for (let i = 0; i < 3; i++) assert.equal((await streamCompletion(request(url))).text, 'a');
    assert.equal(server!.requests, 3);
    assert.equal(server!.connections, 1);
  });

  describe('listModels', () => {
    it('lists served models with max_model_len', async () => {
      const url = await serve(httpAnswer(200, 'OK', JSON.stringify({ object: 'list', data: [{ id: 'qwen', object: 'model', owned_by: 'vllm', root: 'Qwen/Qwen2.5-Coder-1.5B', max_model_len: 4096 }, { id: 'other' }] })));
      assert.deepEqual(await listModels(`${url}/`), [{ id: 'qwen', maxModelLen: 4096, ownedBy: 'vllm', root: 'Qwen/Qwen2.5-Coder-1.5B' }, { id: 'other' }]);
      assert.match(server!.heads[0]!, /^GET \/v1\/models HTTP\/1\.1/);
    });

    it('maps errors like the streaming client', async () => {
      const url = await serve(httpAnswer(401, 'Unauthorized', '{"error":"Unauthorized"}'));
      await rejectsWith(listModels(url, { apiKey: 'wrong' }), 'unauthorized');
      assert.match(server!.heads[0]!, /authorization: Bearer wrong/i);
      await rejectsWith(listModels(`http://127.0.0.1:${await closedPort()}`), 'connection-refused');
    });

    it('times out a server that does not answer', async () => {
      const url = await serve([{ stall: true }]);
      await rejectsWith(listModels(url, { timeoutMs: 200 }), 'timeout-total', /within 200 ms/);
    });
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
