// How the panel writes numbers: one set of formatters for tables, chart labels and text
// alternatives alike, so a chart's description and its table say the same thing. Pure.

export const fmtMs = (v?: number | null): string => (v === undefined || v === null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
export const fmtPct = (v?: number | null): string => (v === undefined || v === null ? '–' : `${(v * 100).toFixed(0)} %`);
export const fmtNum = (v?: number | null, d = 1): string => (v === undefined || v === null ? '–' : v.toFixed(d));
export const fmtMiB = (v?: number | null): string => (v === undefined || v === null ? '–' : `${v.toFixed(0)} MiB`);
