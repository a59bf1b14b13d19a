// "Run model comparison" in the extension host: a workspace sample replayed against two
// profiles on the real embedded engine at two concurrency levels, the report returned and shown.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComparisonReport } from '../../../src/core/compare';
import { activateExtension, engineUrl } from './util';

describe('model comparison', function () {
  this.timeout(120_000);

  it('replays a workspace sample against two profiles and reports both', async () => {
    await activateExtension();
    const cfg = vscode.workspace.getConfiguration('completionLab');
    await cfg.update('profiles', [
      { name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 },
      { name: 'tiny-prefix', endpoint: engineUrl(), template: 'prefix-only', maxTokens: 8 },
    ], vscode.ConfigurationTarget.Global);
    try {
      const report = await vscode.commands.executeCommand<ComparisonReport | undefined>('completionLab.runComparison', { profiles: ['tiny', 'tiny-prefix'], count: 3, concurrency: [1, 2] });
      assert.ok(report, 'the command returns its report');
      assert.equal(report.cancelled, false);
      assert.deepEqual(report.profiles.map((p) => p.name), ['tiny', 'tiny-prefix']);
      for (const p of report.profiles) {
        assert.equal(p.status, 'ok', `${p.name}: ${p.error ?? ''}`);
        assert.equal(p.count, report.cases);
        assert.ok(p.ttftMs.p50! > 0);
        assert.ok(p.exactMatchRate! >= 0 && p.exactMatchRate! <= 1);
        assert.deepEqual(p.sweep?.map((l) => [l.concurrency, l.count]), [[1, report.cases], [2, report.cases]], `${p.name}: both levels`);
        assert.equal(p.timeline?.requests.length, 2 * report.cases, `${p.name}: every request of the run on its timeline`);
        // The engine runs on the CPU (and this machine may have no nvidia-smi): the report says why
        // there is no per-process data rather than giving the card's numbers as the model's.
        assert.equal(p.modelGpu?.attribution, 'none', `${p.name}: ${JSON.stringify(p.modelGpu)}`);
        assert.ok((p.modelGpu?.reason ?? '').length > 10, `${p.name}: the report says why`);
      }
      assert.equal(report.profiles[0]!.outputTokens, 16 * report.cases, 'usage tokens: the tiny model runs to max_tokens');
      assert.equal(report.profiles[1]!.outputTokens, 8 * report.cases);
    } finally {
      await cfg.update('profiles', [{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], vscode.ConfigurationTarget.Global);
    }
  });
});
