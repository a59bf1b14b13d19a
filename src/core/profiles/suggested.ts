// Profiles to offer when a server is found whose model names a known family (e.g. from
// "Select model" after a probe), so the user starts from settings that fit the model.
import * as l10n from '@vscode/l10n';
import { detectFamily } from './family';
import { DEFAULT_MAX_TOKENS, defaultSampling } from './resolve';
import type { ServedModel } from '../client/models';
import { FIM_KINDS, type ModelProfile } from './types';

function profileFor(endpoint: string, info: ServedModel) {
  const { temperature, topP } = defaultSampling(detectFamily(info).family);
  const short = info.id.split('/').pop() ?? info.id;
  return (template: ModelProfile['template'], label: string): ModelProfile => ({ name: `${short} (${label})`, endpoint, model: info.id, template, temperature, topP, maxTokens: DEFAULT_MAX_TOKENS });
}

export function suggestedProfiles(endpoint: string, served: ServedModel | string): ModelProfile[] {
  const info = typeof served === 'string' ? { id: served } : served;
  const detected = detectFamily(info);
  const profile = profileFor(endpoint, info);
  if (detected.family === 'unknown') return [];
  return detected.fim ? [profile(detected.fim, 'FIM'), profile('prefix-only', 'prefix-only')] : [profile('prefix-only', 'prefix-only')];
}

export interface OfferedProfile {
  profile: ModelProfile;
  /** Why this choice, where the model's family did not settle it. */
  note?: string;
}

/**
 * What "Add a profile from a running server" offers: a known family's suggestions; for a model
 * of no known family, the choice "auto" would only make with a warning, made explicit:
 * prefix-only first (safe with any model), then each FIM format, for the user who knows
 * what the model was trained with.
 */
export function profilesToOffer(endpoint: string, served: ServedModel | string): OfferedProfile[] {
  const info = typeof served === 'string' ? { id: served } : served;
  const suggested = suggestedProfiles(endpoint, info);
  if (suggested.length) return suggested.map((profile) => ({ profile }));
  const profile = profileFor(endpoint, info);
  return [
    { profile: profile('prefix-only', 'prefix-only'), note: l10n.t('The model\'s family is not recognised: the text before the cursor only, which any model can complete.') },
    ...FIM_KINDS.map((kind) => ({ profile: profile(kind, kind), note: l10n.t('Fill-in-the-middle with {0}\'s tokens: only if the model was trained with these tokens.', kind) })),
  ];
}
