"""`make bench`: the book's chapter-4 code (`bench/book.py`) against the `mnist37 report` pipeline (`bench/ours.py`).

Each repetition runs both, alternating which goes first, each in a fresh Python process, so both pay for their
imports and neither inherits the other's warm caches. Prints per stage the median seconds of both, the ratio
book/mnist37 and both accuracies, plus total wall time and peak memory, and writes the table to `bench/results.md`.
No number here is asserted anywhere: this measures, the notebooks test."""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time
from pathlib import Path

here = Path(__file__).parent
root = here.parent
pipelines = dict(book=here/'book.py', mnist37=here/'ours.py')

def run(script):
    "Run one pipeline in a fresh process: its stages, and the wall time as the parent saw it"
    start = time.perf_counter()
    env = {**os.environ, 'PYTHONPATH': str(root)}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=root)
    if out.returncode: sys.exit(f'bench: {script.name} failed:\n{out.stderr[-3000:]}')
    stages = [json.loads(l) for l in out.stdout.splitlines() if l.startswith('{')]
    return stages, time.perf_counter()-start

def machine():
    import torch, fastai
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'
    return (f"{os.cpu_count()} cores ({cpu}), GPU: {gpu}, torch {torch.__version__} ({torch.get_num_threads()} threads), "
            f"fastai {fastai.__version__}, Python {platform.python_version()}")

def median(xs): return statistics.median(xs) if xs else float('nan')

def table(results):
    "Markdown table: per stage, median seconds of both pipelines, book/mnist37, accuracies"
    names = list(dict.fromkeys(s['stage'] for s in results['book'][0][0] if s['stage'] != 'total'))
    def secs(p, stage): return [s['seconds'] for stages,_ in results[p] for s in stages if s['stage'] == stage]
    def acc(p, stage):
        accs = {s['accuracy'] for stages,_ in results[p] for s in stages if s['stage'] == stage}
        return '' if accs == {None} else ' / '.join(f'{a:.4f}' for a in sorted(accs))
    lines = ['| stage | book s | mnist37 s | book/mnist37 | book accuracy | mnist37 accuracy |', '|---|--:|--:|--:|--:|--:|']
    for n in names:
        b, m = median(secs('book', n)), median(secs('mnist37', n))
        lines.append(f'| {n} | {b:.2f} | {m:.2f} | {b/m:.1f}× | {acc("book", n)} | {acc("mnist37", n)} |')
    b, m = (median([w for _,w in results[p]]) for p in ('book', 'mnist37'))
    lines.append(f'| **total (wall, whole process)** | **{b:.1f}** | **{m:.1f}** | **{b/m:.1f}×** | | |')
    mem = {p: median([s['peak_mb'] for stages,_ in results[p] for s in stages if s['stage'] == 'total']) for p in results}
    lines.append(f"| peak memory (MB, max RSS) | {mem['book']:.0f} | {mem['mnist37']:.0f} | {mem['book']/mem['mnist37']:.1f}× | | |")
    return '\n'.join(lines)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='repetitions of each pipeline')
    p.add_argument('--out', default=str(here/'results.md'), help='where to write the markdown table')
    args = p.parse_args()
    subprocess.run([sys.executable, '-c', 'from mnist37.data import sample_tensors; sample_tensors()'], check=True,
                   env={**os.environ, 'PYTHONPATH': str(root)})  # the cache exists before timing, as after any first run
    results = {k: [] for k in pipelines}
    for i in range(args.reps):
        for name in (list(pipelines) if i % 2 == 0 else list(pipelines)[::-1]):
            stages, wall = run(pipelines[name])
            results[name].append((stages, wall))
            print(f'rep {i+1}/{args.reps} {name}: {wall:.1f} s', file=sys.stderr, flush=True)
    md = (f"# `make bench`: the book's code vs `mnist37 report`\n\n"
          f"{datetime.date.today()}, {machine()}; median of {args.reps} runs each, alternating, fresh process per run.\n\n"
          f"{table(results)}\n\n"
          "Stages: `import` is the imports each pipeline needs; `load` is the book's PNG-by-PNG loading vs mnist37's cached "
          "tensors (decoded once, on first use); the training stages include building their data loaders. "
          "Reproduce with `make bench` (`REPS=5 make bench` for more repetitions).\n")
    Path(args.out).write_text(md)
    print(md)
