// Whether the editor may ask for a completion here and now: the on/off switch, a snooze
// that ends by itself, and the per-language map in the shape users know from other
// completion extensions ({"*": true, "markdown": false}). Pure: no vscode import, so
// the rules are unit-tested.

/** `completionLab.languages` defaults: prose, commit messages and output panes are off. */
export const DEFAULT_LANGUAGES: Readonly<Record<string, boolean>> = { '*': true, markdown: false, plaintext: false, scminput: false };

export interface EnablementInputs {
  enabled: boolean;
  languages: Readonly<Record<string, unknown>>;
  /** Epoch ms when a snooze ends; undefined or past: not snoozed. */
  snoozeUntil: number | undefined;
  now: number;
}

export type Enablement =
  | { on: true }
  | { on: false; why: 'disabled' | 'snoozed' | 'language'; until?: number };

/** A language's own entry wins, then "*", then on. Non-boolean entries are ignored. */
export function languageEnabled(languages: Readonly<Record<string, unknown>>, languageId: string): boolean {
  const own = languages[languageId];
  if (typeof own === 'boolean') return own;
  const star = languages['*'];
  return typeof star === 'boolean' ? star : true;
}

export function enablement(i: EnablementInputs, languageId: string | undefined): Enablement {
  if (!i.enabled) return { on: false, why: 'disabled' };
  if (i.snoozeUntil !== undefined && i.snoozeUntil > i.now) return { on: false, why: 'snoozed', until: i.snoozeUntil };
  if (languageId !== undefined && !languageEnabled(i.languages, languageId)) return { on: false, why: 'language' };
  return { on: true };
}

/** The snooze lengths offered in the menu, in minutes. */
export const SNOOZE_CHOICES_MIN: readonly number[] = [5, 15, 30, 60];
