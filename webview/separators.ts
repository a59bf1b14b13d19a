// The punctuation that joins generated text (a chart's text alternative lists its table's
// numbers), in the display language: Chinese writes "，" "；" "：", not ", " "; " ": ".
import * as l10n from '@vscode/l10n';

/** Between the items of one row ("TTFT p50 120 ms, TTFT p90 300 ms"). */
export const itemSep = (): string => l10n.t({ message: ', ', comment: ['Joins the items of one row in a chart description (a comma and a space).'] });
/** Between rows ("small: ...; big: ..."). */
export const rowSep = (): string => l10n.t({ message: '; ', comment: ['Joins the rows in a chart description (a semicolon and a space).'] });
/** After a label ("small: 4"). */
export const labelSep = (): string => l10n.t({ message: ': ', comment: ['Follows a label in a chart description (a colon and a space).'] });
