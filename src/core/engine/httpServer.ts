// The engine's HTTP face: the subset of vLLM's OpenAI-compatible API the extension and
// the CLI use, in vLLM's shapes. Closing the connection aborts the generation, as in vLLM.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { ApiError, badRequest } from './apiError';
import { parseCompletionRequest, type CompletionRequest } from './completionRequest';
import { checkPromptChars, type Engine } from './engine';
import { checkCaller, checkJsonBody } from './localGuard';

export const ENGINE_VERSION = '0.1.0';
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** After a 413, the rest of an oversized body is read and dropped up to this much, so the client sees the answer instead of a reset; past it the socket is closed. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  checkJsonBody(req);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the cap the rest is read and dropped, and the 413 is sent at the end: answering
      // while the client is still sending makes Node close the socket, which the client
      // sees as a reset or EPIPE instead of the answer. Past the drain cap, give up.
      if (size > MAX_BODY_BYTES + MAX_DRAIN_BYTES) req.destroy();
      else if (size > MAX_BODY_BYTES) chunks.length = 0;
      else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes. Send a shorter prompt.`));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(badRequest(`The request body is not valid JSON: ${(err as Error).message}`));
      }
    });
  });
}

export interface EngineServerOptions {
  log?: (line: string) => void;
  /** The address the server is bound to (accepted as Host besides loopback names). */
  bindHost?: string;
  /** Called with each valid completion request as received (serve --log-requests writes them out). */
  onCompletionRequest?: (request: CompletionRequest) => void;
}

export function createEngineServer(engine: Engine, opts: EngineServerOptions = {}): http.Server {
  const log = opts.log ?? (() => undefined);

  const checkModel = (model: string | undefined): void => {
    if (model !== undefined && model !== engine.modelName) throw new ApiError(404, `The model \`${model}\` does not exist.`, 'model');
  };

  async function completions(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = parseCompletionRequest(await readJson(req));
    checkModel(request.model);
    opts.onCompletionRequest?.(request);
    // A client that goes away before the end (a stale completion) aborts generation.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) abort.abort();
    });
    const id = `cmpl-${crypto.randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: 'text_completion', created, model: engine.modelName };

    // n > 1: n generations of the one prompt side by side, each its own choice (index i). With
    // a seed, choice i samples with seed + i, so the choices differ yet repeat run to run.
    const runAll = async (onText: (index: number, text: string) => void) => {
      try {
        return await Promise.all(
          Array.from({ length: request.n }, (_, i) => {
            const one = i === 0 || request.seed === undefined ? request : { ...request, seed: request.seed + i };
            return engine.complete(one, abort.signal, (text) => onText(i, text));
          }),
        );
      } catch (err) {
        abort.abort();
        throw err;
      }
    };
    const usage = (outs: { promptTokens: number; completionTokens: number }[]) => {
      const completion = outs.reduce((s, o) => s + o.completionTokens, 0);
      return { prompt_tokens: outs[0]!.promptTokens, total_tokens: outs[0]!.promptTokens + completion, completion_tokens: completion };
    };

    if (!request.stream) {
      const outs = await runAll(() => undefined);
      if (outs.some((o) => o.finishReason === 'abort')) return;
      sendJson(res, 200, {
        ...base,
        choices: outs.map((out, index) => ({ index, text: out.text, logprobs: null, finish_reason: out.finishReason, stop_reason: out.stopReason, prompt_logprobs: null })),
        usage: { ...usage(outs), prompt_tokens_details: null },
      });
      return;
    }

    let started = false;
    const write = (payload: unknown): void => {
      if (!started) {
        // No Connection header of our own: Node keeps the connection alive unless the client
        // asked "Connection: close", which must be honoured (a forced keep-alive made such
        // clients wait ~6 s for the server to close after the last event).
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        started = true;
      }
      if (!res.writableEnded && !res.destroyed) res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    };
    const chunk = (index: number, text: string, finishReason: string | null, stopReason: string | number | null): unknown => ({
      ...base,
      choices: [{ index, text, logprobs: null, finish_reason: finishReason, stop_reason: stopReason }],
      usage: null,
    });
    try {
      // Too-long prompts throw before the first write, so they still get a plain HTTP 400.
      const outs = await runAll((index, text) => write(chunk(index, text, null, null)));
      if (outs.some((o) => o.finishReason === 'abort')) return;
      outs.forEach((out, index) => write(chunk(index, '', out.finishReason, out.stopReason)));
      if (request.includeUsage) write({ ...base, choices: [], usage: usage(outs) });
      write('[DONE]');
      res.end();
    } catch (err) {
      if (!started) throw err;
      // After the stream started, vLLM reports errors as an SSE event inside the 200.
      const apiErr = err instanceof ApiError ? err : new ApiError(500, err instanceof Error ? err.message : String(err));
      write(apiErr.toJSON());
      write('[DONE]');
      res.end();
      log(`completion failed mid-stream: ${apiErr.message}`);
    }
  }

  async function tokenize(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = (await readJson(req)) as { prompt?: unknown; model?: unknown } | null;
    if (typeof body !== 'object' || body === null || typeof body.prompt !== 'string') throw badRequest('prompt must be a string.', 'prompt');
    if (body.model !== undefined && body.model !== null) checkModel(String(body.model));
    checkPromptChars(body.prompt, engine.maxModelLen);
    const tokens = await engine.tokenizeAsync(body.prompt);
    sendJson(res, 200, { count: tokens.length, max_model_len: engine.maxModelLen, tokens });
  }

  type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;
  const routes: Record<string, Record<string, Handler>> = {
    '/health': { GET: (_q, res) => void res.writeHead(200, { 'content-length': 0 }).end() },
    '/version': { GET: (_q, res) => sendJson(res, 200, { version: ENGINE_VERSION, engine: 'completion-lab', backend: 'llama.cpp (node-llama-cpp)' }) },
    '/v1/models': {
      GET: (_q, res) =>
        sendJson(res, 200, {
          object: 'list',
          data: [{ id: engine.modelName, object: 'model', created: engine.created, owned_by: 'completion-lab', root: engine.modelPath, parent: null, max_model_len: engine.maxModelLen }],
        }),
    },
    '/v1/completions': { POST: completions },
    '/tokenize': { POST: tokenize },
    '/metrics': {
      GET: async (_q, res) => {
        const text = await engine.metrics.text();
        res.writeHead(200, { 'content-type': engine.metrics.contentType });
        res.end(text);
      },
    },
  };

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://engine');
    const route = routes[trimTrailingSlashes(url.pathname) || '/'];
    const handler = route?.[req.method ?? 'GET'];
    const fail = (err: unknown): void => {
      const apiErr = err instanceof ApiError ? err : new ApiError(500, err instanceof Error ? err.message : String(err));
      if (apiErr.status >= 500) log(`${req.method} ${url.pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, apiErr.status, apiErr.toJSON());
    };
    try {
      checkCaller(req, { bindHost: opts.bindHost });
    } catch (err) {
      req.resume();
      return fail(err);
    }
    if (!route) return fail(new ApiError(404, `Not found: ${url.pathname}`));
    if (!handler) return fail(new ApiError(405, `Method ${req.method} is not allowed on ${url.pathname}.`));
    try {
      Promise.resolve(handler(req, res)).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
}

/** The path without trailing slashes, in linear time (a regex /\/+$/ is quadratic on a path of many slashes). */
function trimTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 0x2f) end--;
  return p.slice(0, end);
}
