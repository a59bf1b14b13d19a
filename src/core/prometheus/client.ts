// A client for Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/):
// instant queries (/api/v1/query), range queries (/api/v1/query_range) and the target list
// (/api/v1/targets). Results are parsed into plain numbers with epoch-ms timestamps;
// Prometheus sends sample values as strings ("1.5", "NaN", "+Inf").
import { PrometheusError } from './errors';
import { promGetJson, type PromGetOptions } from './http';

export type Labels = Record<string, string>;

export interface InstantSample {
  labels: Labels;
  /** Epoch ms of the evaluation. */
  ts: number;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  points: { ts: number; value: number }[];
}

export interface ScrapeTarget {
  labels: Labels;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  /** Epoch ms of the last scrape (undefined before the first). */
  lastScrape?: number;
  lastError: string;
  /** The target's scrape interval, ms. */
  scrapeIntervalMs?: number;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A Prometheus duration ("15s", "1m30s", "500ms") in ms; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  // Sticky: each part must start where the last ended, so the whole text is parts.
  const part = /(\d+)(ms|s|m|h|d|w|y)/y;
  let total = 0;
  while (part.lastIndex < text.length) {
    const m = part.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  }
  return text ? total : undefined;
}

export interface PrometheusClientOptions extends Omit<PromGetOptions, 'signal'> {}

/** `http://host:9090/` or `http://host/prometheus` -> a base URL without trailing slash; throws 'bad-config'. */
export function prometheusBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PrometheusError('bad-config', `"${raw}" is not a URL. Set the Prometheus base URL, e.g. http://prometheus:9090.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PrometheusError('bad-config', `"${raw}" is not an http(s) URL. Set the Prometheus base URL, e.g. http://prometheus:9090.`);
  }
  let path = url.pathname;
  while (path.endsWith('/')) path = path.slice(0, -1);
  url.pathname = path.endsWith('/api/v1') ? path.slice(0, -'/api/v1'.length) : path;
  url.search = '';
  url.hash = '';
  return url;
}

function toNumber(raw: unknown): number {
  if (typeof raw !== 'string') return NaN;
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labelsOf(v: unknown): Labels {
  const out: Labels = {};
  if (isObject(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** A [seconds, "value"] pair. */
function point(v: unknown): { ts: number; value: number } | undefined {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number') return undefined;
  return { ts: Math.round(v[0] * 1000), value: toNumber(v[1]) };
}

export class PrometheusClient {
  readonly baseUrl: URL;

  constructor(baseUrl: string, private readonly options: PrometheusClientOptions = {}) {
    this.baseUrl = prometheusBaseUrl(baseUrl);
  }

  /** The value of `expr` at `atMs` (default: now). A scalar result is one sample with no labels. */
  async query(expr: string, atMs?: number, signal?: AbortSignal): Promise<InstantSample[]> {
    const params: Record<string, string> = { query: expr };
    if (atMs !== undefined) params['time'] = (atMs / 1000).toFixed(3);
    const data = await this.call('query', params, signal);
    if (data.resultType === 'scalar') {
      const p = point(data.result);
      return p ? [{ labels: {}, ...p }] : [];
    }
    if (data.resultType !== 'vector') throw this.unexpected('query', `a ${String(data.resultType)} result where an instant vector was expected`);
    const out: InstantSample[] = [];
    for (const item of Array.isArray(data.result) ? data.result : []) {
      if (!isObject(item)) continue;
      const p = point(item['value']);
      if (p) out.push({ labels: labelsOf(item['metric']), ...p });
    }
    return out;
  }

  /** `expr` evaluated every `stepS` seconds over [startMs, endMs]. */
  async queryRange(expr: string, startMs: number, endMs: number, stepS: number, signal?: AbortSignal): Promise<RangeSeries[]> {
    const data = await this.call('query_range', { query: expr, start: (startMs / 1000).toFixed(3), end: (endMs / 1000).toFixed(3), step: String(stepS) }, signal);
    if (data.resultType !== 'matrix') throw this.unexpected('query_range', `a ${String(data.resultType)} result where a range (matrix) was expected`);
    const out: RangeSeries[] = [];
    for (const item of Array.isArray(data.result) ? data.result : []) {
      if (!isObject(item)) continue;
      const points = (Array.isArray(item['values']) ? item['values'] : []).map(point).filter((p): p is { ts: number; value: number } => p !== undefined);
      out.push({ labels: labelsOf(item['metric']), points });
    }
    return out;
  }

  /** The active scrape targets and their health. */
  async targets(signal?: AbortSignal): Promise<ScrapeTarget[]> {
    const data = await this.call('targets', { state: 'active' }, signal);
    const list = Array.isArray(data['activeTargets']) ? data['activeTargets'] : [];
    return list.filter(isObject).map((t) => {
      const health = t['health'] === 'up' || t['health'] === 'down' ? t['health'] : 'unknown';
      const target: ScrapeTarget = { labels: labelsOf(t['labels']), scrapeUrl: String(t['scrapeUrl'] ?? ''), health, lastError: String(t['lastError'] ?? '') };
      const last = typeof t['lastScrape'] === 'string' ? Date.parse(t['lastScrape']) : NaN;
      // Prometheus reports "0001-01-01T00:00:00Z" before the first scrape.
      if (Number.isFinite(last) && last > 0) target.lastScrape = last;
      const interval = typeof t['scrapeInterval'] === 'string' ? parseDuration(t['scrapeInterval']) : undefined;
      if (interval !== undefined) target.scrapeIntervalMs = interval;
      return target;
    });
  }

  private async call(endpoint: string, params: Record<string, string>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const url = new URL(`${this.baseUrl.href.replace(/\/$/, '')}/api/v1/${endpoint}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const body = await promGetJson(url, { ...this.options, ...(signal ? { signal } : {}) });
    if (!isObject(body) || (body['status'] !== 'success' && body['status'] !== 'error')) {
      throw this.unexpected(endpoint, 'JSON without Prometheus\' "status" field');
    }
    if (body['status'] === 'error') {
      // Prometheus sends these with HTTP 4xx/5xx (caught in promGetJson), but a proxy may not.
      const errorType = String(body['errorType'] ?? '');
      throw new PrometheusError(errorType === 'bad_data' ? 'bad-query' : 'http', `Prometheus at ${this.baseUrl.origin} rejected the query (${errorType}): ${String(body['error'] ?? '')}`, { errorType });
    }
    return isObject(body['data']) ? body['data'] : {};
  }

  private unexpected(endpoint: string, what: string): PrometheusError {
    return new PrometheusError('not-prometheus', `${this.baseUrl.origin} answered /api/v1/${endpoint} with ${what}: is it a Prometheus server (its base URL, e.g. http://prometheus:9090)?`);
  }
}
