// Prompt templates: how prefix and suffix become the prompt sent to /v1/completions
// (vLLM rejects `suffix`, so FIM prompts are built here).
import type { FimKind, TemplateKind } from '../profiles/types';

export interface TemplateSpec {
  kind: TemplateKind;
  /** With kind 'custom': text with {prefix} and optionally {suffix}. */
  custom?: string;
}

export const QWEN_FIM_PREFIX = '<|fim_prefix|>';
export const QWEN_FIM_SUFFIX = '<|fim_suffix|>';
export const QWEN_FIM_MIDDLE = '<|fim_middle|>';

/** The other families' FIM formats, as their tokenizers spell the special tokens. */
export const FIM_FORMATS: Readonly<Record<Exclude<FimKind, 'qwen-fim'>, (prefix: string, suffix: string) => string>> = {
  'starcoder2-fim': (p, s) => `<fim_prefix>${p}<fim_suffix>${s}<fim_middle>`,
  // Full-width bars (U+FF5C) and U+2581 "▁", as in DeepSeek-Coder's tokenizer.
  'deepseek-fim': (p, s) => `<｜fim▁begin｜>${p}<｜fim▁hole｜>${s}<｜fim▁end｜>`,
  // CodeLlama's infilling format: the spaces are part of it.
  'codellama-fim': (p, s) => `<PRE> ${p} <SUF>${s} <MID>`,
  // Codestral: suffix first.
  'codestral-fim': (p, s) => `[SUFFIX]${s}[PREFIX]${p}`,
  'codegemma-fim': (p, s) => `<|fim_prefix|>${p}<|fim_suffix|>${s}<|fim_middle|>`,
};

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export function checkTemplate(t: TemplateSpec): void {
  if (t.kind === 'custom' && !t.custom?.includes('{prefix}')) {
    throw new TemplateError('The custom template must contain {prefix} (where the text before the cursor goes); set "customTemplate" in the profile.');
  }
}

/** Whether the template sends the text after the cursor at all. */
export function usesSuffix(t: TemplateSpec): boolean {
  return t.kind === 'qwen-fim' || t.kind in FIM_FORMATS || (t.kind === 'custom' && !!t.custom?.includes('{suffix}'));
}

export function renderPrompt(t: TemplateSpec, prefix: string, suffix: string): string {
  switch (t.kind) {
    case 'prefix-only':
      return prefix;
    case 'qwen-fim':
      return `${QWEN_FIM_PREFIX}${prefix}${QWEN_FIM_SUFFIX}${suffix}${QWEN_FIM_MIDDLE}`;
    case 'custom': {
      checkTemplate(t);
      // One pass, so a {suffix} inside the user's prefix text is never substituted.
      return t.custom!.replace(/\{prefix\}|\{suffix\}/g, (m) => (m === '{prefix}' ? prefix : suffix));
    }
    default:
      return FIM_FORMATS[t.kind](prefix, suffix);
  }
}
