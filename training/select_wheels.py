"""Step 1b (on a machine with a wheel mirror, e.g. this one): more permissive Python.

The GPU machine's installed packages give ~88 M tokens, and the model memorises them within
one run (held-out loss rising while training loss falls). This reads the Python files of the
wheels in local mirrors (`/opt/pypi/files`, `/opt/pypi-more/files`, `/opt/wheels` by default;
the newest version of each distribution), keeps a distribution only when its own METADATA
declares a permissive licence (the same rules as select_data.py), skips distributions the
GPU machine already has (by name, from that machine's selection.json) and drops files the
same way as select_data.py: size, long lines, special-token text, exact duplicates, and
files whose long lines are 30 % or more the standard library of this interpreter (the
evaluation set). The kept files go into xz-compressed tar chunks small enough to carry to
the GPU machine; a JSON report lists each distribution, its licence and its file count.

    python3 training/select_wheels.py --known training/runs/2026-11-30-1/selection.json \
        --out .device-carry/extra --chunk-mb 19
"""
import argparse
import email.parser
import io
import json
import lzma
import multiprocessing
import os
import re
import sys
import sysconfig
import tarfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'device'))
from select_data import EXCLUDED_NAMES, license_of, norm_name, stdlib_line_set, text_drop  # noqa: E402

from packaging.utils import parse_wheel_filename  # noqa: E402

# Machine-generated or data-like code that teaches little about writing code.
SKIP_DISTS = {'botocore', 'sudachidict-core', 'astropy-iers-data', 'pycountry', 'cuda-toolkit'}
SKIP_PATH = re.compile(r'(^|/)(tests?|testing)/|_pb2(_grpc)?\.py$|/vendor(ed)?/|/_vendor/')


class Meta:
    """What license_of reads: `.metadata` with get/get_all, from a wheel's METADATA."""

    def __init__(self, text):
        self.metadata = email.parser.Parser().parsestr(text)


def newest_wheels(dirs):
    best = {}
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if not f.endswith('.whl'):
                continue
            try:
                name, version, _, _ = parse_wheel_filename(f)
            except Exception:
                continue
            key = norm_name(str(name))
            if key not in best or version > best[key][0]:
                best[key] = (version, os.path.join(d, f))
    return best


def write_chunk(job):
    out, files = job
    with lzma.open(out, 'wb', preset=9) as xz, tarfile.open(fileobj=xz, mode='w') as tar:
        for rel, body in files:
            data = body.encode('utf8')
            ti = tarfile.TarInfo(rel)
            ti.size = len(data)
            tar.addfile(ti, io.BytesIO(data))
    return {'file': os.path.basename(out), 'files': len(files), 'chars': sum(len(b) for _, b in files), 'bytes': os.path.getsize(out)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mirror', action='append', default=None)
    ap.add_argument('--known', action='append', default=[], help="the GPU machine's selection.json: its distributions are skipped")
    ap.add_argument('--out', required=True, help='folder for extra-NN.tar.xz and extra-report.json')
    ap.add_argument('--chunk-mb', type=float, default=19.0, help='compressed size of one chunk')
    ap.add_argument('--max-bytes', type=int, default=300_000)
    ap.add_argument('--max-line', type=int, default=1000)
    ap.add_argument('--stdlib-overlap', type=float, default=0.3)
    ap.add_argument('--max-chars', type=int, default=0, help='stop after this many characters (0: all)')
    ap.add_argument('--dry', action='store_true', help='report only, write no chunks')
    args = ap.parse_args()
    mirrors = args.mirror or ['/opt/pypi/files', '/opt/pypi-more/files', '/opt/wheels']
    t0 = time.time()
    known = set()
    for k in args.known:
        known.update(norm_name(d['name']) for d in json.load(open(k))['distributions'] if d.get('files', 0) > 0)
    stdlib = os.path.realpath(sysconfig.get_paths()['stdlib'])
    std_lines = stdlib_line_set(stdlib)
    wheels = newest_wheels(mirrors)
    os.makedirs(args.out, exist_ok=True)
    report, seen, drops = [], set(), {'size': 0, 'long line': 0, 'special token text': 0, 'duplicate': 0, 'stdlib overlap': 0, 'unreadable': 0, 'tests/vendored/generated': 0}
    kept_files, total_chars = [], 0
    for name in sorted(wheels):
        version, path = wheels[name]
        row = {'name': name, 'version': str(version), 'wheel': os.path.basename(path), 'files': 0, 'chars': 0}
        report.append(row)
        if name in known:
            row.update(permissive=None, source='already on the GPU machine')
            continue
        try:
            z = zipfile.ZipFile(path)
            meta_name = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
            ok, text, source = license_of(Meta(z.read(meta_name).decode('utf8', 'replace')))
        except Exception as e:  # a broken wheel is reported, not fatal
            row.update(permissive=False, source=f'unreadable wheel: {e}')
            continue
        if name in EXCLUDED_NAMES or name in SKIP_DISTS:
            ok, source = False, source + '; left out: backport or generated/data code'
        row.update(permissive=ok, license=text, source=source)
        if not ok:
            continue
        for n in z.namelist():
            if not n.endswith('.py'):
                continue
            if SKIP_PATH.search(n):
                drops['tests/vendored/generated'] += 1
                continue
            info = z.getinfo(n)
            if info.file_size < 200 or info.file_size > args.max_bytes:
                drops['size'] += 1
                continue
            try:
                body = z.read(n).decode('utf8')
            except (UnicodeDecodeError, zipfile.BadZipFile, OSError):
                drops['unreadable'] += 1
                continue
            why = text_drop(body, args, seen, std_lines)
            if why:
                drops[why] += 1
                continue
            kept_files.append((f'{name}/{n}', body))
            row['files'] += 1
            row['chars'] += len(body)
            total_chars += len(body)
        if args.max_chars and total_chars >= args.max_chars:
            break
    # Chunks: files in a stable order (by distribution), each chunk closed once its
    # compressed size would pass --chunk-mb (estimated from the running compression ratio).
    limit = int(args.chunk_mb * 1e6)
    chunks, cur, cur_raw = [], [], 0
    ratio = 0.135  # xz -9 on Python source (measured on 30 MB of these wheels: 0.131)
    for rel, body in kept_files:
        size = len(body.encode('utf8'))
        if cur and (cur_raw + size) * ratio > limit:
            chunks.append(cur)
            cur, cur_raw = [], 0
        cur.append((rel, body))
        cur_raw += size
    if cur:
        chunks.append(cur)
    jobs = [(os.path.join(args.out, f'extra-{i:02d}.tar.xz'), files) for i, files in enumerate([] if args.dry else chunks)]
    # xz -9 runs at ~1.5 MB/s: one process per core.
    with multiprocessing.Pool(min(len(jobs), os.cpu_count() or 1) or 1) as pool:
        written = pool.map(write_chunk, jobs)
    for w in written:
        print(w, flush=True)
    kept = [r for r in report if r['files'] > 0]
    summary = {
        'python': sys.version.split()[0], 'stdlib_excluded': stdlib, 'mirrors': mirrors,
        'distributions_seen': len(report), 'already_on_gpu_machine': sum(1 for r in report if r.get('permissive') is None),
        'distributions_kept': len(kept), 'files': len(kept_files), 'chars': total_chars, 'dropped': drops,
        'chunks': written, 'seconds': round(time.time() - t0, 1),
    }
    with open(os.path.join(args.out, 'extra-report.json'), 'w') as fh:
        json.dump({'summary': summary, 'distributions': report}, fh, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != 'chunks'}))


if __name__ == '__main__':
    main()
