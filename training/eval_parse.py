"""Step 5b (here): "parses after insertion" for a comparison report.

Reads the JSON report of `completion-lab compare --workspace DIR --json --out FILE`, rebuilds
each case's document (the file with the ground-truth lines replaced by the completion, as
the comparison's workspace sampler cut them: the cursor line and the 2 after it) and asks
Python's own parser (ast) whether it still parses. The document with the ground truth is
checked too, so files that never parsed (under this Python) are left out.

    python3 training/eval_parse.py --report REPORT.json --workspace DIR [--first N]
"""
import argparse
import ast
import json
import os
import warnings

TRUTH_LINES = 3  # sampleWorkspaceCases' default


def parses(text):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            ast.parse(text)
        return True
    except (SyntaxError, ValueError):
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--report', required=True)
    ap.add_argument('--workspace', required=True)
    ap.add_argument('--first', type=int, default=0, help="only the report's first N cases (its 100-spot subset: --first 100)")
    a = ap.parse_args()
    rep = json.load(open(a.report))
    out = {}
    for p in rep['profiles']:
        ok = n = 0
        for r in (p['results'][:a.first] if a.first else p['results']):
            rel, line = r['caseId'].rsplit(':', 1)
            text = open(os.path.join(a.workspace, rel), encoding='utf8').read()
            lines = text.split('\n')
            li = int(line) - 1
            start = sum(len(l) + 1 for l in lines[:li])
            last = min(len(lines) - 1, li + TRUTH_LINES - 1)
            end = sum(len(l) + 1 for l in lines[:last]) + len(lines[last].rstrip('\r'))
            prefix, suffix = text[:start], text[end:]
            if not parses(prefix + text[start:end] + suffix):
                continue
            n += 1
            ok += parses(prefix + (r.get('completion') or '') + suffix)
        out[p['name']] = {'cases': n, 'parses_after_insertion': round(ok / max(n, 1), 4)}
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
