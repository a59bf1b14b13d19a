// PrometheusWatch when Prometheus cannot be reached (a real refused connection): one state,
// one log line, however many polls fail; and no Prometheus configured is one clear error.
import * as assert from 'node:assert/strict';
import { PrometheusError } from '../../src/core/prometheus/errors';
import { PrometheusFleetSource } from '../../src/core/prometheus/fleetSource';
import { PrometheusWatch, type FleetState } from '../../src/core/prometheus/watch';
import { unusedPort } from '../support/ports';

describe('PrometheusWatch without a reachable Prometheus', () => {
  it('reports unreachable once over many failed polls', async () => {
    const port = await unusedPort();
    const watch = new PrometheusWatch(new PrometheusFleetSource({ url: `http://127.0.0.1:${port}`, selector: '{namespace="llm"}' }));
    const problems: string[] = [];
    const states: FleetState[] = [];
    watch.onProblem((m) => problems.push(m));
    watch.onState((s) => states.push(s));
    for (let i = 0; i < 4; i++) await watch.pollNow();
    assert.equal(watch.state.kind, 'unreachable');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\. Check completionLab\.prometheus\.url/);
    assert.deepEqual(states.map((s) => s.kind), ['unreachable']);
    assert.equal(watch.latest(), undefined);
    watch.dispose();
  });

  it('no URL is "not configured", a bad selector names its mistake', () => {
    assert.throws(() => new PrometheusFleetSource({ url: ' ', selector: '' }), (e: unknown) => e instanceof PrometheusError && e.kind === 'not-configured' && /completionLab\.prometheus\.url/.test(e.message));
    assert.throws(() => new PrometheusFleetSource({ url: 'http://p:9090', selector: '{pod=vllm}' }), (e: unknown) => e instanceof PrometheusError && e.kind === 'bad-config');
  });
});
