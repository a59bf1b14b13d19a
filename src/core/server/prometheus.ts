// Prometheus text exposition -> flat samples {name, labels, value}.
// Parsing is done by parse-prometheus-text-format (the package the project already ships:
// a maintained port of client_python's parser, escapes and HELP lines handled). One quirk
// worked around here: it folds histogram/summary families into one object per family and
// drops their labels and _sum/_count as soon as series carry labels (vLLM's always carry
// model_name and engine). So histogram/summary TYPE lines are read as untyped, which keeps
// every _bucket/_sum/_count sample with its labels, and histograms are regrouped below.
// Two more: it loses the last sample when the text lacks a final newline, and it accepts
// any text (an HTML error page parses as a metric named "<html>"); both handled here.
import parsePrometheusTextFormat = require('parse-prometheus-text-format');

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Histogram {
  sum: number;
  count: number;
  /** Cumulative bucket counts, ascending by upper bound (le = Infinity last). */
  buckets: { le: number; count: number }[];
}

function toNumber(raw: string | undefined): number {
  if (raw === undefined) return NaN;
  const v = raw.trim();
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** Every sample in the text. Throws (with the offending line) on text that is not Prometheus format. */
export function parsePrometheus(text: string): PromSample[] {
  // The package drops the last sample of a text with no final newline: always end with one.
  const untypedHistograms = (text.endsWith('\n') ? text : text + '\n').replace(/^# TYPE (\S+) (histogram|summary)\s*$/gm, '# TYPE $1 untyped');
  const out: PromSample[] = [];
  for (const family of parsePrometheusTextFormat(untypedHistograms)) {
    for (const m of family.metrics) {
      if (m.value === undefined) continue;
      const value = toNumber(m.value);
      // The package is lenient (an HTML error page parses as a metric named "<html>"): check.
      if (!METRIC_NAME.test(family.name) || (Number.isNaN(value) && m.value.trim() !== 'NaN')) {
        throw new Error(`This is not Prometheus metrics text (sample "${family.name} ${m.value}").`);
      }
      out.push({ name: family.name, labels: m.labels ?? {}, value });
    }
  }
  if (!out.length) {
    const content = text.split('\n').find((l) => l.trim() && !l.startsWith('#'));
    if (content) throw new Error(`This is not Prometheus metrics text (line "${content.slice(0, 80)}").`);
  }
  return out;
}

export type LabelFilter = (labels: Record<string, string>) => boolean;

/** Sum of a metric over its label sets (those the filter keeps); undefined if the metric is absent. */
export function sumOf(samples: readonly PromSample[], name: string, filter: LabelFilter = () => true): number | undefined {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name !== name || !filter(s.labels)) continue;
    found = true;
    total += s.value;
  }
  return found ? total : undefined;
}

/** A histogram summed over label sets (buckets added per bound); undefined if absent. */
export function histogramOf(samples: readonly PromSample[], name: string, filter: LabelFilter = () => true): Histogram | undefined {
  const sum = sumOf(samples, `${name}_sum`, filter);
  const count = sumOf(samples, `${name}_count`, filter);
  if (sum === undefined || count === undefined) return undefined;
  const byLe = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || !filter(s.labels) || s.labels['le'] === undefined) continue;
    const le = toNumber(s.labels['le']);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  const buckets = [...byLe].sort((a, b) => a[0] - b[0]).map(([le, c]) => ({ le, count: c }));
  return { sum, count, buckets };
}
