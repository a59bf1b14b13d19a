// One completion at one cursor position, exactly as the editor does it: effective profile
// -> context cut to the budget -> streaming request -> post-processing. The VS Code
// provider, the CLI and the comparison runner all call this, so they measure the same thing.
import { streamCompletion } from '../client/stream';
import type { CompletionRequest, CompletionResult } from '../client/types';
import { buildContext, type BuiltContext, type ContextInput } from '../context/buildContext';
import type { OtherFilesStyle } from '../context/otherFiles';
import { rankSnippets, type ContextSnippet } from '../context/snippets';
import { lineStartAt } from '../context/lines';
import { warmTokenizer } from '../context/tokenizer';
import { postProcess } from '../post/postProcess';
import { cursorText, type CursorText } from './cursorText';
import { withLf } from './lineEndings';
import { resolveProfile } from '../profiles/resolve';
import type { ServedModel } from '../client/models';
import type { EffectiveProfile, ModelProfile } from '../profiles/types';

export type CompletionClient = (req: CompletionRequest) => Promise<CompletionResult>;

/** Settings that win over the resolved profile (CLI flags). */
export type ProfileOverrides = Partial<Pick<EffectiveProfile, 'template' | 'maxTokens' | 'temperature' | 'topP'>>;

/**
 * A profile resolved against what its server serves: done once per connection (or per
 * comparison profile), then handed to every request.
 */
export interface ResolvedProfile {
  effective: EffectiveProfile;
  /** From /v1/models: its max_model_len caps the context. */
  served: ServedModel;
}

/**
 * Builds the prompt (tokenizer counts included). In-process by default (the CLI, tests);
 * the extension passes one that runs in a worker thread, so loading the tokenizer and
 * counting tokens never block the editor.
 */
export interface ContextBuilder {
  build(input: ContextInput): BuiltContext | Promise<BuiltContext>;
  /** Loads the tokenizer ahead of the first request. */
  warm(): void | Promise<void>;
}

export const inProcessContext: ContextBuilder = { build: buildContext, warm: warmTokenizer };

export interface CompleteAtInput {
  text: string;
  /** Cursor as a UTF-16 offset into `text`. */
  offset: number;
  languageId: string;
  /** The profile, resolved once with resolveFor(). */
  resolved: ResolvedProfile;
  budgetTokens: number;
  signal?: AbortSignal | undefined;
  /** Defaults to the real streaming client; tests and the comparison runner may pass another. */
  client?: CompletionClient | undefined;
  multiline?: boolean | undefined;
  apiKey?: string | undefined;
  seed?: number | undefined;
  /** Completions to ask for in this one request (vLLM's `n`); see CompleteAtOutput.choices. */
  n?: number | undefined;
  firstTokenTimeoutMs?: number | undefined;
  totalTimeoutMs?: number | undefined;
  onText?: ((delta: string) => void) | undefined;
  /** Where the prompt is built; default {@link inProcessContext}. */
  context?: ContextBuilder | undefined;
  /** Candidate snippets of other files; ranked, cut and placed in the prompt here. Absent: the current file alone. */
  otherFiles?: OtherFilesRequest | undefined;
}

export interface OtherFilesRequest {
  snippets: ContextSnippet[];
  /** The current file's workspace-relative path. */
  currentPath: string;
  repoName: string;
  /** Share of the prompt limit the text before the cursor keeps (see OtherFilesInput). */
  minPrefixShare: number;
}

/**
 * Qwen2.5-Coder was trained on repositories as `<|repo_name|>` and `<|file_sep|>`-separated
 * files (its technical report); every other model gets the snippets as comments.
 */
export function otherFilesStyle(e: Pick<EffectiveProfile, 'template' | 'family' | 'model'>): OtherFilesStyle {
  return e.template === 'qwen-fim' || (e.family === 'qwen' && e.template === 'prefix-only' && /coder/i.test(e.model)) ? 'qwen-repo' : 'comment';
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
  /** With n > 1: the distinct non-empty completions, post-processed, in the server's order. */
  choices?: string[];
}

/** Most of the text after the cursor post-processing looks at (overlap, mid-line). */
const SUFFIX_LOOK_CHARS = 4000;

export function resolveFor(profile: ModelProfile, served: ServedModel, overrides: ProfileOverrides = {}): ResolvedProfile {
  const effective = resolveProfile(profile, served);
  if (overrides.template && overrides.template !== effective.template) {
    // Re-resolve with the template as the profile's choice, so its warnings fit it.
    return { effective: { ...resolveProfile({ ...profile, template: overrides.template }, served), ...pick(overrides) }, served };
  }
  return { effective: { ...effective, ...pick(overrides) }, served };
}

function pick(o: ProfileOverrides): Partial<EffectiveProfile> {
  const out: Partial<EffectiveProfile> = {};
  if (o.maxTokens !== undefined) out.maxTokens = o.maxTokens;
  if (o.temperature !== undefined) out.temperature = o.temperature;
  if (o.topP !== undefined) out.topP = o.topP;
  return out;
}

export async function completeAt(input: CompleteAtInput): Promise<CompleteAtOutput> {
  const { effective, served } = input.resolved;
  // Everything below works on "\n" text (lineEndings.ts says why).
  const { text: docText, offset } = withLf(input.text, Math.max(0, Math.min(input.offset, input.text.length)));
  const template = effective.template === 'custom' ? { kind: effective.template, custom: effective.customTemplate! } : { kind: effective.template };
  const contextInput: ContextInput = {
    text: docText,
    offset,
    budgetTokens: input.budgetTokens,
    maxModelLen: served.maxModelLen,
    maxTokens: effective.maxTokens,
    template,
  };
  const other = input.otherFiles;
  if (other) {
    const snippets = rankSnippets(other.snippets, { path: other.currentPath, languageId: input.languageId });
    if (snippets.length) contextInput.otherFiles = { ...other, snippets, languageId: input.languageId, style: otherFilesStyle(effective) };
  }
  const context = await (input.context ?? inProcessContext).build(contextInput);

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
  if (input.n !== undefined && input.n > 1) req.n = input.n;
  if (input.firstTokenTimeoutMs !== undefined) req.firstTokenTimeoutMs = input.firstTokenTimeoutMs;
  if (input.totalTimeoutMs !== undefined) req.totalTimeoutMs = input.totalTimeoutMs;
  if (input.onText) req.onText = input.onText;

  const result = await (input.client ?? streamCompletion)(req);

  const lineStart = lineStartAt(docText, offset);
  const post = (raw: string) =>
    postProcess(raw, {
      prefixLine: docText.slice(lineStart, offset),
      suffixText: docText.slice(offset, offset + SUFFIX_LOOK_CHARS),
      languageId: input.languageId,
      multiline: input.multiline ?? true,
      stop: effective.stop,
      stripThink: effective.stripThink,
    });
  const text = post(result.text);
  const out: CompleteAtOutput = { text, raw: result.text, context, cursorText: cursorText(docText, offset, context), result, effective, warnings: effective.warnings };
  if (result.choices) out.choices = [...new Set(result.choices.map(post).filter((t): t is string => !!t))];
  return out;
}
