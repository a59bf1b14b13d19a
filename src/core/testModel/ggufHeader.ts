// Reads the fixed GGUF header (magic, version, counts), to tell a GGUF file from
// anything else before handing it to llama.cpp, and so tests can check what was written.
import * as fs from 'node:fs';
import { GGUF_MAGIC } from './ggufWriter';

export interface GgufHeader {
  version: number;
  tensorCount: number;
  metadataCount: number;
}

/** Returns the header, or throws an Error that says why the file is not GGUF. */
export function readGgufHeader(file: string): GgufHeader {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(24);
    const n = fs.readSync(fd, buf, 0, 24, 0);
    if (n < 24 || buf.readUInt32LE(0) !== GGUF_MAGIC) throw new Error(`${file} is not a GGUF file (no "GGUF" magic at its start).`);
    return {
      version: buf.readUInt32LE(4),
      tensorCount: Number(buf.readBigUInt64LE(8)),
      metadataCount: Number(buf.readBigUInt64LE(16)),
    };
  } finally {
    fs.closeSync(fd);
  }
}
