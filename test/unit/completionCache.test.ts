import * as assert from 'node:assert/strict';
import { cacheKey } from '../../src/core/cache/cacheKey';
import { CompletionCache } from '../../src/core/cache/completionCache';

/** The text after typing `typed` at `at`. */
function typeAt(text: string, at: number, typed: string): string {
  return text.slice(0, at) + typed + text.slice(at);
}

describe('CompletionCache (typing through ghost text)', () => {
  it('answers the rest of a completion when the typed text matches its start', () => {
    const c = new CompletionCache();
    const text = 'def add(a, b):\n    ';
    c.add('a.py', text, text.length, 'return a + b', 'r1');
    const now = `${text}ret`;
    const hit = c.lookup('a.py', now, now.length);
    assert.equal(hit?.remaining, 'urn a + b');
    assert.equal(hit?.typed, 3);
    assert.equal(hit?.entry.recordId, 'r1');
  });

  it('hits at the end of a 6,000-line file after every typed character (the key does not slide)', () => {
    const c = new CompletionCache();
    const file = Array.from({ length: 6000 }, (_, i) => `value_${i} = compute(${i})`).join('\n') + '\n';
    const text = `${file}def total(values):\n    `;
    const suggestion = 'return sum(values)';
    c.add('big.py', text, text.length, suggestion, 'r1', { before: 6000, after: 4000 });
    for (let k = 1; k < suggestion.length; k++) {
      const now = text + suggestion.slice(0, k);
      assert.equal(c.lookup('big.py', now, now.length)?.remaining, suggestion.slice(k), `after ${k} typed characters`);
    }
  });

  it('typing through in the middle of a file keeps the text after the cursor in the key', () => {
    const c = new CompletionCache();
    const text = 'a = 1\nb = \nc = 3\n';
    const at = 'a = 1\nb = '.length;
    c.add('m.py', text, at, 'a + 1', 'r1');
    const now = typeAt(text, at, 'a +');
    assert.equal(c.lookup('m.py', now, at + 3)?.remaining, ' 1');
    // The line below changed: the suggestion was made for other code.
    const edited = now.replace('c = 3', 'c = 4');
    assert.equal(c.lookup('m.py', edited, at + 3), undefined);
  });

  it('misses when the typed text diverges, an edit changed the text before, another document, or all was typed', () => {
    const c = new CompletionCache();
    const text = 'import os\nx = ';
    c.add('a.py', text, text.length, 'foo()', 'r1');
    assert.equal(c.lookup('a.py', `${text}fa`, text.length + 2), undefined);
    assert.equal(c.lookup('a.py', `${text}foo()`, text.length + 5), undefined);
    assert.equal(c.lookup('b.py', `${text}f`, text.length + 1), undefined);
    // Same length, same anchor, one character above changed.
    const edited = `import oz\nx = f`;
    assert.equal(c.lookup('a.py', edited, edited.length), undefined);
    // A line inserted above: the anchor moved.
    const shifted = `# note\n${text}f`;
    assert.equal(c.lookup('a.py', shifted, shifted.length), undefined);
    assert.equal(c.lookup('a.py', `${text}f`, text.length + 1)?.remaining, 'oo()');
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const c = new CompletionCache(2);
    c.add('d', 'a', 1, 'aa', '1');
    c.add('d', 'b', 1, 'bb', '2');
    assert.ok(c.lookup('d', 'a', 1)); // touch "a": now "b" is the oldest
    c.add('d', 'c', 1, 'cc', '3');
    assert.equal(c.size, 2);
    assert.equal(c.lookup('d', 'b', 1), undefined);
    assert.equal(c.lookup('d', 'a', 1)?.remaining, 'aa');
  });

  it('cacheKey hashes only its windows: the same windows in different files give the same key', () => {
    const around = 'x'.repeat(100);
    const a = cacheKey(`${'A'.repeat(5000)}${around}|${around}`, 5100, 5100, { before: 100, after: 101 });
    const b = cacheKey(`${'B'.repeat(5000)}${around}|${around}`, 5100, 5100, { before: 100, after: 101 });
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, cacheKey(`${'B'.repeat(5000)}${around}|${around}`, 5100, 5100, { before: 101, after: 101 }).hash);
  });
});
