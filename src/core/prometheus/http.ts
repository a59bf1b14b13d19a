// The one place the Prometheus client touches HTTP: the project's one GET (httpGet: keep-alive
// agents, timeouts, abort), its socket-level ClientErrors (worded for model servers) turned
// into PrometheusErrors (worded for Prometheus), and Prometheus' own answers read here:
// JSON `{status: "success"|"error", data | errorType, error}`, error bodies with 4xx/5xx.
import { httpGet } from '../client/httpGet';
import { ClientError, type ClientErrorKind } from '../client/errors';
import { PrometheusError } from './errors';

export interface PromGetOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Bearer token, for a Prometheus behind an authenticating proxy. */
  bearerToken?: string;
}

const UNREACHABLE: ReadonlySet<ClientErrorKind> = new Set(['connection-refused', 'unreachable', 'timeout-total', 'timeout-first-token']);

/** GET `url` and parse JSON. Prometheus' own error bodies become 'bad-query' or 'http'. */
export async function promGetJson(url: URL, options: PromGetOptions = {}): Promise<unknown> {
  const where = `Prometheus at ${url.origin}`;
  let res: { status: number; text: string };
  try {
    res = await httpGet(url, {
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.bearerToken ? { apiKey: options.bearerToken } : {}),
    });
  } catch (err) {
    if (!(err instanceof ClientError)) throw err;
    if (err.kind === 'aborted') throw new PrometheusError('aborted', `The query to ${where} was cancelled.`, { url: url.href });
    if (UNREACHABLE.has(err.kind)) {
      const why = err.kind === 'connection-refused' ? 'connection refused' : err.kind.startsWith('timeout') ? 'no answer in time' : 'host not reachable';
      throw new PrometheusError('unreachable', `Cannot reach ${where} (${why}). Check completionLab.prometheus.url (or --prometheus), and your network or port-forward.`, { url: url.href });
    }
    throw new PrometheusError('http', `${where}: ${err.message}`, { url: url.href });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status === 404) {
      throw new PrometheusError('not-prometheus', `${url.origin}${url.pathname} does not exist (HTTP 404): is ${url.origin} a Prometheus server? Use its base URL, e.g. http://prometheus:9090.`, { status: 404, url: url.href });
    }
    if (res.status >= 200 && res.status < 300) {
      throw new PrometheusError('not-prometheus', `${url.origin}${url.pathname} did not answer with JSON: is ${url.origin} a Prometheus server (its base URL, e.g. http://prometheus:9090)?`, { url: url.href });
    }
    body = undefined;
  }
  const promError = typeof body === 'object' && body !== null && (body as Record<string, unknown>)['status'] === 'error' ? (body as Record<string, unknown>) : undefined;
  if (res.status >= 200 && res.status < 300) return body;
  const said = promError ? `: ${String(promError['error'] ?? '')}` : res.text.trim() ? `: ${res.text.trim().slice(0, 200)}` : '';
  if (res.status === 400 || res.status === 422) {
    throw new PrometheusError('bad-query', `${where} rejected the query (HTTP ${res.status}${said}).`, { status: res.status, url: url.href, ...(promError ? { errorType: String(promError['errorType']) } : {}) });
  }
  if (res.status === 404) {
    throw new PrometheusError('not-prometheus', `${url.origin}${url.pathname} does not exist (HTTP 404): is ${url.origin} a Prometheus server? Use its base URL, e.g. http://prometheus:9090.`, { status: 404, url: url.href });
  }
  const hint = res.status === 401 || res.status === 403 ? ' Prometheus sits behind an authenticating proxy: this client supports a bearer token only.' : res.status === 503 ? ' Prometheus may still be starting.' : '';
  throw new PrometheusError('http', `${where} answered HTTP ${res.status}${said}.${hint}`, { status: res.status, url: url.href });
}
