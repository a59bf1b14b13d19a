// One completion at one cursor position, exactly as the editor does it: effective profile
// -> context cut to the budget -> streaming request -> post-processing. The VS Code
// provider, the CLI and the comparison runner all call this, so they measure the same thing.
import { streamCompletion } from '../client/stream';
import type { CompletionRequest, CompletionResult } from '../client/types';
import { buildContext, type BuiltContext } from '../context/buildContext';
import { postProcess } from '../post/postProcess';
import { cursorText, type CursorText } from './cursorText';
import { resolveProfile } from '../profiles/resolve';
import type { EffectiveProfile, ModelProfile, ServedModelInfo } from '../profiles/types';

export type CompletionClient = (req: CompletionRequest) => Promise<CompletionResult>;

export interface CompleteAtInput {
  text: string;
  /** Cursor as a UTF-16 offset into `text`. */
  offset: number;
  languageId: string;
  profile: ModelProfile;
  /** What the server serves (from /v1/models): id, vLLM's root and max_model_len when known. */
  server: { modelId: string; root?: string; maxModelLen?: number };
  budgetTokens: number;
  signal?: AbortSignal;
  /** Defaults to the real streaming client; tests and the comparison runner may pass another. */
  client?: CompletionClient;
  multiline?: boolean;
  apiKey?: string;
  seed?: number;
  firstTokenTimeoutMs?: number;
  totalTimeoutMs?: number;
  onText?: (delta: string) => void;
  /** Overrides applied on top of the resolved profile (CLI flags). */
  overrides?: Partial<Pick<EffectiveProfile, 'template' | 'maxTokens' | 'temperature' | 'topP'>>;
}

export interface CompleteAtOutput {
  /** What would be shown; undefined when nothing is worth showing. */
  text: string | undefined;
  /** What the server sent, unprocessed. */
  raw: string;
  context: BuiltContext;
  /** What a record keeps for replay: before and after the cursor, whatever the template. */
  cursorText: CursorText;
  result: CompletionResult;
  effective: EffectiveProfile;
  warnings: string[];
}

/** Most of the text after the cursor post-processing looks at (overlap, mid-line). */
const SUFFIX_LOOK_CHARS = 4000;

export function effectiveFor(input: Pick<CompleteAtInput, 'profile' | 'server' | 'overrides'>): EffectiveProfile {
  const served: ServedModelInfo = { id: input.server.modelId };
  if (input.server.root) served.root = input.server.root;
  if (input.server.maxModelLen) served.maxModelLen = input.server.maxModelLen;
  const effective = resolveProfile(input.profile, served);
  const o = input.overrides ?? {};
  if (o.template && o.template !== effective.template) {
    // Re-resolve with the template as the profile's choice, so its warnings fit it.
    return { ...resolveProfile({ ...input.profile, template: o.template }, served), ...pick(o) };
  }
  return { ...effective, ...pick(o) };
}

function pick(o: NonNullable<CompleteAtInput['overrides']>): Partial<EffectiveProfile> {
  const out: Partial<EffectiveProfile> = {};
  if (o.maxTokens !== undefined) out.maxTokens = o.maxTokens;
  if (o.temperature !== undefined) out.temperature = o.temperature;
  if (o.topP !== undefined) out.topP = o.topP;
  return out;
}

export async function completeAt(input: CompleteAtInput): Promise<CompleteAtOutput> {
  const effective = effectiveFor(input);
  const offset = Math.max(0, Math.min(input.offset, input.text.length));
  const template = effective.template === 'custom' ? { kind: effective.template, custom: effective.customTemplate! } : { kind: effective.template };
  const context = buildContext({
    text: input.text,
    offset,
    budgetTokens: input.budgetTokens,
    maxModelLen: input.server.maxModelLen,
    maxTokens: effective.maxTokens,
    template,
  });

  const req: CompletionRequest = {
    endpoint: effective.endpoint,
    model: effective.model,
    prompt: context.prompt,
    maxTokens: effective.maxTokens,
    temperature: effective.temperature,
    topP: effective.topP,
  };
  if (effective.stop.length) req.stop = effective.stop;
  if (effective.stopTokenIds.length) req.stopTokenIds = effective.stopTokenIds;
  if (input.signal) req.signal = input.signal;
  if (input.apiKey) req.apiKey = input.apiKey;
  if (input.seed !== undefined) req.seed = input.seed;
  if (input.firstTokenTimeoutMs !== undefined) req.firstTokenTimeoutMs = input.firstTokenTimeoutMs;
  if (input.totalTimeoutMs !== undefined) req.totalTimeoutMs = input.totalTimeoutMs;
  if (input.onText) req.onText = input.onText;

  const result = await (input.client ?? streamCompletion)(req);

  const lineStart = input.text.lastIndexOf('\n', offset - 1) + 1;
  const text = postProcess(result.text, {
    prefixLine: input.text.slice(lineStart, offset),
    suffixText: input.text.slice(offset, offset + SUFFIX_LOOK_CHARS),
    languageId: input.languageId,
    multiline: input.multiline ?? true,
    stop: effective.stop,
    stripThink: effective.stripThink,
  });
  return { text, raw: result.text, context, cursorText: cursorText(input.text, offset, context), result, effective, warnings: effective.warnings };
}
