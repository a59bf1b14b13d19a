// Validates a /v1/completions body into engine parameters, with vLLM's defaults
// (max_tokens 16, temperature 1, top_p 1, n 1; top_k see below) and vLLM's refusal of suffix.
import { ApiError, badRequest } from './apiError';

export interface CompletionRequest {
  model: string | undefined;
  /** Text, or token ids when the client sent ids. */
  prompt: string | number[];
  maxTokens: number;
  temperature: number;
  topP: number;
  topK: number;
  seed: number | undefined;
  /** Completions of this one prompt (vLLM's `n`); each is its own choice, with its own index. */
  n: number;
  stop: string[];
  stopTokenIds: number[];
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
}

type Json = Record<string, unknown>;

/** Most completions one request may ask for: each takes a sequence slot (or waits for one) on a CPU. */
export const MAX_N = 8;

function num(body: Json, key: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw badRequest(`${key} must be ${rule}, got ${JSON.stringify(v)}.`, key);
  return v;
}

function parsePrompt(v: unknown): string | number[] {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((t) => Number.isInteger(t) && (t as number) >= 0)) return v as number[];
    if (v.length === 1 && typeof v[0] === 'string') return v[0];
    if (v.length === 1 && Array.isArray(v[0])) return parsePrompt(v[0]);
    if (v.length > 1) throw badRequest('This engine takes one prompt per request; send the prompts as separate requests.', 'prompt');
  }
  throw badRequest('prompt must be a string (or one list of token ids).', 'prompt');
}

export function parseCompletionRequest(raw: unknown): CompletionRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('The request body must be a JSON object.');
  const body = raw as Json;
  if (body.prompt === undefined) throw badRequest('prompt is required.', 'prompt');
  if (body.suffix !== undefined && body.suffix !== null) throw badRequest('suffix is not currently supported', 'suffix');
  if (body.model !== undefined && body.model !== null && typeof body.model !== 'string') throw badRequest('model must be a string.', 'model');

  let stop: string[] = [];
  if (typeof body.stop === 'string') stop = [body.stop];
  else if (Array.isArray(body.stop) && body.stop.every((s) => typeof s === 'string')) stop = body.stop as string[];
  else if (body.stop !== undefined && body.stop !== null) throw badRequest('stop must be a string or a list of strings.', 'stop');

  let stopTokenIds: number[] = [];
  if (Array.isArray(body.stop_token_ids) && body.stop_token_ids.every((t) => Number.isInteger(t))) stopTokenIds = body.stop_token_ids as number[];
  else if (body.stop_token_ids !== undefined && body.stop_token_ids !== null) throw badRequest('stop_token_ids must be a list of integers.', 'stop_token_ids');

  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && typeof streamOptions !== 'object') throw badRequest('stream_options must be an object.', 'stream_options');
  const stream = body.stream === true;
  const includeUsage = stream && (streamOptions as Json | null | undefined)?.include_usage === true;

  const seed = body.seed === undefined || body.seed === null ? undefined : num(body, 'seed', 0, Number.isInteger, 'an integer');
  // Absent top_k means 40 here (llama.cpp's and llama-server's default), not vLLM's "all":
  // sampling over all 151,936 logits sorts them on the CPU every token (measured ~35 ms
  // vs ~1 ms), which would swamp the decode time being profiled. -1 or 0 still means all.
  const topK = num(body, 'top_k', 40, (n) => Number.isInteger(n) && n >= -1, '-1 (all) or a non-negative integer');
  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    prompt: parsePrompt(body.prompt),
    maxTokens: num(body, 'max_tokens', 16, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    temperature: num(body, 'temperature', 1, (n) => n >= 0 && n <= 100, 'between 0 and 100'),
    topP: num(body, 'top_p', 1, (n) => n > 0 && n <= 1, 'in (0, 1]'),
    topK: topK <= 0 ? 0 : topK,
    seed,
    n: num(body, 'n', 1, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_N, `an integer from 1 to ${MAX_N} on this engine`),
    stop,
    stopTokenIds,
    ignoreEos: body.ignore_eos === true,
    stream,
    includeUsage,
  };
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
