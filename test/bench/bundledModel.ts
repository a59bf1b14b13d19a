// The bundled code model (models/completion-lab-coder-50m.gguf) served by the embedded
// engine on the CPU with 1 thread, as the model card reports it: the project's own
// comparison at held-out standard-library line starts, FIM against prefix-only at
// temperature 0 (quality: exact first line, edit similarity, parses after insertion), with
// TTFT and decode speed. By default 60 spots in test/fixtures/stdlib-heldout (7 modules,
// always present); BENCH_WORKSPACE=DIR and BENCH_CASES=N sample elsewhere, e.g. a copy of
// the whole standard library with 300 spots as in training/MODEL_CARD.md. Prints tables only.
import * as path from 'node:path';
import { sampleWorkspaceCases } from '../../src/core/compare/cases';
import { runComparison } from '../../src/core/compare/runner';
import { bundledModelPath } from '../../src/core/engine/bundledModel';
import { repoRoot, startEngine } from '../support/engine';

const f = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d));
const pct = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 100).toFixed(1)} %`);

async function main(): Promise<void> {
  const model = bundledModelPath(repoRoot);
  if (!model) throw new Error('models/ holds no bundled model');
  const workspace = process.env.BENCH_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'stdlib-heldout');
  const count = Number(process.env.BENCH_CASES ?? 60);
  const engine = await startEngine({ model, args: ['--threads', '1', '--parallel', '1'], timeoutMs: 300_000 });
  try {
    const cases = await sampleWorkspaceCases(workspace, { count, seed: 1 });
    const common = { endpoint: engine.url, temperature: 0, maxTokens: 64 };
    const report = await runComparison({
      cases,
      profiles: [
        { name: 'FIM (qwen-fim)', template: 'qwen-fim', ...common },
        { name: 'prefix-only', template: 'prefix-only', ...common },
      ],
      warmupRequests: 1,
      seed: 1,
    });
    console.log(`${path.basename(model)}, embedded engine on the CPU, 1 thread; ${cases.length} line starts in ${path.relative(repoRoot, workspace) || workspace} (seed 1), ground truth the next 3 lines, prompt budget 1,536 tokens, at most 64 tokens, temperature 0\n`);
    console.log('| profile | exact first line | first-line edit similarity | edit similarity | parses after insertion | TTFT p50 ms | TTFT p90 ms | decode p50 tok/s | output tokens (mean) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const p of report.profiles) {
      if (p.status !== 'ok' || p.failures) throw new Error(`${p.name} failed: ${p.error ?? p.results.find((r) => r.error)?.error}`);
      console.log(`| ${p.name} | ${pct(p.exactMatchRate)} | ${f(p.meanEditSimFirstLine, 3)} | ${f(p.meanEditSim, 3)} | ${pct(p.parsesAfterRate)} | ${f(p.ttftMs.p50, 0)} | ${f(p.ttftMs.p90, 0)} | ${f(p.decodeTokensPerSec.p50)} | ${f(p.outputTokens / (p.count || 1))} |`);
    }
    const [fim, prefix] = report.profiles;
    console.log(`\nFIM / prefix-only: first-line edit similarity ${f((fim!.meanEditSimFirstLine ?? 0) / (prefix!.meanEditSimFirstLine || 1), 2)}x, TTFT p50 ${f((fim!.ttftMs.p50 ?? 0) / (prefix!.ttftMs.p50 || 1), 2)}x, decode p50 ${f((fim!.decodeTokensPerSec.p50 ?? 0) / (prefix!.decodeTokensPerSec.p50 || 1), 2)}x`);
  } finally {
    await engine.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
