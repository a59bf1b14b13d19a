// Checks the `completionLab.profiles` setting by hand (it comes from a JSON file the user
// edits): never throws, keeps every usable profile, and says per field what is wrong.
import * as l10n from '@vscode/l10n';
import { validateProfilePrometheus } from '../prometheus/config';
import { TEMPLATE_CHOICES, type ModelProfile, type TemplateChoice } from './types';

export interface ProfilesValidation {
  profiles: ModelProfile[];
  errors: string[];
}

const KNOWN_FIELDS = new Set(['name', 'endpoint', 'model', 'template', 'customTemplate', 'temperature', 'topP', 'maxTokens', 'stop', 'apiKeyName', 'launchCommand', 'prometheus', 'otherFiles']);

export function validateProfiles(raw: unknown): ProfilesValidation {
  const errors: string[] = [];
  const profiles: ModelProfile[] = [];
  if (raw === undefined || raw === null) return { profiles, errors };
  if (!Array.isArray(raw)) {
    errors.push(l10n.t('completionLab.profiles must be a list of profiles ([{"name": ..., "endpoint": ...}]), not {0}.', describe(raw)));
    return { profiles, errors };
  }
  const seen = new Map<string, number>();
  raw.forEach((entry: unknown, i) => {
    const label = profileLabel(i, entry);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      errors.push(l10n.t('{0}: must be an object with at least "name" and "endpoint", not {1}. It is ignored.', label, describe(entry)));
      return;
    }
    const p = validateOne(entry as Record<string, unknown>, label, errors);
    if (!p) return;
    const first = seen.get(p.name);
    if (first !== undefined) {
      errors.push(l10n.t('{0}: the name "{1}" is already used by profile {2}; names must be unique. This one is ignored.', label, p.name, first));
      return;
    }
    seen.set(p.name, i + 1);
    profiles.push(p);
  });
  return { profiles, errors };
}

/** How errors name the profile at index `i` of the list (its name where it has one). */
export function profileLabel(i: number, entry: unknown): string {
  const name = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' && name.trim() ? l10n.t('Profile {0} ("{1}")', i + 1, name) : l10n.t('Profile {0}', i + 1);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return l10n.t('a list');
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return l10n.t('an object');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `${typeof v} ${String(v)}`;
}

/** Required fields that are wrong drop the profile; optional ones fall back to their default. */
function validateOne(e: Record<string, unknown>, label: string, errors: string[]): ModelProfile | undefined {
  let usable = true;
  const name = e['name'];
  if (typeof name !== 'string' || !name.trim()) {
    errors.push(l10n.t('{0}: "name" is missing or empty; give each profile a unique name. It is ignored.', label));
    usable = false;
  }
  const endpoint = e['endpoint'];
  if (typeof endpoint !== 'string' || !endpoint.trim()) {
    errors.push(l10n.t('{0}: "endpoint" is missing; set it to the server\'s base URL, e.g. "http://127.0.0.1:8000". It is ignored.', label));
    usable = false;
  } else if (!/^https?:\/\//i.test(endpoint.trim())) {
    errors.push(l10n.t('{0}: endpoint "{1}" must start with http:// or https://. It is ignored.', label, endpoint));
    usable = false;
  } else if (!isUrl(endpoint.trim())) {
    errors.push(l10n.t('{0}: endpoint "{1}" is not a valid URL. It is ignored.', label, endpoint));
    usable = false;
  }

  let template: TemplateChoice = 'auto';
  const t = e['template'];
  if (t !== undefined) {
    if (typeof t === 'string' && (TEMPLATE_CHOICES as readonly string[]).includes(t)) template = t as TemplateChoice;
    else errors.push(l10n.t('{0}: template {1} is not one of {2}; using "auto".', label, describe(t), TEMPLATE_CHOICES.map((c) => `"${c}"`).join(', ')));
  }
  const profile: ModelProfile = { name: typeof name === 'string' ? name.trim() : '', endpoint: typeof endpoint === 'string' ? endpoint.trim() : '', template };

  const model = e['model'];
  if (model !== undefined) {
    if (typeof model === 'string') {
      if (model.trim()) profile.model = model.trim();
    } else errors.push(l10n.t('{0}: "model" must be a string (the served model name), not {1}; using the server\'s only model.', label, describe(model)));
  }

  const custom = e['customTemplate'];
  if (custom !== undefined && typeof custom !== 'string') errors.push(l10n.t('{0}: "customTemplate" must be a string, not {1}.', label, describe(custom)));
  else if (typeof custom === 'string') profile.customTemplate = custom;
  if (template === 'custom') {
    if (typeof profile.customTemplate !== 'string' || !profile.customTemplate.trim()) {
      errors.push(l10n.t('{0}: template "custom" needs "customTemplate", a prompt with {prefix} (and optionally {suffix}); using "auto".', label));
      profile.template = 'auto';
    } else if (!profile.customTemplate.includes('{prefix}')) {
      errors.push(l10n.t('{0}: customTemplate must contain {prefix} (where the text before the cursor goes); using "auto".', label));
      profile.template = 'auto';
    }
  }

  const num = (key: 'temperature' | 'topP' | 'maxTokens', ok: (n: number) => boolean, rule: string): void => {
    const v = e[key];
    if (v === undefined) return;
    if (typeof v === 'number' && Number.isFinite(v) && ok(v)) profile[key] = v;
    else errors.push(l10n.t('{0}: {1} {2} must be {3}; using the default.', label, key, describe(v), rule));
  };
  num('temperature', (n) => n >= 0 && n <= 2, l10n.t('a number from 0 to 2'));
  num('topP', (n) => n > 0 && n <= 1, l10n.t('a number above 0 and at most 1'));
  num('maxTokens', (n) => Number.isInteger(n) && n >= 1 && n <= 4096, l10n.t('a whole number from 1 to 4096'));

  const stop = e['stop'];
  if (stop !== undefined) {
    if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) {
      const kept = (stop as string[]).filter((s) => s.length > 0);
      if (kept.length < stop.length) errors.push(l10n.t('{0}: empty stop strings are ignored.', label));
      profile.stop = kept;
    } else errors.push(l10n.t('{0}: "stop" must be a list of strings, not {1}; ignored.', label, describe(stop)));
  }

  for (const key of ['apiKeyName', 'launchCommand'] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (typeof v === 'string') {
      if (v.trim()) profile[key] = v.trim();
    } else errors.push(l10n.t('{0}: "{1}" must be a string, not {2}; ignored.', label, key, describe(v)));
  }

  const otherFiles = e['otherFiles'];
  if (otherFiles !== undefined) {
    if (typeof otherFiles === 'boolean') profile.otherFiles = otherFiles;
    else errors.push(l10n.t('{0}: "otherFiles" must be true or false, not {1}; completionLab.context.otherFiles applies.', label, describe(otherFiles)));
  }

  if (e['prometheus'] !== undefined) {
    const prom = validateProfilePrometheus(e['prometheus'], label, errors);
    if (prom) profile.prometheus = prom;
  }

  for (const key of Object.keys(e)) {
    if (!KNOWN_FIELDS.has(key)) errors.push(l10n.t('{0}: unknown field "{1}" is ignored (known: {2}).', label, key, [...KNOWN_FIELDS].join(', ')));
  }
  return usable ? profile : undefined;
}

function isUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}
