// ggml's number formats for GGUF tensors: IEEE half floats and the Q8_0 / Q4_0 block
// quantizations, bit for bit as llama.cpp's reference quantizers (quantize_row_q8_0_ref,
// quantize_row_q4_0_ref) write them, so a file from here loads and computes like one
// converted with llama.cpp's own tools. Arithmetic is done in float32 (Math.fround) as in C.

/** Elements per quantization block (QK8_0 = QK4_0 = 32). */
export const QK = 32;
/** Bytes per block: an f16 scale + 32 int8 values; an f16 scale + 32 packed nibbles. */
export const Q8_0_BLOCK_BYTES = 2 + QK;
export const Q4_0_BLOCK_BYTES = 2 + QK / 2;

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);
const fr = Math.fround;

/** Round half to even, for a non-negative number. */
function roundHalfEven(t: number): number {
  const r = Math.floor(t);
  const diff = t - r;
  return diff > 0.5 || (diff === 0.5 && r % 2 === 1) ? r + 1 : r;
}

/** IEEE half bits of a float, rounded to nearest even (as ggml's FP32_TO_FP16 on x86 F16C). */
export function toHalf(v: number): number {
  f32View[0] = v;
  const x = u32View[0]!;
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0); // inf, NaN
  if (abs >= 0x477ff000) return sign | 0x7c00; // rounds past the largest half: infinity
  if (abs < 0x38800000) {
    // Below the smallest normal half: a subnormal (or zero) in units of 2^-24.
    u32View[0] = abs;
    return sign | roundHalfEven(f32View[0]! * 2 ** 24);
  }
  const h = ((((abs >>> 23) - 127 + 15) << 10) | ((abs & 0x7fffff) >>> 13)) >>> 0;
  const rest = abs & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1) ? h + 1 : h);
}

/** The float value of IEEE half bits. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toF16Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]!);
  return new Uint8Array(out.buffer);
}

export function fromF16Bytes(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = fromHalf(view.getUint16(2 * i, true));
  return out;
}

function checkBlocks(n: number): void {
  if (n % QK !== 0) throw new Error(`block quantization needs a multiple of ${QK} values per row, got ${n}`);
}

/** Q8_0: per block d = max|x| / 127, q = round(x / d) (half away from zero) as int8. */
export function quantizeQ8_0(values: ArrayLike<number>): Uint8Array {
  checkBlocks(values.length);
  const blocks = values.length / QK;
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(fr(values[base + j]!)));
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    const o = b * Q8_0_BLOCK_BYTES;
    view.setUint16(o, toHalf(d), true);
    for (let j = 0; j < QK; j++) {
      const x0 = fr(fr(values[base + j]!) * id);
      view.setInt8(o + 2 + j, Math.sign(x0) * Math.floor(Math.abs(x0) + 0.5));
    }
  }
  return out;
}

export function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.byteLength / Q8_0_BLOCK_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const o = b * Q8_0_BLOCK_BYTES;
    const d = fromHalf(view.getUint16(o, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(o + 2 + j) * d;
  }
  return out;
}

/**
 * Q4_0: per block d = (the value of largest magnitude, with its sign) / -8 and
 * q = min(15, trunc(x / d + 8.5)); values j and j+16 share a byte (low, high nibble).
 */
export function quantizeQ4_0(values: ArrayLike<number>): Uint8Array {
  checkBlocks(values.length);
  const blocks = values.length / QK;
  const out = new Uint8Array(blocks * Q4_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = fr(values[base + j]!);
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = fr(max / -8);
    const id = d ? fr(1 / d) : 0;
    const o = b * Q4_0_BLOCK_BYTES;
    view.setUint16(o, toHalf(d), true);
    const q = (v: number): number => Math.min(15, Math.trunc(fr(fr(fr(v) * id) + 8.5)));
    for (let j = 0; j < QK / 2; j++) out[o + 2 + j] = q(values[base + j]!) | (q(values[base + j + QK / 2]!) << 4);
  }
  return out;
}

export function dequantizeQ4_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.byteLength / Q4_0_BLOCK_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const o = b * Q4_0_BLOCK_BYTES;
    const d = fromHalf(view.getUint16(o, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[o + 2 + j]!;
      out[b * QK + j] = ((byte & 0x0f) - 8) * d;
      out[b * QK + j + QK / 2] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}
