// The same model as two profiles, with and without other files in the prompt, compared on
// workspace samples against the real embedded engine (tiny model): what the snippets did
// to the prompt, case by case.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseProfileSpec } from '../../src/cli/commands/compare';
import { sampleWorkspaceCases } from '../../src/core/compare/cases';
import { toMarkdown } from '../../src/core/compare/report';
import { DEFAULT_BUDGET_TOKENS, runComparison } from '../../src/core/compare/runner';
import { repoRoot, startEngine, type StartedEngine } from '../support/engine';

describe('compare: one model with and without other files', function () {
  this.timeout(180_000);
  let engine: StartedEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => engine?.stop());

  it('the CLI takes otherFiles in a profile spec: true or false, nothing else', () => {
    assert.equal(parseProfileSpec('with=http://127.0.0.1:8000,otherFiles=true').otherFiles, true);
    assert.equal(parseProfileSpec('without=http://127.0.0.1:8000,otherFiles=false').otherFiles, false);
    assert.throws(() => parseProfileSpec('x=http://127.0.0.1:8000,otherFiles=yes'), /otherFiles must be true or false, got "yes"/);
  });

  it('workspace cases carry their neighbours; the "with" profile sends them (more prompt tokens, within the budget), the other does not', async () => {
    const cases = await sampleWorkspaceCases(path.join(repoRoot, 'sample-workspace'), { count: 6, seed: 2 });
    const main = cases.find((c) => c.file === 'main.py');
    assert.ok(main, `a case in main.py among ${cases.map((c) => c.id).join(', ')}`);
    assert.deepEqual(main.otherFiles?.snippets.map((s) => s.path), ['stats.py'], 'the Python file beside it, not the TypeScript one');
    const ts = cases.find((c) => c.file === 'src/inventory.ts');
    if (ts) assert.equal(ts.otherFiles, undefined, 'a file alone in its folder with no relative imports has none');

    const report = await runComparison({
      cases,
      profiles: [
        { name: 'with', endpoint: engine.url, template: 'qwen-fim', maxTokens: 4, otherFiles: true },
        { name: 'without', endpoint: engine.url, template: 'qwen-fim', maxTokens: 4 },
      ],
      seed: 1,
    });
    const [withP, withoutP] = report.profiles;
    assert.equal(withP!.failures, 0);
    for (const c of cases) {
      const a = withP!.results.find((r) => r.caseId === c.id)!;
      const b = withoutP!.results.find((r) => r.caseId === c.id)!;
      assert.ok(a.promptTokens! <= DEFAULT_BUDGET_TOKENS);
      if (c.otherFiles) assert.ok(a.promptTokens! > b.promptTokens!, `${c.id}: ${a.promptTokens} tokens with other files, ${b.promptTokens} without`);
      else assert.equal(a.promptTokens, b.promptTokens, `${c.id}: nothing to add`);
    }
    // The report puts the cost beside TTFT and quality.
    const row = /\| Prompt tokens \(mean\) \| (\d+)[^|]*\| (\d+)/.exec(toMarkdown(report));
    assert.ok(row, 'a prompt-tokens row in the report');
    assert.ok(Number(row[1]) > Number(row[2]), `mean prompt tokens with ${row[1]} > without ${row[2]}`);
  });
});
