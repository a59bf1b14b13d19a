// Model profiles: validation of the setting, family detection, effective settings.
export * from './types';
export { detectFamily, QWEN_STOP_STRINGS, QWEN_STOP_TOKEN_IDS, type FamilyInfo } from './family';
export { profileLabel, validateProfiles, type ProfilesValidation } from './validate';
export { resolveProfile, defaultSampling, autoTemplate, DEFAULT_MAX_TOKENS } from './resolve';
export { profilesToOffer, suggestedProfiles, type OfferedProfile } from './suggested';
export { templateOptions, type TemplateOption } from './templateChoices';
