// How the panel writes numbers, times and dates: one set of formatters for tables, chart
// labels and text alternatives alike, so a chart's description and its table say the same
// thing. In VS Code's display language (setDisplayLanguage, from the page's <html lang>);
// digits are never grouped, so a table reads as the saved report does. Pure.

let lang: string | undefined = 'en';

/** The language numbers and dates are written in (a BCP 47 tag such as "zh-cn"); empty: English. */
export function setDisplayLanguage(tag: string | undefined): void {
  lang = 'en';
  try {
    // A tag Intl cannot use would make every number throw: English instead.
    if (tag && Intl.NumberFormat.supportedLocalesOf([tag]).length) lang = tag;
  } catch {
    // malformed tag: English
  }
}

/** The display language's tag (Chart.js writes its tick numbers in it). */
export const displayLanguage = (): string | undefined => lang;

/** `v` with exactly `d` decimals, in the display language. */
export const fixed = (v: number, d: number): string => v.toLocaleString(lang, { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: false });

export const fmtMs = (v?: number | null): string => (v === undefined || v === null ? '–' : v >= 1000 ? `${fixed(v / 1000, 2)} s` : `${fixed(v, 0)} ms`);
export const fmtPct = (v?: number | null): string => (v === undefined || v === null ? '–' : `${fixed(v * 100, 0)} %`);
export const fmtNum = (v?: number | null, d = 1): string => (v === undefined || v === null ? '–' : fixed(v, d));
export const fmtMiB = (v?: number | null): string => (v === undefined || v === null ? '–' : `${fixed(v, 0)} MiB`);
/** A moment (epoch ms) as a date and time, or as a time of day. */
export const fmtDateTime = (ts: number): string => new Date(ts).toLocaleString(lang);
export const fmtTime = (ts: number): string => new Date(ts).toLocaleTimeString(lang);
