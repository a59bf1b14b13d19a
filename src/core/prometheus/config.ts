// Where a profile's fleet numbers come from: the global `completionLab.prometheus.url` and a
// profile's own `prometheus: {url?, selector, gpuSelector?}` (the CLI's --prometheus and
// --selector are the same two things). Checked like the other settings: never throws, says
// per field what is wrong and what was done instead.
import * as l10n from '@vscode/l10n';
import { prometheusBaseUrl } from './client';
import { PrometheusError } from './errors';
import type { FleetConfig } from './fleetSource';
import { parseSelector } from './selector';

/** A profile's `prometheus` field, as validated. */
export interface ProfilePrometheus {
  url?: string;
  selector: string;
  gpuSelector?: string;
}

const FIELDS = new Set(['url', 'selector', 'gpuSelector']);

/** Validates a profile's `prometheus` value; undefined (with an error line) when unusable. */
export function validateProfilePrometheus(raw: unknown, label: string, errors: string[]): ProfilePrometheus | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(l10n.t('{0}: "prometheus" must be an object like {1}; ignored.', label, '{"selector": "{namespace=\\"llm\\", pod=~\\"vllm-.*\\"}"}'));
    return undefined;
  }
  const e = raw as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!FIELDS.has(key)) errors.push(l10n.t('{0}: unknown field "{1}" is ignored (known: url, selector, gpuSelector).', label, `prometheus.${key}`));
  const out: ProfilePrometheus = { selector: '' };
  const check = (key: 'url' | 'selector' | 'gpuSelector', parse: (v: string) => unknown): boolean => {
    const v = e[key];
    if (v === undefined) return true;
    if (typeof v !== 'string') {
      errors.push(l10n.t('{0}: "{1}" must be a string; the profile\'s Prometheus settings are ignored.', label, `prometheus.${key}`));
      return false;
    }
    try {
      parse(v);
    } catch (err) {
      errors.push(l10n.t('{0}: {1}: {2} The profile\'s Prometheus settings are ignored.', label, `prometheus.${key}`, (err as Error).message));
      return false;
    }
    if (v.trim()) out[key] = v.trim();
    return true;
  };
  if (!check('url', prometheusBaseUrl) || !check('selector', parseSelector) || !check('gpuSelector', parseSelector)) return undefined;
  return out;
}

/**
 * The fleet source config for a profile, or the PrometheusError ('not-configured' /
 * 'bad-config') that says why there is none. The profile's URL wins over the global one.
 */
export function fleetConfigFor(globalUrl: string | undefined, profile: { model?: string | undefined; prometheus?: ProfilePrometheus | undefined } | undefined): FleetConfig | PrometheusError {
  const url = profile?.prometheus?.url ?? globalUrl?.trim();
  if (!url) {
    return new PrometheusError('not-configured', 'No Prometheus is configured: GPU numbers come from this machine\'s GPU tool. For a shared server or cluster, set completionLab.prometheus.url (or a profile\'s prometheus.url) and the profile\'s prometheus.selector.');
  }
  try {
    prometheusBaseUrl(url);
  } catch (err) {
    return err as PrometheusError;
  }
  const config: FleetConfig = { url, selector: profile?.prometheus?.selector ?? '' };
  if (profile?.prometheus?.gpuSelector !== undefined) config.gpuSelector = profile.prometheus.gpuSelector;
  if (profile?.model) config.modelName = profile.model;
  return config;
}
