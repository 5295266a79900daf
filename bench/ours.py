"""The `mnist37 report` pipeline, stage by stage, with the same stage names as `bench/book.py`.
It runs exactly the report's row functions (`mnist37.cli.report_rows`) on the cached tensors, on every core.

Prints one JSON object per stage on stdout: `{"stage", "seconds", "since_start", "accuracy", "params"}`, then one with the peak
memory."""
import json, resource, time
start = time.perf_counter()
from mnist37.cli import report_rows, run_row
from mnist37.data import sample_tensors

def emit(stage, seconds, acc=None, params=None):
    print(json.dumps(dict(stage=stage, seconds=round(seconds, 3), since_start=round(time.perf_counter()-start, 3),
                          accuracy=acc, params=params)), flush=True)

emit('import', time.perf_counter()-start)
t = time.perf_counter()
digits = sample_tensors()
emit('load', time.perf_counter()-t)
for name,f in report_rows.items():
    row = run_row(name, f, digits, quiet=True)
    emit(row['approach'], row['seconds'], row['accuracy'], row['params'])
print(json.dumps(dict(stage='total', seconds=round(time.perf_counter()-start, 3),
                      peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))), flush=True)
