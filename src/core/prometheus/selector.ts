// Label matchers that pick a profile's replicas and GPUs out of everything Prometheus holds,
// written as in PromQL: `{namespace="llm", pod=~"vllm-.*"}` (braces optional). Checked here,
// before any query, so a typo gives one message that points at it instead of a 400 per poll.
// Values are double- or single-quoted PromQL strings; `=~`/`!~` values must be regexes
// (Prometheus uses RE2, anchored; JavaScript's RegExp is used here to catch the usual mistakes).
import { PrometheusError } from './errors';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OPS: MatchOp[] = ['=~', '!~', '!=', '='];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

function bad(text: string, why: string): PrometheusError {
  return new PrometheusError('bad-config', `Selector ${JSON.stringify(text)}: ${why} Write label matchers as in PromQL, e.g. {namespace="llm", pod=~"vllm-.*"}.`);
}

/** Parses `{a="b", c=~"d.*"}`; an empty text or `{}` is no matcher (every series). Throws 'bad-config'. */
export function parseSelector(text: string): LabelMatcher[] {
  let s = text.trim();
  if (s.startsWith('{') !== s.endsWith('}')) throw bad(text, 'unbalanced braces.');
  if (s.startsWith('{')) s = s.slice(1, -1);
  const out: LabelMatcher[] = [];
  let i = 0;
  const skip = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skip();
  while (i < s.length) {
    LABEL.lastIndex = i;
    const m = LABEL.exec(s);
    if (!m) throw bad(text, `expected a label name at "${s.slice(i, i + 20)}".`);
    const label = m[0];
    if (label === '__name__') throw bad(text, 'the metric name is chosen by Completion Lab; select by labels only.');
    i += label.length;
    skip();
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw bad(text, `expected =, !=, =~ or !~ after "${label}".`);
    i += op.length;
    skip();
    const quote = s[i];
    if (quote !== '"' && quote !== "'") throw bad(text, `the value of "${label}" must be quoted, e.g. ${label}${op}"value".`);
    i++;
    let value = '';
    for (;;) {
      if (i >= s.length) throw bad(text, `the value of "${label}" has no closing ${quote}.`);
      const c = s[i]!;
      if (c === quote) break;
      if (c === '\\') {
        const e = s[i + 1] ?? '';
        // PromQL keeps unknown escapes in regexes as written (e.g. "\\." is RE2's escaped dot).
        value += ESCAPES[e] ?? `\\${e}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch (err) {
        throw bad(text, `the value of "${label}" is not a valid regular expression (${(err as Error).message}).`);
      }
    }
    out.push({ label, op, value });
    skip();
    if (i < s.length) {
      if (s[i] !== ',') throw bad(text, `expected "," between matchers at "${s.slice(i, i + 20)}".`);
      i++;
      skip();
    }
  }
  return out;
}

/** Matchers back to PromQL (without braces), with values re-quoted safely. */
export function matchersText(matchers: readonly LabelMatcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',');
}

/** `name{matchers}`, or `{__name__=~"a|b",matchers}` for several names in one query. */
export function seriesSelector(names: string | readonly string[], matchers: readonly LabelMatcher[]): string {
  const extra = matchersText(matchers);
  if (typeof names === 'string') return `${names}{${extra}}`;
  const re = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return `{__name__=~${JSON.stringify(re)}${extra ? `,${extra}` : ''}}`;
}
