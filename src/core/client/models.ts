// GET /v1/models: which model names an endpoint serves, and vLLM's max_model_len when given.
import { apiUrl } from './endpoint';
import { ClientError } from './errors';
import { getJson, type GetOptions } from './getJson';

export interface ServedModel {
  id: string;
  /** vLLM's `max_model_len` (context window in tokens), when the server reports it. */
  maxModelLen?: number;
  ownedBy?: string;
  /** vLLM's `root`: the checkpoint behind a served alias (tells an `r1` alias's family). */
  root?: string;
}

export async function listModels(endpoint: string, options: GetOptions = {}): Promise<ServedModel[]> {
  const url = apiUrl(endpoint, 'models');
  const body = await getJson(url, options);
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['data'] : undefined;
  if (!Array.isArray(data)) {
    throw new ClientError('malformed-stream', `${url.origin}${url.pathname} did not return a model list ({"data": [...]}). Is the endpoint an OpenAI-compatible server?`, { endpoint: url.origin, body });
  }
  const models: ServedModel[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e['id'] !== 'string') continue;
    const model: ServedModel = { id: e['id'] };
    if (typeof e['max_model_len'] === 'number') model.maxModelLen = e['max_model_len'];
    if (typeof e['owned_by'] === 'string') model.ownedBy = e['owned_by'];
    if (typeof e['root'] === 'string') model.root = e['root'];
    models.push(model);
  }
  return models;
}
