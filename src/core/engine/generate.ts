// One completion on one context sequence: reuse the cached prefix, then sample token by
// token so an abort stops the model at the next token and each token is counted as made.
import type { LlamaContextSequence, LlamaModel, Token } from './llamaRuntime';
import { StopStringFilter } from './stopStrings';

export interface GenerationParams {
  promptTokens: readonly Token[];
  maxTokens: number;
  temperature: number;
  topP: number;
  /** 0 = no top-k (vLLM's -1). */
  topK: number;
  seed?: number | undefined;
  stop: readonly string[];
  stopTokenIds: readonly number[];
  ignoreEos: boolean;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface GenerationResult {
  text: string;
  completionTokens: number;
  finishReason: FinishReason;
  /** The stop string or stop token id that ended it (vLLM's stop_reason); null for EOS/length/abort. */
  stopReason: string | number | null;
}

export interface GenerationHooks {
  /** Called once per sampled token, before its text is known (so aborts are counted exactly). */
  onToken?(): void;
  /** Called with each piece of text that is final (stop strings and partial UTF-8 held back). */
  onText?(text: string): void;
}

/** How many cached tokens of the sequence match the new prompt (prefix caching). */
function reusablePrefix(cached: readonly Token[], prompt: readonly Token[]): number {
  const n = Math.min(cached.length, prompt.length);
  let i = 0;
  while (i < n && cached[i] === prompt[i]) i++;
  // At least one prompt token must be evaluated to get the next-token logits.
  return Math.min(i, prompt.length - 1);
}

export async function generate(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  params: GenerationParams,
  signal: AbortSignal,
  hooks: GenerationHooks = {},
): Promise<GenerationResult> {
  const keep = reusablePrefix(sequence.contextTokens, params.promptTokens);
  if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);

  const stops = new StopStringFilter(params.stop);
  const stopIds = new Set(params.stopTokenIds);
  let text = '';
  let completionTokens = 0;
  // Tokens sampled but not yet turned into text (a multi-byte character can span tokens).
  let pending: Token[] = [];
  let decoded: Token[] = [];
  const emit = (piece: string): void => {
    if (piece === '') return;
    text += piece;
    hooks.onText?.(piece);
  };
  const finish = (finishReason: FinishReason, stopReason: string | number | null): GenerationResult => ({ text, completionTokens, finishReason, stopReason });

  if (signal.aborted) return finish('abort', null);
  if (params.maxTokens <= 0) return finish('length', null);
  const evaluation = sequence.evaluate(params.promptTokens.slice(keep), {
    temperature: params.temperature,
    topP: params.topP,
    topK: params.topK,
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    // We decide about end-of-generation tokens ourselves (ignore_eos, stop_token_ids).
    yieldEogToken: true,
  });
  try {
    for await (const token of evaluation) {
      if (signal.aborted) return finish('abort', null);
      completionTokens++;
      hooks.onToken?.();
      if (stopIds.has(token)) return finish('stop', token);
      if (!params.ignoreEos && model.isEogToken(token)) return finish('stop', null);
      pending.push(token);
      const piece = model.detokenize(pending, false, decoded);
      // U+FFFD at the end: the character is not complete yet, wait for the next token(s).
      if (!piece.endsWith('\uFFFD') || pending.length >= 4) {
        decoded = [...decoded, ...pending].slice(-16);
        pending = [];
        const { emit: safe, stopped } = stops.push(piece);
        emit(safe);
        if (stopped !== null) return finish('stop', stopped);
      }
      if (completionTokens >= params.maxTokens) break;
    }
    if (signal.aborted) return finish('abort', null);
    if (pending.length > 0) {
      const { emit: safe, stopped } = stops.push(model.detokenize(pending, false, decoded));
      emit(safe);
      if (stopped !== null) return finish('stop', stopped);
    }
    emit(stops.flush());
    return finish('length', null);
  } finally {
    // Stops the model from evaluating further (also on abort and on errors).
    await evaluation.return();
  }
}
