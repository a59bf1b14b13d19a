// Stop strings in a stream: the text before the first stop string, nothing of the stop
// string itself, even when it arrives split across tokens.
import * as assert from 'node:assert/strict';
import { StopStringFilter } from '../../src/core/engine/stopStrings';

function run(stops: string[], pieces: string[]): { text: string; stopped: string | null } {
  const f = new StopStringFilter(stops);
  let text = '';
  for (const p of pieces) {
    const r = f.push(p);
    text += r.emit;
    if (r.stopped !== null) return { text, stopped: r.stopped };
  }
  return { text: text + f.flush(), stopped: null };
}

describe('engine stop strings', () => {
  it('cuts at a stop string split across pieces and never emits part of it', () => {
    const f = new StopStringFilter(['\n\n']);
    assert.deepEqual(f.push('return x\n'), { emit: 'return x', stopped: null });
    assert.deepEqual(f.push('\nnext'), { emit: '', stopped: '\n\n' });
  });

  it('releases held-back text that turned out not to be a stop string', () => {
    assert.deepEqual(run(['</code>'], ['a </c', 'at>', ' b']), { text: 'a </cat> b', stopped: null });
    assert.deepEqual(run(['END'], ['xx', 'EN']), { text: 'xxEN', stopped: null });
  });

  it('picks the earliest of several stop strings', () => {
    assert.deepEqual(run(['def ', '\n'], ['a\nb def c']), { text: 'a', stopped: '\n' });
  });

  it('passes everything through with no stop strings (and ignores empty ones)', () => {
    assert.deepEqual(run(['', ''], ['a', 'b\n']), { text: 'ab\n', stopped: null });
  });
});
