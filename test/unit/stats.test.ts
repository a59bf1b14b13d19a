import * as assert from 'node:assert/strict';
import { distribution, mean, percentileOf, std } from '../../src/core/stats/describe';
import { summarize } from '../../src/core/stats/summarize';
import type { CompletionRecord } from '../../src/core/store/record';

describe('stats: descriptive numbers (hand-computed, numpy-compatible)', () => {
  it('percentile interpolates linearly like numpy.percentile', () => {
    const v = [15, 20, 35, 40, 50];
    // numpy.percentile(v, 40) = 29.0: pos = 4*0.4 = 1.6 -> 20 + 0.6*(35-20)
    assert.equal(percentileOf(v, 40), 29);
    assert.equal(percentileOf(v, 50), 35);
    assert.equal(percentileOf(v, 0), 15);
    assert.equal(percentileOf(v, 100), 50);
    // numpy.percentile([1,2,3,4], 90) = 3.7
    assert.ok(Math.abs(percentileOf([4, 1, 3, 2], 90)! - 3.7) < 1e-12);
    // numpy.percentile(range(1,11), 99) = 9.91
    assert.ok(Math.abs(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)! - 9.91) < 1e-12);
    assert.equal(percentileOf([], 50), undefined);
    assert.equal(percentileOf([7], 99), 7);
    assert.throws(() => percentileOf([1], 101), RangeError);
  });

  it('mean and population std', () => {
    assert.equal(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
    assert.equal(std([2, 4, 4, 4, 5, 5, 7, 9]), 2);
    assert.equal(mean([]), undefined);
    const d = distribution([3, undefined, 1, null, 2, NaN]);
    assert.deepEqual(d, { count: 3, mean: 2, std: Math.sqrt(2 / 3), min: 1, p50: 2, p90: 2.8, p99: 2.98, max: 3 });
  });
});

describe('stats: summarize records per profile', () => {
  const base = { v: 1 as const, kind: 'completion' as const, model: 'm', endpoint: 'e', template: 't', languageId: 'py', pathHash: 'h' };
  const records: CompletionRecord[] = [
    { ...base, id: 'a1', profile: 'A', ts: 0, timings: { ttftMs: 100, e2eMs: 500, tpotMs: 10, decodeTokensPerSec: 100, outputTokens: 41 }, outcome: 'accepted' },
    { ...base, id: 'a2', profile: 'A', ts: 1000, timings: { ttftMs: 300, e2eMs: 1000, tpotMs: 20, decodeTokensPerSec: 50, outputTokens: 36 }, outcome: 'rejected' },
    { ...base, id: 'a3', profile: 'A', ts: 2000, timings: { ttftMs: 200, e2eMs: 1000, tpotMs: 30, decodeTokensPerSec: 40, outputTokens: 23 }, outcome: 'partial', acceptedChars: 4 },
    { ...base, id: 'a4', profile: 'A', ts: 2500, outcome: 'failed', error: 'HTTP 500' },
    { ...base, id: 'b1', profile: 'B', ts: 0, timings: { ttftMs: 50, e2eMs: 250, outputTokens: 10 }, outcome: 'cancelled' },
  ];

  it('computes counts, failure rate, distributions, acceptance, throughput and goodput', () => {
    const [a, b] = summarize(records, { ttftSloMs: 200 });
    assert.equal(a!.profile, 'A');
    assert.equal(a!.count, 4);
    assert.equal(a!.failures, 1);
    assert.equal(a!.failureRate, 0.25);
    assert.equal(a!.ttftMs.count, 3);
    assert.equal(a!.ttftMs.p50, 200);
    assert.equal(a!.ttftMs.mean, 200);
    assert.equal(a!.ttftMs.p90, 280); // pos 1.8 between 200 and 300
    assert.equal(a!.e2eMs.p50, 1000);
    assert.equal(a!.tpotMs.mean, 20);
    assert.equal(a!.decodeTokensPerSec.p50, 50);
    // shown = accepted + rejected + partial = 3; kept = accepted + partial = 2
    assert.equal(a!.shown, 3);
    assert.equal(a!.acceptanceRate, 2 / 3);
    // tokens 41+36+23 = 100 over wall 0 .. 3000 ms (a3: 2000 + 1000) -> 33.33 tok/s
    assert.equal(a!.outputTokens, 100);
    assert.equal(a!.wallMs, 3000);
    assert.ok(Math.abs(a!.throughputTokensPerSec! - 100 / 3) < 1e-9);
    // TTFT <= 200 ms: a1 and a3 of 4 requests (the failed one counts against)
    assert.equal(a!.goodput, 0.5);
    assert.equal(b!.profile, 'B');
    assert.equal(b!.acceptanceRate, undefined, 'nothing shown');
    assert.equal(b!.goodput, 1);
  });
});
