// A model profile as the user writes it in `completionLab.profiles` (package.json is the
// schema), and the effective settings one request is sent with once the served model is known.
import type { ProfilePrometheus } from '../prometheus/config';

/** Fill-in-the-middle formats, one per model family that was trained for one. */
export type FimKind = 'qwen-fim' | 'starcoder2-fim' | 'deepseek-fim' | 'codellama-fim' | 'codestral-fim' | 'codegemma-fim';
export const FIM_KINDS: readonly FimKind[] = ['qwen-fim', 'starcoder2-fim', 'deepseek-fim', 'codellama-fim', 'codestral-fim', 'codegemma-fim'];
export type TemplateChoice = 'auto' | 'prefix-only' | FimKind | 'custom';
export type TemplateKind = Exclude<TemplateChoice, 'auto'>;
export const TEMPLATE_CHOICES: readonly TemplateChoice[] = ['auto', 'prefix-only', ...FIM_KINDS, 'custom'];

export interface ModelProfile {
  name: string;
  /** Base URL, with or without /v1. */
  endpoint: string;
  /** Served model name; empty/absent: the server's only model. */
  model?: string | undefined;
  template: TemplateChoice;
  /** With template 'custom': the prompt with {prefix} and {suffix} placeholders. */
  customTemplate?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  apiKeyName?: string;
  launchCommand?: string;
  /** Where its replicas' and GPUs' numbers are read on a shared server or cluster. */
  prometheus?: ProfilePrometheus;
  /** Send snippets of other files with the prompt; absent: the completionLab.context.otherFiles setting. */
  otherFiles?: boolean;
}

/**
 * 'qwen': Qwen2/2.5(-Coder) and Qwen1.5/Qwen3 by name; only the Coder models are
 * documented as FIM-trained (FamilyInfo.fim says which).
 */
export type ModelFamily = 'deepseek-r1-distill' | 'qwen' | 'starcoder2' | 'deepseek-coder' | 'codellama' | 'codestral' | 'codegemma' | 'unknown';

export interface EffectiveProfile {
  name: string;
  endpoint: string;
  /** The model name sent in requests. */
  model: string;
  family: ModelFamily;
  /** The served model looks like an instruct/chat fine-tune. */
  instruct: boolean;
  template: TemplateKind;
  customTemplate?: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: string[];
  stopTokenIds: number[];
  /** Remove <think>…</think> from what is shown. */
  stripThink: boolean;
  apiKeyName?: string;
  /** The profile's own choice on other files' snippets (absent: the setting decides). */
  otherFiles?: boolean;
  /** Why these settings may serve this model badly; shown once, never thrown. */
  warnings: string[];
  /** One of the warnings is about the template, which another choice of template would answer. */
  templateMismatch?: boolean;
}
