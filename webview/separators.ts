// The punctuation that joins generated text (a chart's text alternative lists its table's
// numbers), in the display language: Chinese writes "，" "；" "：", not ", " "; " ": ".
// Each join is a message with placeholders, so the bundle holds plain strings.
import * as l10n from '@vscode/l10n';

const join = (parts: string[], pair: (a: string, b: string) => string): string => parts.reduce((acc, p, i) => (i === 0 ? p : pair(acc, p)), '');

/** The items of one row ("TTFT p50 120 ms, TTFT p90 300 ms"). */
export const joinItems = (items: string[]): string => join(items, (a, b) => l10n.t('{0}, {1}', a, b));
/** Rows ("small …; big …"). */
export const joinRows = (rows: string[]): string => join(rows, (a, b) => l10n.t('{0}; {1}', a, b));
/** A label and its value ("small: 4"). */
export const labelled = (label: string, value: string): string => l10n.t('{0}: {1}', label, value);
