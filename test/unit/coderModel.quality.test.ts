// The bundled code model, served by the real embedded engine at temperature 0, on
// held-out standard-library code (test/fixtures/stdlib-heldout, never trained on):
// its completions are mostly valid Python, the FIM template helps it, and a wrong
// template (prefix and suffix swapped) hurts it. These catch a broken FIM template, a
// wrong stop token or a post-processing bug that noise from the random-weight model hides.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { sampleWorkspaceCases, type ReplayCase } from '../../src/core/compare/cases';
import type { ComparisonReport, ProfileResult } from '../../src/core/compare/report';
import { runComparison } from '../../src/core/compare/runner';
import { bundledModelPath } from '../../src/core/engine/bundledModel';
import { repoRoot, startEngine, type StartedEngine } from '../support/engine';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'stdlib-heldout');
const CASES = 30;

/** Which documents Python's own parser accepts (python3 -c with ast.parse). */
function pythonParses(docs: string[]): boolean[] | undefined {
  const script = 'import ast,json,sys\nout=[]\nfor d in json.load(sys.stdin):\n  try:\n    ast.parse(d); out.append(True)\n  except Exception:\n    out.append(False)\nprint(json.dumps(out))';
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(docs), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as boolean[];
}

const score = (p: ProfileResult): number => p.meanEditSimFirstLine ?? 0;

describe('bundled code model: quality on held-out Python (real engine, temperature 0)', function () {
  this.timeout(900_000);
  let engine: StartedEngine;
  let cases: ReplayCase[];
  let report: ComparisonReport;
  let lineEnds: ComparisonReport;
  const byName = (n: string): ProfileResult => report.profiles.find((p) => p.name === n)!;

  before(async () => {
    const model = bundledModelPath(repoRoot);
    assert.ok(model, 'models/ holds the bundled model');
    engine = await startEngine({ model, args: ['--threads', '1', '--parallel', '1'], timeoutMs: 300_000 });
    // Line starts with at least 5 lines above and the rest of the file below: mid-file spots.
    cases = await sampleWorkspaceCases(fixtures, { count: CASES, seed: 7 });
    const common = { endpoint: engine.url, temperature: 0, maxTokens: 32 };
    report = await runComparison({
      cases,
      profiles: [
        { name: 'fim', template: 'qwen-fim', ...common },
        { name: 'prefix-only', template: 'prefix-only', ...common },
        // The FIM tokens with prefix and suffix swapped: what a template bug would send.
        { name: 'swapped', template: 'custom', customTemplate: '<|fim_prefix|>{suffix}<|fim_suffix|>{prefix}<|fim_middle|>', ...common },
      ],
      budgetTokens: 768,
      warmupRequests: 0,
      seed: 1,
    });
    // The end of a finished line at the end of what is written so far (the rest of the file cut
    // away): where one pauses after typing a line of new code.
    // Lines that open a block (`def f(x):`, `if ...:`), where a body must follow.
    const ends = (await sampleWorkspaceCases(fixtures, { count: 400, seed: 7, cursor: 'line-end' })).filter((c) => c.prefix.trimEnd().endsWith(':')).slice(0, CASES);
    assert.equal(ends.length, CASES);
    lineEnds = await runComparison({
      cases: ends.map((c) => ({ ...c, suffix: '' })),
      profiles: [{ name: 'fim', template: 'qwen-fim', ...common }],
      budgetTokens: 768,
      warmupRequests: 0,
      seed: 1,
    });
  });
  after(async () => {
    await engine?.stop();
  });

  it('answers every case with every profile', () => {
    assert.equal(cases.length, CASES);
    for (const p of report.profiles) assert.deepEqual([p.name, p.status, p.count, p.failures], [p.name, 'ok', CASES, 0]);
  });

  it('writes completions that still parse as Python after insertion, more often than not', function () {
    const fim = byName('fim');
    const docs = fim.results.map((r) => {
      const c = cases.find((k) => k.id === r.caseId)!;
      return c.prefix + (r.completion ?? '') + c.suffix;
    });
    const parsed = pythonParses(docs);
    if (!parsed) this.skip(); // no python3 on this machine: nothing to parse with
    const rate = parsed!.filter(Boolean).length / parsed!.length;
    assert.ok(rate > 0.5, `parses after insertion: ${(rate * 100).toFixed(0)} %`);
  });

  // The suffix must help: with a wrong FIM template or a model that ignores the suffix, this
  // fails (it did with the model of training run 2: fim 0.26, prefix-only 0.46). The shipped
  // model (run 7), measured here: fim 0.407, prefix-only 0.350, swapped 0.084 (run 5: 0.423,
  // 0.358; run 4: 0.355, 0.310; training/MODEL_CARD.md).
  it('completes mid-file spots better with the FIM template than prefix-only', () => {
    assert.ok(score(byName('fim')) > score(byName('prefix-only')), `first-line edit similarity: fim ${score(byName('fim'))}, prefix-only ${score(byName('prefix-only'))}`);
  });

  // What the ghost text shows after one types a block's first line (`def f(x):`, `if ...:`) at
  // the end of new code: the block's body on the next line, indented. A prompt without the
  // FIM template there makes these models end the finished line instead (a trailing comment
  // such as `  # pragma: no cover`), and with the right one they go on to the body: the
  // shipped model (run 7) does at 27 of these 30 (run 5: 21); with prefix-only prompts both
  // do at 0 of 30, so this fails when the FIM template is not sent.
  it('after a block\'s first line at the end of new code, suggests the indented body below', () => {
    const shown = lineEnds.profiles[0]!.results.map((r) => r.completion ?? '').filter((c) => c.trim().length > 0);
    const body = shown.filter((c) => /^\r?\n[ \t]+\S/.test(c));
    assert.ok(body.length >= CASES / 2, `${body.length} of ${CASES} suggestions start the body on the next line; the others: ${JSON.stringify(shown.filter((c) => !body.includes(c)).slice(0, 5))}`);
  });

  it('scores clearly worse with prefix and suffix swapped', () => {
    assert.ok(score(byName('fim')) - score(byName('swapped')) > 0.1, `first-line edit similarity: fim ${score(byName('fim'))}, swapped ${score(byName('swapped'))}`);
  });
});
