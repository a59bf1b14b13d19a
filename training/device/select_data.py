"""Step 1 (on the GPU machine): choose the training files.

Third-party Python from the distributions installed in this interpreter's environment,
kept only when the distribution's own metadata declares a permissive licence (MIT, BSD,
Apache-2.0, ISC, and a few equivalents). The Python standard library is never read for
training: it is the held-out evaluation set. Files that repeat the standard library
(vendored copies, backports) are dropped by a line-overlap check against it.

Writes a JSON selection: per distribution its licence, where the licence was read and
how many files were kept; and the list of kept files.

    python3 select_data.py --out selection.json
"""
import argparse
import hashlib
import importlib.metadata as md
import json
import os
import re
import sys
import sysconfig
import time

PERMISSIVE_SPDX = {
    'MIT', 'MIT-0', 'BSD-2-CLAUSE', 'BSD-3-CLAUSE', 'BSD-3-CLAUSE-CLEAR', 'BSD', '0BSD',
    'APACHE-2.0', 'APACHE 2.0', 'ISC', 'ZLIB', 'UNLICENSE', 'CC0-1.0', 'HPND',
}
PERMISSIVE_CLASSIFIERS = (
    'License :: OSI Approved :: MIT License',
    'License :: OSI Approved :: MIT No Attribution License (MIT-0)',
    'License :: OSI Approved :: BSD License',
    'License :: OSI Approved :: Apache Software License',
    'License :: OSI Approved :: ISC License (ISCL)',
    'License :: OSI Approved :: zlib/libpng License',
    'License :: OSI Approved :: The Unlicense (Unlicense)',
    'License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication',
)
# Python-licensed third-party packages are mostly standard-library backports: left out so
# that nothing close to the evaluation set is trained on.
EXCLUDED_NAMES = {'typing-extensions', 'typing_extensions'}
SPECIAL_TOKEN_TEXT = ('<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|fim_', '<|repo_name|>', '<|file_sep|>')


def norm_name(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def spdx_verdict(expr):
    """Permissive when every AND-term has at least one permissive OR-alternative."""
    expr = expr.replace('(', ' ').replace(')', ' ')
    for conj in re.split(r'\s+AND\s+', expr, flags=re.I):
        alts = [a.strip().upper().replace(' WITH LLVM-EXCEPTION', '') for a in re.split(r'\s+OR\s+', conj, flags=re.I)]
        if not any(a in PERMISSIVE_SPDX for a in alts):
            return False
    return True


def license_of(dist):
    """(verdict, licence text shown, where it was read)."""
    meta = dist.metadata
    expr = meta.get('License-Expression')
    if expr:
        return spdx_verdict(expr), expr, 'License-Expression'
    classifiers = [c for c in (meta.get_all('Classifier') or []) if c.startswith('License ::')]
    copyleft = [c for c in classifiers if re.search(r'GPL|MPL|Mozilla|EUPL|Affero|Proprietary|Commercial', c)]
    permissive = [c for c in classifiers if c in PERMISSIVE_CLASSIFIERS]
    if classifiers:
        if copyleft and not permissive:
            return False, '; '.join(classifiers), 'classifiers'
        if permissive and not copyleft:
            return True, '; '.join(permissive), 'classifiers'
        if permissive and copyleft:
            return False, '; '.join(classifiers), 'classifiers (mixed, left out)'
    lic = (meta.get('License') or '').strip()
    if lic and lic.upper() != 'UNKNOWN':
        head = lic.splitlines()[0][:120]
        if re.search(r'GPL|MPL|Mozilla|proprietary|commercial|NVIDIA', lic[:2000], flags=re.I):
            return False, head, 'License'
        if spdx_verdict(head) or re.match(r'^\s*(MIT|BSD|Apache|ISC|The MIT License|Copyright .*\n.*Permission is hereby granted)', lic, flags=re.I):
            return True, head, 'License'
        if re.search(r'Permission is hereby granted, free of charge|Redistribution and use in source and binary forms|Licensed under the Apache License', lic[:3000]):
            return True, head, 'License (full text)'
        return False, head, 'License (unrecognised)'
    return False, '(none declared)', 'none'


def significant_lines(text):
    for line in text.splitlines():
        s = line.strip()
        if len(s) >= 40:
            yield hashlib.blake2b(s.encode('utf8', 'surrogatepass'), digest_size=8).digest()


def stdlib_line_set(stdlib):
    seen = set()
    for root, dirs, files in os.walk(stdlib):
        dirs[:] = [d for d in dirs if d not in ('site-packages', 'dist-packages')]
        for f in files:
            if f.endswith('.py'):
                try:
                    with open(os.path.join(root, f), encoding='utf8') as fh:
                        seen.update(significant_lines(fh.read()))
                except (UnicodeDecodeError, OSError):
                    pass
    return seen


def text_drop(text, args, seen, std_lines):
    """Why a file's text is left out (a key of the drops count), or None: then its hash joins
    `seen`. Shared with select_wheels.py, so both sources are filtered alike."""
    if max((len(l) for l in text.splitlines()), default=0) > args.max_line:
        return 'long line'
    if any(s in text for s in SPECIAL_TOKEN_TEXT):
        return 'special token text'
    h = hashlib.sha256(text.encode('utf8', 'surrogatepass')).hexdigest()
    if h in seen:
        return 'duplicate'
    sig = list(significant_lines(text))
    if sig and sum(1 for s in sig if s in std_lines) / len(sig) >= args.stdlib_overlap:
        return 'stdlib overlap'
    seen.add(h)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--max-bytes', type=int, default=300_000)
    ap.add_argument('--max-line', type=int, default=1000)
    ap.add_argument('--stdlib-overlap', type=float, default=0.3)
    args = ap.parse_args()
    t0 = time.time()
    stdlib = os.path.realpath(sysconfig.get_paths()['stdlib'])
    std_lines = stdlib_line_set(stdlib)
    dists = {}
    for d in md.distributions():
        name = norm_name(d.metadata.get('Name') or '?')
        dists.setdefault(name, d)
    files, seen_hashes, report = [], set(), []
    drops = {'not .py': 0, 'size': 0, 'long line': 0, 'special token text': 0, 'duplicate': 0, 'stdlib overlap': 0, 'unreadable': 0, 'stdlib path': 0}
    for name in sorted(dists):
        d = dists[name]
        ok, text, source = license_of(d)
        if name in EXCLUDED_NAMES:
            ok, source = False, source + '; left out: standard-library backport'
        row = {'name': name, 'version': d.version, 'license': text, 'source': source, 'permissive': ok, 'files': 0, 'chars': 0}
        report.append(row)
        if not ok or not d.files:
            continue
        for rel in d.files:
            if not str(rel).endswith('.py'):
                continue
            p = os.path.realpath(str(d.locate_file(rel)))
            if p.startswith(stdlib + os.sep) and '-packages' not in p:
                drops['stdlib path'] += 1
                continue
            try:
                size = os.path.getsize(p)
                if size < 200 or size > args.max_bytes:
                    drops['size'] += 1
                    continue
                with open(p, encoding='utf8') as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                drops['unreadable'] += 1
                continue
            why = text_drop(text, args, seen_hashes, std_lines)
            if why:
                drops[why] += 1
                continue
            files.append({'path': p, 'dist': name})
            row['files'] += 1
            row['chars'] += len(text)
    kept = [r for r in report if r['files'] > 0]
    summary = {
        'python': sys.version.split()[0],
        'prefix': sys.prefix,
        'stdlib_excluded': stdlib,
        'stdlib_significant_lines': len(std_lines),
        'distributions_seen': len(report),
        'distributions_kept': len(kept),
        'files': len(files),
        'chars': sum(r['chars'] for r in kept),
        'dropped': drops,
        'seconds': round(time.time() - t0, 1),
    }
    with open(args.out, 'w') as fh:
        json.dump({'summary': summary, 'distributions': report, 'files': files}, fh, indent=1)
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
