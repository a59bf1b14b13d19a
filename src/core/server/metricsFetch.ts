// One GET of a server's /metrics, read into ServerMetrics: the scraper, the comparison
// runner and the probe all fetch it here.
import { serverRoot } from '../client/endpoint';
import { ClientError } from '../client/errors';
import { httpGet, type GetOptions } from '../client/httpGet';
import { readServerMetrics, type ServerMetrics } from './serverMetrics';

export function metricsUrl(endpoint: string): string {
  return `${serverRoot(endpoint)}/metrics`;
}

export interface MetricsFetchOptions extends GetOptions {
  /** Reads the gauges of this model where a server labels several. */
  modelName?: string;
}

/** Rejects with a ClientError: kind 'http' when the server answered, but not with metrics. */
export async function fetchMetrics(endpoint: string, options: MetricsFetchOptions = {}): Promise<ServerMetrics> {
  const url = metricsUrl(endpoint);
  const { modelName, ...get } = options;
  const res = await httpGet(new URL(url), get);
  if (res.status !== 200) {
    const hint = res.status === 404 ? ' (llama-server needs --metrics)' : '';
    throw new ClientError('http', `${url}: HTTP ${res.status}${hint}`, { status: res.status, endpoint: url });
  }
  try {
    return readServerMetrics(res.text, { ts: Date.now(), ...(modelName ? { modelName } : {}) });
  } catch (err) {
    throw new ClientError('http', `${url}: ${(err as Error).message}`, { status: res.status, endpoint: url });
  }
}
