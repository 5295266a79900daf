"""`make bench`: the book's chapter-4 code (`bench/book.py`) against mnist37, on this machine, back to back.

1. The whole 3-vs-7 pipeline: the book's code and `mnist37 report`'s rows (`bench/ours.py`), each in a fresh process,
   alternating which goes first, REPS times: seconds per stage, total wall time, peak memory.
2. Time to accuracy: for each accuracy the book's code reaches (its pixel similarity, linear model, simple net and
   resnet18), the seconds from the start of its process to the end of the stage that first reaches it; and for
   mnist37, the fastest whole process that reaches it: `mnist37 report --only ROW` for each row, cold, import included.
3. Each recipe's accuracy over its seeds (`bench/seeds.py`: the 3-vs-7 rows five, the ten-digit ones three), the conv
   nets in bf16 too where the CPU has it.
4. Training steps per second of the conv nets in fp32, fp32 channels-last and bf16 (`bench/precision.py`), and the
   oneDNN kernels bf16 ran.
5. The site (`bench/site_scores.py`): Lighthouse's mobile scores of five pages, medians of three runs.
6. The floor (`bench/floor.py`): resnet18's arithmetic for one epoch against this CPU's matrix-product rate.
Every table of `bench/results.md` comes from one run on one machine, named at its top with the run's length; the
options that measure one part again print what they measured and leave the results alone.
mnist37's pipeline runs as `mnist37 report` does (`--precision auto`); where the CPU has bf16 instructions it runs in
fp32 too (`mnist37, fp32`), to compare.
Writes `bench/results.json` (everything measured), `bench/results.md` (the tables) and `bench/time_to_accuracy.png`.
No number here is asserted anywhere: this measures, the notebooks test."""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time
from pathlib import Path

here = Path(__file__).parent
root = here.parent
ENV = {**os.environ, 'PYTHONPATH': str(root)}
MNIST37 = str(Path(sys.executable).with_name('mnist37'))

def json_lines(out:str)->list: return [json.loads(l) for l in out.splitlines() if l.startswith('{')]

def run(cmd:list)->tuple:
    "Run `cmd` in a fresh process: the JSON objects it printed, and its wall time as the parent saw it"
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=root)
    if out.returncode: sys.exit(f'bench: {" ".join(cmd)} failed:\n{out.stderr[-3000:]}')
    return json_lines(out.stdout), time.perf_counter()-start

PIPELINES = {'book': ['book.py'], 'mnist37': ['ours.py'], 'mnist37, fp32': ['ours.py', '--precision', 'fp32']}

def pipelines(reps:int)->dict:
    "The pipelines, alternating, `reps` times: `{name: [{'stages': [...], 'wall': s}, ...]}`"
    from mnist37.precision import native_bf16
    names = [n for n in PIPELINES if n != 'mnist37, fp32' or native_bf16()]   # fp32 is what auto runs without bf16
    res = {n: [] for n in names}
    for i in range(reps):
        for name in (names if i % 2 == 0 else names[::-1]):
            script, *args = PIPELINES[name]
            stages, wall = run([sys.executable, str(here/script), *args])
            res[name].append(dict(stages=stages, wall=wall))
            print(f'rep {i+1}/{reps} {name}: {wall:.1f} s', file=sys.stderr, flush=True)
    return res

def fastest_rows(rows:list, reps:int)->dict:
    "Each report row alone, cold (`mnist37 report --only ROW`): `{row: {'accuracy', 'wall' (median)}}`"
    res = {}
    for row in rows:
        runs = [run([MNIST37, 'report', '--json', '--quiet', '--only', row]) for _ in range(reps)]
        res[row] = dict(accuracy=runs[0][0][0]['accuracy'], wall=statistics.median(w for _,w in runs))
        print(f'{row} alone: {res[row]["wall"]:.1f} s', file=sys.stderr, flush=True)
    return res

def seeds(recipes:list=(), only_seeds:list=())->list:
    "Every recipe (or only `recipes`) over its seeds (`bench/seeds.py`), or over `only_seeds`"
    return run([sys.executable, str(here/'seeds.py'), *recipes, *(f'--seed={s}' for s in only_seeds)])[0]

def precisions(reps:int=0)->dict:
    """Training steps per second in each precision, the oneDNN kernels bf16 ran (`bench/precision.py`), and with `reps`
    the pipelines again, on this machine (`make bench` measures them once, for both)"""
    from mnist37.precision import native_bf16, cpu_bf16
    steps = run([sys.executable, str(here/'precision.py')])[0]
    kernels = run([sys.executable, str(here/'precision.py'), '--onednn'])[0][0]['onednn'] if native_bf16() else {}
    return dict(date=str(datetime.date.today()), machine=machine(), cpu=cpu_bf16(), native_bf16=list(native_bf16()),
                steps=steps, onednn=kernels, **(dict(reps=reps, pipelines=pipelines(reps)) if reps else {}))

def site()->dict:
    "The site's pages in Lighthouse (`bench/site_scores.py`, in a fresh process); `{}` where the site is not built"
    if not (here.parent/'_docs'/'index.html').exists(): print('no _docs/: run `make docs` to measure the site', file=sys.stderr); return {}
    return dict(pages=run([sys.executable, str(here/'site_scores.py')])[0][0])

def floor()->dict: return run([sys.executable, str(here/'floor.py')])[0][0]

def machine()->str:
    import torch, fastai
    from mnist37.precision import cpu_name, native_bf16
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'
    return (f"{os.cpu_count()} cores ({cpu_name()}; native bf16: {', '.join(native_bf16()) or 'none'}), GPU: {gpu}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} threads), fastai {fastai.__version__}, "
            f"Python {platform.python_version()}")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='repetitions of each pipeline and of each row alone')
    p.add_argument('--recipes', nargs='+', help="only measure these recipes' seeds and print them (bench/seeds.py names them)")
    p.add_argument('--seeds', nargs='+', type=int, default=[], help='with --recipes: only these seeds')
    p.add_argument('--site', action='store_true', help="only measure the site and print it (Lighthouse; `make docs` first)")
    p.add_argument('--precision', action='store_true',
                   help='only measure the precisions and print them: the training steps, and the pipelines (--reps times)')
    args = p.parse_args()
    subprocess.run([sys.executable, '-c', 'from mnist37.data import sample_tensors, full_tensors; sample_tensors(); full_tensors()'],
                   check=True, env=ENV)  # the caches exist before timing, as after any first run
    from mnist37.approaches import report_rows
    part = (seeds(args.recipes, args.seeds) if args.recipes else site() if args.site
            else precisions(args.reps) if args.precision else None)
    if part is not None: print(json.dumps(part, indent=1)); sys.exit()
    start = time.perf_counter()
    res = dict(date=str(datetime.date.today()), machine=machine(), reps=args.reps, pipelines=pipelines(args.reps),
               rows=fastest_rows(list(report_rows), args.reps), seeds=seeds(), precision=precisions(), site=site(),
               floor=floor())
    res['minutes'] = round((time.perf_counter() - start)/60)
    (here/'results.json').write_text(json.dumps(res, indent=1))
    from report import write_report
    print(write_report(res))
