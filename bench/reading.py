"""`make bench`'s section on pictures that are not MNIST's, and issue 28's targets: how `predict` (its preparation, a
ten-digit model, its rule for `?`) reads MNIST's test digits (as tensors and as its PNG files), each style of digit
chapter 9 draws and each kind of picture of no digit, with chapter 7's recipe and with the model `predict` ships
(`train_reader`), means of their seeds. And `no_digit_frame`: how `make tune` chose that model's recipe, on held-out
pictures."""
import json, statistics
from pathlib import Path

here = Path(__file__).parent

RECIPES = {'small CNN, ten digits': "chapter 7's recipe", 'small CNN, ten digits, no digit': 'as shipped'}
SHIPPED = 'small CNN, ten digits, no digit'

def runs_of(seeds:list, recipe:str)->list: return [s['reading'] for s in seeds if s['recipe'] == recipe and 'reading' in s]

def mean_rate(runs:list, name:str, key:str):
    "The mean of `key` (`right`, `unsure`, `wrong`, `read`) for the set `name` over `runs`; `None` where not measured"
    return statistics.mean(r[name][key] for r in runs) if runs and key in runs[0].get(name, {}) else None

def pct(v)->str: return '' if v is None else f'{100*v:.1f}%'

def reading_table(seeds:list)->str:
    "Per set of pictures, per recipe: right and sure, `?`, sure and wrong"
    runs = {label: rs for r, label in RECIPES.items() if (rs := runs_of(seeds, r))}
    if not runs: return '*No reading measured yet: `make bench` measures it.*'
    names = list(dict.fromkeys(n for rs in runs.values() for n in rs[0]))
    lines = ['| pictures | ' + ' | '.join(f'{l}: right | {l}: `?` | {l}: sure and wrong' for l in runs) + ' |',
             '|---|' + '--:|'*3*len(runs)]
    for n in names:
        cells = [pct(mean_rate(rs, n, k)) for rs in runs.values() for k in ('right', 'unsure', 'wrong')]
        lines.append(f"| {n} | {' | '.join(cells)} |")
    return '\n'.join(lines)

def row(target:str, measured:str, ok:bool)->str: return f"| {target} | {measured} | {'yes' if ok else 'no'} |"

def reading_targets(seeds:list)->list:
    "Issue 28's targets, as table rows, for the model as shipped (against chapter 7's recipe for the time)"
    rs = runs_of(seeds, SHIPPED)
    if not rs: return []
    m = lambda n, k: mean_rate(rs, n, k)
    kinds, styles = [n for n in rs[0] if n.startswith('no digit: ')], [n for n in rs[0] if n.startswith('drawn: ')]
    kind, doubt = min(kinds, key=lambda n: m(n, 'unsure')), max(styles, key=lambda n: m(n, 'unsure'))
    right = min(styles, key=lambda n: m(n, 'right'))
    secs = {r: statistics.mean(s['seconds'] for s in seeds if s['recipe'] == r) for r in RECIPES}
    acc = statistics.mean(s['accuracy'] for s in seeds if s['recipe'] == SHIPPED)
    png = m('MNIST test digits, PNG files', 'read')
    return [row('every kind of picture of no digit `?` ≥ 90%', f'worst: {kind[10:]}, {pct(m(kind, "unsure"))}', m(kind, 'unsure') >= 0.9),
            row('every style of drawn digit `?` ≤ 2%', f'worst: {doubt[7:]}, {pct(m(doubt, "unsure"))}', m(doubt, 'unsure') <= 0.02),
            row('every style of drawn digit ≥ 99% right', f'worst: {right[7:]}, {pct(m(right, "right"))}', m(right, 'right') >= 0.99),
            row('MNIST test accuracy ≥ 0.996 as tensors', f'{acc:.4f}', acc >= 0.996),
            row("... and within 0.1 pt of it through `predict`'s PNG path", f'{png:.4f}', abs(acc - png) <= 0.001),
            row("training time ≤ 1.3× chapter 7's recipe", f"{secs[SHIPPED]:.1f} s against {secs['small CNN, ten digits']:.1f} s: "
                f"{secs[SHIPPED]/secs['small CNN, ten digits']:.2f}×", secs[SHIPPED] <= 1.3*secs['small CNN, ten digits'])]

# `make tune`'s candidates (`bench/tune.py`'s `NO_DIGIT`) by short name, in the order chapter 14 tells them
CANDIDATE = {"chapter 7's recipe": dict(no_digits=0), 'no digit': dict(drawn=32, widest=0.3), 'pens to 0.35': dict(drawn=32),
             '48 drawn': dict(), '5% scanned': dict(scans=0.05), 'weight 0.25': dict(weight=0.25)}

def no_digit_runs(recipe:str='ten digits, no digit')->dict:
    "`make tune`'s runs of `recipe`, by candidate (`CANDIDATE`'s short names, each the chosen recipe with its changes)"
    from mnist37.outliers import READER_RECIPE
    rows = [r for r in map(json.loads, (here/'tuning.jsonl').read_text().splitlines()) if r['recipe'] == recipe]
    def name(s):
        s = {**READER_RECIPE, **s}
        if not s['no_digits']: return "chapter 7's recipe"
        return next(n for n, c in CANDIDATE.items() if s == {**READER_RECIPE, **c})
    return {n: [r for r in rows if name(r['settings']) == n] for n in CANDIDATE}

def no_digit_frame(
    what:str='right', # `'right'`: each style of drawn digit read right; `'?'`: each style and each kind of no digit `?`
    recipe:str='ten digits, no digit'):
    "Each candidate's means over its seeds on the held-out pictures, at its own limit of *unsure model*"
    import pandas as pd
    key = {'right': 'right', '?': 'unsure'}[what]
    cols = {n: {k: statistics.mean(r[key][k] for r in rs) for k in rs[0][key]} for n, rs in no_digit_runs(recipe).items()}
    return pd.DataFrame(cols).style.format('{:.1%}', na_rep='')

def no_digit_summary(recipe:str='ten digits, no digit'):
    """Each candidate's limit of *unsure model* and held-out MNIST accuracy, means over its seeds, and the spread; and
    the pictures in each training batch (chapter 7's MNIST digits, the pool's besides), what its time grows with (its
    seconds, from runs on different days, are not compared here: `make bench` times the chosen one against chapter
    7's recipe, back to back)"""
    import pandas as pd
    from mnist37.full_mnist import TEN_DIGITS_RECIPE
    batch = TEN_DIGITS_RECIPE['bs']
    df = pd.DataFrame({n: {'seeds': len(rs), 'limit': statistics.mean(r['limit'] for r in rs),
                           'held-out accuracy': statistics.mean(r['accuracy'] for r in rs),
                           'spread': max(r['accuracy'] for r in rs) - min(r['accuracy'] for r in rs),
                           'pictures a batch': batch + rs[0]['settings'].get('no_digits', 0) + rs[0]['settings'].get('drawn', 0)}
                       for n, rs in no_digit_runs(recipe).items()}).T
    return df.style.format({'seeds': '{:.0f}', 'limit': '{:.2f}', 'held-out accuracy': '{:.4f}', 'spread': '{:.4f}',
                            'pictures a batch': '{:.0f}'})
