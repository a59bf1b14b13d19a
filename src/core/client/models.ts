// GET /v1/models: which model names an endpoint serves, vLLM's max_model_len when given,
// and the one rule for which of them a request uses.
import { apiUrl } from './endpoint';
import { ClientError } from './errors';
import { getJson, type GetOptions } from './httpGet';

export interface ServedModel {
  id: string;
  /** vLLM's `max_model_len` (context window in tokens), when the server reports it. */
  maxModelLen?: number | undefined;
  ownedBy?: string | undefined;
  /** vLLM's `root`: the checkpoint behind a served alias (tells an `r1` alias's family). */
  root?: string | undefined;
}

export async function listModels(endpoint: string, options: GetOptions = {}): Promise<ServedModel[]> {
  const url = apiUrl(endpoint, 'models');
  const models = parseModelList(await getJson(url, options));
  if (!models) {
    throw new ClientError('malformed-stream', `${url.origin}${url.pathname} did not return a model list ({"data": [...]}). Is the endpoint an OpenAI-compatible server?`, { endpoint: url.origin });
  }
  return models;
}

/** The entries of a `{"data": [...]}` model list, or undefined when the body is not one. */
export function parseModelList(body: unknown): ServedModel[] | undefined {
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['data'] : undefined;
  if (!Array.isArray(data)) return undefined;
  const models: ServedModel[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e['id'] !== 'string') continue;
    const model: ServedModel = { id: e['id'] };
    if (typeof e['max_model_len'] === 'number' && e['max_model_len'] > 0) model.maxModelLen = e['max_model_len'];
    if (typeof e['owned_by'] === 'string') model.ownedBy = e['owned_by'];
    if (typeof e['root'] === 'string' && e['root']) model.root = e['root'];
    models.push(model);
  }
  return models;
}

/**
 * The model a request uses: the one asked for, or the server's only one. A server that
 * lists no models (some proxies and gateways) is taken at its word for a name the user
 * gave: the request itself then says whether it is served (HTTP 404, "unknown-model").
 * `setting` names where the user sets the model, for the message: `--model`, or
 * `"model" in profile "x"`.
 */
export function pickServedModel(models: readonly ServedModel[], wanted: string | undefined, endpoint: string, setting: string): ServedModel {
  const names = models.map((m) => `"${m.id}"`).join(', ');
  const refuse = (message: string) => new ClientError('unknown-model', message, { endpoint });
  if (wanted) {
    const found = models.find((m) => m.id === wanted);
    if (found) return found;
    if (!models.length) return { id: wanted };
    throw refuse(`${endpoint} does not serve "${wanted}"; it serves ${names}. Set ${setting} to one of them.`);
  }
  if (models.length === 1) return models[0]!;
  if (!models.length) throw refuse(`${endpoint} lists no models at /v1/models; set ${setting} to the served model name.`);
  throw refuse(`${endpoint} serves ${models.length} models (${names}); set ${setting} to one of them.`);
}
