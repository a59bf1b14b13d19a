// Profiles to offer when a server is found whose model names a known family (e.g. from
// "Select model" after a probe), so the user starts from settings that fit the model.
import { detectFamily } from './family';
import type { ServedModel } from '../client/models';
import type { ModelProfile } from './types';

export function suggestedProfiles(endpoint: string, served: ServedModel | string): ModelProfile[] {
  const info = typeof served === 'string' ? { id: served } : served;
  const { family } = detectFamily(info);
  const short = info.id.split('/').pop() ?? info.id;
  switch (family) {
    case 'deepseek-r1-distill':
      return [{ name: `${short} (prefix-only)`, endpoint, model: info.id, template: 'prefix-only', temperature: 0.6, topP: 0.95, maxTokens: 64 }];
    case 'qwen':
      return [
        { name: `${short} (Qwen FIM)`, endpoint, model: info.id, template: 'qwen-fim', temperature: 0.2, topP: 0.95, maxTokens: 64 },
        { name: `${short} (prefix-only)`, endpoint, model: info.id, template: 'prefix-only', temperature: 0.2, topP: 0.95, maxTokens: 64 },
      ];
    default:
      return [];
  }
}
