// Comparison numbers that belong to one model: two real embedded engines serving tiny models
// of clearly different size, and a stand-in nvidia-smi replaying the real capture of two
// servers on one H200 with the captured PIDs rewritten to the engines' real PIDs.
// Build first: `node esbuild.js`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countTokens } from '../../src/core/context/tokenizer';
import { lengthClassOf } from '../../src/core/compare/lengthClasses';
import { casesFromRecords, sampleWorkspaceCases, type ReplayCase } from '../../src/core/compare/cases';
import { streamCompletion } from '../../src/core/client/stream';
import { completeAt, resolveFor } from '../../src/core/pipeline/completeAt';
import type { CompletionRecord } from '../../src/core/store/record';
import { toJson, toMarkdown, REPORT_SCHEMA_VERSION } from '../../src/core/compare/report';
import { toCsv, toPublishedTable } from '../../src/core/compare/publishedTable';
import { runComparison } from '../../src/core/compare/runner';
import { ProcessVramPoller } from '../../src/core/gpu/processVram';
import { GpuSampler } from '../../src/core/gpu/sampler';
import { repoRoot, startEngine, type StartedEngine } from '../support/engine';
import { toView } from '../../src/extension/comparisonView';
import { vramTable } from '../../webview/chartData';
import { CAPTURED, installTwoServersSmi } from '../support/replayTwoServersSmi';

/** The bigger model: 16x the hidden size (the 151,936-row output matrix dominates per-token cost), 2x the layers. */
const BIG_MODEL_ARGS = ['--tiny-hidden', '1024', '--tiny-layers', '4'];

describe('compare: two models of different size', function () {
  this.timeout(240_000);
  let small: StartedEngine;
  let big: StartedEngine;
  let cases: ReplayCase[];
  before(async () => {
    [small, big] = await Promise.all([startEngine({ args: ['--threads', '1'] }), startEngine({ args: ['--threads', '1', ...BIG_MODEL_ARGS] })]);
    cases = await sampleWorkspaceCases(path.join(repoRoot, 'sample-workspace'), { count: 4, seed: 5 });
  });
  after(async () => {
    await Promise.all([small?.stop(), big?.stop()]);
  });

  it('ranks the bigger model slower per token, run after run', async () => {
    for (let run = 0; run < 2; run++) {
      const report = await runComparison({
        cases,
        profiles: [
          { name: 'small', endpoint: small.url, template: 'qwen-fim', maxTokens: 32 },
          { name: 'big', endpoint: big.url, template: 'qwen-fim', maxTokens: 32 },
        ],
        warmupRequests: 1,
      });
      const [s, b] = report.profiles;
      assert.ok(b!.tpotMs.p50! > s!.tpotMs.p50!, `run ${run}: TPOT p50 big ${b!.tpotMs.p50} ms vs small ${s!.tpotMs.p50} ms`);
      assert.ok(b!.decodeTokensPerSec.p50! < s!.decodeTokensPerSec.p50!, `run ${run}: decode tokens/s`);
    }
  });

  it('gives each profile its own server process\'s VRAM (from nvidia-smi per process), the card\'s beside it, utilisation marked shared', async () => {
    // The capture: server A's engine child held 3518 MiB, server B 1718 MiB, the card 5251 MiB.
    const smi = installTwoServersSmi({ [CAPTURED.serverAChild]: big.pid, [CAPTURED.serverB]: small.pid });
    const sampler = new GpuSampler({ env: smi.env, intervalMs: 200 });
    const processVram = new ProcessVramPoller({ env: smi.env, intervalMs: 200 });
    try {
      const report = await runComparison({
        cases,
        profiles: [
          { name: 'small', endpoint: small.url, template: 'qwen-fim', maxTokens: 24 },
          { name: 'big', endpoint: big.url, template: 'qwen-fim', maxTokens: 24 },
          { name: 'remote', endpoint: 'http://gpu-box.invalid:8000', template: 'qwen-fim', maxTokens: 24 },
        ],
        gpuSampler: sampler,
        processVram,
      });
      const [s, b, remote] = report.profiles;
      assert.deepEqual([s!.modelGpu?.attribution, s!.modelGpu?.vramIdleMiB, s!.modelGpu?.vramPeakMiB, s!.modelGpu?.vramAtFirstTokenMiB], ['process', 1718, 1718, 1718]);
      assert.deepEqual([b!.modelGpu?.attribution, b!.modelGpu?.vramIdleMiB, b!.modelGpu?.vramPeakMiB], ['process', 3518, 3518]);
      assert.ok(s!.modelGpu!.pids!.includes(small.pid) && !s!.modelGpu!.pids!.includes(big.pid));
      for (const p of [s!, b!]) {
        assert.equal(p.modelGpu?.card?.vramPeakMiB, 5251, `${p.name}: the card's number is kept apart`);
        assert.equal(p.modelGpu?.utilShared, true, `${p.name}: two servers on one card: utilisation is shared`);
        assert.equal(p.modelGpu?.utilMeanPct, undefined);
      }
      assert.equal(remote!.status, 'failed');
      assert.equal(remote!.modelGpu?.attribution, 'none');
      assert.match(remote!.modelGpu!.reason!, /not this machine/);
      // The run over time (the panel's chart): the server's own memory, the card's, every request.
      assert.ok(s!.timeline!.points.some((p) => p.modelVramMiB === 1718) && !s!.timeline!.points.some((p) => p.modelVramMiB === 3518), 'small: its own memory only');
      assert.ok(b!.timeline!.points.some((p) => p.cardVramMiB === 5251), 'big: the card\'s memory beside it');
      assert.equal(s!.timeline!.requests.length, cases.length);
      // The panel's VRAM table: the same numbers as the report, "no per-process data" for the remote one.
      const vram = vramTable(toView(report)).rows.map((r) => [r.cells[0], r.cells[1], r.cells[3]]);
      assert.deepEqual(vram.slice(0, 2), [['small', '1718 MiB', '1718 MiB'], ['big', '3518 MiB', '3518 MiB']]);
      assert.match(vram[2]![1]!, /^no per-process data: .*not this machine/);
      const md = toMarkdown(report);
      assert.match(md, /\| VRAM peak \(model\) \| 1718 MiB \| 3518 MiB \| - \|/);
      assert.match(md, /\| GPU util mean \(card running only this model\) \| shared \| shared \| - \|/);
      assert.match(md, /\| Card VRAM peak \| 5251 MiB \| 5251 MiB \| - \|/);
      assert.match(md, /No per-process GPU data[^\n]*\n- remote: .*not this machine/);
      // The published table shows the model's own VRAM, never the card's.
      const table = toPublishedTable(report);
      assert.match(table, /^\| Model \| Load time \| VRAM idle \| VRAM at first token \| VRAM peak \|/);
      assert.match(table, /\n\| small[^|]* \| - \| 1718 MiB \| 1718 MiB \| 1718 MiB \| [\d.]+ MiB \| shared \| shared \|/);
      assert.match(table, /\n\| big[^|]* \| - \| 3518 MiB \| 3518 MiB \| 3518 MiB \|/);
      assert.match(table, /\n\| remote[^|]* \| - \| - \| - \| - \|/);
      assert.doesNotMatch(table, /5251/);
      const csv = toCsv(report).trimEnd().split('\r\n').map((l) => l.split(','));
      assert.equal(csv.length, 4);
      assert.ok(csv.every((row) => row.length === csv[0]!.length), 'every row has every column');
      const col = (name: string) => csv[0]!.indexOf(name);
      assert.deepEqual([csv[1]![col('VRAM peak')], csv[2]![col('VRAM peak')], csv[3]![col('VRAM peak')]], ['1718', '3518', '']);
      assert.equal(csv[1]![col('GPU util mean')], 'shared');
    } finally {
      sampler.dispose();
      await sampler.whenChildExited();
      smi.cleanup();
    }
  });

  it('sweeps concurrency 1, 2, 4 against a 2-slot engine: throughput rises from 1 to 2, TTFT rises at 4 (requests queue)', async () => {
    const eight = await sampleWorkspaceCases(path.join(repoRoot, 'sample-workspace'), { count: 8, seed: 2 });
    const report = await runComparison({
      cases: eight,
      profiles: [{ name: 'small', endpoint: small.url, template: 'qwen-fim', maxTokens: 32 }],
      concurrency: [1, 2, 4],
      warmupRequests: 1,
      ttftSloMs: 60_000,
    });
    const [p] = report.profiles;
    assert.deepEqual(report.concurrencyLevels, [1, 2, 4]);
    assert.deepEqual(p!.sweep!.map((l) => [l.concurrency, l.count, l.failures]), [[1, 8, 0], [2, 8, 0], [4, 8, 0]]);
    const [one, two, four] = p!.sweep!;
    assert.ok(two!.throughputTokensPerSec! > one!.throughputTokensPerSec!, `throughput x1 ${one!.throughputTokensPerSec} vs x2 ${two!.throughputTokensPerSec}`);
    assert.equal(one!.scaling, 1);
    assert.ok(two!.scaling! > 1);
    assert.ok(four!.ttftMs.p90! > two!.ttftMs.p90!, `TTFT p90 x2 ${two!.ttftMs.p90} vs x4 ${four!.ttftMs.p90}`);
    assert.equal(p!.maxConcurrencyWithinSlo, 4, 'a 60 s SLO: every level meets it');
    assert.equal(p!.count, 8, 'the headline numbers are the first level\'s');
    assert.equal(p!.server?.window.requests, 24, 'the /metrics window spans the whole sweep');
    const md = toMarkdown(report);
    assert.match(md, /## Concurrency sweep \(1, 2, 4 requests in flight\)/);
    assert.match(md, /\| small \| 4 \| [\d.]+ \| [\d.]+x \|/);
    assert.match(md, /Highest concurrency whose TTFT p90 meets the 60000 ms SLO: small 4\./);
    const table = toPublishedTable(report);
    const at4 = four!.throughputTokensPerSec!;
    assert.match(table, new RegExp(`\\| ${at4.toFixed(1)} \\| ${(at4 / one!.throughputTokensPerSec!).toFixed(2)}x \\| 4 \\| 0\\.0% \\|`));
    const back = JSON.parse(toJson(report)) as typeof report;
    assert.equal(back.schemaVersion, REPORT_SCHEMA_VERSION);
    assert.deepEqual(back.profiles[0]!.sweep!.map((l) => l.concurrency), [1, 2, 4]);
  });

  it('doubling search: from 1 up to the bound while TTFT p90 meets the SLO; not past a level that misses it', async () => {
    const profiles = [{ name: 'small', endpoint: small.url, template: 'qwen-fim' as const, maxTokens: 16 }];
    const lenient = await runComparison({ cases, profiles, concurrency: [1], concurrencySearch: { max: 4 }, ttftSloMs: 60_000 });
    assert.deepEqual(lenient.concurrencySearch, { max: 4 });
    assert.deepEqual(lenient.profiles[0]!.sweep!.map((l) => [l.concurrency, l.count]), [[1, cases.length], [2, cases.length], [4, cases.length]]);
    assert.equal(lenient.profiles[0]!.maxConcurrencyWithinSlo, 4);
    assert.match(toMarkdown(lenient), /## Concurrency sweep \(1 requests in flight, then doubling while TTFT p90 met the SLO, up to 4\)/);
    const strict = await runComparison({ cases, profiles, concurrency: [1], concurrencySearch: { max: 4 }, ttftSloMs: 1 });
    assert.deepEqual(strict.profiles[0]!.sweep!.map((l) => l.concurrency), [1], 'a 1 ms SLO is missed at 1: nothing more is tried');
    assert.equal(strict.profiles[0]!.maxConcurrencyWithinSlo, null);
  });

  it('long prompts have a higher TTFT than short ones; the workspace sample covers the length classes', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-lengths-'));
    try {
      // One long module: spots near its top have short prompts, spots far down long ones.
      const body = Array.from({ length: 400 }, (_, i) => `def helper_${i}(values, scale=${i}):\n    return [v * scale + ${i} for v in values if v % ${(i % 7) + 2}]\n`).join('\n');
      fs.writeFileSync(path.join(ws, 'module.py'), body);
      const sampled = await sampleWorkspaceCases(ws, { count: 9, seed: 3 });
      const classes = sampled.map((c) => lengthClassOf(Math.min(1536, countTokens(c.prefix))));
      assert.deepEqual([...new Set(classes)].sort(), ['long', 'medium', 'short'], `classes drawn: ${classes.join(', ')}`);
      const report = await runComparison({ cases: sampled, profiles: [{ name: 'small', endpoint: small.url, template: 'prefix-only', maxTokens: 4 }], warmupRequests: 1 });
      const byName = Object.fromEntries(report.profiles[0]!.lengthClasses!.map((c) => [c.name, c]));
      assert.ok(byName['short']!.count > 0 && byName['long']!.count > 0, JSON.stringify(byName));
      assert.ok(byName['long']!.ttftMeanMs! > byName['short']!.ttftMeanMs!, `TTFT long ${byName['long']!.ttftMeanMs} ms vs short ${byName['short']!.ttftMeanMs} ms`);
      assert.match(toMarkdown(report), /\| small \| long \(> 1024\) \| \d+ \| [\d.]+ ms ± [\d.]+ ms \| [\d.]+ ms \|/);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it('a case recorded under prefix-only replays with its suffix to a FIM profile', async () => {
    const text = 'def area(w, h):\n    return w * h\n\n\ndef main():\n    print(area(2, 3))\n';
    const offset = text.indexOf('    return');
    const out = await completeAt({ text, offset, languageId: 'python', resolved: resolveFor({ name: 'p', endpoint: small.url, template: 'prefix-only', maxTokens: 4 }, { id: small.model }), budgetTokens: 1536 });
    assert.equal(out.context.suffix, '', 'a prefix-only prompt carries no suffix');
    assert.deepEqual(out.cursorText, { prefix: text.slice(0, offset), suffix: text.slice(offset) });
    // What the editor records for this request (the text around the cursor), replayed to a FIM profile.
    const record: CompletionRecord = {
      v: 1, kind: 'completion', id: 'r1', ts: Date.now(), profile: 'p', model: small.model, endpoint: small.url, template: 'prefix-only',
      languageId: 'python', pathHash: 'h', outcome: 'accepted', prefix: out.cursorText.prefix, suffix: out.cursorText.suffix, keptText: '    return w * h',
    };
    const prompts: string[] = [];
    const report = await runComparison({
      cases: casesFromRecords([record]),
      profiles: [{ name: 'fim', endpoint: small.url, template: 'qwen-fim', maxTokens: 4 }],
      client: (req) => {
        prompts.push(req.prompt);
        return streamCompletion(req);
      },
    });
    assert.equal(report.source, 'recorded');
    assert.equal(report.profiles[0]!.count, 1);
    assert.equal(prompts.length, 1);
    assert.ok(prompts[0]!.includes(`<|fim_suffix|>${text.slice(offset)}`), prompts[0]);
  });
});
