// The Prometheus settings: a profile's `prometheus` field checked with the other profile
// fields, and which URL and selector a profile's fleet numbers are read with.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fleetConfigFor } from '../../src/core/prometheus/config';
import { PrometheusError } from '../../src/core/prometheus/errors';
import { validateProfiles } from '../../src/core/profiles/validate';

const base = { name: 'fleet', endpoint: 'http://router.llm:8000' };

describe('Prometheus settings', () => {
  it('keeps a valid per-profile prometheus field and names what is wrong in a bad one', () => {
    const ok = validateProfiles([{ ...base, prometheus: { selector: '{namespace="llm", pod=~"vllm-.*"}', url: 'http://prom:9090' } }]);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.profiles[0]!.prometheus, { selector: '{namespace="llm", pod=~"vllm-.*"}', url: 'http://prom:9090' });

    const bad = validateProfiles([{ ...base, prometheus: { selector: '{pod=~"vllm-("}', extra: 1 } }]);
    assert.equal(bad.profiles.length, 1, 'the profile itself still serves completions');
    assert.equal(bad.profiles[0]!.prometheus, undefined);
    assert.equal(bad.errors.length, 2);
    assert.match(bad.errors[0]!, /Profile 1 \("fleet"\): unknown field "prometheus\.extra"/);
    assert.match(bad.errors[1]!, /prometheus\.selector: Selector .* "pod" is not a valid regular expression.*ignored\./);
    assert.match(validateProfiles([{ ...base, prometheus: 'http://prom:9090' }]).errors[0]!, /"prometheus" must be an object/);
    assert.match(validateProfiles([{ ...base, prometheus: { url: 'prom:9090' } }]).errors[0]!, /prometheus\.url: .*not an http\(s\) URL/);
  });

  it('the profile URL wins over the global one; none at all is "not configured"', () => {
    const p = { model: 'qwen', prometheus: { selector: '{pod=~"vllm-.*"}' } };
    assert.deepEqual(fleetConfigFor('http://global:9090', p), { url: 'http://global:9090', selector: '{pod=~"vllm-.*"}', modelName: 'qwen' });
    assert.equal((fleetConfigFor('http://global:9090', { prometheus: { url: 'http://own:9090', selector: '' } }) as { url: string }).url, 'http://own:9090');
    const none = fleetConfigFor('', { prometheus: { selector: '{pod="a"}' } });
    assert.ok(none instanceof PrometheusError && none.kind === 'not-configured');
    assert.match(none.message, /set completionLab\.prometheus\.url/);
  });

  it('package.json declares the global URL and the profile field with every key the validator knows', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['completionLab.prometheus.url'].type, 'string');
    assert.deepEqual(Object.keys(props['completionLab.profiles'].items.properties.prometheus.properties).sort(), ['gpuSelector', 'selector', 'url']);
  });

  it('compare: --selector and --prometheus mistakes stop before any request, in one line', function () {
    this.timeout(60_000);
    const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
    const two = ['compare', '--profile', 'a=http://127.0.0.1:9', '--profile', 'b=http://127.0.0.1:9'];
    for (const [extra, pattern] of [
      [['--selector', '{pod="a"}'], /--selector needs --prometheus URL/],
      [['--prometheus', 'http://p:9090', '--selector', '{pod=a}'], /--selector: Selector "\{pod=a\}": the value of "pod" must be quoted/],
      [['--prometheus', 'http://p:9090', '--selector', '{}', '--selector', '{}', '--selector', '{}'], /give --selector once for every profile or once per --profile \(2\), not 3 times/],
      [['--prometheus', 'p:9090'], /--prometheus: "p:9090" is not an http\(s\) URL/],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, ...two, ...extra], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
