// Turns what went wrong on the wire (socket errors, HTTP error bodies in vLLM's two
// shapes, error events inside a stream) into ClientErrors whose messages say what to do.
import * as l10n from '@vscode/l10n';
import { ClientError } from './errors';

const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** A socket-level failure before any response arrived. */
export function fromSocketError(err: NodeJS.ErrnoException, where: string): ClientError {
  const details = { endpoint: where, cause: err };
  if (err.code === 'ECONNREFUSED') {
    return new ClientError(
      'connection-refused',
      l10n.t("Cannot connect to {0}: connection refused. Is the server running? Start it (vllm serve … / completion-lab serve) or fix the profile's endpoint.", where),
      details,
    );
  }
  if (err.code && UNREACHABLE_CODES.has(err.code)) {
    return new ClientError(
      'unreachable',
      l10n.t("Cannot reach {0} ({1}). Check the host name and your network or SSH tunnel, or fix the profile's endpoint.", where, err.code),
      details,
    );
  }
  return new ClientError(
    'unreachable',
    l10n.t('Request to {0} failed before a response: {1}. Check that the server is up and reachable.', where, `${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' ').trim()),
    details,
  );
}

export interface ServerErrorInfo {
  message: string;
  type?: string;
  param?: string;
  code?: string | number;
}

/**
 * vLLM's error body: `{"error": {message, type, param, code}}`, older servers the flat
 * `{"object": "error", message, ...}`. Anything else: the first 200 characters.
 */
export function parseErrorBody(body: string): ServerErrorInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: snippet(body) };
  }
  const info = errorInfo(parsed);
  return info ?? { message: snippet(body) };
}

/** The error carried by a parsed JSON value, in either shape, or undefined. */
export function errorInfo(value: unknown): ServerErrorInfo | undefined {
  if (!isObject(value)) return undefined;
  const nested = value['error'];
  const source = isObject(nested) ? nested : value['object'] === 'error' ? value : undefined;
  if (!source) {
    // Some servers put a bare string: {"error": "..."}.
    return typeof nested === 'string' ? { message: nested } : undefined;
  }
  const info: ServerErrorInfo = { message: typeof source['message'] === 'string' ? source['message'] : JSON.stringify(source) };
  if (typeof source['type'] === 'string') info.type = source['type'];
  if (typeof source['param'] === 'string') info.param = source['param'];
  const code = source['code'];
  if (typeof code === 'string' || typeof code === 'number') info.code = code;
  return info;
}

export function fromHttpError(status: number, body: string, where: string, model?: string): ClientError {
  const info = parseErrorBody(body);
  const details = { status, body: info, endpoint: where };
  const said = info.message ? `: ${info.message}` : '';
  if (status === 400 && (info.param === 'input_tokens' || /maximum context length/i.test(info.message))) {
    return new ClientError(
      'prompt-too-long',
      l10n.t('The prompt is too long for the model{0}. Lower the context token budget or max tokens, or serve the model with a larger --max-model-len.', said),
      details,
    );
  }
  if (status === 404) {
    return new ClientError(
      'unknown-model',
      model
        ? l10n.t('{0} does not serve model "{1}" (HTTP 404{2}). Pick a served model name (GET /v1/models lists them) or fix the profile\'s endpoint.', where, model, said)
        : l10n.t('{0} does not serve this model (HTTP 404{1}). Pick a served model name (GET /v1/models lists them) or fix the profile\'s endpoint.', where, said),
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new ClientError(
      'unauthorized',
      l10n.t("{0} refused the request (HTTP {1}{2}). Set the profile's API key (the server's --api-key) with 'Completion Lab: Select model'.", where, status, said),
      details,
    );
  }
  return new ClientError('http', said ? l10n.t('{0} answered HTTP {1}{2}.', where, status, said) : l10n.t('{0} answered HTTP {1} with no message.', where, status), details);
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
