"""Continued training from the shipped GGUF: rebuild an export (export_final.{json,bin}, the
format train.py --init reads) from models/*.gguf, so a training machine needs no separate
copy of the previous run's weights. The token embedding comes back bit-identical (its Q4_0
blocks are copied); Q8_0 matrices are dequantized to f16 (within half a Q8_0 step of the
previous run's f16 weights). Numpy only.

    python3 gguf_init.py --gguf ../../models/completion-lab-coder-50m.gguf --out init/export_final
"""
import argparse
import json
import struct

import numpy as np

SCALARS = {0: 'B', 1: 'b', 2: 'H', 3: 'h', 4: 'I', 5: 'i', 6: 'f', 7: '?', 10: 'Q', 11: 'q', 12: 'd'}
GGML = {0: 'f32', 1: 'f16', 2: 'q4_0', 8: 'q8_0'}


class Reader:
    def __init__(self, buf):
        self.b, self.p = buf, 0

    def take(self, fmt):
        v = struct.unpack_from('<' + fmt, self.b, self.p)
        self.p += struct.calcsize('<' + fmt)
        return v[0]

    def string(self):
        n = self.take('Q')
        s = self.b[self.p:self.p + n].decode('utf8')
        self.p += n
        return s

    def value(self, t):
        if t == 8:
            return self.string()
        if t == 9:
            it, n = self.take('I'), self.take('Q')
            return [self.value(it) for _ in range(n)]
        return self.take(SCALARS[t])


def read_gguf(path):
    buf = open(path, 'rb').read()
    r = Reader(buf)
    assert buf[:4] == b'GGUF', 'not a GGUF file'
    r.p = 4
    version, n_t, n_kv = r.take('I'), r.take('Q'), r.take('Q')
    kv = {}
    for _ in range(n_kv):
        k = r.string()
        kv[k] = r.value(r.take('I'))
    infos = []
    for _ in range(n_t):
        name = r.string()
        dims = [r.take('Q') for _ in range(r.take('I'))]
        infos.append((name, dims, r.take('I'), r.take('Q')))
    align = kv.get('general.alignment', 32)
    base = (r.p + align - 1) // align * align
    return buf, kv, infos, base, version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gguf', required=True)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    buf, kv, infos, base, version = read_gguf(args.gguf)
    index, off = [], 0
    with open(args.out + '.bin', 'wb') as fh:
        for name, dims, t, o in infos:
            shape = list(reversed(dims))  # GGUF lists the fastest dimension first
            n = int(np.prod(shape))
            kind = GGML[t]
            if kind == 'q4_0':
                data, dtype = buf[base + o: base + o + n // 32 * 18], 'q4_0'
            elif kind == 'q8_0':
                b = np.frombuffer(buf, dtype=np.uint8, count=n // 32 * 34, offset=base + o).reshape(-1, 34)
                d = b[:, :2].copy().view(np.float16).astype(np.float32)
                q = b[:, 2:].copy().view(np.int8).astype(np.float32)
                data, dtype = (q * d).astype(np.float16).tobytes(), 'f16'
            elif kind == 'f16':
                data, dtype = buf[base + o: base + o + 2 * n], 'f16'
            else:
                data, dtype = buf[base + o: base + o + 4 * n], 'f32'
            fh.write(data)
            index.append({'name': name, 'shape': shape, 'dtype': dtype, 'offset': off, 'nbytes': len(data)})
            off += len(data)
    meta = {'from_gguf': args.gguf, 'gguf_version': version, 'general.name': kv.get('general.name'), 'tensors': index}
    with open(args.out + '.json', 'w') as fh:
        json.dump(meta, fh, indent=1)
    print(f'{len(index)} tensors, {off} bytes -> {args.out}.bin')


if __name__ == '__main__':
    main()
