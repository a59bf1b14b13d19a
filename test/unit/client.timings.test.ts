import * as assert from 'node:assert/strict';
import { computeTimings } from '../../src/core/client/timings';
import type { TimingMarks } from '../../src/core/client/types';

describe('client timings (DESIGN.md metrics)', () => {
  const marks = (m: Partial<TimingMarks>): TimingMarks => ({ t0: 1000, chunks: [], wallT0: 0, ...m });

  it('computes TTFT, E2E, TPOT and decode speed from the marks and usage', () => {
    const t = computeTimings(marks({ firstChunk: 1100, lastContent: 1500, chunks: [1100, 1300, 1500, 1510] }), { promptTokens: 7, completionTokens: 5 });
    assert.equal(t.ttftMs, 100);
    assert.equal(t.e2eMs, 500); // last content chunk, not the trailing usage/finish chunk
    assert.equal(t.outputTokens, 5);
    assert.equal(t.promptTokens, 7);
    assert.equal(t.tpotMs, 100); // (500 - 100) / (5 - 1)
    assert.equal(t.decodeTokensPerSec, 10); // 4 tokens in 0.4 s
  });

  it('takes the token count from usage, never from the number of chunks', () => {
    const t = computeTimings(marks({ firstChunk: 1100, lastContent: 1200, chunks: [1100, 1200] }), { promptTokens: 1, completionTokens: 11 });
    assert.equal(t.outputTokens, 11);
    assert.equal(t.tpotMs, 10);
  });

  it('leaves token-based numbers undefined without usage', () => {
    const t = computeTimings(marks({ firstChunk: 1100, lastContent: 1200, chunks: [1100, 1200] }), null);
    assert.equal(t.ttftMs, 100);
    assert.equal(t.e2eMs, 200);
    assert.equal(t.outputTokens, undefined);
    assert.equal(t.tpotMs, undefined);
    assert.equal(t.decodeTokensPerSec, undefined);
  });

  it('has no TPOT for a single token or when E2E does not exceed TTFT', () => {
    const one = computeTimings(marks({ firstChunk: 1100, lastContent: 1100, chunks: [1100] }), { promptTokens: 1, completionTokens: 1 });
    assert.equal(one.tpotMs, undefined);
    assert.equal(one.decodeTokensPerSec, undefined);
    const burst = computeTimings(marks({ firstChunk: 1100, lastContent: 1100, chunks: [1100] }), { promptTokens: 1, completionTokens: 8 });
    assert.equal(burst.e2eMs, burst.ttftMs);
    assert.equal(burst.tpotMs, undefined);
  });

  it('falls back to the last chunk for E2E when no chunk carried text', () => {
    const t = computeTimings(marks({ firstChunk: 1100, chunks: [1100, 1250] }), { promptTokens: 3, completionTokens: 0 });
    assert.equal(t.e2eMs, 250);
  });

  it('has no TTFT or E2E when nothing arrived', () => {
    const t = computeTimings(marks({}), null);
    assert.equal(t.ttftMs, undefined);
    assert.equal(t.e2eMs, undefined);
  });
});
