// The GGUF writer's number formats: half floats and Q8_0/Q4_0 blocks as llama.cpp's
// reference quantizers write them, and (real llama.cpp) a quantized model computes the
// logits of its float32 twin within the error the format allows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dequantizeQ4_0, dequantizeQ8_0, fromHalf, quantizeQ4_0, quantizeQ8_0, toHalf } from '../../src/core/testModel/ggmlQuant';
import { GgmlType, tensorByteSize } from '../../src/core/testModel/ggufWriter';
import { loadRuntime } from '../../src/core/engine/llamaRuntime';
import { writeTinyModel, type TinyWeightType } from '../../src/core/testModel/tinyModel';

describe('ggml number formats', () => {
  it('converts to IEEE half with round-to-nearest-even, subnormals and overflow', () => {
    assert.equal(toHalf(1), 0x3c00);
    assert.equal(toHalf(-2), 0xc000);
    assert.equal(toHalf(65504), 0x7bff);
    assert.equal(toHalf(70000), 0x7c00);
    assert.equal(toHalf(2 ** -24), 0x0001);
    assert.equal(toHalf(2 ** -25), 0x0000); // a tie between 0 and the smallest subnormal: even wins
    assert.equal(toHalf(1 + 2 ** -11), 0x3c00); // tie: down to the even mantissa
    assert.equal(toHalf(1 + 3 * 2 ** -11), 0x3c02); // tie: up to the even mantissa
    for (const v of [0.5, -0.125, 3.140625, 1e-3, 60000]) assert.ok(Math.abs(fromHalf(toHalf(v)) - v) <= Math.abs(v) * 2 ** -11);
  });

  it('writes Q8_0 blocks (f16 scale = max|x|/127, round half away from zero) that dequantize within about half a step', () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.7) * (i < 32 ? 1 : 0.01));
    const q = quantizeQ8_0(x);
    assert.equal(q.length, 2 * 34);
    assert.equal(q[0]! | (q[1]! << 8), toHalf(Math.fround(Math.max(...Array.from(x.slice(0, 32), Math.abs)) / 127)));
    const back = dequantizeQ8_0(q);
    for (let b = 0; b < 2; b++) {
      const d = fromHalf(q[b * 34]! | (q[b * 34 + 1]! << 8));
      for (let j = 0; j < 32; j++) // Half a step, plus what rounding the scale to f16 moves the largest value.
      for (let j = 0; j < 32; j++) assert.ok(Math.abs(back[b * 32 + j]! - x[b * 32 + j]!) <= d * 0.52);
    }
    assert.deepEqual(quantizeQ8_0(back), q, 'quantizing dequantized blocks gives the same blocks');
  });

  it('writes Q4_0 blocks (scale = signed max / -8, nibbles j and j+16 share a byte) like llama.cpp', () => {
    // -8..7 times 0.5 then the largest magnitude first: the max (-4) maps to q = 0.
    const x = Float32Array.from({ length: 32 }, (_, i) => (i - 8) * -0.25);
    const q = quantizeQ4_0(x);
    assert.equal(q.length, 18);
    const d = fromHalf(q[0]! | (q[1]! << 8));
    assert.equal(d, Math.fround(x[31]! / -8)); // x[31] = -5.75 has the largest magnitude
    assert.equal(q[2]! & 0x0f, Math.min(15, Math.trunc(x[0]! / d + 8.5)));
    assert.equal(q[2]! >> 4, Math.min(15, Math.trunc(x[16]! / d + 8.5)));
    const back = dequantizeQ4_0(q);
    for (let j = 0; j < 32; j++) assert.ok(Math.abs(back[j]! - x[j]!) <= Math.abs(d) * 1.0001, `value ${j}`);
    assert.deepEqual(quantizeQ4_0(back), q, 'quantizing dequantized blocks gives the same blocks');
  });

  it('sizes block tensors by whole blocks and refuses rows that are not', () => {
    assert.equal(tensorByteSize(GgmlType.Q8_0, [64, 3]), 6 * 34);
    assert.equal(tensorByteSize(GgmlType.Q4_0, [256, 2]), 16 * 18);
    assert.throws(() => tensorByteSize(GgmlType.Q4_0, [48, 2]), /multiple of 32/);
  });
});

describe('quantized GGUF files in llama.cpp', function () {
  this.timeout(300_000);
  let dir: string;
  const logits: Partial<Record<TinyWeightType, Float32Array>> = {};
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quant-'));
    const prompt = 'def add(a, b):\n    return a + b\n';
    for (const type of ['f32', 'q8_0', 'q4_0'] as TinyWeightType[]) {
      const file = path.join(dir, `${type}.gguf`);
      writeTinyModel(file, { seed: 3, noEos: false, weightType: type });
      const rt = await loadRuntime({ modelPath: file, threads: 1, parallel: 1, contextSize: 128, gpu: 'cpu' });
      try {
        const tokens = rt.model.tokenize(prompt);
        const seq = rt.context.getSequence();
        const out = await seq.controlledEvaluate(tokens.map((t, i) => (i === tokens.length - 1 ? [t, { generateNext: { logits: true } }] : t)));
        const map = out[tokens.length - 1]!.next.logits!;
        const arr = new Float32Array(map.size);
        for (const [id, v] of map) arr[id] = v;
        logits[type] = arr;
      } finally {
        await rt.dispose();
      }
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const relativeError = (a: Float32Array, ref: Float32Array): number => {
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < ref.length; i++) {
      diff += (a[i]! - ref[i]!) ** 2;
      norm += ref[i]! ** 2;
    }
    return Math.sqrt(diff / norm);
  };

  it('loads Q8_0 and Q4_0 files and computes the float32 logits within the format error (Q8_0 closer)', () => {
    const q8 = relativeError(logits.q8_0!, logits.f32!);
    const q4 = relativeError(logits.q4_0!, logits.f32!);
    assert.ok(q8 < 0.05, `Q8_0 relative logit error ${q8}`);
    assert.ok(q4 < 0.3, `Q4_0 relative logit error ${q4}`);
    assert.ok(q8 < q4, `Q8_0 (${q8}) is closer than Q4_0 (${q4})`);
    assert.ok(q8 > 0, 'the quantized model really is another file');
  });
});
