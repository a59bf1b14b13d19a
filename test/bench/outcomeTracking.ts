// Following what becomes of a suggestion runs on every edit and cursor move while a
// suggestion shows. This times SuggestionSpot's work per editor event when a developer types
// real lines through (lines of the held-out standard-library fixtures, 20-120 characters):
// lines of letters only, against lines with brackets and quotes the editor auto-closes and
// the developer types over. Prints one table.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentileOf } from '../../src/core/stats/describe';
import { SuggestionSpot } from '../../src/core/typing/suggestionSpot';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'" };

/** Per-event times (µs) of typing `text` through, as the editor reports it, and the outcome. */
function typeThrough(text: string, times: number[]): string {
  const spot = new SuggestionSpot(1000, 'r', text);
  let at = 1000;
  let ahead = '';
  let outcome = 'open';
  const timed = (f: () => unknown) => {
    const t0 = performance.now();
    const r = f() as { outcome: string }[] | undefined;
    times.push((performance.now() - t0) * 1000);
    if (r) outcome = r[0]!.outcome;
  };
  for (const ch of text) {
    if (ahead.startsWith(ch)) {
      ahead = ahead.slice(1);
    } else if (PAIRS[ch]) {
      timed(() => spot.change({ rangeOffset: at, rangeLength: 0, text: ch + PAIRS[ch] }, false));
      ahead = PAIRS[ch] + ahead;
    } else {
      timed(() => spot.change({ rangeOffset: at, rangeLength: 0, text: ch }, false));
    }
    at++;
    timed(() => spot.cursor(at, true));
  }
  return outcome;
}

function main(): void {
  const dir = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'stdlib-heldout');
  const lines = fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')).map((l) => l.trim());
  const sized = lines.filter((l) => l.length >= 20 && l.length <= 120);
  const groups = { 'letters, digits, spaces, dots': sized.filter((l) => /^[\w .=:,+*-]+$/.test(l)), 'with brackets or quotes': sized.filter((l) => /[([{"']/.test(l)) };
  console.log('| lines typed through | lines | accepted | events | per event p50 (µs) | p90 | p99 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, group] of Object.entries(groups)) {
    for (const l of group.slice(0, 50)) typeThrough(l, []); // warm up
    const times: number[] = [];
    const accepted = group.filter((l) => typeThrough(l, times) === 'accepted').length;
    const f = (q: number) => percentileOf(times, q)!.toFixed(2);
    console.log(`| ${name} | ${group.length} | ${accepted} | ${times.length} | ${f(50)} | ${f(90)} | ${f(99)} |`);
  }
}

main();
