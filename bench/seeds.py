"""Each recipe's accuracy over seeds fixed in advance (never chosen because they scored well), on every core: the
report's 3-vs-7 rows over five (0 to 4), so that "at or above the book's accuracy for four seeds of five" can be
checked, the ten-digit recipes over three (0, 1, 2). `make bench` runs it in a fresh process; the chapters show what it
saved (in `bench/results.json`).

Where the CPU has bf16 instructions (`mnist37.train.native_bf16`), the three conv-net recipes run in bf16 mixed precision
too (the recipes named `..., bf16`); every other recipe runs in fp32.

Prints one JSON object per run: `{"recipe", "seed", "accuracy", "seconds", "threads", "precision"}`, and for the ten-digit recipe
`people_accuracy`, the accuracy on MNIST's test digits drawn as people write them (`people_set`), and `reading`: how
`predict`'s preparation, that model and its rule for `?` read MNIST's test digits (as tensors and as its PNG files),
each style of digit chapter 9 draws (its test seed 0) and each kind of its pictures of no digit (right, `?`, sure and
wrong). Both ten-digit recipes run: chapter 7's, and `train_reader`'s, the model `predict` ships."""
import contextlib, functools, io, json, sys, time, torch
import numpy as np
SEEDS = (0, 1, 2, 3, 4)   # the 3-vs-7 recipes
TEN_SEEDS = (0, 1, 2)     # the ten-digit ones, each a few minutes

def recipes()->dict:
    "Recipe name -> a function of the seed that trains it and returns `(learn, accuracy)`"
    from mnist37.data import sample_tensors, full_tensors
    from mnist37.resnet import train_resnet, BOOK_RECIPE
    from mnist37.full_mnist import train_cnn_37, train_ten_digits
    from mnist37.outliers import train_reader, kept_pool
    from mnist37.precision import native_bf16
    from mnist37.linear import train_linear
    from mnist37.optimizer import train_37
    from mnist37.models import mlp
    sample, full = sample_tensors(), full_tensors()
    kept_pool()   # drawn once per machine and kept, before any clock starts (as the data is)
    fp32 = {'linear from scratch': lambda s: linear(train_linear(sample, seed=s)),   # the report's rows, seeded
            'linear with Learner': lambda s: train_37(sample, lambda: torch.nn.Linear(28*28, 1), seed=s),
            "simple net, the book's recipe": lambda s: train_37(sample, lambda: mlp(28*28, 30, 1), epochs=40, lr=0.1, seed=s),
            'simple net': lambda s: train_37(sample, lambda: mlp(28*28, 30, 1), epochs=40, lr=0.8, seed=s),
            "resnet18, the book's recipe": lambda s: train_resnet(sample, seed=s, **BOOK_RECIPE),
            "resnet18, mnist37's recipe": lambda s: train_resnet(sample, seed=s),
            'small CNN, 3s and 7s': lambda s: train_cnn_37(sample, seed=s),
            'small CNN, ten digits': lambda s: train_ten_digits(full, seed=s),
            'small CNN, ten digits, no digit': lambda s: train_reader(full, seed=s)}   # the model `predict` ships
    bf16 = {f'{k}, bf16': in_bf16(fp32[k]) for k in list(fp32)[5:8]} if native_bf16() else {}
    return {**fp32, **bf16}

def linear(res:tuple)->tuple:
    "`train_linear`'s `((w, b), accuracy)` as the others return it, with no `Learner`: `(None, accuracy)`"
    return None, res[1]

def in_bf16(train):
    "`train` with every `fit` inside in bf16 mixed precision"
    from mnist37.precision import precision
    def run(seed):
        with precision('bf16'): return train(seed)
    return run

@functools.cache
def test_people()->tuple:
    "MNIST's test digits drawn as people write them, prepared like a person's picture"
    from mnist37.data import full_tensors
    from mnist37.predict import people_set
    return people_set(full_tensors(), 'testing')

def people_accuracy(learn)->float:
    x, y = test_people()
    with torch.no_grad(): preds = learn.model.eval()(x.flatten(0, 1).unsqueeze(1).float()/255).argmax(1)
    return round((preds == y.repeat(len(x))).float().mean().item(), 5)

def test_pngs()->tuple:
    "MNIST's 10,000 test digits as its own PNG files, read and prepared as `predict` reads a file"
    from pathlib import Path
    from fastai.data.external import URLs
    from mnist37.data import get_data
    from mnist37.image_file import open_digit
    from mnist37.predict import prepared
    files = sorted(Path(get_data(URLs.MNIST)/'testing').glob('*/*.png'))
    return (*prepared([open_digit(f) for f in files]), np.array([int(f.parent.name) for f in files]))

@functools.cache
def test_drawn()->dict:
    """MNIST's test set, as tensors and as PNG files; chapter 9's drawn digits (each style, 100) and pictures of no digit
    (each kind, 50), test seed 0, prepared: `{name: (x, blank, labels or None)}`"""
    from mnist37.data import full_tensors
    from mnist37.resnet import image_xy
    from mnist37.drawn import STYLES, drawn_set
    from mnist37.no_digit import NON_DIGITS, non_digit_set
    from mnist37.predict import prepared
    x, y = image_xy(full_tensors(), 'testing', range(10))
    return {'MNIST test digits': ((x[:, 0]*255).round().byte(), np.zeros(len(y), bool), y.numpy()),
            'MNIST test digits, PNG files': test_pngs(),
            **{f'drawn: {s}': (*prepared(p), y) for s,(p,y) in ((s, drawn_set(s, 100, seed=0)) for s in STYLES)},
            **{f'no digit: {k}': (*prepared(non_digit_set(k, 50, seed=0)), None) for k in NON_DIGITS}}

def reading(learn)->dict:
    "Right, `?` and sure-and-wrong on each set of `test_drawn` (for the pictures of no digit, only `?`); `read`: argmax right"
    from mnist37.predict import answers, reading
    res = {}
    for name, (x, blank, y) in test_drawn().items():
        digits, sure = answers(x, blank, learn.model)
        if y is None: res[name] = dict(unsure=round(float(1 - sure.mean()), 5))
        else: res[name] = {**{k: round(float(v), 5) for k,v in reading(digits, sure, y).items()},
                           'read': round(float((digits == y).mean()), 5)}
    return res

def run(name:str, train, seed:int)->dict:
    "One recipe, one seed: its accuracy and seconds (and, for ten digits, on people's and drawn digits)"
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()): learn, acc = train(seed)
    res = dict(recipe=name, seed=seed, accuracy=round(float(acc), 5), seconds=round(time.perf_counter()-start, 2),
               threads=torch.get_num_threads(), precision=getattr(learn, 'precision', 'fp32'))
    if 'ten digits' not in name: return res
    return {**res, 'people_accuracy': people_accuracy(learn), 'reading': reading(learn)}

if __name__ == '__main__':
    only = [a for a in sys.argv[1:] if not a.startswith('--seed=')]
    chosen = [int(a.split('=')[1]) for a in sys.argv[1:] if a.startswith('--seed=')]  # `--seed=0`: one seed
    for name, train in recipes().items():
        if only and name not in only: continue
        for seed in chosen or (TEN_SEEDS if 'ten digits' in name else SEEDS): print(json.dumps(run(name, train, seed)), flush=True)
