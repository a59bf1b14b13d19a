#!/usr/bin/env node
// Step 4b (here): llama.cpp (node-llama-cpp) must compute from the GGUF the logits that
// PyTorch computed on the GPU machine for the same weights and prompts (reference_logits in
// the export's JSON). Prints, per prompt, the largest difference over PyTorch's top-64
// tokens and whether the top token agrees; exits 1 over --tolerance.
//   node training/check-logits.mjs --model FILE.gguf --ref training/runs/RUN/export_final.json [--tolerance 0.05]
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const { values: a } = parseArgs({ options: { model: { type: 'string' }, ref: { type: 'string' }, tolerance: { type: 'string', default: '0.05' } } });
const ref = JSON.parse(fs.readFileSync(a.ref, 'utf8')).reference_logits;
const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: a.model });
const context = await model.createContext({ contextSize: 512, threads: 1, sequences: ref.length });
let worst = 0;
const rows = [];
for (const r of ref) {
  const seq = context.getSequence();
  const input = r.tokens.map((t, i) => (i === r.tokens.length - 1 ? [t, { generateNext: { logits: true } }] : t));
  const out = await seq.controlledEvaluate(input);
  const logits = out[r.tokens.length - 1].next.logits; // Map token -> logit
  let maxDiff = 0;
  r.top_ids.forEach((id, i) => (maxDiff = Math.max(maxDiff, Math.abs(logits.get(id) - r.top_logits[i]))));
  let best = -1, bestV = -Infinity;
  for (const [t, v] of logits) if (v > bestV) (bestV = v), (best = t);
  worst = Math.max(worst, maxDiff / r.std);
  rows.push({ tokens: r.tokens.length, maxAbsDiffTop64: +maxDiff.toFixed(5), relToStd: +(maxDiff / r.std).toFixed(5), topTokenAgrees: best === r.top_ids[0] });
  seq.dispose();
}
console.log(JSON.stringify({ model: a.model, rows }, null, 1));
await llama.dispose();
process.exit(worst > Number(a.tolerance) ? 1 : 0);
