// Typed errors of the Prometheus HTTP API client, each with a message that says what to do.
// `kind` is what callers switch on (a state in the status bar, one log line), never the text.

export type PrometheusErrorKind =
  /** No Prometheus URL in the settings or on the command line. */
  | 'not-configured'
  /** The URL or the selector is not valid. */
  | 'bad-config'
  /** Connection refused, DNS, timeout: nothing answered. */
  | 'unreachable'
  /** Prometheus rejected the query (HTTP 400/422, errorType bad_data/execution). */
  | 'bad-query'
  /** Something answered, but not as Prometheus' API does (a login page, another server). */
  | 'not-prometheus'
  /** Any other HTTP error (503 while Prometheus starts, 401 behind a proxy, ...). */
  | 'http'
  | 'aborted';

export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    readonly details: { status?: number; errorType?: string; url?: string } = {},
  ) {
    super(message);
  }
}
