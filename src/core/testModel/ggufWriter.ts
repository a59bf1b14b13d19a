// A minimal GGUF v3 writer: typed metadata plus F32/F16 tensors, laid out the way
// llama.cpp reads them (tensor offsets relative to the aligned data section).
import * as fs from 'node:fs';

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** ggml tensor types used here (ggml.h enum values). */
export enum GgmlType {
  F32 = 0,
  F16 = 1,
}

/** GGUF metadata value types (gguf.h enum values). */
export enum GgufValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

export type GgufValue =
  | { type: GgufValueType.UINT32 | GgufValueType.INT32 | GgufValueType.FLOAT32; value: number }
  | { type: GgufValueType.BOOL; value: boolean }
  | { type: GgufValueType.STRING; value: string }
  | { type: GgufValueType.ARRAY; itemType: GgufValueType.STRING; value: readonly string[] }
  | { type: GgufValueType.ARRAY; itemType: GgufValueType.INT32 | GgufValueType.UINT32; value: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: ne[0] is the row length (the innermost, contiguous dimension). */
  shape: number[];
  type: GgmlType;
  /** Raw little-endian bytes, exactly product(shape) * element size. */
  data: Uint8Array;
}

export const u32 = (value: number): GgufValue => ({ type: GgufValueType.UINT32, value });
export const f32 = (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value });
export const str = (value: string): GgufValue => ({ type: GgufValueType.STRING, value });
export const bool = (value: boolean): GgufValue => ({ type: GgufValueType.BOOL, value });
export const strArray = (value: readonly string[]): GgufValue => ({ type: GgufValueType.ARRAY, itemType: GgufValueType.STRING, value });
export const i32Array = (value: ArrayLike<number>): GgufValue => ({ type: GgufValueType.ARRAY, itemType: GgufValueType.INT32, value });

/** Appends little-endian primitives into growing chunks (the vocabulary alone is ~150k strings). */
class ByteSink {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  length = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
  flush(): void {
    if (this.pos > 0) this.chunks.push(Buffer.from(this.buf.subarray(0, this.pos)));
    this.pos = 0;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v | 0, this.pos);
    this.pos += 4;
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.pos);
    this.pos += 8;
    this.length += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.pos);
    this.pos += 4;
    this.length += 4;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
    this.length += 1;
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  bytes(b: Uint8Array): void {
    if (b.length > 1 << 16) {
      // Large payloads (tensor data) go straight in as their own chunk.
      this.flush();
      this.chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      this.length += b.length;
      return;
    }
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    this.length += b.length;
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(v.type);
  switch (v.type) {
    case GgufValueType.UINT32:
      sink.u32(v.value);
      return;
    case GgufValueType.INT32:
      sink.i32(v.value);
      return;
    case GgufValueType.FLOAT32:
      sink.f32(v.value);
      return;
    case GgufValueType.BOOL:
      sink.u8(v.value ? 1 : 0);
      return;
    case GgufValueType.STRING:
      sink.str(v.value);
      return;
    case GgufValueType.ARRAY:
      sink.u32(v.itemType);
      sink.u64(v.value.length);
      if (v.itemType === GgufValueType.STRING) for (const s of v.value) sink.str(s);
      else if (v.itemType === GgufValueType.INT32) for (let i = 0; i < v.value.length; i++) sink.i32(v.value[i]!);
      else for (let i = 0; i < v.value.length; i++) sink.u32(v.value[i]!);
      return;
  }
}

const elementSize = (t: GgmlType): number => (t === GgmlType.F32 ? 4 : 2);

/** Serialises a whole GGUF file into buffers (header, metadata, tensor infos, aligned data). */
export function encodeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[], alignment = GGUF_DEFAULT_ALIGNMENT): Buffer[] {
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  const entries = Object.entries(metadata);
  sink.u64(entries.length);
  for (const [key, value] of entries) {
    sink.str(key);
    writeValue(sink, value);
  }
  // Each tensor's offset is the running size of the ones before it, each padded to the alignment.
  let offset = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1) * elementSize(t.type);
    if (t.data.byteLength !== expected) throw new Error(`tensor ${t.name}: ${t.data.byteLength} bytes, expected ${expected}`);
    sink.str(t.name);
    sink.u32(t.shape.length);
    for (const d of t.shape) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    offset += Math.ceil(expected / alignment) * alignment;
  }
  sink.padTo(alignment);
  for (const t of tensors) {
    sink.bytes(t.data);
    sink.padTo(alignment);
  }
  sink.flush();
  return sink.chunks;
}

/** Writes the file atomically (temp file + rename), so a reader never sees half a model. */
export function writeGgufFile(file: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): number {
  const chunks = encodeGguf(metadata, tensors);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let size = 0;
  try {
    for (const c of chunks) {
      fs.writeSync(fd, c);
      size += c.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return size;
}
