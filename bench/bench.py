"""`make bench`: the book's chapter-4 code (`bench/book.py`) against mnist37, on this machine, back to back.

1. The whole 3-vs-7 pipeline: the book's code and `mnist37 report`'s rows (`bench/ours.py`), each in a fresh process,
   alternating which goes first, REPS times: seconds per stage, total wall time, peak memory.
2. Time to accuracy: for each accuracy the book's code reaches (its pixel similarity, linear model, simple net and
   resnet18), the seconds from the start of its process to the end of the stage that first reaches it; and for
   mnist37, the fastest whole process that reaches it: `mnist37 report --only ROW` for each row, cold, import included.
3. Each recipe's accuracy over three seeds (`bench/seeds.py`).
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

def pipelines(reps:int)->dict:
    "Both pipelines, alternating, `reps` times: `{name: [{'stages': [...], 'wall': s}, ...]}`"
    res = {'book': [], 'mnist37': []}
    for i in range(reps):
        for name in (['book', 'mnist37'] if i % 2 == 0 else ['mnist37', 'book']):
            stages, wall = run([sys.executable, str(here/('book.py' if name=='book' else 'ours.py'))])
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

def seeds(recipes:list=())->list:
    "Every recipe (or only `recipes`) over three seeds (`bench/seeds.py`)"
    return run([sys.executable, str(here/'seeds.py'), *recipes])[0]

def remeasure(recipes:list)->dict:
    "Measure only the seeds of `recipes` again, in place of theirs in bench/results.json, each row dated"
    res = json.loads((here/'results.json').read_text())
    new = [dict(r, date=str(datetime.date.today()), machine=machine()) for r in seeds(recipes)]
    res['seeds'] = [r for r in res['seeds'] if r['recipe'] not in recipes] + new
    return res

def machine()->str:
    import torch, fastai
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'
    return (f"{os.cpu_count()} cores ({cpu}), GPU: {gpu}, torch {torch.__version__} ({torch.get_num_threads()} threads), "
            f"fastai {fastai.__version__}, Python {platform.python_version()}")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='repetitions of each pipeline and of each row alone')
    p.add_argument('--recipes', nargs='+', help="only measure these recipes' seeds again (bench/seeds.py names them)")
    args = p.parse_args()
    subprocess.run([sys.executable, '-c', 'from mnist37.data import sample_tensors, full_tensors; sample_tensors(); full_tensors()'],
                   check=True, env=ENV)  # the caches exist before timing, as after any first run
    from mnist37.cli import report_rows
    if args.recipes: res = remeasure(args.recipes)
    else: res = dict(date=str(datetime.date.today()), machine=machine(), reps=args.reps, pipelines=pipelines(args.reps),
                 rows=fastest_rows(list(report_rows), args.reps), seeds=seeds())
    (here/'results.json').write_text(json.dumps(res, indent=1))
    from report import write_report
    print(write_report(res))
