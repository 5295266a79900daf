"""The `mnist37 report` pipeline, stage by stage, with the same stage names as `bench/book.py`.
It runs exactly the report's row functions (`mnist37.approaches.report_rows`) on the cached tensors, on every core, the conv
nets in `--precision` (`auto`, as the report does; or `fp32`, `bf16`).

Prints one JSON object per stage on stdout: `{"stage", "seconds", "since_start", "accuracy", "params", "precision"}`, then one with the peak
memory."""
import json, resource, sys, time
start = time.perf_counter()
from mnist37.approaches import report_rows, conv_rows
from mnist37.cli import run_row
from mnist37.data import sample_tensors
precision = sys.argv[sys.argv.index('--precision')+1] if '--precision' in sys.argv else 'auto'

def emit(stage, seconds, acc=None, params=None, precision=None):
    print(json.dumps(dict(stage=stage, seconds=round(seconds, 3), since_start=round(time.perf_counter()-start, 3),
                          accuracy=acc, params=params, precision=precision)), flush=True)

emit('import', time.perf_counter()-start)
t = time.perf_counter()
digits = sample_tensors()
emit('load', time.perf_counter()-t)
for name,f in report_rows.items():
    row = run_row(name, f, digits, quiet=True, precision=precision if name in conv_rows else 'fp32')
    emit(row['approach'], row['seconds'], row['accuracy'], row['params'], row['precision'])
print(json.dumps(dict(stage='total', seconds=round(time.perf_counter()-start, 3),
                      peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))), flush=True)
