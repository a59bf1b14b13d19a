"""Step 2 (on the GPU machine): tokenize the selected files into packed training rows.

With --window (run 3) FIM files give examples cut around cursors instead (window_examples):
the prefix and suffix lengths the editor sends, several overlapping examples per file.

Each file is, at random (seeded), either plain text (the file, then <|endoftext|>) or cut
at line boundaries into segments of 1,000-6,000 characters that become fill-in-the-middle
examples in Qwen2.5-Coder's PSM format:

    <|fim_prefix|>PRE<|fim_suffix|>SUF<|fim_middle|>MID<|endoftext|>

The middle is, in equal measure of the three kinds the editor asks for: whole lines
(1-6 lines starting at a line start, ending before a newline, as the comparison samples
them), the rest of a line from a point inside it, or a random character span. PRE, SUF and
MID are tokenized separately, as the engine tokenizes a FIM prompt (split at the special
tokens) and as the middle is generated after <|fim_middle|>.

Rows of SEQ+1 tokens: FIM examples are placed whole (never cut across rows), the gaps
filled with plain text, which may be cut anywhere. Several variants (different FIM/plain
choices and cut points per file) make later epochs differ.

Validation (never trained on): files of the Python standard library of this interpreter,
as plain rows and as line-middle FIM examples (the evaluation's shape).

    python3 build_dataset.py --selection selection.json --tokenizer tokenizer.json --out DIR
"""
import argparse
import bisect
import json
import os
import random
import re
import sysconfig
import tarfile
import time

import numpy as np
from tokenizers import Tokenizer

PAD = np.uint32(0xFFFFFFFF)  # masked out of the loss


def encode_all(tok, texts):
    fast = getattr(tok, 'encode_batch_fast', None)
    encs = (fast or tok.encode_batch)(texts, add_special_tokens=False)
    return [np.asarray(e.ids, dtype=np.uint32) for e in encs]


def line_starts(text):
    return [0] + [m.end() for m in re.finditer('\n', text)]


SEG_MIN, SEG_MAX = 1000, 6000
KIND_SHARES = (1 / 3, 1 / 3)  # whole lines, rest of a line; the remainder: random spans
WINDOW = False  # --window: FIM examples cut around cursors (window_examples) instead of segments
WIN_PREFIX, WIN_SUFFIX, WIN_STRIDE = 4400, 1500, 4000
EOF_RATE = 0.0  # --eof-rate: see window_examples
LINE_END_RATE = 0.0  # --line-end-rate: see line_end_example


def segments(text, rng):
    """Cut at line boundaries into pieces of SEG_MIN-SEG_MAX characters."""
    out, start = [], 0
    while start < len(text):
        want = rng.randint(SEG_MIN, SEG_MAX)
        end = text.find('\n', start + want)
        end = len(text) if end == -1 or len(text) - end < 300 else end + 1
        out.append(text[start:end])
        start = end
    return out


def fim_split(seg, rng, around=None):
    """(prefix, middle, suffix) of one segment, or None if it is too short. With `around`,
    the cursor is near that offset instead of anywhere."""
    if len(seg) < 60:
        return None
    kind = rng.random()
    pick = (lambda lo, hi: rng.randrange(lo, hi)) if around is None else (lambda lo, hi: min(max(lo, around), hi - 1))
    lines_share, rest_share = KIND_SHARES
    starts = line_starts(seg) if kind < lines_share else []
    if kind < lines_share and len(starts) > 3:
        # Whole lines: the cursor at a line start, the middle ends before a newline.
        li = rng.randrange(1, len(starts) - 1) if around is None else min(max(1, bisect.bisect_right(starts, around) - 1), len(starts) - 2)
        n = min(len(starts) - 1 - li, 1 + int(rng.expovariate(0.6)), 6)
        a = starts[li]
        b = starts[li + n] - 1 if li + n < len(starts) else len(seg)
        if b <= a:
            return None
    elif kind < lines_share + rest_share:
        # The rest of a line (sometimes a few more lines) from a point inside it.
        a = pick(0, len(seg) - 1)
        b = seg.find('\n', a)
        for _ in range(int(rng.expovariate(1.0))):
            if b == -1:
                break
            b = seg.find('\n', b + 1)
        b = len(seg) if b == -1 else b
    else:
        a = pick(0, len(seg) - 1)
        b = min(len(seg), a + 1 + int(rng.expovariate(1 / 150)))
    return seg[:a], seg[a:b], seg[b:]


def cut_prefix(pre, rng):
    """Long prefixes most of the time (the editor sends ~75 % of the budget before the
    cursor), short ones sometimes (the top of a file); cut at a line start."""
    keep = rng.randint(1500, WIN_PREFIX) if rng.random() < 0.75 else rng.randint(0, 1500)
    if len(pre) > keep:
        cut = pre.find('\n', len(pre) - keep)
        pre = pre[cut + 1:] if cut != -1 else pre[len(pre) - keep:]
    return pre


def cut_suffix(suf, rng):
    """Up to WIN_SUFFIX characters after the middle, cut at a line end."""
    skeep = rng.randint(0, WIN_SUFFIX)
    if len(suf) > skeep:
        cut = suf.find('\n', skeep)
        suf = suf[: cut] if cut != -1 else suf[:skeep]
    return suf


def window_examples(text, rng):
    """FIM examples in the shape the editor and the comparison send: a cursor in the file,
    up to WIN_PREFIX characters before it (from a line start), a middle of the kinds above,
    and up to WIN_SUFFIX characters after it (to a line end). Cursors about every
    WIN_STRIDE characters, so one file gives several overlapping examples."""
    out = []
    n = max(1, round(len(text) / WIN_STRIDE))
    for _ in range(n):
        a0 = rng.randrange(0, max(1, len(text) - 1))
        lo = max(0, a0 - 8000)
        window = text[lo: a0 + 8000]
        r = rng.random()
        if r < EOF_RATE:
            e = eof_example(window, a0 - lo, rng)
            if e:
                out.append(e)
            continue
        if r < EOF_RATE + LINE_END_RATE:
            e = line_end_example(window, a0 - lo, rng)
            if e:
                out.append(e)
            continue
        s = fim_split(window, rng, around=a0 - lo)
        if not s:
            continue
        pre, mid, suf = s
        pre, suf = cut_prefix(pre, rng), cut_suffix(suf, rng)
        if EOF_RATE > 0 and not suf.strip() and not mid.strip():
            continue  # with nothing after the cursor an empty answer is never right
        out.append((pre, mid, suf))
    return out


def eof_example(window, c, rng):
    """The cursor at the end of what is written so far, where one mostly types: nothing after
    it, and the middle the next 1-6 lines. Half the time the cursor sits at the end of its
    line (the middle then starts with the line break, as after typing `def f(x):`), half the
    time inside it. Run 5's model, trained without these, often answered just a line break
    there. (Run 6 had them with one-line middles; the trailing comments first blamed on that
    came from a check that sent no FIM template: see the model card.)"""
    if rng.random() < 0.5:
        e = window.find('\n', c)
        c = e if e != -1 else len(window)
    end = c
    for _ in range(rng.randint(1, 6)):
        e = window.find('\n', end + 1)
        if e == -1:
            end = len(window)
            break
        end = e
    pre, mid = window[:c], window[c:end]
    pre = cut_prefix(pre, rng)
    if not mid.strip() or not pre.strip():
        return None
    return (pre, mid, '')


def line_end_example(window, c, rng):
    """The cursor at the end of a line with text, in the middle of a file, as after typing a
    line and pausing where new code is being written: the middle is a line break and the next
    1-6 lines, the suffix what follows them. Runs 1-7 almost never had a cursor exactly at a
    line end mid-file (the rest-of-line kind puts it there about once a line length), and it
    shows: at 200 such standard-library spots (`compare --cursor line-end`) run 5 showed
    nothing at 77 and added to the finished line at 64, first-line edit similarity 0.16
    against 0.38 at line starts."""
    e = window.find('\n', c)
    if e == -1:
        return None
    ls = window.rfind('\n', 0, e) + 1
    if not window[ls:e].strip():
        return None
    end = e
    for _ in range(rng.randint(1, 6)):
        n = window.find('\n', end + 1)
        if n == -1:
            return None
        end = n
    pre, mid, suf = window[:e], window[e:end], window[end:]
    if not mid.strip():
        return None
    return (cut_prefix(pre, rng), mid, cut_suffix(suf, rng))


def pack(fim_examples, plain_stream, seq, rng_np):
    rows, cur, cur_len, p = [], [], 0, 0
    width = seq + 1
    pack.too_long = 0

    def take(n):
        nonlocal p
        piece = plain_stream[p:p + n]
        p += len(piece)
        if len(piece) < n:
            piece = np.concatenate([piece, np.full(n - len(piece), PAD, dtype=np.uint32)])
        return piece

    for e in fim_examples:
        if len(e) > width:
            pack.too_long += 1
            continue
        if cur_len + len(e) > width:
            cur.append(take(width - cur_len))
            rows.append(np.concatenate(cur))
            cur, cur_len = [], 0
        cur.append(e)
        cur_len += len(e)
    if cur:
        cur.append(take(width - cur_len))
        rows.append(np.concatenate(cur))
    rest = plain_stream[p:]
    n = len(rest) // width
    if n:
        rows.extend(rest[: n * width].reshape(n, width))
    out = np.stack(rows) if rows else np.zeros((0, width), np.uint32)
    rng_np.shuffle(out)
    return out


def build_variant(texts, tok, ids, seq, fim_rate, seed):
    rng = random.Random(seed)
    fim_parts, plain_texts = [], []
    for t in texts:
        if rng.random() >= fim_rate:
            plain_texts.append(t)
        elif WINDOW:
            fim_parts.extend(window_examples(t, rng))
        else:
            for seg in segments(t, rng):
                s = fim_split(seg, rng)
                if s:
                    fim_parts.append(s)
    flat = [x for s in fim_parts for x in s]
    enc = encode_all(tok, flat)
    pre, suf, mid, eot = ids['<|fim_prefix|>'], ids['<|fim_suffix|>'], ids['<|fim_middle|>'], ids['<|endoftext|>']
    fim_examples = []
    for i in range(len(fim_parts)):
        p, m, s = enc[3 * i], enc[3 * i + 1], enc[3 * i + 2]
        fim_examples.append(np.concatenate([[pre], p, [suf], s, [mid], m, [eot]]).astype(np.uint32))
    penc = encode_all(tok, plain_texts)
    plain = np.concatenate([np.concatenate([e, [eot]]).astype(np.uint32) for e in penc]) if penc else np.zeros(0, np.uint32)
    rows = pack(fim_examples, plain, seq, np.random.default_rng(seed))
    fim_tokens = int(sum(len(e) for e in fim_examples))
    return rows, {'fim_examples': len(fim_examples), 'fim_too_long_dropped': pack.too_long, 'fim_tokens': fim_tokens, 'plain_tokens': int(len(plain)), 'rows': int(len(rows))}


def read_extra(path):
    """Texts of a folder's .py files, or of the members of an xz tar chunk (select_wheels.py)."""
    out = []
    if os.path.isdir(path):
        for r, _, files in sorted(os.walk(path)):
            for f in sorted(files):
                if f.endswith('.py'):
                    with open(os.path.join(r, f), encoding='utf8') as fh:
                        out.append(fh.read())
        return out
    with tarfile.open(path, 'r:xz') as tar:
        for m in tar:
            if m.isfile():
                out.append(tar.extractfile(m).read().decode('utf8'))
    return out


def stdlib_files(n, seed):
    root = sysconfig.get_paths()['stdlib']
    found = []
    for r, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ('site-packages', 'dist-packages', 'test', 'tests', 'idlelib', '__pycache__'))
        for f in sorted(files):
            if f.endswith('.py'):
                found.append(os.path.join(r, f))
    random.Random(seed).shuffle(found)
    out = []
    for p in found:
        try:
            with open(p, encoding='utf8') as fh:
                t = fh.read()
        except (UnicodeDecodeError, OSError):
            continue
        if 2000 < len(t) < 200_000:
            out.append((p, t))
        if len(out) >= n:
            break
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--selection', required=True)
    ap.add_argument('--tokenizer', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--seq', type=int, default=2048)
    ap.add_argument('--fim-rate', type=float, default=0.5)
    ap.add_argument('--variants', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--seg', default='1000,6000', help='FIM segment length range in characters')
    ap.add_argument('--kinds', default='0.3333,0.3333', help='shares of whole-line and rest-of-line middles')
    ap.add_argument('--window', action='store_true', help='FIM examples cut around cursors, in the editor\'s prompt shape (run 3)')
    ap.add_argument('--win', default='4400,1500,4000', help='with --window: most prefix and suffix characters, characters per cursor')
    ap.add_argument('--val-seed', type=int, default=None, help='seed of the held-out sample (default: --seed); fixed, runs compare')
    ap.add_argument('--no-val', action='store_true')
    ap.add_argument('--eof-rate', type=float, default=0.0, help='with --window: share of examples whose suffix is empty, as at the end of a file (run 6 on: 0.15)')
    ap.add_argument('--line-end-rate', type=float, default=0.0, help='with --window: share of examples with the cursor at the end of a line mid-file, the middle a line break and the next lines (run 8 on: 0.15)')
    ap.add_argument('--extra', action='append', default=[], help='more training files: a folder (read recursively) or extra-NN.tar.xz chunks from select_wheels.py (run 5)')
    args = ap.parse_args()
    global SEG_MIN, SEG_MAX, KIND_SHARES, WINDOW, WIN_PREFIX, WIN_SUFFIX, WIN_STRIDE, EOF_RATE, LINE_END_RATE
    WINDOW = args.window
    EOF_RATE = args.eof_rate
    LINE_END_RATE = args.line_end_rate
    WIN_PREFIX, WIN_SUFFIX, WIN_STRIDE = map(int, args.win.split(','))
    SEG_MIN, SEG_MAX = map(int, args.seg.split(','))
    KIND_SHARES = tuple(map(float, args.kinds.split(',')))
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    tok = Tokenizer.from_file(args.tokenizer)
    ids = {t: tok.token_to_id(t) for t in ('<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>')}
    print('special ids', ids, flush=True)
    sel = json.load(open(args.selection))
    texts = []
    for f in sel['files']:
        with open(f['path'], encoding='utf8') as fh:
            texts.append(fh.read())
    n_sel = len(texts)
    for e in args.extra:
        texts.extend(read_extra(e))
    print(f'read {len(texts)} files ({n_sel} selected here, {len(texts) - n_sel} extra), {sum(map(len, texts))} chars in {time.time() - t0:.1f}s', flush=True)
    stats = {'files_selected': n_sel, 'files_extra': len(texts) - n_sel, 'chars': sum(map(len, texts)), 'extra': args.extra, 'special_ids': ids, 'seq': args.seq, 'fim_rate': args.fim_rate, 'seed': args.seed, 'seg': args.seg, 'kinds': args.kinds,
             'window': args.window, 'win': args.win, 'eof_rate': args.eof_rate, 'line_end_rate': args.line_end_rate, 'variants': []}
    for v in range(args.variants):
        t1 = time.time()
        rows, st = build_variant(texts, tok, ids, args.seq, args.fim_rate, args.seed + v)
        np.save(os.path.join(args.out, f'train_{v}.npy'), rows)
        st['seconds'] = round(time.time() - t1, 1)
        stats['variants'].append(st)
        print('variant', v, st, flush=True)

    # Held-out validation from the standard library (never trained on).
    vseed = args.seed if args.val_seed is None else args.val_seed
    std = stdlib_files(160, vseed)
    val_texts = [t for _, t in std[:80]]
    penc = encode_all(tok, val_texts)
    plain = np.concatenate([np.concatenate([e, [ids['<|endoftext|>']]]) for e in penc]).astype(np.uint32)
    n = min(64, len(plain) // (args.seq + 1))
    np.save(os.path.join(args.out, 'val_plain.npy'), plain[: n * (args.seq + 1)].reshape(n, args.seq + 1))
    # Line-middle cases in the comparison's shape, for FIM loss and greedy first-line checks.
    rng = random.Random(vseed + 99)
    cases = []
    for p, t in std[80:]:
        lines = t.split('\n')
        cands = [i for i in range(5, len(lines) - 3) if lines[i].strip()]
        for i in rng.sample(cands, min(2, len(cands))):
            start = sum(len(l) + 1 for l in lines[:i])
            mid = '\n'.join(lines[i:i + 3])
            cases.append({'file': p, 'line': i + 1, 'prefix': t[:start][-3500:], 'middle': mid, 'suffix': t[start + len(mid):][:1200]})
    with open(os.path.join(args.out, 'val_cases.json'), 'w') as fh:
        json.dump(cases, fh)
    stats['val_plain_rows'] = int(n)
    stats['val_cases'] = len(cases)
    stats['seconds'] = round(time.time() - t0, 1)
    with open(os.path.join(args.out, 'dataset_stats.json'), 'w') as fh:
        json.dump(stats, fh, indent=1)
    print(json.dumps(stats), flush=True)


if __name__ == '__main__':
    main()
