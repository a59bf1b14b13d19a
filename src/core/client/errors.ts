// Typed client errors with messages that say what failed and what to do.

export type ClientErrorKind =
  | 'connection-refused'
  | 'unreachable'
  | 'timeout-first-token'
  | 'timeout-total'
  | 'too-large'
  | 'http'
  | 'prompt-too-long'
  | 'unknown-model'
  | 'unauthorized'
  | 'stream-error'
  | 'malformed-stream'
  | 'aborted';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    readonly details: { status?: number; body?: unknown; endpoint?: string; cause?: unknown } = {},
  ) {
    super(message);
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof ClientError && err.kind === 'aborted';
}
