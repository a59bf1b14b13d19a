// probeServer: what is at this URL? /health, /v1/models, /version and /metrics, in parallel,
// each with a timeout; every failure is a readable line in `errors`, never a throw.
import { apiUrl, trimTrailingSlashes } from '../client/endpoint';
import { detectKind, readServerMetrics, type ServerKind, type ServerMetrics } from './serverMetrics';
import { parsePrometheus } from './prometheus';

export type Health = 'ok' | 'loading' | 'dead' | 'unreachable';

export interface ProbedModel {
  id: string;
  maxModelLen?: number;
  ownedBy?: string;
  root?: string;
}

export interface ProbeResult {
  url: string;
  reachable: boolean;
  health: Health;
  models: ProbedModel[];
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

/** The server root: `http://h:8000/v1/` -> `http://h:8000`. */
export function serverRoot(url: string): string {
  return trimTrailingSlashes(url.trim()).replace(/\/v1$/, '');
}

type Fetched = { ok: true; status: number; text: string } | { ok: false; refused: boolean; error: string };

async function get(url: string, opts: ProbeOptions): Promise<Fetched> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (opts.signal) signals.push(opts.signal);
  try {
    const headers: Record<string, string> = {};
    if (opts.apiKey) headers['authorization'] = `Bearer ${opts.apiKey}`;
    const res = await fetch(url, { signal: AbortSignal.any(signals), headers });
    return { ok: true, status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e.cause?.code;
    if (code === 'ECONNREFUSED') return { ok: false, refused: true, error: `${url}: connection refused` };
    if (e.name === 'TimeoutError') return { ok: false, refused: false, error: `${url}: no answer within ${timeoutMs} ms` };
    if (e.name === 'AbortError') return { ok: false, refused: false, error: `${url}: cancelled` };
    return { ok: false, refused: false, error: `${url}: ${code ?? e.cause?.message ?? e.message}` };
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
    get(`${root}/metrics`, opts),
  ]);
  const all = [health, models, version, metrics];
  result.reachable = all.some((f) => f.ok);

  if (!result.reachable) {
    const refused = all.every((f) => !f.ok && f.refused);
    result.health = refused && opts.starting ? 'loading' : 'unreachable';
    result.errors.push(refused && opts.starting ? `${root}: connection refused (the server is starting)` : (health as { error: string }).error);
    return result;
  }

  if (models.ok) {
    if (models.status === 200) {
      try {
        const body = JSON.parse(models.text) as { data?: { id?: unknown; max_model_len?: unknown; owned_by?: unknown; root?: unknown }[] };
        for (const m of body.data ?? []) {
          if (typeof m.id !== 'string') continue;
          const pm: ProbedModel = { id: m.id };
          if (typeof m.max_model_len === 'number') pm.maxModelLen = m.max_model_len;
          if (typeof m.owned_by === 'string') pm.ownedBy = m.owned_by;
          if (typeof m.root === 'string') pm.root = m.root;
          result.models.push(pm);
        }
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

  if (metrics.ok && metrics.status === 200) {
    try {
      const samples = parsePrometheus(metrics.text);
      const kind = detectKind(samples);
      if (kind !== 'unknown') result.kind = kind;
      const modelName = result.models.length === 1 ? result.models[0]!.id : undefined;
      result.metrics = readServerMetrics(metrics.text, { ts: Date.now(), ...(modelName ? { modelName } : {}) });
    } catch (err) {
      result.errors.push(`${root}/metrics: ${(err as Error).message}`);
    }
  } else if (metrics.ok) {
    result.errors.push(`${root}/metrics: HTTP ${metrics.status}${metrics.status === 404 ? ' (llama-server needs --metrics)' : ''}`);
  }
  if (result.kind === 'unknown') result.kind = kindFromOwner(result.models[0]?.ownedBy);
  return result;
}
