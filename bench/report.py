"""Tables and the figure of `make bench`, from what it measured (`bench/results.json`): `bench/results.md` and
`bench/time_to_accuracy.png`. `python bench/report.py` redraws them without measuring again."""
import json, statistics
from pathlib import Path
from reading import reading_table, reading_targets
from seeds_report import seeds_table, book_target

here = Path(__file__).parent
LEVELS = {'pixel similarity': 0.9511, 'linear with Learner': 0.9789, 'simple net': 0.9823, 'resnet18': 0.9961}  # the book's

def bench_results()->dict: return json.loads((here/'results.json').read_text())

def tuning_frame(recipe:str):
    "Accuracy on the held-out digits of each setting `bench/tune.py` tried for `recipe`: per seed, mean, spread, seconds"
    import pandas as pd
    rows = [json.loads(l) for l in (here/'tuning.jsonl').read_text().splitlines()]
    df = pd.DataFrame([dict(settings=', '.join(f'{k} {v}' for k,v in r['settings'].items()) or 'defaults', seed=r['seed'],
                            accuracy=r['accuracy'], seconds=r['seconds'], people=r.get('people_accuracy'),
                            drawn=r.get('drawn_accuracy'), limit=r.get('limit'), no_digit=r.get('no_digit_unsure'),
                            no_digit_worst=r.get('no_digit_unsure_worst'))
                       for r in rows if r['recipe'] == recipe])
    t = df.pivot_table(index='settings', columns='seed', values='accuracy', sort=False)
    t.columns = [f'seed {s}' for s in t.columns]
    t['mean'], t['spread'] = t.mean(1), t.max(1) - t.min(1)
    if df.people.notna().any(): t['as people write them'] = df.groupby('settings', sort=False).people.mean()
    for col, name in [('drawn', 'drawn digits'), ('limit', 'limit'), ('no_digit', '? no digit'),
                      ('no_digit_worst', '? worst kind')]:
        if df[col].notna().any(): t[name] = df.groupby('settings', sort=False)[col].mean()
    t['seconds'] = df.groupby('settings', sort=False).seconds.mean()
    return t.sort_values('mean', ascending=False)

def seeds_frame(recipes:list):
    "The runs of `recipes` over their seeds from `make bench`: accuracy per seed, mean, spread, mean seconds"
    import pandas as pd
    seeds = pd.DataFrame(bench_results()['seeds'])
    def row(recipe):
        r = seeds[seeds.recipe == recipe]
        people = {'as people write them': r.people_accuracy.mean()} if r.get('people_accuracy') is not None else {}
        return dict(recipe=recipe, **{f'seed {s}': a for s,a in zip(r.seed, r.accuracy)}, mean=r.accuracy.mean(),
                    spread=r.accuracy.max()-r.accuracy.min(), **people, seconds=r.seconds.mean())
    return pd.DataFrame([row(r) for r in recipes]).set_index('recipe')

def median(xs): return statistics.median(xs) if xs else float('nan')

def stage_secs(runs, stage): return [s['seconds'] for r in runs for s in r['stages'] if s['stage'] == stage]

def stage_accs(runs, stage):
    accs = sorted({s['accuracy'] for r in runs for s in r['stages'] if s['stage'] == stage} - {None})
    return ' / '.join(f'{a:.4f}' for a in accs)

def pipeline_table(p:dict)->str:
    "Per stage: median seconds of both pipelines, book/mnist37, accuracies; then wall time and memory"
    book, ours = p['book'], p['mnist37']
    names = list(dict.fromkeys(s['stage'] for r in book + ours for s in r['stages'] if s['stage'] != 'total'))
    lines = ['| stage | book s | mnist37 s | book/mnist37 | book accuracy | mnist37 accuracy |', '|---|--:|--:|--:|--:|--:|']
    for n in names:
        b, m = median(stage_secs(book, n)), median(stage_secs(ours, n))
        ratio = f'{b/m:.1f}×' if b == b and m == m and m > 0.005 else ''
        lines.append(f"| {n} | {b:.2f} | {m:.2f} | {ratio} | {stage_accs(book, n)} | {stage_accs(ours, n)} |".replace('nan', ''))
    b, m = median([r['wall'] for r in book]), median([r['wall'] for r in ours])
    lines.append(f'| **total (wall, whole process)** | **{b:.1f}** | **{m:.1f}** | **{b/m:.1f}×** | | |')
    mem = {k: median([s['peak_mb'] for r in v for s in r['stages'] if s['stage'] == 'total']) for k,v in p.items()}
    lines.append(f"| peak memory (MB, max RSS) | {mem['book']:.0f} | {mem['mnist37']:.0f} | {mem['book']/mem['mnist37']:.1f}× | | |")
    return '\n'.join(lines)

def book_time_to(run:dict, level:float)->float:
    "Seconds from the start of one run of the book's code to the end of the first stage at `level` or above"
    offset = run['wall'] - next(s['seconds'] for s in run['stages'] if s['stage'] == 'total')  # interpreter start-up
    hit = [s['since_start'] for s in run['stages'] if (s.get('accuracy') or 0) >= level]
    return hit[0] + offset if hit else float('nan')

def ours_time_to(rows:dict, level:float)->tuple:
    "The fastest mnist37 row that reaches `level` on its own, cold: `(seconds, row)`"
    hits = [(r['wall'], name) for name,r in rows.items() if r['accuracy'] >= level]
    return min(hits) if hits else (float('nan'), 'none')

def levels_table(res:dict)->str:
    lines = ["| the book's accuracy | reached by the book's code after, s | mnist37 after, s (row) | book/mnist37 |",
             '|--:|--:|--:|--:|']
    for stage, level in LEVELS.items():
        b = median([t for r in res['pipelines']['book'] if (t := book_time_to(r, level)) == t])
        m, row = ours_time_to(res['rows'], level)
        ratio = f'{b/m:.1f}×' if b == b and m == m else ''
        lines.append(f'| {level:.4f} ({stage}) | {b:.1f} | {m:.1f} ({row}) | {ratio} |'.replace('nan', 'not reached'))
    book_wall = median([r['wall'] for r in res['pipelines']['book']])
    m, row = ours_time_to(res['rows'], max(LEVELS.values()))
    lines.append(f"\nWhere the book's code did not reach an accuracy in these runs, compare with its whole run: "
                 f"{book_wall:.1f} s against mnist37's {m:.1f} s ({row}) to {max(LEVELS.values())}, {book_wall/m:.1f}× faster.")
    return '\n'.join(lines)

def precision_pipeline_table(p:dict)->str:
    "mnist37's pipeline as the report runs it (`--precision auto`) against the same in fp32, where both were measured"
    if 'mnist37, fp32' not in p: return ''
    auto, fp32 = p['mnist37'], p['mnist37, fp32']
    prec = {s['stage']: s.get('precision') for r in auto for s in r['stages']}
    names = [n for n in dict.fromkeys(s['stage'] for r in auto for s in r['stages']) if n not in ('total', 'import', 'load')]
    lines = ['| stage | precision (auto) | auto s | fp32 s | fp32/auto | auto accuracy | fp32 accuracy |', '|---|---|--:|--:|--:|--:|--:|']
    for n in names:
        a, f = median(stage_secs(auto, n)), median(stage_secs(fp32, n))
        ratio = f'{f/a:.2f}×' if a > 0.005 else ''
        lines.append(f'| {n} | {prec.get(n) or ""} | {a:.2f} | {f:.2f} | {ratio} | {stage_accs(auto, n)} | {stage_accs(fp32, n)} |')
    a, f = median([r['wall'] for r in auto]), median([r['wall'] for r in fp32])
    lines.append(f'| **total (wall, whole process)** | | **{a:.1f}** | **{f:.1f}** | **{f/a:.2f}×** | | |')
    return '\n'.join(lines)

def steps_table(prec:dict)->str:
    "Training steps in each precision (`bench/precision.py`): images per second, against fp32 channels-last"
    lines = ['| model | batch | precision | images/s | × fp32 channels-last | runs | mean loss |', '|---|--:|---|--:|--:|---|--:|']
    for r in prec['steps']:
        base = next(b['images_per_s'] for b in prec['steps'] if b['model'] == r['model'] and b['precision'] == 'fp32, channels last')
        lines.append(f"| {r['model']} | {r['bs']} | {r['precision']} | {r['images_per_s']:.0f} | {r['images_per_s']/base:.2f}× | "
                     f"{', '.join(f'{x:.0f}' for x in r.get('runs', []))} | {r['loss']:.4f} |")
    def names(v): return dict.fromkeys(n for x in v for n in x.split('+'))   # `a+b`: two implementations, each shown once
    kernels = '; '.join(f"{m}: " + ', '.join(f"{k} `{'`, `'.join(names(v))}`" for k,v in d.items() if k != 'reorder')
                        for m,d in prec.get('onednn', {}).items())
    return (f"{prec['date']}, {prec['machine']}.\n\n" + '\n'.join(lines) +
            (f"\n\noneDNN's implementations in the bf16 steps (`ONEDNN_VERBOSE=1`): {kernels}." if kernels else ''))

def precision_section(res:dict)->str:
    "bf16 mixed precision against fp32: the steps, the pipeline, where measured"
    if 'precision' not in res: return '*Not measured yet: `make bench` measures it.*'
    prec = res['precision']
    pipe = precision_pipeline_table(precision_pipelines(res))
    where = (f"measured again with the steps, {prec['reps']} run{'s' if prec['reps'] > 1 else ''} each"
             if 'pipelines' in prec else 'the runs above')
    return (steps_table(prec) + (f"\n\nThe whole 3-vs-7 pipeline, as `mnist37 report` runs it (`--precision auto`) "
            f"and in fp32 ({where}):\n\n{pipe}" if pipe else '') +
            "\n\nThe recipes in both precisions on one machine, on held-out digits, are `make tune`'s (`bench/precision.jsonl`, "
            "shown on the precision page with the rule `--precision auto` follows), each machine's beside the others'.")

def precision_pipelines(res:dict)->dict:
    "The pipelines to compare precisions with: those `bench.py --precision` measured again, else the main ones"
    return res.get('precision', {}).get('pipelines') or res['pipelines']

def best_so_far(points:list)->tuple:
    "Step curve: for points `(seconds, accuracy)`, the best accuracy reached by each time"
    xs, ys, best = [], [], 0
    for t,a in sorted(points):
        if a > best: xs.append(t); ys.append(a); best = a
    return xs, ys

def figure(res:dict, fn:Path):
    "Accuracy against seconds (log scale), the book's code and mnist37"
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    run = sorted(res['pipelines']['book'], key=lambda r: r['wall'])[len(res['pipelines']['book'])//2]
    offset = run['wall'] - next(s['seconds'] for s in run['stages'] if s['stage'] == 'total')
    book = [(s['since_start']+offset, s['accuracy']) for s in run['stages'] if s.get('accuracy')]
    ours = [(r['wall'], r['accuracy']) for r in res['rows'].values()]
    fig, ax = plt.subplots(figsize=(7, 4))
    for (label, pts), c in zip([("the book's code", book), ('mnist37, each row alone', ours)], ['tab:grey', 'tab:blue']):
        xs, ys = best_so_far(pts)
        ax.step(xs, ys, where='post', color=c, label=label); ax.plot(xs, ys, 'o', color=c)
    for level in LEVELS.values(): ax.axhline(level, color='lightgrey', lw=0.8, zorder=0)
    ax.set_xscale('log'); ax.set_ylim(0.94, 1.0); ax.set_xlabel('seconds from the start of the process (log scale)')
    ax.set_ylabel('validation accuracy, 3s vs 7s'); ax.legend(loc='lower right'); fig.tight_layout(); fig.savefig(fn, dpi=120)

def stage_medians(runs:list)->dict:
    "Median seconds of each stage of one pipeline's runs, the largest first"
    names = {s['stage'] for r in runs for s in r['stages']} - {'total'}
    return dict(sorted(((n, median(stage_secs(runs, n))) for n in names), key=lambda kv: -kv[1]))

def targets_section(res:dict)->str:
    "Issue 12's two targets against what was measured, where mnist37's seconds go, and what would move them"
    book = median([r['wall'] for r in res['pipelines']['book']])
    ours = median([r['wall'] for r in res['pipelines']['mnist37']])
    best, row = ours_time_to(res['rows'], LEVELS['resnet18'])
    quickest = min(r['wall'] for r in res['rows'].values())
    stages = stage_medians(res['pipelines']['mnist37'])
    spent = ', '.join(f'{n} {t:.2f} s ({t/ours:.0%})' for n,t in stages.items())
    bf16 = bf16_targets(res)
    reading = ''.join(r + '\n' for r in reading_targets(res['seeds']))
    book_seeds = book_target(res['seeds'])
    return (f"| target | measured | met |\n|---|---|---|\n" + (book_seeds + '\n' if book_seeds else '') + reading +
        (bf16 + '\n' if bf16 else '') +
        f"| the whole 3-vs-7 report ≤ 0.7× the book's code | {ours:.1f} s against {book:.1f} s: {ours/book:.2f}× | "
        f"{'yes' if ours <= 0.7*book else 'no'} |\n"
        f"| the fastest path to 0.9961 ≥ 20× faster than the book's code | {best:.1f} s ({row}) against {book:.1f} s: "
        f"{book/best:.1f}× | {'yes' if book >= 20*best else 'no'} |\n\n"
        f"Where mnist37's {ours:.1f} s go: {spent}; the rest is Python starting and the report printing.\n\n"
        f"- The resnet18 row takes {stages.get('resnet18', float('nan')):.1f} s of the {ours:.1f}: the book's resnet18, one "
        "epoch on the 12,396 training digits, channels-last and with its kernels trimmed on the 1×1 grids (the Speed page); "
        "batches of 128 or 256 would be faster but lose accuracy in one epoch, and bf16 pays only where the CPU has it "
        "(below). " + floor_text(res.get('floor'), stages.get('resnet18')) +
        ("" if ours <= 0.7*book else f" 0.7× means the whole report in {0.7*book:.1f} s; what would move it further is "
         "more cores or a GPU (the code runs on fastai's `default_device`).") + "\n"
        f"- 20× means reaching 0.9961 within {book/20:.1f} s of starting the process, but the quickest row, which trains "
        f"nothing, already takes {quickest:.1f} s cold (Python, torch and the report's imports {stages.get('import', 0):.2f} s "
        "of it): no model trained in a fresh process can get there on this machine. Only a trained model loaded from its "
        "weights could (`mnist37 predict` answers in about a second), and that is not training.")

def floor_text(fl:dict, secs:float)->str:
    "What resnet18's epoch costs in arithmetic, and the seconds that would take at this CPU's matrix-product rate"
    if not fl or not secs: return ''
    return (f"Its arithmetic: {fl['mflop_per_image_real']} MFLOP for one 28×28 image's forward pass, counting only the "
            f"products with real pixels ({fl['mflop_per_image']} with those that 3×3 kernels make with the padding around "
            "the last stages' 2×2 and 1×1 grids, which `trim` skips where a grid is 1×1 or becomes one), "
            f"{fl['tflop_epoch']} TFLOP for the epoch with its backward passes and the validation. At the "
            f"{fl['gflops']} GFLOP/s at which this CPU multiplies large matrices (fp32, every core), that is {fl['floor_s']} s, "
            f"the floor for this recipe here; the row takes {secs/fl['floor_s']:.1f}× that, since convolutions on grids "
            "that small, and their backward passes most, run far below that rate.")

def mean_of(seeds:list, recipe:str, key:str)->float:
    xs = [s[key] for s in seeds if s['recipe'] == recipe]
    return statistics.mean(xs) if xs else float('nan')

def evidence_rows()->list:
    "`make tune`'s runs in each precision (`bench/precision.jsonl`), each with `kind` (`cpu_kind`), `recipe`, `precision`"
    from mnist37.precision import cpu_kind
    rows = [json.loads(l) for l in (here/'precision.jsonl').read_text().splitlines()]
    flags = lambda cpu: tuple(cpu.split('native bf16: ')[1].split(', '))
    return [dict(r, kind=cpu_kind(flags(r['cpu'])), recipe=r['recipe'].removesuffix(', precision'),
                 precision=r['settings']['precision']) for r in rows]

def evidence_frame():
    "The evidence per CPU, recipe and precision: seeds, mean accuracy on the held-out digits, its standard deviation, seconds"
    import pandas as pd
    kinds = {'amx_bf16': 'AMX', 'avx512_bf16': 'AVX-512 BF16', 'none': 'no bf16 instructions'}
    df = pd.DataFrame(evidence_rows())
    df['CPU'] = [f"{c.split(', native')[0].replace('(R)', '')} ({kinds[k]})" for c, k in zip(df.cpu, df.kind)]
    g = df.groupby(['CPU', 'recipe', 'precision'], sort=False)
    return pd.DataFrame(dict(seeds=g.seed.count(), accuracy=g.accuracy.mean(), std=g.accuracy.std(), seconds=g.seconds.mean()))

def tuned_precisions(recipe:str, cpu:str)->dict:
    "`make tune`'s runs of `recipe` in each precision on `cpu` (held-out digits): `{precision: (accuracy, seconds)}`"
    rows = [r for r in evidence_rows() if r['recipe'] == recipe and r['cpu'] == cpu]
    return {p: (statistics.mean(r['accuracy'] for r in rs), statistics.mean(r['seconds'] for r in rs))
            for p in ('fp32', 'bf16') if (rs := [r for r in rows if r['settings']['precision'] == p])}

def bf16_targets(res:dict)->str:
    """Issue 22's targets, on a CPU with bf16: the report against the book's code; resnet18 and the ten-digit model in
    bf16 against fp32 as `make tune` ran both on one machine, and the ten-digit model's test accuracy in bf16"""
    p = precision_pipelines(res)
    if 'mnist37, fp32' not in p: return ''
    book, ours = (median([r['wall'] for r in p[k]]) for k in ('book', 'mnist37'))
    rows = [f"| the whole 3-vs-7 report ≤ 0.7× the book's code (`--precision auto`) | {ours:.1f} s against {book:.1f} s: "
            f"{ours/book:.2f}× | {'yes' if ours <= 0.7*book else 'no'} |"]
    for name, tuned, speed in [('resnet18', 'resnet18', 1.25), ('the ten-digit model', 'ten digits', 1.2)]:
        t = tuned_precisions(tuned, res['precision']['cpu'])
        if len(t) < 2: continue
        (fa, fs), (ba, bs) = t['fp32'], t['bf16']
        test = mean_of(res['seeds'], 'small CNN, ten digits, bf16', 'accuracy') if tuned == 'ten digits' else None
        ok = fs >= speed*bs and (test >= 0.996 if test is not None else ba >= fa - 0.0005)
        goal = 'at ≥ 0.996 on the test digits' if test is not None else 'at the same accuracy (within 0.05 pt)'
        got = f'; test accuracy in bf16 {test:.4f}' if test is not None else ''
        rows.append(f"| {name} in bf16 ≥ {speed}× faster than fp32 channels-last, {goal} | `make tune`: {bs:.1f} s against "
                    f"{fs:.1f} s, {fs/bs:.2f}×; held-out accuracy {ba:.4f} against {fa:.4f} (seed means){got} | "
                    f"{'yes' if ok else 'no'} |")
    return '\n'.join(rows)

def site_md(site:dict)->str:
    "Lighthouse on the site's pages (`bench/site_scores.py`), with when and where it was measured"
    from site_scores import site_section
    return (f"Lighthouse's mobile profile (slow 4G and a 4x slower CPU, simulated), the built site served "
            f"gzip-compressed from this machine, medians of three runs:\n\n{site_section(site.get('pages', {}))}")

def write_report(res:dict)->str:
    figure(res, here/'time_to_accuracy.png')
    took = f"; the whole run took {res['minutes']} minutes" if 'minutes' in res else ''
    md = (f"# `make bench`: the book's code vs mnist37\n\n{res['date']}, {res['machine']}. Every table below comes from "
          f"this one run on this one machine (`REPS={res['reps']}`: pipelines median of {res['reps']} runs each, "
          f"alternating, fresh process per run; seeds as each table says){took}.\n\n## The whole 3-vs-7 pipeline\n\n"
          f"{pipeline_table(res['pipelines'])}\n\n## Time to the book's accuracies\n\n{levels_table(res)}\n\n"
          "![accuracy against seconds](time_to_accuracy.png)\n\n## The targets\n\n"
          f"{targets_section(res)}\n\n## bf16 mixed precision\n\n{precision_section(res)}\n\n"
          "## Each recipe over its seeds\n\n"
          f"{seeds_table(res['seeds'])}\n\n## Digits that are not MNIST's\n\nWhat `predict` answers (its preparation, "
          "a ten-digit model, its rule for `?`), as the mean of the seeds above, with chapter 7's recipe and as "
          "shipped (`train_reader`, with pictures of no digit): right and sure, `?`, or sure and wrong.\n\n"
          f"{reading_table(res['seeds'])}\n\n## The site\n\n{site_md(res.get('site', {}))}\n\nStages: `import` is the imports each pipeline needs; `load` is the book's "
          "PNG-by-PNG loading vs mnist37's cached tensors (decoded once, on first use); the training stages include "
          "building their data loaders. The times to accuracy count the whole process, from its start (import included) "
          "to the end of the stage or row. Reproduce with `make bench` (`REPS=5 make bench` for more repetitions).\n")
    (here/'results.md').write_text(md)
    return md

if __name__ == '__main__': print(write_report(json.loads((here/'results.json').read_text())))
