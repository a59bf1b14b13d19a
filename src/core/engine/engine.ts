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
   * Runs one completion. Throws ApiError (400) when prompt + max_tokens do not fit;
   * `signal` aborts it while queued or at the next token.
   */
  async complete(req: CompletionRequest, signal: AbortSignal, onText: (text: string) => void): Promise<CompletionOutcome> {
    const labels = this.metrics.modelLabel;
    const arrival = performance.now();
    this.metrics.requests.inc(labels);
    const promptTokens = typeof req.prompt === 'string' ? this.tokenize(req.prompt) : (req.prompt as Token[]);
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
