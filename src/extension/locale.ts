// The display language for the parts that cannot import vscode (the status model, menus
// built as data): their l10n.t() reads the bundle given here, and numbers and times are
// formatted for VS Code's display language. Node's Intl default follows the OS, not VS Code,
// so without this a Chinese UI would show an English clock.
import * as l10n from '@vscode/l10n';

let locale: string | undefined;

/** Called once at activation with vscode.env.language and vscode.l10n.bundle (undefined for English). */
export function useDisplayLanguage(language: string, bundle: l10n.l10nJsonFormat | undefined): void {
  locale = Intl.NumberFormat.supportedLocalesOf([language]).length ? language : undefined;
  if (bundle) l10n.config({ contents: bundle });
}

/** The display language as a BCP 47 tag for Intl (undefined: the runtime's default). */
export function displayLocale(): string | undefined {
  return locale;
}

export function formatNumber(v: number, digits = 0): string {
  return v.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatTime(epochMs: number, options: Intl.DateTimeFormatOptions): string {
  return new Date(epochMs).toLocaleTimeString(locale, options);
}
