// The templates "Set the prompt template of a profile" offers, in the order a user should
// see them: the one that fits the served model first (what "auto" picks for a known family),
// then the rest. Custom is left to settings.json: it needs a prompt written by hand.
import { detectFamily } from './family';
import { autoTemplate } from './resolve';
import type { ServedModel } from '../client/models';
import { FIM_KINDS, type TemplateChoice } from './types';

export interface TemplateOption {
  template: Exclude<TemplateChoice, 'custom'>;
  /** Fits the served model's family (from its names): put first. */
  recommended: boolean;
  current: boolean;
}

/** `served`: the model the profile's server serves, when it could be asked; without it nothing is recommended. */
export function templateOptions(current: TemplateChoice, served?: ServedModel): TemplateOption[] {
  const detected = served ? detectFamily(served) : undefined;
  const fits = detected && detected.family !== 'unknown' ? autoTemplate(detected) : undefined;
  const all: TemplateOption['template'][] = ['auto', 'prefix-only', ...FIM_KINDS];
  const options = all.map((template) => ({ template, recommended: template === fits, current: template === current }));
  return [...options.filter((o) => o.recommended), ...options.filter((o) => !o.recommended)];
}
