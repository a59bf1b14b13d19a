// The lifecycle kit every poller and owner is built from: a ref-counted hold and a holder
// for swappable parts.
import * as assert from 'node:assert/strict';
import { DisposableValue, toDisposable } from '../../src/core/lifecycle/disposable';
import { RefCount } from '../../src/core/lifecycle/refCount';

describe('lifecycle', () => {
  it('a ref-counted hold starts on the first holder and stops after the last, each hold counted once', () => {
    const events: string[] = [];
    const holds = new RefCount(() => events.push('start'), () => events.push('stop'));
    const a = holds.acquire();
    const b = holds.acquire();
    assert.deepEqual(events, ['start']);
    a.dispose();
    a.dispose();
    assert.equal(holds.count, 1, 'a second dispose of the same hold is not a second release');
    b.dispose();
    assert.deepEqual(events, ['start', 'stop']);
    holds.acquire();
    assert.deepEqual(events, ['start', 'stop', 'start']);
  });

  it('holds taken before a reset do not count after it', () => {
    let starts = 0;
    let stops = 0;
    const holds = new RefCount(() => starts++, () => stops++);
    const old = holds.acquire();
    holds.reset();
    const fresh = holds.acquire();
    old.dispose();
    assert.equal(holds.count, 1);
    assert.equal(stops, 0, 'releasing a pre-reset hold does not stop the fresh holder\'s work');
    fresh.dispose();
    assert.deepEqual([starts, stops], [2, 1]);
  });

  it('a swappable value disposes the one it replaces, and the last one with itself', () => {
    const gone: string[] = [];
    const part = (name: string) => Object.assign(toDisposable(() => gone.push(name)), { name });
    const holder = new DisposableValue<ReturnType<typeof part>>();
    holder.value = part('first');
    holder.value = part('second');
    assert.deepEqual(gone, ['first']);
    assert.equal(holder.value?.name, 'second');
    holder.dispose();
    holder.dispose();
    assert.deepEqual(gone, ['first', 'second']);
    assert.equal(holder.value, undefined);
  });
});
