"""The model card's figure: loss and quality against training time, over every run.

Runs continue one another (run 2 from run 1's end, run 3 from run 2's, run 4 from run 3's
export at step 4290, run 5 from run 4's end, run 6 from run 5's end, grown to 24 layers), so the x axis is training time summed along that line. Left: training
loss (runs 3 to 6 weight the FIM middle's loss, so theirs is not comparable with runs 1-2).
Middle: the loss of the true middle on held-out standard-library spots, given the FIM prompt
and given the prefix alone (the GPU machine's evaluation; runs 1, 2 and 3-4 drew their spots
with different seeds; runs 3-6 the same ones). Right: the project's own comparison on 100 standard-library line
starts (the same spots for every checkpoint): exact first line and first-line edit similarity.

    python3 training/plot_curves.py   (matplotlib, e.g. Debian's python3-matplotlib; writes training/loss_curve.png)
"""
import json
import os

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = os.path.join(HERE, 'runs')

# (run folder, the run it continues, at which training second of that run)
LINEAGE = [('2026-11-30-1', None, 0), ('2026-11-30-2', '2026-11-30-1', None), ('2026-11-30-3', '2026-11-30-2', None), ('2026-11-30-4', '2026-11-30-3', 370.0),
           ('2026-11-30-5', '2026-11-30-4', None), ('2026-11-30-6', '2026-11-30-5', None), ('2026-11-30-7', '2026-11-30-6', None)]
# Checkpoints judged by the project's comparison (100 spots, seed 1): report, run, training second in that run.
COMPARED = [
    ('eval-2026-11-30/compare-stdlib-100.json', '2026-11-30-2', None, 'run 2'),
    ('eval-2026-11-30-b/compare-run3-step4290-100.json', '2026-11-30-3', 370.0, 'run 3, step 4290'),
    ('eval-2026-11-30-b/compare-run3-final-100.json', '2026-11-30-3', None, 'run 3, end'),
    ('eval-2026-11-30-b/compare-run4-100.json', '2026-11-30-4', None, 'run 4'),
    # The 300-spot report's first 100 cases are the 100-spot sample (the sampler only stops later).
    ('eval-2026-11-30-c/compare-run5-300.json', '2026-11-30-5', None, 'run 5\n(shipped before)'),
    ('eval-2026-11-30-c/compare-run6-step2930-300.json', '2026-11-30-6', None, 'run 6, 24 layers\n(not shipped)'),
    ('eval-2026-11-30-c/compare-run7-step8500-300.json', '2026-11-30-7', None, 'run 7, 24 layers\n(shipped)'),
]


def first_100(profile):
    """Exact first line and first-line edit similarity over the report's first 100 cases."""
    res = profile['results'][:100]
    ok = [r for r in res if r.get('quality')]
    return {'exactMatchRate': sum(r['quality']['exactMatch'] for r in ok) / len(res),
            'meanEditSimFirstLine': sum(r['quality']['editSimFirstLine'] for r in ok) / len(res)}


def read_log(run):
    with open(os.path.join(RUNS, run, 'loss_log.jsonl')) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run_seconds(log):
    done = [r for r in log if r.get('event') == 'done']
    return done[-1]['train_seconds'] if done else max(r.get('train_seconds', 0) for r in log)


def main():
    logs = {run: read_log(run) for run, _, _ in LINEAGE}
    start = {}
    for run, parent, at in LINEAGE:
        start[run] = 0.0 if parent is None else start[parent] + (run_seconds(logs[parent]) if at is None else at)
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(17.5, 4.6))
    for run, _, _ in LINEAGE:
        log, t0, label = logs[run], start[run], 'run ' + run.rsplit('-', 1)[1]
        steps = [r for r in log if 'loss' in r and 'event' not in r and r['step'] > 30]
        a.plot([t0 + r['train_seconds'] for r in steps], [r['loss'] for r in steps], lw=0.8, label=label)
        ev = [r for r in log if r.get('event') == 'eval' and 'middle_loss_fim' in r]
        if ev:
            line, = b.plot([t0 + r['train_seconds'] for r in ev], [r['middle_loss_fim'] for r in ev], 'o-', label=f'{label}: FIM')
            b.plot([t0 + r['train_seconds'] for r in ev], [r['middle_loss_prefix'] for r in ev], 's--', color=line.get_color(), label=f'{label}: prefix only')
    a.set(title='training loss (runs 3-7: FIM middle weighted)', xlabel='training time, seconds (runs chained)', ylabel='nats / token', ylim=(0.8, 4))
    a.legend(fontsize=8)
    b.set(title='loss of the true middle, held-out stdlib spots', xlabel='training time, seconds (runs chained)', ylabel='nats / token')
    b.legend(fontsize=7)
    xs, rows = [], []
    for rel, run, at, label in COMPARED:
        with open(os.path.join(RUNS, rel)) as fh:
            rep = json.load(fh)
        t = start[run] + (run_seconds(logs[run]) if at is None else at)
        prof = {p['name']: first_100(p) for p in rep['profiles']}
        xs.append(t)
        rows.append((label, prof['fim'], prof['prefix-only']))
    # Bars, not lines: run 4 branches off run 3's middle, so the checkpoints are not one line.
    import numpy as np
    xi = np.arange(len(rows))
    bars = [('FIM: exact first line, %', lambda r: r[1]['exactMatchRate'] * 100, 'tab:blue'),
            ('prefix only: exact first line, %', lambda r: r[2]['exactMatchRate'] * 100, 'tab:orange'),
            ('FIM: first-line edit similarity x100', lambda r: r[1]['meanEditSimFirstLine'] * 100, 'tab:green'),
            ('prefix only: first-line edit similarity x100', lambda r: r[2]['meanEditSimFirstLine'] * 100, 'tab:red')]
    for k, (name, get, color) in enumerate(bars):
        vals = [get(r) for r in rows]
        c.bar(xi + (k - 1.5) * 0.2, vals, 0.2, color=color, label=name)
        for x, v in zip(xi, vals):
            c.annotate(f'{v:.0f}', (x + (k - 1.5) * 0.2, v), fontsize=7, ha='center', va='bottom')
    c.set_xticks(xi, [f'{r[0]}\n{x:.0f} s' for r, x in zip(rows, xs)], fontsize=7)
    c.set(title="the project's comparison, 100 held-out stdlib line starts", ylim=(0, 50))
    c.legend(fontsize=7, loc='upper left')
    fig.tight_layout()
    out = os.path.join(HERE, 'loss_curve.png')
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == '__main__':
    main()
