// The one HTTP GET of the project, for every non-streaming call (/v1/models, /health,
// /version, /metrics): the same keep-alive agents, auth header, timeout and error mapping
// as the streaming client, so a refused connection or a 401 reads the same everywhere.
import { agentFor, transportFor } from './agent';
import { origin } from './endpoint';
import { fromHttpError, fromSocketError } from './errorMapping';
import { ClientError } from './errors';

export interface GetOptions {
  signal?: AbortSignal | undefined;
  apiKey?: string | undefined;
  /** Whole-request limit in ms (0 or absent = none). */
  timeoutMs?: number | undefined;
}

export interface GetResponse {
  status: number;
  text: string;
}

const MAX_BODY = 8 * 1024 * 1024;

/**
 * Any HTTP answer resolves, whatever its status (a probe wants to see a 503); failures
 * before an answer reject with a ClientError: refused, unreachable, timeout, cancelled.
 */
export function httpGet(url: URL, options: GetOptions = {}): Promise<GetResponse> {
  const where = origin(url);
  const cancelled = () => new ClientError('aborted', `The request to ${where} was cancelled.`, { endpoint: where });
  if (options.signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const headers: Record<string, string> = {};
    if (options.apiKey) headers['Authorization'] = `Bearer ${options.apiKey}`;
    const req = transportFor(url).request(url, { method: 'GET', agent: agentFor(url), headers }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => {
        if (text.length < MAX_BODY) text += chunk;
      });
      res.on('end', () => settle(() => resolve({ status: res.statusCode ?? 0, text })));
      res.on('error', () => fail(new ClientError('malformed-stream', `${where} closed the connection in the middle of the answer to ${url.pathname}. Check the server's log and retry.`, { endpoint: where })));
    });
    const onAbort = (): void => fail(cancelled());
    function settle(finish: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      finish();
    }
    function fail(err: Error): void {
      settle(() => {
        req.destroy();
        reject(err);
      });
    }
    req.on('error', (err: NodeJS.ErrnoException) => fail(fromSocketError(err, where)));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? 0;
    if (timeoutMs > 0) {
      timer = setTimeout(() => fail(new ClientError('timeout-total', `${where}${url.pathname}: no answer within ${timeoutMs} ms. Is the server overloaded or still loading?`, { endpoint: where })), timeoutMs);
    }
    req.end();
  });
}

/** A 2xx answer's body; any other status as the client's typed error (401 -> unauthorized, ...). */
export async function getText(url: URL, options: GetOptions = {}): Promise<string> {
  const res = await httpGet(url, options);
  if (res.status < 200 || res.status >= 300) throw fromHttpError(res.status, res.text, origin(url));
  return res.text;
}

export async function getJson(url: URL, options: GetOptions = {}): Promise<unknown> {
  const text = await getText(url, options);
  try {
    return JSON.parse(text);
  } catch {
    const where = origin(url);
    throw new ClientError('malformed-stream', `${where} answered ${url.pathname} with something that is not JSON: ${text.slice(0, 200)}. Is the endpoint an OpenAI-compatible server?`, { endpoint: where, body: text });
  }
}
