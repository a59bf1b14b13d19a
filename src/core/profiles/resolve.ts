// From a profile and what the server serves to the settings one request is sent with:
// template chosen for 'auto', the family's sampling defaults, its stop tokens, and
// warnings where the user's choice does not fit the model.
import * as l10n from '@vscode/l10n';
import { detectFamily, FIM_STOP_STRINGS, QWEN_STOP_TOKEN_IDS, type FamilyInfo } from './family';
import type { ServedModel } from '../client/models';
import { FIM_KINDS, type EffectiveProfile, type FimKind, type ModelFamily, type ModelProfile, type TemplateKind } from './types';

export const DEFAULT_MAX_TOKENS = 64;

/** DeepSeek's recommendation for its R1 distills (0.5-0.7, top_p 0.95); code-friendly otherwise. */
export function defaultSampling(family: ModelFamily): { temperature: number; topP: number } {
  return family === 'deepseek-r1-distill' ? { temperature: 0.6, topP: 0.95 } : { temperature: 0.2, topP: 0.95 };
}

/** The family's documented FIM format; prefix-only where none is (R1 distills have Qwen's tokens but not the training). */
export function autoTemplate(info: Pick<FamilyInfo, 'fim'>): TemplateKind {
  return info.fim ?? 'prefix-only';
}

const isFim = (t: TemplateKind): t is FimKind => (FIM_KINDS as readonly string[]).includes(t);

export function resolveProfile(profile: ModelProfile, served: ServedModel | string): EffectiveProfile {
  const info = typeof served === 'string' ? { id: served } : served;
  const detected = detectFamily(info);
  const { family, instruct } = detected;
  const model = profile.model?.trim() || info.id;
  const warnings: string[] = [];
  const label = l10n.t('Profile "{0}" ({1})', profile.name, model);

  let template: TemplateKind = profile.template === 'auto' ? autoTemplate(detected) : profile.template;
  let customTemplate: string | undefined;
  if (template === 'custom') {
    if (profile.customTemplate?.includes('{prefix}')) customTemplate = profile.customTemplate;
    else {
      template = autoTemplate(detected);
      warnings.push(l10n.t('{0}: template "custom" needs a customTemplate containing {prefix}; using "{1}" instead.', label, template));
    }
  }

  if (profile.template === 'auto' && family === 'unknown') {
    // A silent fallback hides a FIM-trained model behind prefix-only prompts: say which names
    // were looked at and how to choose, so the choice is the user's.
    const names = [info.id, info.root].filter((n, i, all): n is string => !!n && all.indexOf(n) === i).map((n) => `"${n}"`).join(', ');
    warnings.push(l10n.t('{0}: template "auto" does not recognise the model\'s family from its names ({1}), so prompts are prefix-only (the text after the cursor is not sent). If the model was trained for fill-in-the-middle, set the profile\'s "template" to its format (for example "qwen-fim"); set "prefix-only" to keep this and silence this warning.', label, names));
  }
  if (instruct) {
    warnings.push(l10n.t('{0}: this looks like an instruct/chat model; through /v1/completions such models complete raw code poorly. Prefer the base model (e.g. Qwen2.5-Coder-1.5B rather than -Instruct).', label));
  }
  if (template === 'qwen-fim' && family === 'deepseek-r1-distill') {
    warnings.push(l10n.t('{0}: template "qwen-fim" on DeepSeek-R1-Distill: its vocabulary has Qwen\'s FIM tokens, but nothing says it was trained for FIM. "prefix-only" is the safe choice.', label));
  } else if (template === 'qwen-fim' && family === 'qwen' && !detected.fim) {
    // The user chose FIM on a Qwen base/Math model: allowed, but said.
    warnings.push(l10n.t('{0}: template "qwen-fim" on a Qwen model not documented as FIM-trained (Qwen documents FIM for the Coder models); "prefix-only" is the safe choice.', label));
  } else if (isFim(template) && family === 'unknown') {
    warnings.push(l10n.t('{0}: template "{1}" on a model whose family is not recognised: its FIM tokens may mean nothing to it.', label, template));
  } else if (isFim(template) && family !== 'unknown' && family !== 'qwen' && family !== 'deepseek-r1-distill' && detected.fim !== template) {
    warnings.push(l10n.t('{0}: template "{1}" does not fit a {2} model, which was trained for "{3}"; its special tokens mean nothing to it.', label, template, family, detected.fim ?? 'prefix-only'));
  } else if (template === 'prefix-only' && detected.fim && !instruct) {
    warnings.push(l10n.t('{0}: template "prefix-only" on a model trained for fill-in-the-middle: "{1}" (or "auto") would also use the text after the cursor.', label, detected.fim));
  }

  const defaults = defaultSampling(family);
  // The chosen format's own tokens, and the family's end-of-text where it has a FIM format.
  const stop: string[] = [];
  for (const kind of [isFim(template) ? template : undefined, detected.fim, family === 'qwen' ? 'qwen-fim' as const : undefined]) {
    if (kind) for (const s of FIM_STOP_STRINGS[kind]) if (!stop.includes(s)) stop.push(s);
  }
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
    // Token ids are vocabulary-specific: only Qwen's are known for certain here.
    stopTokenIds: family === 'qwen' || template === 'qwen-fim' ? [...QWEN_STOP_TOKEN_IDS] : [],
    // Reasoning text is never code: remove it for every family (R1 distills emit it most).
    stripThink: true,
    warnings,
  };
  // Every warning but the instruct one (pushed exactly when `instruct`) is about the
  // template: another template answers it.
  if (warnings.length > (instruct ? 1 : 0)) effective.templateMismatch = true;
  if (customTemplate !== undefined) effective.customTemplate = customTemplate;
  if (profile.apiKeyName) effective.apiKeyName = profile.apiKeyName;
  if (profile.otherFiles !== undefined) effective.otherFiles = profile.otherFiles;
  return effective;
}
