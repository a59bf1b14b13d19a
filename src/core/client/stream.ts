// One streaming POST /v1/completions with the timing marks taken at the byte level.
//
// Node's own http/https (not fetch/undici, not the openai package): we need the time the
// request is handed to the socket and the time each TCP read arrives, with no buffering
// layer in between, a keep-alive Agent we control, and an abort that truly closes the
// connection (that is what makes vLLM stop generating and free the KV cache).
import type * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { agentFor, transportFor } from './agent';
import { apiUrl, origin } from './endpoint';
import { errorInfo, fromHttpError, fromSocketError } from './errorMapping';
import { ClientError } from './errors';
import { loadEventSourceParser } from './parserModule';
import { computeTimings } from './timings';
import type { CompletionRequest, CompletionResult, TimingMarks, Usage } from './types';

/** Most of an HTTP error body we keep (errors are short; a proxy's HTML page is not). */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * Limits that apply when the caller sets none, so no caller (the editor, the CLI) can wait
 * forever on a server that stalls, or hold an answer that never ends: a stream that stalled
 * after one token hung the CLI, and a 200 MB answer to max_tokens 64 took 1.65 GB.
 */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 60_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;

/** Text a server honouring max_tokens cannot exceed (a token is at most a few dozen characters). */
export function streamCap(maxTokens: number): { chars: number; bytes: number } {
  const chars = Math.max(16 * 1024, maxTokens * 128);
  // SSE framing and JSON escapes (\uXXXX is 6 bytes per character) on top, per chunk.
  return { chars, bytes: chars * 6 + maxTokens * 1024 + 64 * 1024 };
}

export async function streamCompletion(req: CompletionRequest): Promise<CompletionResult> {
  const url = apiUrl(req.endpoint, 'completions');
  if (req.signal?.aborted) throw abortedError(origin(url));
  const { createParser } = await loadEventSourceParser();
  const body = JSON.stringify(requestBody(req));
  try {
    return await attempt(req, url, body, createParser);
  } catch (err) {
    // A pooled keep-alive connection the server had already closed: nothing reached the
    // server, so sending again once is safe (the pattern Node's docs recommend).
    if (err instanceof StaleSocket) return attempt(req, url, body, createParser);
    throw err;
  }
}

/** The JSON body: undefined fields are left out; `suffix` is never sent (vLLM rejects it). */
export function requestBody(req: CompletionRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: req.model,
    prompt: req.prompt,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    top_p: req.topP,
    stop: req.stop,
    stop_token_ids: req.stopTokenIds,
    seed: req.seed,
    // Only where more than one is asked for: servers that do not know `n` never see it.
    n: req.n !== undefined && req.n > 1 ? req.n : undefined,
    stream: true,
    stream_options: { include_usage: true },
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

class StaleSocket extends Error {}

type CreateParser = Awaited<ReturnType<typeof loadEventSourceParser>>['createParser'];

function attempt(req: CompletionRequest, url: URL, body: string, createParser: CreateParser): Promise<CompletionResult> {
  const where = origin(url);
  return new Promise<CompletionResult>((resolve, reject) => {
    const marks: TimingMarks = { t0: 0, chunks: [], wallT0: 0 };
    let text = '';
    /** With n > 1, every choice's text by its index (choice 0's is `text`). */
    const texts: string[] = [];
    let textChars = 0;
    let finishReason: string | null = null;
    let usage: Usage | null = null;
    let chunkCount = 0;
    let responded = false;
    let settled = false;
    let arrival = 0;
    let firstTokenTimer: NodeJS.Timeout | undefined;
    let totalTimer: NodeJS.Timeout | undefined;
    const cap = streamCap(req.maxTokens);
    if (req.maxTextChars !== undefined) cap.chars = req.maxTextChars;
    let bytesIn = 0;

    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      'Content-Length': Buffer.byteLength(body),
    };
    if (req.apiKey) headers['Authorization'] = `Bearer ${req.apiKey}`;

    const httpReq = transportFor(url).request(url, { method: 'POST', agent: agentFor(url), headers }, onResponse);

    const cleanup = (): void => {
      clearTimeout(firstTokenTimer);
      clearTimeout(totalTimer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      cleanup();
      // Destroying the socket is the abort the server understands: it stops generating.
      httpReq.destroy();
      reject(err);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      const timings = computeTimings(marks, usage);
      resolve({ text, finishReason, usage, marks, timings, chunkCount, ...(req.n !== undefined && req.n > 1 ? { choices: Array.from({ length: req.n }, (_, i) => texts[i] ?? '') } : {}) });
    };
    const tooLarge = (what: string): ClientError =>
      new ClientError('too-large', `${where} sent more than ${what} for max_tokens ${req.maxTokens} (model "${req.model}"), so the completion was stopped. The server is not honouring max_tokens; check it or its proxy.`, { endpoint: where });
    const midStream = (why: string): ClientError =>
      new ClientError('malformed-stream', `${where} ${why} before the completion finished. The server may have crashed or restarted; check its log and retry.`, { endpoint: where });

    function onAbort(): void {
      fail(abortedError(where));
    }

    function onResponse(res: http.IncomingMessage): void {
      responded = true;
      const status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      if (status < 200 || status >= 300) {
        let errorBody = '';
        res.on('data', (chunk: string) => {
          if (errorBody.length < MAX_ERROR_BODY) errorBody += chunk;
        });
        const done = (): void => fail(fromHttpError(status, errorBody, where, req.model));
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
        return;
      }
      const parser = createParser({ onEvent: (event) => onData(event.data) });
      res.on('data', (chunk: string) => {
        if (settled) return; // after [DONE] the rest is drained so the socket can be reused
        arrival = performance.now();
        // Counted before parsing: one endless SSE line would otherwise grow the parser's buffer.
        bytesIn += chunk.length;
        if (bytesIn > cap.bytes) {
          fail(tooLarge(`${cap.bytes} characters of stream data`));
          return;
        }
        parser.feed(chunk);
      });
      res.on('end', () => {
        // Servers that close without [DONE] but after a finish_reason have still finished.
        if (finishReason !== null) finish();
        else fail(midStream(`ended the stream (no [DONE], no finish_reason; content-type ${String(res.headers['content-type'] ?? 'none')})`));
      });
      res.on('error', () => fail(midStream('closed the connection mid-stream')));
      res.on('close', () => fail(midStream('closed the connection mid-stream')));
    }

    function onData(data: string): void {
      if (settled) return;
      if (data.trim() === '[DONE]') {
        finish();
        return;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        const shown = data.length > 200 ? `${data.slice(0, 200)}…` : data;
        fail(new ClientError('malformed-stream', `${where} sent a stream line that is not JSON: ${shown}. Is the endpoint an OpenAI-compatible server?`, { endpoint: where, body: data }));
        return;
      }
      const serverError = errorInfo(chunk);
      if (serverError) {
        fail(new ClientError('stream-error', `${where} reported an error during generation: ${serverError.message}`, { endpoint: where, body: serverError }));
        return;
      }
      if (!isRecord(chunk)) return;
      const choices = chunk['choices'];
      if (Array.isArray(choices) && choices.length > 0) {
        chunkCount++;
        marks.chunks.push(arrival);
        if (marks.firstChunk === undefined) {
          marks.firstChunk = arrival;
          clearTimeout(firstTokenTimer);
        }
        for (const choice of choices as unknown[]) {
          if (!isRecord(choice)) continue;
          // One choice unless n > 1 was asked for; then each chunk names its choice by index.
          const index = typeof choice['index'] === 'number' && Number.isInteger(choice['index']) && choice['index'] >= 0 && choice['index'] < (req.n ?? 1) ? choice['index'] : 0;
          const delta = typeof choice['text'] === 'string' ? choice['text'] : '';
          if (index === 0 && choice['finish_reason'] !== null && choice['finish_reason'] !== undefined) finishReason = String(choice['finish_reason']);
          if (!delta) continue;
          marks.lastContent = arrival;
          textChars += delta.length;
          if (textChars > cap.chars * (req.n ?? 1)) {
            fail(tooLarge(`${cap.chars} characters`));
            return;
          }
          texts[index] = (texts[index] ?? '') + delta;
          if (index !== 0) continue;
          text += delta;
          try {
            req.onText?.(delta);
          } catch (err) {
            fail(err instanceof Error ? err : new Error(String(err)));
            return;
          }
        }
      }
      // Usage is absent or null on ordinary chunks; the final `{choices: [], usage}` has it.
      const u = chunk['usage'];
      if (isRecord(u) && typeof u['completion_tokens'] === 'number') {
        usage = { completionTokens: u['completion_tokens'], promptTokens: typeof u['prompt_tokens'] === 'number' ? u['prompt_tokens'] : 0 };
      }
    }

    httpReq.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      if (!responded && httpReq.reusedSocket && err.code === 'ECONNRESET') {
        settled = true;
        cleanup();
        reject(new StaleSocket());
      } else if (!responded) {
        fail(fromSocketError(err, where));
      } else {
        fail(midStream('closed the connection mid-stream'));
      }
    });

    req.signal?.addEventListener('abort', onAbort, { once: true });
    const firstTokenMs = req.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;
    if (firstTokenMs > 0) {
      firstTokenTimer = setTimeout(() => {
        fail(new ClientError('timeout-first-token', `No token from ${where} within ${firstTokenMs} ms (model "${req.model}"). The server may be overloaded or still loading; check it, or raise the first-token timeout.`, { endpoint: where }));
      }, firstTokenMs);
    }
    const totalMs = req.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
    if (totalMs > 0) {
      totalTimer = setTimeout(() => {
        fail(new ClientError('timeout-total', `The completion from ${where} took longer than ${totalMs} ms (model "${req.model}"), so it was stopped. Lower max tokens or raise the total timeout.`, { endpoint: where }));
      }, totalMs);
    }
    marks.wallT0 = Date.now();
    marks.t0 = performance.now();
    httpReq.end(body);
  });
}

function abortedError(where: string): ClientError {
  return new ClientError('aborted', `The request to ${where} was cancelled.`, { endpoint: where });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
