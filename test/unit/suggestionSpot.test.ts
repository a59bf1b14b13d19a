// What became of the suggestions offered at one spot, as the editor's edits and cursor moves
// reveal it: the first suggestion alone, and with the alternatives fetched when the developer
// cycles (one record per request, which may offer several texts).
import * as assert from 'node:assert/strict';
import { summarizeRecords } from '../../src/core/stats/summarize';
import type { CompletionRecord } from '../../src/core/store/record';
import { SuggestionSpot, type Settlement } from '../../src/core/typing/suggestionSpot';

/** An insert of `text` at `offset`, as the editor reports typing or Tab. */
const insert = (offset: number, text: string) => ({ rangeOffset: offset, rangeLength: 0, text });

/** Outcomes by record id. */
function byRecord(s: readonly Settlement[] | undefined): Record<string, [string, number]> {
  assert.ok(s, 'the spot settled');
  return Object.fromEntries(s.map((x) => [x.recordId, [x.outcome, x.acceptedChars]]));
}

describe('suggestion spot: one suggestion', () => {
  it('typing something else rejects it, with nothing accepted', () => {
    const spot = new SuggestionSpot(10, 'r1', 'return x');
    assert.deepEqual(byRecord(spot.change(insert(10, '#'), false)), { r1: ['rejected', 0] });
  });

  it('typing its first characters, then Tab rewriting them with the rest, accepts it whole', () => {
    const spot = new SuggestionSpot(10, 'r1', 'return x');
    assert.equal(spot.change(insert(10, 'r'), false), undefined);
    assert.equal(spot.change(insert(11, 'e'), false), undefined);
    assert.equal(spot.cursor(12, true), undefined, 'the cursor at the end of what was typed keeps it open');
    assert.deepEqual(byRecord(spot.change({ rangeOffset: 10, rangeLength: 2, text: 'return x' }, false)), { r1: ['accepted', 8] });
  });

  it('in a CRLF document a multi-line suggestion inserted with "\\r\\n" is accepted with every character', () => {
    const spot = new SuggestionSpot(4, 'r1', 'a\nb\n');
    assert.deepEqual(byRecord(spot.change(insert(4, 'a\r\nb\r\n'), true)), { r1: ['accepted', 4] });
  });

  it('moving the cursor away after taking part of it is partial; an edit before the spot only moves it', () => {
    const spot = new SuggestionSpot(10, 'r1', 'return x');
    spot.change(insert(0, '# note\n'), false);
    assert.equal(spot.offset, 17);
    spot.change(insert(17, 'ret'), false);
    assert.deepEqual(byRecord(spot.cursor(3, true)), { r1: ['partial', 3] });
    assert.equal(spot.change(insert(20, 'urn x'), false), undefined, 'settled once');
  });
});

describe('suggestion spot: typed through with the editor\'s auto-closed brackets', () => {
  /** Types `text` at `at` as the editor does: an opener arrives with its closer, a closer over an auto-closed one only moves the cursor. */
  function typeThrough(spot: SuggestionSpot, at: number, text: string, overtype: 'cursor' | 'replace'): Settlement[] | undefined {
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"' };
    let ahead = '';
    let last: Settlement[] | undefined;
    for (const ch of text) {
      let r: Settlement[] | undefined;
      if (ahead.startsWith(ch)) {
        r = overtype === 'cursor' ? spot.cursor(at + 1, true) : spot.change({ rangeOffset: at, rangeLength: 1, text: ch }, false) ?? spot.cursor(at + 1, true);
        ahead = ahead.slice(1);
      } else if (pairs[ch]) {
        r = spot.change(insert(at, ch + pairs[ch]), false) ?? spot.cursor(at + 1, true);
        ahead = pairs[ch] + ahead;
      } else {
        r = spot.change(insert(at, ch), false) ?? spot.cursor(at + 1, true);
      }
      at++;
      if (r) {
        assert.equal(last, undefined, 'settled once');
        last = r;
      }
    }
    return last;
  }

  for (const overtype of ['cursor', 'replace'] as const) {
    it(`typing every character of a call accepts it whole (closer typed over by ${overtype === 'cursor' ? 'a cursor step' : 'a replacing edit'})`, () => {
      const text = 'os.path.join(root, names["a"][0])';
      assert.deepEqual(byRecord(typeThrough(new SuggestionSpot(10, 'r1', text), 10, text, overtype)), { r1: ['accepted', text.length] });
    });
  }

  it('an opener whose auto-closed pair the suggestion itself goes on with ("()", a docstring\'s quotes) stays open and is accepted when typed through', () => {
    // Lines of the held-out standard-library fixtures (bisect.py) that `npm run bench -- outcomeTracking` found recorded partial.
    for (const text of ['"""Bisection algorithms."""', '# __lt__() logic in list.sort() and in heapq.']) {
      assert.deepEqual(byRecord(typeThrough(new SuggestionSpot(10, 'r1', text), 10, text, 'cursor')), { r1: ['accepted', text.length] }, text);
    }
  });

  it('an auto-closed bracket the suggestion does not go on with is still taken; typing something else there is partial', () => {
    const spot = new SuggestionSpot(10, 'r1', 'print(x)');
    assert.equal(typeThrough(spot, 10, 'print(', 'cursor'), undefined);
    assert.deepEqual(byRecord(spot.change(insert(16, 'y'), false)), { r1: ['partial', 6] });
  });

  it('an opener the suggestion does not have, auto-closed, rejects it', () => {
    const spot = new SuggestionSpot(10, 'r1', 'x + 1');
    assert.deepEqual(byRecord(spot.change(insert(10, '()'), false)), { r1: ['rejected', 0] });
  });

  it('stepping over the auto-closed bracket when the suggestion has something else there settles it partial', () => {
    const spot = new SuggestionSpot(10, 'r1', 'f(a, b)');
    typeThrough(spot, 10, 'f(a', 'cursor');
    assert.deepEqual(byRecord(spot.cursor(14, true)), { r1: ['partial', 3] });
  });
});

describe('suggestion spot: alternatives cycled to settle with the spot', () => {
  /** r1 shown first; r2 is the cycling request, which offered two texts. */
  function cycled(): SuggestionSpot {
    const spot = new SuggestionSpot(10, 'r1', 'return x');
    spot.add('r2', 'yield x');
    spot.add('r2', 'pass');
    return spot;
  }

  it('typing something else rejects every record, the alternatives\' too', () => {
    assert.deepEqual(byRecord(cycled().change(insert(10, '#'), false)), { r1: ['rejected', 0], r2: ['rejected', 0] });
  });

  it('moving the cursor away rejects every record', () => {
    assert.deepEqual(byRecord(cycled().cursor(0, true)), { r1: ['rejected', 0], r2: ['rejected', 0] });
  });

  it('Tab on an alternative accepts its record with that text\'s length and rejects the first', () => {
    const spot = cycled();
    assert.deepEqual(byRecord(spot.change(insert(10, 'pass'), false)), { r1: ['rejected', 0], r2: ['accepted', 4] });
    assert.equal(spot.accept('r2', 'pass'), undefined, 'its accept command then changes nothing');
  });

  it('Tab on the first suggestion rejects the alternatives\' record', () => {
    assert.deepEqual(byRecord(cycled().change(insert(10, 'return x'), false)), { r1: ['accepted', 8], r2: ['rejected', 0] });
  });

  it('taking the first word of an alternative, then moving on, makes its record partial and the first rejected', () => {
    const spot = cycled();
    assert.equal(spot.change(insert(10, 'yield '), false), undefined);
    assert.deepEqual(byRecord(spot.change(insert(16, '#'), false)), { r1: ['rejected', 0], r2: ['partial', 6] });
  });

  it('an accept command after an edit the editor reshaped settles it again, and says only what changed', () => {
    const spot = cycled();
    // The editor re-indented the alternative: no suggestion matches the edit.
    assert.deepEqual(byRecord(spot.change(insert(10, '  pass'), false)), { r1: ['rejected', 0], r2: ['rejected', 0] });
    assert.deepEqual(byRecord(spot.accept('r2', 'pass')), { r2: ['accepted', 4] });
    assert.deepEqual(byRecord(spot.settlements), { r1: ['rejected', 0], r2: ['accepted', 4] });
  });

  it('an accept command naming a text of the record the spot was not told of still accepts that record', () => {
    const spot = cycled();
    assert.deepEqual(byRecord(spot.accept('r2', 'yield y')), { r1: ['rejected', 0], r2: ['accepted', 7] });
  });

  it('alternatives that come after the spot settled do not join it', () => {
    const spot = new SuggestionSpot(10, 'r1', 'return x');
    spot.cursor(0, true);
    spot.add('r2', 'pass');
    assert.equal(spot.has('r2'), false);
  });

  it('the acceptance rate stays per request: a request offering several alternatives counts once', () => {
    const base = { v: 2 as const, kind: 'completion' as const, profile: 'p', model: 'm', endpoint: 'e', template: 't', languageId: 'py', pathHash: 'h', ts: 0 };
    const records = (s: readonly Settlement[] | undefined): CompletionRecord[] => (s ?? []).map((x) => ({ ...base, id: x.recordId, outcome: x.outcome, acceptedChars: x.acceptedChars }));
    // Two spots: an alternative taken at one, nothing taken at the other.
    const all = [...records(cycled().change(insert(10, 'pass'), false)), ...records(cycled().cursor(0, true))];
    const summary = summarizeRecords(all, 'p');
    assert.equal(summary.shown, 4, 'two requests per spot, whatever the number of texts each offered');
    assert.equal(summary.accepted, 1);
    assert.equal(summary.acceptanceRate, 0.25);
  });
});
