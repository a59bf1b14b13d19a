// Loads llama.cpp through node-llama-cpp: the binding, one GGUF model, one context with
// a few parallel sequences. node-llama-cpp is ESM-only and optional: it is only ever
// reached through a dynamic import here, so everything else works without it.
import * as os from 'node:os';
import type * as NodeLlamaCpp from 'node-llama-cpp' with { 'resolution-mode': 'import' };

export type Llama = NodeLlamaCpp.Llama;
export type LlamaModel = NodeLlamaCpp.LlamaModel;
export type LlamaContext = NodeLlamaCpp.LlamaContext;
export type LlamaContextSequence = NodeLlamaCpp.LlamaContextSequence;
export type Token = NodeLlamaCpp.Token;

export interface RuntimeOptions {
  modelPath: string;
  /** Tokens per sequence (= max_model_len). Default: the model's training context, capped at 8192. */
  contextSize?: number | undefined;
  /** CPU threads; default {@link defaultThreads}. */
  threads?: number | undefined;
  /** Parallel sequences (concurrent requests). Default 2. */
  parallel?: number | undefined;
  gpu?: 'auto' | 'cpu';
  log?: (line: string) => void;
}

export interface Runtime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  maxModelLen: number;
  /** Number of token ids the model knows (ids at or past it are refused, not passed to llama.cpp). */
  vocabSize: number;
  threads: number;
  /** "cuda", "vulkan", "metal", or false for CPU only. */
  gpu: string | false;
  dispose(): Promise<void>;
}

/**
 * node-llama-cpp's CPU default is max(4, cores) threads; on a 2-core machine that
 * oversubscribes the cores and decodes ~100x slower (measured: 2.5 vs 270 tok/s for the
 * tiny model). Leave one core for the server's own event loop.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export class EngineUnavailableError extends Error {}

export async function loadNodeLlamaCpp(): Promise<typeof NodeLlamaCpp> {
  try {
    return await import('node-llama-cpp');
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new EngineUnavailableError(
      `The embedded engine needs the npm package node-llama-cpp, which could not be loaded (${detail}). ` +
        'Install it next to the extension (`npm install node-llama-cpp`), or serve the model with vLLM instead.',
    );
  }
}

export async function loadRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const nlc = await loadNodeLlamaCpp();
  const threads = opts.threads ?? defaultThreads();
  const log = opts.log ?? (() => undefined);
  const llama = await nlc.getLlama({
    gpu: opts.gpu === 'cpu' ? false : 'auto',
    // Prebuilt binaries only: building llama.cpp from source would take many minutes.
    build: 'never',
    maxThreads: threads,
    logLevel: nlc.LlamaLogLevel.warn,
    logger: (level, message) => log(`[llama.cpp ${level}] ${message.trimEnd()}`),
  });
  try {
    const model = await llama.loadModel({ modelPath: opts.modelPath });
    const contextSize = opts.contextSize ?? Math.min(model.trainContextSize, 8192);
    const context = await model.createContext({ contextSize, sequences: opts.parallel ?? 2, threads });
    return {
      llama,
      model,
      context,
      maxModelLen: context.contextSize,
      vocabSize: (model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer?.ggml?.tokens?.length ?? Number.MAX_SAFE_INTEGER,
      threads,
      gpu: llama.gpu,
      dispose: () => llama.dispose(),
    };
  } catch (err) {
    await llama.dispose();
    throw err;
  }
}
