// The embedded engine: one loaded model, a pool of sequences, metrics. The HTTP layer
// (httpServer.ts) turns requests into calls on this.
import { badRequest, contextTooLong } from './apiError';
import type { CompletionRequest } from './completionRequest';
import { EngineMetrics } from './engineMetrics';
import { FinishReason, GenerationResult, generate } from './generate';
import { LlamaContextSequence, Runtime, RuntimeOptions, Token, loadRuntime } from './llamaRuntime';
import { SequencePool } from './sequencePool';

export interface EngineOptions extends RuntimeOptions {
  servedModelName: string;
}

export interface CompletionOutcome extends GenerationResult {
  promptTokens: number;
}

/**
 * More characters per token than any real text needs (code averages 3-4; long runs of one
 * character merge into tokens of at most a few dozen). A prompt longer than maxModelLen
 * times this cannot fit, so it is refused before tokenizing: tokenizing is synchronous
 * native work on the event loop (10 MB took 26 s, and /health waited for it).
 */
export const MAX_CHARS_PER_TOKEN = 16;

export function checkPromptChars(prompt: string, maxModelLen: number): void {
  const limit = maxModelLen * MAX_CHARS_PER_TOKEN;
  if (prompt.length > limit) {
    throw badRequest(
      `The prompt has ${prompt.length} characters; a prompt for this model (maximum context length ${maxModelLen} tokens) can have at most ${limit} characters. Send less context.`,
      'prompt',
    );
  }
}

/** Characters tokenized per event-loop turn (a few ms of llama.cpp's tokenizer). */
const TOKENIZE_PIECE_CHARS = 2048;

export class Engine {
  readonly metrics: EngineMetrics;
  private readonly pool: SequencePool<LlamaContextSequence>;
  private readonly sequences: LlamaContextSequence[] = [];
  private running = 0;
  readonly created = Math.floor(Date.now() / 1000);

  private constructor(
    private readonly runtime: Runtime,
    readonly modelName: string,
    readonly modelPath: string,
  ) {
    while (runtime.context.sequencesLeft > 0) this.sequences.push(runtime.context.getSequence());
    this.pool = new SequencePool(this.sequences);
    const capacity = runtime.context.contextSize * this.sequences.length;
    this.metrics = new EngineMetrics(modelName, {
      running: () => this.running,
      waiting: () => this.pool.waiting,
      kvCacheUsage: () => this.sequences.reduce((sum, s) => sum + s.nextTokenIndex, 0) / capacity,
    });
  }

  static async load(opts: EngineOptions): Promise<Engine> {
    return new Engine(await loadRuntime(opts), opts.servedModelName, opts.modelPath);
  }

  get maxModelLen(): number {
    return this.runtime.maxModelLen;
  }
  get threads(): number {
    return this.runtime.threads;
  }
  get gpu(): string | false {
    return this.runtime.gpu;
  }
  get parallel(): number {
    return this.sequences.length;
  }

  /** Like the HF tokenizer: NFC first, special tokens parsed (`<|fim_prefix|>` is one token). */
  tokenize(text: string): Token[] {
    return this.runtime.model.tokenize(text.normalize('NFC'), true);
  }

  /**
   * The same tokens as tokenize(), but a long text is tokenized in pieces with the event
   * loop free in between: llama.cpp's tokenizer is synchronous native code (65k characters
   * of code take over a second), and /health and other requests must not wait for it.
   * Pieces end at a newline followed by a non-space character: Qwen's and Llama's
   * pre-tokenizers always split there, so no token crosses a piece boundary.
   */
  async tokenizeAsync(text: string): Promise<Token[]> {
    const nfc = text.normalize('NFC');
    if (nfc.length <= TOKENIZE_PIECE_CHARS) return this.runtime.model.tokenize(nfc, true);
    const out: Token[] = [];
    let start = 0;
    while (start < nfc.length) {
      let end = nfc.length;
      if (nfc.length - start > TOKENIZE_PIECE_CHARS) {
        const cut = /\n(?=[^\s])/g;
        cut.lastIndex = start + TOKENIZE_PIECE_CHARS;
        const m = cut.exec(nfc);
        if (m) end = m.index + 1;
      }
      for (const t of this.runtime.model.tokenize(nfc.slice(start, end), true)) out.push(t);
      start = end;
      if (start < nfc.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }

  /**
   * Runs one completion. Throws ApiError (400) when prompt + max_tokens do not fit;
   * `signal` aborts it while queued or at the next token.
   */
  async complete(req: CompletionRequest, signal: AbortSignal, onText: (text: string) => void): Promise<CompletionOutcome> {
    const labels = this.metrics.modelLabel;
    const arrival = performance.now();
    this.metrics.requests.inc(labels);
    if (typeof req.prompt === 'string') checkPromptChars(req.prompt, this.maxModelLen);
    const promptTokens = typeof req.prompt === 'string' ? await this.tokenizeAsync(req.prompt) : (req.prompt as Token[]);
    const badId = promptTokens.find((t) => t >= this.runtime.vocabSize);
    if (badId !== undefined) throw badRequest(`Token id ${badId} is out of vocabulary (this model has ${this.runtime.vocabSize} tokens).`, 'prompt');
    if (promptTokens.length === 0) promptTokens.push(this.runtime.model.tokens.bos ?? (0 as Token));
    if (promptTokens.length + req.maxTokens > this.maxModelLen) throw contextTooLong(this.maxModelLen, promptTokens.length);

    const done = (finishReason: FinishReason, result: Omit<CompletionOutcome, 'finishReason'>): CompletionOutcome => {
      if (finishReason === 'abort') this.metrics.requestsAborted.inc(labels);
      this.metrics.requestSuccess.inc({ ...labels, finished_reason: finishReason });
      this.metrics.e2e.observe(labels, (performance.now() - arrival) / 1000);
      return { ...result, finishReason };
    };

    let sequence: LlamaContextSequence;
    try {
      sequence = await this.pool.acquire(signal);
    } catch {
      return done('abort', { text: '', completionTokens: 0, stopReason: null, promptTokens: promptTokens.length });
    }
    this.running++;
    try {
      this.metrics.promptTokens.inc(labels, promptTokens.length);
      let last = 0;
      const result = await generate(
        this.runtime.model,
        sequence,
        { ...req, promptTokens },
        signal,
        {
          onToken: () => {
            const now = performance.now();
            if (last === 0) this.metrics.ttft.observe(labels, (now - arrival) / 1000);
            else this.metrics.interToken.observe(labels, (now - last) / 1000);
            last = now;
            this.metrics.generationTokens.inc(labels);
          },
          onText,
        },
      );
      const { finishReason, ...rest } = result;
      return done(finishReason, { ...rest, promptTokens: promptTokens.length });
    } finally {
      this.running--;
      this.pool.release(sequence);
    }
  }

  async dispose(): Promise<void> {
    await this.runtime.dispose();
  }
}
