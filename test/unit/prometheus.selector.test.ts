// Label matchers from the settings / --selector: parsed as PromQL writes them, mistakes
// named with where they are, and rendered back into queries safely.
import * as assert from 'node:assert/strict';
import { PrometheusError } from '../../src/core/prometheus/errors';
import { parseDuration, prometheusBaseUrl } from '../../src/core/prometheus/client';
import { parseSelector, seriesSelector } from '../../src/core/prometheus/selector';

const rejects = (text: string, why: RegExp) =>
  assert.throws(() => parseSelector(text), (e: unknown) => e instanceof PrometheusError && e.kind === 'bad-config' && why.test(e.message) && e.message.includes('{namespace="llm", pod=~"vllm-.*"}'));

describe('Prometheus selectors', () => {
  it('parses the four operators, both quotes, escapes, with or without braces', () => {
    assert.deepEqual(parseSelector('{namespace="llm", pod=~"vllm-.*"}'), [
      { label: 'namespace', op: '=', value: 'llm' },
      { label: 'pod', op: '=~', value: 'vllm-.*' },
    ]);
    assert.deepEqual(parseSelector(` job!='x' ,instance!~"10\\\\.0\\\\..*", q="a\\"b",`), [
      { label: 'job', op: '!=', value: 'x' },
      { label: 'instance', op: '!~', value: '10\\.0\\..*' },
      { label: 'q', op: '=', value: 'a"b' },
    ]);
    assert.deepEqual(parseSelector(''), []);
    assert.deepEqual(parseSelector('{}'), []);
  });

  it('names the mistake', () => {
    rejects('{pod=~"vllm-("}', /"pod" is not a valid regular expression/);
    rejects('{pod=vllm}', /value of "pod" must be quoted/);
    rejects('{pod="vllm"', /unbalanced braces/);
    rejects('{pod="vllm}', /no closing "/);
    rejects('{pod "vllm"}', /expected =, !=, =~ or !~ after "pod"/);
    rejects('{pod="a" job="b"}', /expected "," between matchers/);
    rejects('{9pod="a"}', /expected a label name/);
    rejects('{__name__="up"}', /select by labels only/);
  });

  it('renders names and matchers back into a PromQL selector', () => {
    const m = parseSelector('{pod=~"vllm-.*", q="a\\"b"}');
    assert.equal(seriesSelector('vllm:num_requests_running', m), 'vllm:num_requests_running{pod=~"vllm-.*",q="a\\"b"}');
    assert.equal(seriesSelector(['DCGM_FI_DEV_FB_USED', 'a.b'], []), '{__name__=~"DCGM_FI_DEV_FB_USED|a\\\\.b"}');
  });

  it('takes a Prometheus base URL with or without a path prefix, not other schemes', () => {
    assert.equal(prometheusBaseUrl('http://prom:9090/').href, 'http://prom:9090/');
    assert.equal(prometheusBaseUrl(' https://h/prometheus/api/v1/ ').href, 'https://h/prometheus');
    assert.throws(() => prometheusBaseUrl('prom:9090'), /not an http\(s\) URL/);
    assert.throws(() => prometheusBaseUrl('not a url'), /is not a URL/);
  });

  it('reads Prometheus durations (a target\'s scrape interval)', () => {
    assert.equal(parseDuration('15s'), 15_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('15 s'), undefined);
    assert.equal(parseDuration(''), undefined);
  });
});
