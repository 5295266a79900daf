"""Training steps per second of the conv nets in each precision, on this CPU: `resnet18` (28×28, batches of 64, the
report's recipe) and chapter 7's small CNN (batches of 512, the ten-digit recipe), each in fp32 channels-first (the
book's layout), fp32 channels-last (mnist37's) and bf16 autocast channels-last, 5 warm-up steps then 25 timed
ones, on real digits, every core, the precisions alternating, median of 3 (`--reps`). Also the mean loss of the timed steps (the same batches and initial weights in every
precision), and with `--onednn` the oneDNN implementations a few bf16 steps ran (`ONEDNN_VERBOSE=1`).

Prints one JSON object per model and precision: `{"model", "precision", "bs", "loss", "threads",
"images_per_s", "runs"}`;
`make bench` keeps them in `bench/results.json` (`precision`)."""
import json, os, re, statistics, subprocess, sys, time, torch
import torch.nn.functional as F

MODES = {'fp32, channels first': (False, False), 'fp32, channels last': (True, False), 'bf16, channels last': (True, True)}
WARMUP, STEPS = 5, 25

def models()->dict:
    "Name -> `(make_model, batch size, channels, classes)`"
    from fastai.vision.all import create_vision_model, resnet18
    from mnist37.models import small_cnn
    return {'resnet18': (lambda: create_vision_model(resnet18, 2, pretrained=False, n_in=3), 64, 3, (3, 7)),
            'small CNN, ten digits': (lambda: small_cnn(10), 512, 1, tuple(range(10)))}

def batches(bs:int, channels:int, classes:tuple, n:int)->list:
    "`n` training batches of real digits, the same ones for every precision"
    from mnist37.data import sample_tensors, full_tensors
    from mnist37.resnet import image_xy
    digits, split = (sample_tensors(), 'train') if classes == (3, 7) else (full_tensors(), 'training')
    x, y = image_xy(digits, split, classes, channels=channels)
    idx = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))[:bs*n].view(n, bs)
    return [(x[i], y[i]) for i in idx]

def measure(make_model, data:list, channels_last:bool, bf16:bool)->dict:
    "Train from the same initial weights on `data`: images per second of the timed steps, their mean loss"
    torch.manual_seed(0)
    m = make_model()
    if channels_last: m = m.to(memory_format=torch.channels_last)
    opt, losses, start = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9), [], None
    for i, (xb, yb) in enumerate(data):
        if i == WARMUP: start = time.perf_counter()
        if channels_last: xb = xb.contiguous(memory_format=torch.channels_last)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): out = m(xb)
        loss = F.cross_entropy(out.float(), yb)
        loss.backward(); opt.step(); opt.zero_grad()
        if i >= WARMUP: losses.append(loss.item())
    secs = time.perf_counter() - start
    return dict(images_per_s=round(STEPS*len(data[0][1])/secs, 1), loss=round(sum(losses)/len(losses), 4))

def onednn(steps:int=3)->dict:
    "The oneDNN implementations `steps` bf16 channels-last steps of each model ran: `{model: {primitive: [impl, ...]}}`"
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); import precision as p\n"
            f"for name, (mk, bs, ch, cl) in p.models().items():\n"
            f"    print('MODEL', name, flush=True); p.WARMUP = 1\n"
            f"    p.measure(mk, p.batches(bs, ch, cl, {steps}), True, True)\n")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env={**os.environ, 'ONEDNN_VERBOSE': '1'}).stdout
    res, model = {}, None
    for line in out.splitlines():
        if line.startswith('MODEL '): model = line[6:]; res[model] = {}
        elif m := re.match(r'onednn_verbose,(?:v\d+,)?(?:[^,]*,)?exec,cpu,([^,]+),([^,]+),', line):
            res[model].setdefault(m[1], set()).add(m[2])
    return {k: {p: sorted(v) for p, v in d.items()} for k, d in res.items()}

if __name__ == '__main__':
    if '--onednn' in sys.argv: print(json.dumps(dict(onednn=onednn())), flush=True); sys.exit()
    reps = int(sys.argv[sys.argv.index('--reps')+1]) if '--reps' in sys.argv else 3
    for name, (make_model, bs, channels, classes) in models().items():
        data, runs = batches(bs, channels, classes, WARMUP + STEPS), {mode: [] for mode in MODES}
        for _ in range(reps):   # alternating, so that a slow moment of the machine hits every precision alike
            for mode, (cl, bf16) in MODES.items(): runs[mode].append(measure(make_model, data, cl, bf16))
        for mode, rs in runs.items():
            print(json.dumps(dict(model=name, precision=mode, bs=bs, loss=rs[0]['loss'], threads=torch.get_num_threads(),
                                  images_per_s=statistics.median(r['images_per_s'] for r in rs),
                                  runs=[r['images_per_s'] for r in rs])), flush=True)
