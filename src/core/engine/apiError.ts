// Errors in vLLM's response shape: {"error": {"message", "type", "param", "code"}}, so a
// client written for vLLM handles the embedded engine's errors the same way.

const TYPES: Record<number, string> = {
  400: 'BadRequestError',
  403: 'PermissionDeniedError',
  404: 'NotFoundError',
  405: 'MethodNotAllowed',
  413: 'BadRequestError',
  415: 'BadRequestError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  get type(): string {
    return TYPES[this.status] ?? 'Error';
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: number } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.status } };
  }
}

export const badRequest = (message: string, param: string | null = null): ApiError => new ApiError(400, message, param);

export function contextTooLong(maxModelLen: number, inputTokens: number): ApiError {
  return badRequest(
    `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${inputTokens} input tokens. Please reduce the length of the input messages.`,
    'input_tokens',
  );
}
