// Profiles to offer when a server is found whose model names a known family (e.g. from
// "Select model" after a probe), so the user starts from settings that fit the model.
import { detectFamily } from './family';
import { DEFAULT_MAX_TOKENS, defaultSampling } from './resolve';
import type { ServedModel } from '../client/models';
import type { ModelProfile } from './types';

export function suggestedProfiles(endpoint: string, served: ServedModel | string): ModelProfile[] {
  const info = typeof served === 'string' ? { id: served } : served;
  const detected = detectFamily(info);
  const short = info.id.split('/').pop() ?? info.id;
  const { temperature, topP } = defaultSampling(detected.family);
  const profile = (template: ModelProfile['template'], label: string): ModelProfile => ({ name: `${short} (${label})`, endpoint, model: info.id, template, temperature, topP, maxTokens: DEFAULT_MAX_TOKENS });
  if (detected.family === 'unknown') return [];
  return detected.fim ? [profile(detected.fim, 'FIM'), profile('prefix-only', 'prefix-only')] : [profile('prefix-only', 'prefix-only')];
}
