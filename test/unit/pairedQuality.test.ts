// Whether a quality gap between two profiles is real or chance: the statistics against
// textbook values, then the report's section on real comparison reports of the bundled
// model's training (300 and 100 held-out standard-library spots).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toMarkdown, type ComparisonReport } from '../../src/core/compare/report';
import { bootstrapMeanInterval, mcnemarExactP, pairedQuality, wilsonInterval } from '../../src/core/stats/pairedQuality';
import { toView } from '../../src/extension/comparisonView';

const repo = path.resolve(__dirname, '..', '..', '..');
const evalReport = (rel: string): ComparisonReport => JSON.parse(fs.readFileSync(path.join(repo, 'training', 'runs', rel), 'utf8')) as ComparisonReport;

/** The section's row for `profile`, split into cells. */
function row(md: string, profile: string): string[] {
  const section = md.slice(md.indexOf('## Quality gaps'));
  const line = section.split('\n').find((l) => l.startsWith(`| ${profile} |`));
  assert.ok(line, `a row for ${profile} in:\n${section}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

describe('paired quality: is a gap real or chance', () => {
  it('Wilson intervals match the textbook values', () => {
    const [lo, hi] = wilsonInterval(20, 300);
    assert.ok(Math.abs(lo - 0.0436) < 5e-4 && Math.abs(hi - 0.1007) < 5e-4, `${lo} ${hi}`);
    assert.equal(wilsonInterval(0, 10)[0], 0);
    assert.ok(wilsonInterval(0, 10)[1] > 0.25, 'no hits in 10 still allows a quarter');
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
  });

  it('McNemar\'s exact p: 7 against 3 discordant cases is chance (p = 0.344), 10 against 0 is not', () => {
    const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} against ${y}`);
    near(mcnemarExactP(7, 3), 0.34375);
    near(mcnemarExactP(3, 7), 0.34375);
    near(mcnemarExactP(10, 0), 2 / 1024);
    assert.equal(mcnemarExactP(0, 0), 1);
    const big = mcnemarExactP(300, 200);
    assert.ok(big > 0 && big < 1e-4, `large counts stay finite: ${big}`);
  });

  it('the bootstrap interval holds the mean, is the same on every run, and is a point for constant differences', () => {
    const diffs = Array.from({ length: 200 }, (_, i) => ((i * 37) % 11) / 10 - 0.3);
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const ci = bootstrapMeanInterval(diffs)!;
    assert.ok(ci[0] < mean && mean < ci[1], `${ci} around ${mean}`);
    assert.deepEqual(bootstrapMeanInterval(diffs), ci);
    const point = bootstrapMeanInterval([0.1, 0.1, 0.1])!;
    assert.ok(Math.abs(point[0] - 0.1) < 1e-12 && Math.abs(point[1] - 0.1) < 1e-12, `${point}`);
    assert.equal(bootstrapMeanInterval([1]), undefined);
  });

  it('pairs cases by id and counts the ones only one side got right', () => {
    const a = [{ caseId: 'x', exact: true, editSimFirstLine: 1 }, { caseId: 'y', exact: false, editSimFirstLine: 0.5 }, { caseId: 'z', exact: true, editSimFirstLine: 1 }];
    const b = [{ caseId: 'y', exact: true, editSimFirstLine: 1 }, { caseId: 'x', exact: true, editSimFirstLine: 1 }];
    const q = pairedQuality(a, b)!;
    assert.deepEqual([q.cases, q.exactA, q.exactB, q.onlyA, q.onlyB], [2, 1, 2, 0, 1]);
    assert.equal(q.editSimDiff, -0.25);
    assert.equal(pairedQuality(a, []), undefined);
  });

  it('the report says the bundled model\'s FIM and prefix-only exact first lines at 300 spots are within chance of each other', () => {
    const report = evalReport('eval-2026-11-30-c/compare-run5-300.json');
    const cells = row(toMarkdown(report), 'prefix-only');
    assert.equal(cells[1], 'fim');
    assert.equal(cells[2], '300');
    assert.match(cells[3]!, /^7\.7% \(\d\.\d%-\d+\.\d%\) vs 6\.7% \(\d\.\d%-\d+\.\d%\)$/);
    const [only, other] = cells[4]!.split(' / ').map(Number);
    assert.equal(only! - other!, 23 - 20, 'the discordant cases account for the gap in exact answers');
    assert.ok(Number(cells[5]) > 0.05, `p ${cells[5]}`);
    assert.match(toMarkdown(report), /otherwise it may be chance/);
  });

  it('a clear gap gets a small p or an interval that leaves out 0 (run 2: FIM far below prefix-only at 100 spots)', () => {
    const cells = row(toMarkdown(evalReport('eval-2026-11-30/compare-stdlib-100.json')), 'prefix-only');
    const m = /^\+(\d\.\d{3}) \(\+(\d\.\d{3}) to \+(\d\.\d{3})\)$/.exec(cells[6]!);
    assert.ok(m, `prefix-only's first-line edit similarity clearly above FIM's: ${cells[6]}`);
    assert.ok(Number(m[2]) > 0, 'the interval leaves out 0');
  });

  it('the panel gets the same gaps as the report, with the verdict (run 5 at 300 spots: chance; run 2 at 100: real)', () => {
    const chance = toView(evalReport('eval-2026-11-30-c/compare-run5-300.json')).qualityGaps!;
    assert.deepEqual(chance.map((g) => [g.profile, g.against, g.cases, g.exactThis, g.exactAgainst, g.real]), [['prefix-only', 'fim', 300, 23, 20, false]]);
    const cells = row(toMarkdown(evalReport('eval-2026-11-30-c/compare-run5-300.json')), 'prefix-only');
    assert.equal(chance[0]!.exactP.toFixed(3), cells[5], 'the p the report prints');
    const real = toView(evalReport('eval-2026-11-30/compare-stdlib-100.json')).qualityGaps!;
    assert.equal(real.length, 1);
    assert.ok(real[0]!.real && real[0]!.editSimInterval![0] > 0, JSON.stringify(real[0]));
  });

  it('a report with one profile has no such section', () => {
    const report = evalReport('eval-2026-11-30-c/compare-run5-300.json');
    assert.doesNotMatch(toMarkdown({ ...report, profiles: report.profiles.slice(0, 1) }), /Quality gaps/);
  });
});
