// winners(): which profiles a comparison report marks best on one metric.
import * as assert from 'node:assert/strict';
import { winners, type ComparisonReport, type ProfileResult } from '../../src/core/compare/report';

function profile(name: string, v: number | undefined, extra: Partial<ProfileResult> = {}): ProfileResult {
  return { name, endpoint: 'http://127.0.0.1:8000', status: 'ok', count: 10, failures: 0, cancelledRequests: 0, outputTokens: 100, throughputTokensPerSec: v, ...extra } as ProfileResult;
}

function report(...profiles: ProfileResult[]): ComparisonReport {
  return { startedAt: 0, finishedAt: 1, cancelled: false, cases: 10, source: 'workspace', ttftSloMs: 500, concurrency: 1, profiles };
}

const value = (p: ProfileResult) => p.throughputTokensPerSec;

describe('compare: winners()', () => {
  it('lower is better: the smallest value wins, higher is better: the largest', () => {
    const r = report(profile('a', 30), profile('b', 10), profile('c', 20));
    assert.deepEqual(winners(r, value, 'lower'), ['b']);
    assert.deepEqual(winners(r, value, 'higher'), ['a']);
  });

  it('a tie names every profile at the best value, in report order', () => {
    const r = report(profile('a', 5), profile('b', 7), profile('c', 5));
    assert.deepEqual(winners(r, value, 'lower'), ['a', 'c']);
    assert.deepEqual(winners(report(profile('a', 4), profile('b', 4)), value, 'higher'), ['a', 'b']);
  });

  it('failed profiles and profiles with no finished request never win', () => {
    const r = report(profile('down', 1, { status: 'failed', error: 'connection refused' }), profile('empty', 2, { count: 0 }), profile('a', 9), profile('b', 8));
    assert.deepEqual(winners(r, value, 'lower'), ['b']);
  });

  it('missing or non-finite values are left out, and fewer than two values name no winner', () => {
    assert.deepEqual(winners(report(profile('a', undefined), profile('b', NaN), profile('c', 3), profile('d', Infinity)), value, 'higher'), []);
    assert.deepEqual(winners(report(profile('a', undefined), profile('b', 2), profile('c', 3)), value, 'higher'), ['c']);
    assert.deepEqual(winners(report(profile('a', 1)), value, 'lower'), []);
    assert.deepEqual(winners(report(), value, 'lower'), []);
  });

  it('a cancelled profile still counts with the requests it finished', () => {
    const r = report(profile('a', 3, { status: 'cancelled' }), profile('b', 4));
    assert.deepEqual(winners(r, value, 'lower'), ['a']);
  });
});
