// From a profile and what the server serves to the settings one request is sent with:
// template chosen for 'auto', the family's sampling defaults, its stop tokens, and
// warnings where the user's choice does not fit the model.
import { detectFamily, QWEN_STOP_STRINGS, QWEN_STOP_TOKEN_IDS } from './family';
import type { ServedModel } from '../client/models';
import type { EffectiveProfile, ModelFamily, ModelProfile, TemplateKind } from './types';

export const DEFAULT_MAX_TOKENS = 64;

/** DeepSeek's recommendation for its R1 distills (0.5-0.7, top_p 0.95); code-friendly otherwise. */
export function defaultSampling(family: ModelFamily): { temperature: number; topP: number } {
  return family === 'deepseek-r1-distill' ? { temperature: 0.6, topP: 0.95 } : { temperature: 0.2, topP: 0.95 };
}

export function autoTemplate(family: ModelFamily): TemplateKind {
  // Only Qwen2/2.5 base models are documented as FIM-trained; R1 distills have the tokens but not the training.
  return family === 'qwen' ? 'qwen-fim' : 'prefix-only';
}

export function resolveProfile(profile: ModelProfile, served: ServedModel | string): EffectiveProfile {
  const info = typeof served === 'string' ? { id: served } : served;
  const { family, instruct } = detectFamily(info);
  const model = profile.model?.trim() || info.id;
  const warnings: string[] = [];
  const label = `Profile "${profile.name}" (${model})`;

  let template: TemplateKind = profile.template === 'auto' ? autoTemplate(family) : profile.template;
  let customTemplate: string | undefined;
  if (template === 'custom') {
    if (profile.customTemplate?.includes('{prefix}')) customTemplate = profile.customTemplate;
    else {
      template = autoTemplate(family);
      warnings.push(`${label}: template "custom" needs a customTemplate containing {prefix}; using "${template}" instead.`);
    }
  }

  if (instruct) {
    warnings.push(`${label}: this looks like an instruct/chat model; through /v1/completions such models complete raw code poorly. Prefer the base model (e.g. Qwen2.5-Coder-1.5B rather than -Instruct).`);
  }
  if (template === 'qwen-fim' && family === 'deepseek-r1-distill') {
    warnings.push(`${label}: template "qwen-fim" on DeepSeek-R1-Distill: its vocabulary has Qwen's FIM tokens, but nothing says it was trained for FIM. "prefix-only" is the safe choice.`);
  } else if (template === 'qwen-fim' && family === 'unknown') {
    warnings.push(`${label}: template "qwen-fim" on a model not recognised as Qwen2/2.5: its FIM tokens may mean nothing to it.`);
  } else if (template === 'prefix-only' && family === 'qwen' && !instruct) {
    warnings.push(`${label}: template "prefix-only" on a Qwen model trained for fill-in-the-middle: "qwen-fim" (or "auto") would also use the text after the cursor.`);
  }

  const defaults = defaultSampling(family);
  const stop = [...(family === 'qwen' || template === 'qwen-fim' ? QWEN_STOP_STRINGS : [])];
  for (const s of profile.stop ?? []) if (s && !stop.includes(s)) stop.push(s);
  const effective: EffectiveProfile = {
    name: profile.name,
    endpoint: profile.endpoint,
    model,
    family,
    instruct,
    template,
    temperature: profile.temperature ?? defaults.temperature,
    topP: profile.topP ?? defaults.topP,
    maxTokens: profile.maxTokens ?? DEFAULT_MAX_TOKENS,
    stop,
    stopTokenIds: family === 'qwen' || template === 'qwen-fim' ? [...QWEN_STOP_TOKEN_IDS] : [],
    // Reasoning text is never code: remove it for every family (R1 distills emit it most).
    stripThink: true,
    warnings,
  };
  if (customTemplate !== undefined) effective.customTemplate = customTemplate;
  if (profile.apiKeyName) effective.apiKeyName = profile.apiKeyName;
  return effective;
}
