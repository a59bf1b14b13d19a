#!/usr/bin/env node
// Step 4 (here): the weights that came back from the GPU machine -> a GGUF file, written by
// the project's own GGUF writer (src/core/testModel/ggufWriter.ts, with its Q8_0/Q4_0 block
// quantization). Needs `npm run compile-tests` first (it loads the compiled writer from out/).
//
//   node training/export-gguf.mjs --run training/runs/RUN --out models/FILE.gguf [--core q8_0|q4_0|f16|f32] [--embd q4_0|q8_0|f32]
//
// The run folder holds export_final.json (tensor index + hyperparameters) and
// export_final.bin.part00, part01, ... (the raw tensors, split to come back through the
// device's file limits). The embedding arrives as Q4_0 blocks (it was trained with Q4_0
// fake quantization at the end); the other matrices as f16 (as Q4_0 blocks when trained with
// --core-quant q4_0: export those with --core q4_0), vectors as f32.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const load = (m) => {
  const file = path.join(root, 'out', 'src', 'core', 'testModel', m);
  if (!fs.existsSync(file + '.js')) {
    console.error(`export-gguf: ${file}.js is missing: run \`npm run compile-tests\` first.`);
    process.exit(2);
  }
  return require(file);
};
const { GgmlType, tensorFromFloats, writeGgufFile } = load('ggufWriter');
const { dequantizeQ4_0, fromF16Bytes, quantizeQ4_0 } = load('ggmlQuant');
const { qwen2Metadata } = load('qwen2Metadata');
const { loadQwenVocab } = load('qwenVocab');

const { values: args } = parseArgs({
  options: {
    run: { type: 'string' },
    out: { type: 'string' },
    core: { type: 'string', default: 'q8_0' },
    embd: { type: 'string', default: 'q4_0' },
    name: { type: 'string', default: 'completion-lab-coder' },
    export: { type: 'string', default: 'export_final' },
  },
});
if (!args.run || !args.out) {
  console.error('usage: node training/export-gguf.mjs --run DIR --out FILE.gguf [--core q8_0|q4_0|f16|f32] [--embd q4_0|q8_0|f32]');
  process.exit(2);
}
const TYPES = { f32: GgmlType.F32, f16: GgmlType.F16, q8_0: GgmlType.Q8_0, q4_0: GgmlType.Q4_0 };
const FILE_TYPE = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 }; // llama_ftype of the bulk of the weights
for (const k of ['core', 'embd']) if (!(args[k] in TYPES)) throw new Error(`--${k} must be one of ${Object.keys(TYPES).join(', ')}`);

const index = JSON.parse(fs.readFileSync(path.join(args.run, `${args.export}.json`), 'utf8'));
const parts = fs.readdirSync(args.run).filter((f) => f.startsWith(`${args.export}.bin.part`)).sort();
if (!parts.length) throw new Error(`no ${args.export}.bin.part* files in ${args.run}`);
const blob = Buffer.concat(parts.map((p) => fs.readFileSync(path.join(args.run, p))));
const cfg = index.hparams.config;

const tensors = [];
let q4Identical = null;
for (const t of index.tensors) {
  const raw = new Uint8Array(blob.buffer, blob.byteOffset + t.offset, t.nbytes);
  const values =
    t.dtype === 'q4_0' ? dequantizeQ4_0(raw) : t.dtype === 'f16' ? fromF16Bytes(raw) : new Float32Array(raw.slice().buffer);
  // torch stores [out, in] row-major; ggml names the row length first.
  const shape = t.shape.length === 2 ? [t.shape[1], t.shape[0]] : t.shape;
  const kind = t.shape.length === 1 ? 'f32' : t.name === 'token_embd.weight' ? args.embd : args.core;
  const tensor = tensorFromFloats(t.name, shape, TYPES[kind], values);
  // Every tensor trained as Q4_0 (the embedding; with train.py --core-quant q4_0 the core too) must come out bit for bit.
  if (t.dtype === 'q4_0' && kind === 'q4_0') q4Identical = (q4Identical ?? true) && Buffer.compare(Buffer.from(tensor.data), Buffer.from(raw)) === 0;
  tensors.push(tensor);
}
const vocab = loadQwenVocab();
const metadata = qwen2Metadata(
  { hidden: cfg.d, layers: cfg.layers, heads: cfg.heads, kvHeads: cfg.kv_heads, ffn: cfg.ffn, contextLength: index.hparams.seq, ropeFreqBase: cfg.rope_theta, rmsEps: cfg.eps },
  vocab,
  {
    name: args.name,
    description: `Small Qwen2-architecture Python code model (fill-in-the-middle and continuation), trained by Completion Lab on permissively licensed code; step ${index.step}, ${(index.tokens / 1e6).toFixed(0)}M tokens; token embedding ${args.embd}, other matrices ${args.core}`,
    fileType: FILE_TYPE[args.core],
  },
);
fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
const size = writeGgufFile(args.out, metadata, tensors);
console.log(JSON.stringify({ out: args.out, bytes: size, mb: +(size / 1e6).toFixed(2), core: args.core, embd: args.embd, step: index.step, tokens: index.tokens, q4_0BlocksBitIdenticalToTraining: q4Identical }));
