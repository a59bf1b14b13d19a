// A small GET-and-parse-JSON over the same keep-alive agents and error mapping as the
// streaming client, for the few non-streaming calls (/v1/models).
import { agentFor, transportFor } from './agent';
import { origin } from './endpoint';
import { fromHttpError, fromSocketError } from './errorMapping';
import { ClientError } from './errors';

export interface GetOptions {
  signal?: AbortSignal;
  apiKey?: string;
  /** Whole-request limit in ms (0 or absent = none). */
  timeoutMs?: number;
}

const MAX_BODY = 8 * 1024 * 1024;

export function getJson(url: URL, options: GetOptions = {}): Promise<unknown> {
  const where = origin(url);
  if (options.signal?.aborted) return Promise.reject(new ClientError('aborted', `The request to ${where} was cancelled.`, { endpoint: where }));
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.apiKey) headers['Authorization'] = `Bearer ${options.apiKey}`;
    const req = transportFor(url).request(url, { method: 'GET', agent: agentFor(url), headers }, (res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return fail(fromHttpError(status, body, where));
        try {
          done(JSON.parse(body));
        } catch {
          fail(new ClientError('malformed-stream', `${where} answered ${url.pathname} with something that is not JSON: ${body.slice(0, 200)}. Is the endpoint an OpenAI-compatible server?`, { endpoint: where, body }));
        }
      });
      res.on('error', () => fail(new ClientError('malformed-stream', `${where} closed the connection in the middle of the answer to ${url.pathname}. Check the server's log and retry.`, { endpoint: where })));
    });
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(err);
    }
    function done(value: unknown): void {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(value);
    }
    function onAbort(): void {
      fail(new ClientError('aborted', `The request to ${where} was cancelled.`, { endpoint: where }));
    }
    req.on('error', (err: NodeJS.ErrnoException) => fail(fromSocketError(err, where)));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? 0;
    if (timeoutMs > 0) {
      timer = setTimeout(() => fail(new ClientError('timeout-total', `${where} did not answer ${url.pathname} within ${timeoutMs} ms. Is the server overloaded or still loading?`, { endpoint: where })), timeoutMs);
    }
    req.end();
  });
}
