// probeServer: what is at this URL? /health, /v1/models, /version and /metrics, in parallel,
// each with a timeout; every failure is a readable line in `errors`, never a throw.
import { apiUrl, serverRoot } from '../client/endpoint';
import { ClientError } from '../client/errors';
import { httpGet } from '../client/httpGet';
import { parseModelList, type ServedModel } from '../client/models';
import { fetchMetrics } from './metricsFetch';
import type { ServerKind, ServerMetrics } from './serverMetrics';

export { serverRoot };

export type Health = 'ok' | 'loading' | 'dead' | 'unreachable';

export interface ProbeResult {
  url: string;
  reachable: boolean;
  health: Health;
  models: ServedModel[];
  version?: string;
  kind: ServerKind;
  metrics?: ServerMetrics;
  errors: string[];
}

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A launcher says this server is starting: connection refused then means 'loading'. */
  starting?: boolean;
  apiKey?: string;
}

type Fetched<T = { status: number; text: string }> = ({ ok: true } & T) | { ok: false; refused: boolean; answered: boolean; error: string };

function failed(err: unknown): { ok: false; refused: boolean; answered: boolean; error: string } {
  const kind = err instanceof ClientError ? err.kind : undefined;
  return { ok: false, refused: kind === 'connection-refused', answered: kind === 'http', error: (err as Error).message };
}

function getOptions(opts: ProbeOptions): { timeoutMs: number; signal?: AbortSignal; apiKey?: string } {
  return { timeoutMs: opts.timeoutMs ?? 5000, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) };
}

async function get(url: string, opts: ProbeOptions): Promise<Fetched> {
  try {
    return { ok: true, ...(await httpGet(new URL(url), getOptions(opts))) };
  } catch (err) {
    return failed(err);
  }
}

function kindFromOwner(owner: string | undefined): ServerKind {
  if (owner === 'vllm') return 'vllm';
  if (owner === 'llamacpp') return 'llama.cpp';
  if (owner === 'completion-lab') return 'completion-lab';
  return 'unknown';
}

export async function probeServer(url: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const root = serverRoot(url);
  const result: ProbeResult = { url: root, reachable: false, health: 'unreachable', models: [], kind: 'unknown', errors: [] };
  let modelsUrl: string;
  try {
    modelsUrl = apiUrl(root, 'models').toString();
  } catch {
    result.errors.push(`"${url}" is not a URL. Use the server's base URL, e.g. http://127.0.0.1:8000`);
    return result;
  }
  const [health, models, version, metrics] = await Promise.all([
    get(`${root}/health`, opts),
    get(modelsUrl, opts),
    get(`${root}/version`, opts),
    fetchMetrics(root, getOptions(opts)).then((m): Fetched<{ metrics: ServerMetrics }> => ({ ok: true, metrics: m }), failed),
  ]);
  const all = [health, models, version];
  result.reachable = all.some((f) => f.ok) || metrics.ok || metrics.answered;

  if (!result.reachable) {
    const refused = [...all, metrics].every((f) => !f.ok && f.refused);
    result.health = refused && opts.starting ? 'loading' : 'unreachable';
    result.errors.push(refused && opts.starting ? `${root}: connection refused (the server is starting)` : (health as { error: string }).error);
    return result;
  }

  if (models.ok) {
    if (models.status === 200) {
      try {
        result.models = parseModelList(JSON.parse(models.text)) ?? [];
      } catch {
        result.errors.push(`${modelsUrl}: the answer is not JSON; is this an OpenAI-compatible server?`);
      }
    } else if (models.status === 401) {
      result.errors.push(`${modelsUrl}: HTTP 401, the server wants an API key (set one for this profile).`);
    } else {
      result.errors.push(`${modelsUrl}: HTTP ${models.status}`);
    }
  } else result.errors.push(models.error);

  if (health.ok) {
    if (health.status === 200) result.health = 'ok';
    else if (health.status === 503) {
      // llama-server answers 503 "Loading model" while loading; vLLM 503 when its engine died.
      result.health = /loading/i.test(health.text) ? 'loading' : 'dead';
      result.errors.push(`${root}/health: HTTP 503${result.health === 'dead' ? ' (the engine behind the server is dead; restart the server)' : ' (still loading the model)'}`);
    } else {
      // No /health (some OpenAI-compatible servers): a model list is proof enough of life.
      result.health = result.models.length ? 'ok' : 'dead';
      result.errors.push(`${root}/health: HTTP ${health.status}`);
    }
  } else {
    result.health = result.models.length ? 'ok' : 'unreachable';
    result.errors.push(health.error);
  }

  if (version.ok && version.status === 200) {
    try {
      const v = JSON.parse(version.text) as { version?: unknown; engine?: unknown };
      if (typeof v.version === 'string') result.version = v.version;
      if (v.engine === 'completion-lab') result.kind = 'completion-lab';
    } catch {
      // not every server has a JSON /version
    }
  }

  if (metrics.ok) {
    if (metrics.metrics.kind !== 'unknown') result.kind = metrics.metrics.kind;
    result.metrics = metrics.metrics;
  } else if (metrics.answered) {
    result.errors.push(metrics.error);
  }
  if (result.kind === 'unknown') result.kind = kindFromOwner(result.models[0]?.ownedBy);
  return result;
}
