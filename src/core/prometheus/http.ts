// The one place the Prometheus client touches HTTP: a GET that returns parsed JSON, over the
// project's shared GET helper (keep-alive agents, timeouts, abort), with its ClientErrors
// (worded for model servers) turned into PrometheusErrors (worded for Prometheus). When the
// shared GET helper changes, only this adapter follows it.
import { getJson } from '../client/getJson';
import { ClientError, type ClientErrorKind } from '../client/errors';
import { PrometheusError } from './errors';

export interface PromGetOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Bearer token, for a Prometheus behind an authenticating proxy. */
  bearerToken?: string;
}

const UNREACHABLE: ReadonlySet<ClientErrorKind> = new Set(['connection-refused', 'unreachable', 'timeout-total', 'timeout-first-token']);

/** GET `url` and parse JSON. Prometheus' own error bodies (`{status:"error", errorType, error}`) become 'bad-query' or 'http'. */
export async function promGetJson(url: URL, options: PromGetOptions = {}): Promise<unknown> {
  const where = `Prometheus at ${url.origin}`;
  try {
    return await getJson(url, {
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
    if (err.kind === 'malformed-stream') {
      throw new PrometheusError('not-prometheus', `${url.origin}${url.pathname} did not answer with JSON: is ${url.origin} a Prometheus server (its base URL, e.g. http://prometheus:9090)?`, { url: url.href });
    }
    const status = err.details.status;
    const body = err.details.body as { message?: string } | undefined;
    const said = body?.message ? `: ${body.message}` : '';
    if (status === 400 || status === 422) {
      throw new PrometheusError('bad-query', `${where} rejected the query (HTTP ${status}${said}).`, { status, url: url.href });
    }
    if (status === 404) {
      throw new PrometheusError('not-prometheus', `${url.origin}${url.pathname} does not exist (HTTP 404): is ${url.origin} a Prometheus server? Use its base URL, e.g. http://prometheus:9090.`, { status, url: url.href });
    }
    const hint = status === 401 || status === 403 ? ' Prometheus sits behind an authenticating proxy: this client supports a bearer token only.' : status === 503 ? ' Prometheus may still be starting.' : '';
    throw new PrometheusError('http', `${where} answered HTTP ${status ?? '?'}${said}.${hint}`, status !== undefined ? { status, url: url.href } : { url: url.href });
  }
}
