import * as assert from 'node:assert/strict';
import { CompletionCache } from '../../src/core/cache/completionCache';

describe('CompletionCache (typing through ghost text)', () => {
  it('answers the rest of a completion when the typed text matches its start', () => {
    const c = new CompletionCache();
    c.add({ prefix: 'def add(a, b):\n    ', lineSuffix: '', text: 'return a + b', recordId: 'r1' });
    const hit = c.lookup('def add(a, b):\n    ret', '');
    assert.equal(hit?.remaining, 'urn a + b');
    assert.equal(hit?.typed, 3);
    assert.equal(hit?.entry.recordId, 'r1');
  });

  it('misses when the typed text diverges, when the line suffix changed, or when all was typed', () => {
    const c = new CompletionCache();
    c.add({ prefix: 'x = ', lineSuffix: '', text: 'foo()', recordId: 'r1' });
    assert.equal(c.lookup('x = fa', ''), undefined);
    assert.equal(c.lookup('x = f', ')'), undefined);
    assert.equal(c.lookup('x = foo()', ''), undefined);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const c = new CompletionCache(2);
    c.add({ prefix: 'a', lineSuffix: '', text: 'aa', recordId: '1' });
    c.add({ prefix: 'b', lineSuffix: '', text: 'bb', recordId: '2' });
    assert.ok(c.lookup('a', '')); // touch "a": now "b" is the oldest
    c.add({ prefix: 'c', lineSuffix: '', text: 'cc', recordId: '3' });
    assert.equal(c.size, 2);
    assert.equal(c.lookup('b', ''), undefined);
    assert.equal(c.lookup('a', '')?.remaining, 'aa');
  });
});
