"""The `mnist37 report` pipeline, stage by stage, with the same stage names as `bench/book.py`.
It runs exactly the report's row functions (`mnist37.cli.report_rows`) on the cached tensors.

Prints one JSON object per stage on stdout: `{"stage", "seconds", "accuracy"}`, then one with the peak memory."""
import json, resource, time
start = time.perf_counter()
from mnist37.cli import report_rows, run_row
from mnist37.data import sample_tensors

def emit(stage, t0, acc=None):
    print(json.dumps(dict(stage=stage, seconds=round(time.perf_counter()-t0, 3), accuracy=acc)), flush=True)

emit('import', start)
t = time.perf_counter()
digits = sample_tensors()
emit('load', t)
for f in report_rows:
    row = run_row(f, digits, quiet=True)
    print(json.dumps(dict(stage=row['approach'], seconds=row['seconds'], accuracy=row['accuracy'])), flush=True)
print(json.dumps(dict(stage='total', seconds=round(time.perf_counter()-start, 3),
                      peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))), flush=True)
