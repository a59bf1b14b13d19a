import * as assert from 'node:assert/strict';
import { mulberry32 } from '../../src/core/random';
import { FAST_GAP_MS, PAUSE_GAP_MS, TypingRhythm, waitForGap } from '../../src/core/typing/adaptiveDebounce';

const bounds = { minMs: 40, maxMs: 400 };

/** Keystroke times with gaps drawn around `meanGap` (±50 %), from a seeded generator. */
function typing(rhythm: TypingRhythm, start: number, keys: number, meanGap: number, seed: number): number {
  const rand = mulberry32(seed);
  let t = start;
  for (let i = 0; i < keys; i++) {
    t += meanGap * (0.5 + rand());
    rhythm.keystroke(t);
  }
  return t;
}

describe('adaptive debounce', () => {
  it('waits the longest at fast typing and the shortest after a pause, never outside the bounds', () => {
    assert.equal(waitForGap(FAST_GAP_MS / 2, bounds), 400);
    assert.equal(waitForGap(PAUSE_GAP_MS * 3, bounds), 40);
    for (let g = 0; g <= 2000; g += 37) {
      const w = waitForGap(g, bounds);
      assert.ok(w >= 40 && w <= 400, `${g} ms gap -> ${w} ms`);
      assert.ok(w >= waitForGap(g + 37, bounds), 'a longer gap never waits longer');
    }
  });

  it('fast typists wait longer than slow ones, for generated keystroke timings of many seeds', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const fast = new TypingRhythm();
      const slow = new TypingRhythm();
      typing(fast, 0, 30, 60, seed);
      typing(slow, 0, 30, 450, seed);
      assert.ok(fast.wait(bounds) > slow.wait(bounds), `seed ${seed}: fast ${fast.wait(bounds)} ms vs slow ${slow.wait(bounds)} ms`);
    }
  });

  it('follows the rhythm as it changes: a burst lengthens the wait, a pause shortens it again', () => {
    const r = new TypingRhythm();
    assert.equal(r.wait(bounds), 40, 'the first keystroke after opening is treated as after a pause');
    let t = typing(r, 1000, 20, 700, 7);
    const paused = r.wait(bounds);
    t = typing(r, t, 15, 50, 8);
    const burst = r.wait(bounds);
    assert.ok(burst > paused, `burst ${burst} > paused ${paused}`);
    typing(r, t, 8, 900, 9);
    assert.ok(r.wait(bounds) < burst, 'slowing down shortens the wait again');
  });

  it('equal bounds give a fixed wait (the old debounceMs)', () => {
    const r = new TypingRhythm();
    typing(r, 0, 10, 50, 3);
    assert.equal(r.wait({ minMs: 150, maxMs: 150 }), 150);
  });
});
