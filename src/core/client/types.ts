// What one streaming /v1/completions request takes and gives back. The timing marks are
// taken at the byte level (see DESIGN.md "Metrics"), so every caller measures alike.

export interface CompletionRequest {
  /** Base URL, with or without a trailing /v1 (both accepted). */
  endpoint: string;
  /** Served model name. */
  model: string;
  prompt: string;
  /** Always sent: vLLM's default is 16. */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  /** vLLM extension: stop on these token ids (Qwen FIM ends with them). */
  stopTokenIds?: number[];
  seed?: number;
  /** Completions of the prompt to generate (vLLM's `n`); sent only when above 1. */
  n?: number;
  apiKey?: string;
  /** Abort if no content chunk arrives within this many ms of t0 (0 = no limit; default DEFAULT_FIRST_TOKEN_TIMEOUT_MS). */
  firstTokenTimeoutMs?: number;
  /** Abort if the whole request takes longer than this (0 = no limit; default DEFAULT_TOTAL_TIMEOUT_MS). */
  totalTimeoutMs?: number;
  /** Abort when more text than this streams in (default: streamCap(maxTokens)). */
  maxTextChars?: number;
  /** Closing the connection aborts the request on the server and frees its KV cache. */
  signal?: AbortSignal;
  /** Called with each piece of text as it streams in. */
  onText?: (delta: string) => void;
}

/** Monotonic clock readings in ms (performance.now() of this process). */
export interface TimingMarks {
  /** Just before the request is written. */
  t0: number;
  /** The first chunk whose `choices` is non-empty. */
  firstChunk?: number;
  /** The last chunk that carried content. */
  lastContent?: number;
  /** Arrival time of every chunk with non-empty choices. */
  chunks: number[];
  /** Epoch ms at t0, to join with GPU samples and server metrics. */
  wallT0: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** DESIGN.md's definitions; undefined where they cannot be computed. */
export interface Timings {
  ttftMs?: number;
  e2eMs?: number;
  tpotMs?: number;
  decodeTokensPerSec?: number;
  /** From usage.completion_tokens, never the chunk count. */
  outputTokens?: number;
  promptTokens?: number;
}

export interface CompletionResult {
  text: string;
  finishReason: string | null;
  usage: Usage | null;
  marks: TimingMarks;
  timings: Timings;
  /** Number of chunks with non-empty choices. */
  chunkCount: number;
  /** With n > 1: each choice's text by index (`text` is choice 0's). */
  choices?: string[];
}
