"""`make tune`: how the recipes were chosen, honestly. Every candidate is trained on the training digits less a
held-out part (`mnist37.resnet.hold_out`) and judged on that part: never on the sample's validation digits or MNIST's
test digits, which are looked at once, by the chosen recipe. Five seeds each (0 to 4) for the 3-vs-7 recipes and for
the precisions, the evidence `--precision auto` rests on; three (0, 1, 2) for the ten-digit ones, each a few minutes a
run. On every core.

    python bench/tune.py resnet18       # 3s and 7s: 2,000 of the 12,396 training digits held out
    python bench/tune.py "simple net"   # the same, chapter 5's simple net
    python bench/tune.py "small CNN"    # the same, chapter 7's small CNN
    python bench/tune.py "ten digits"   # 10,000 of the 60,000 training digits held out
    python bench/tune.py "ten digits, people"   # with and without pen blur, also on those digits as people write them
    python bench/tune.py "ten digits, drawn"    # bolder and thinner pens in training, also judged on held-out drawn digits
    python bench/tune.py "ten digits, no digit" # pictures of no digit and drawn digits in training (`train_reader`)
    python bench/tune.py "resnet18, precision" "small CNN, precision" "ten digits, precision"
                                                # each chosen recipe in fp32 and in bf16 (bf16 only where the CPU has it),
                                                # five seeds, into bench/precision.jsonl (this CPU's rows replaced)
    python bench/tune.py "ten digits, precision" --precision bf16 --seed 0    # one precision, one seed of them
    python bench/tune.py "ten digits, no digit" --only 0 --out /tmp/rows.jsonl  # one candidate, its rows elsewhere

Writes one JSON object per run to `bench/tuning.jsonl` (`make tune` starts it afresh): `{"recipe", "settings", "seed",
"accuracy", "seconds", "threads", "cpu"}`; the chapters (06 and 07) show the tables. The `, precision` recipes (their
settings name their precision) go to `bench/precision.jsonl` instead, which keeps every machine's rows side by side
(`make tune` replaces only this CPU's): the evidence `mnist37.precision.AUTO_BF16` is derived from, shown on the
precision page."""
import argparse, contextlib, functools, io, json, sys, time
from pathlib import Path

here = Path(__file__).parent
SEEDS = (0, 1, 2)                   # the ten-digit recipes
PRECISION_SEEDS = (0, 1, 2, 3, 4)   # `auto` decides on five seeds a precision at least (`mnist37.precision.MIN_SEEDS`)
SEEDS_37 = PRECISION_SEEDS          # the 3-vs-7 recipes: one epoch of resnet18 is noisy, and a run is short
EVIDENCE = here/'precision.jsonl'   # the `, precision` rows, every machine's
# resnet18 on 3s and 7s, one epoch each: the recipe chosen before; a lower peak; label smoothing (chosen); one grey
# channel; the book's peak; then, with label smoothing: a lower peak; more, smaller batches; more smoothing
LS = dict(label_smoothing=0.1)
RESNET = [dict(bs=64, lr=0.05), dict(bs=64, lr=0.03), dict(bs=64, lr=0.05, **LS), dict(bs=64, lr=0.05, channels=1),
          dict(bs=64, lr=0.1), dict(bs=64, lr=0.03, **LS), dict(bs=48, lr=0.05, **LS),
          dict(bs=64, lr=0.05, label_smoothing=0.2)]
# Ten digits: each candidate spells out epochs, batch size and learning rate, so that it means the same whatever
# `TEN_DIGITS_RECIPE` (the outcome of this tuning) says; label smoothing 0.1 and pen blur unless named.
B256 = dict(bs=256, lr=0.01)
TEN_DIGITS = [dict(epochs=8, **B256, label_smoothing=0.), dict(epochs=8, **B256), dict(epochs=12, **B256),
              dict(epochs=14, **B256), dict(epochs=14, **B256, people=False), dict(epochs=14, bs=512, lr=0.02),
              dict(epochs=16, bs=512, lr=0.02)]
# with and without `pen_blur`, also judged on the held-out digits as people write them
PEOPLE = [dict(epochs=14, **B256), dict(epochs=14, **B256, people=False)]
# with bolder and thinner pens (`random_pen`), also judged on the digits chapter 9 draws and its pictures of no digit
B512 = dict(epochs=14, bs=512, lr=0.02)
DRAWN = [B512, dict(**B512, pens=0.5), dict(**B512, pens=1.)]
# pictures of no digit, drawn digits and small scans in training (`NoDigits`), spelled out; chapter 7's recipe (none);
# bolder pens; bolder pens and more drawn digits (`READER_RECIPE`, chosen)
NO_DIGIT = [dict(no_digits=96, drawn=32, weight=0.5, scans=0.1, widest=0.3), dict(no_digits=0, drawn=0, scans=0.),
            dict(no_digits=96, drawn=32, weight=0.5, scans=0.1, widest=0.35),   # drawn digits' pens up to 0.35 of their height
            dict(no_digits=96, drawn=48, weight=0.5, scans=0.1, widest=0.35),   # ... and half as many again in each batch
            dict(no_digits=96, drawn=48, weight=0.5, scans=0.05, widest=0.35),  # ... half as many MNIST digits scanned small
            dict(no_digits=96, drawn=48, weight=0.25, scans=0.1, widest=0.35)]  # ... no digit's loss weighed half as much
# The simple net on 3s and 7s (`train_37`, SGD and `mnist_loss`): the book's 40 epochs at 0.1; higher rates; more epochs
SIMPLE_NET = [dict(epochs=40, lr=0.1), dict(epochs=40, lr=0.2), dict(epochs=40, lr=0.4), dict(epochs=60, lr=0.1),
              dict(epochs=40, lr=0.8), dict(epochs=20, lr=0.4), dict(epochs=20, lr=0.8), dict(epochs=40, lr=1.6)]
CNN_37 = [dict(epochs=1, bs=128), dict(epochs=1), dict(epochs=2, bs=128), dict(epochs=2)]
# The chosen recipes (`train_resnet`'s and `train_cnn_37`'s defaults, `TEN_DIGITS_RECIPE`), spelled out, in each precision
PRECISION = {'resnet18': dict(bs=64, lr=0.05, label_smoothing=0.1), 'small CNN': dict(epochs=2, lr=0.01, bs=256),
             'ten digits': dict(epochs=14, bs=512, lr=0.02)}

CANDIDATES = {'resnet18': RESNET, 'simple net': SIMPLE_NET, 'small CNN': CNN_37, 'ten digits': TEN_DIGITS,
              'ten digits, people': PEOPLE, 'ten digits, drawn': DRAWN, 'ten digits, no digit': NO_DIGIT}

def trainer(recipe:str):
    "`train(seed, **settings)`: trains `recipe`'s model on its held-out split, returns `(learn, accuracy)`"
    from mnist37.data import sample_tensors, full_tensors
    from mnist37.resnet import hold_out
    if recipe == 'resnet18':
        from mnist37.resnet import train_resnet
        digits = hold_out(sample_tensors(), 'train', 'valid', 2000)
        return lambda seed, **s: train_resnet(digits, seed=seed, **s)
    if recipe == 'simple net':
        from mnist37.models import mlp
        from mnist37.optimizer import train_37
        digits = hold_out(sample_tensors(), 'train', 'valid', 2000)
        return lambda seed, **s: train_37(digits, lambda: mlp(28*28, 30, 1), seed=seed, **s)
    if recipe == 'small CNN':
        from mnist37.full_mnist import train_cnn_37
        digits = hold_out(sample_tensors(), 'train', 'valid', 2000)
        return lambda seed, **s: train_cnn_37(digits, seed=seed, **s)
    from mnist37.full_mnist import train_ten_digits
    from mnist37.outliers import train_reader
    digits = hold_out(full_tensors(), 'training', 'testing', 10_000)
    if recipe == 'ten digits, no digit': return lambda seed, **s: train_reader(digits, seed=seed, **s)
    return lambda seed, **s: train_ten_digits(digits, seed=seed, **s)

def candidates(recipe:str)->list:
    "`(settings, train)` pairs: `train(seed)` trains with `settings` on the held-out split, returns `(learn, accuracy)`"
    from mnist37.precision import native_bf16, precision
    if recipe.endswith(', precision'):   # bf16 only where the CPU has it: elsewhere it is slower, not worth choosing
        base = recipe.removesuffix(', precision')
        settings = [dict(PRECISION[base], precision=p) for p in ('fp32', 'bf16') if p == 'fp32' or native_bf16()]
        if not native_bf16(): print(f'tune: {recipe}: no native bf16 on this CPU, fp32 only', file=sys.stderr)
    else: base, settings = recipe if recipe.endswith('no digit') else recipe.split(',')[0], CANDIDATES[recipe]
    train = trainer(base)
    def run(seed, s):
        s = dict(s); p = s.pop('precision', 'fp32')
        with precision(p): return train(seed, **s)
    return [(s, lambda seed, s=s: run(seed, s)) for s in settings]

@functools.cache
def held_out_people()->tuple:
    "The held-out training digits drawn as people write them (`people_set`)"
    from mnist37.data import full_tensors
    from mnist37.resnet import hold_out
    from mnist37.predict import people_set
    return people_set(hold_out(full_tensors(), 'training', 'testing', 10_000), 'testing')

@functools.cache
def held_out_drawn()->dict:
    "Chapter 9's pictures with its held-out seed (1), prepared as `predict` prepares them: `{name: (x, blank, labels)}`"
    from mnist37.drawn import STYLES, drawn_set
    from mnist37.no_digit import NON_DIGITS, non_digit_set
    from mnist37.predict import prepared
    res = {s: (*prepared(p), y) for s,(p,y) in ((s, drawn_set(s, 100, seed=1)) for s in STYLES)}
    return {**res, **{k: (*prepared(non_digit_set(k, 50, seed=1)), None) for k in NON_DIGITS}}

LIMITS = [round(0.3 + 0.05*i, 2) for i in range(12)]   # candidate limits of `predict`'s *unsure model* check

def drawn_accuracy(learn)->dict:
    """On the held-out drawn digits: the share read right; the highest limit of *unsure model* at which `predict` says
    `?` on at most 2% of every style (`limit`), and the share of the pictures of no digit it then says `?` for; per
    style, the share read right and not doubted at that limit (`right_sure`); and at every limit of `LIMITS`, the share
    of each style and kind `predict` says `?` for (`unsure_at`: candidates compared at any one limit)"""
    import numpy as np, torch
    from mnist37.predict import unsure_reason
    net, right, doubt, sure = learn.model.eval(), [], {}, {}
    for name, (x, blank, y) in held_out_drawn().items():
        with torch.no_grad(): probs = net(x.unsqueeze(1).float()/255).softmax(1)
        other = np.array([b or not (unsure_reason(im.numpy(), p) or 'unsure model').startswith('unsure model')
                          for im,p,b in zip(x, probs, blank)])
        top = probs.max(1).values.numpy(); sure[name] = other, top
        doubt[name] = lambda l, t=top, o=other: (o | (t < l)).mean()
        if y is not None: right.append(probs.argmax(1).numpy() == y)
    digits = [n for n,(_,_,y) in held_out_drawn().items() if y is not None]
    limit = max([l for l in LIMITS if all(doubt[n](l) <= 0.02 for n in digits)], default=LIMITS[0])
    caught = [doubt[n](limit) for n in doubt if n not in digits]
    return dict(drawn_accuracy=round(float(np.concatenate(right).mean()), 5), limit=limit,
                no_digit_unsure=round(float(np.mean(caught)), 5), no_digit_unsure_worst=round(float(min(caught)), 5),
                right={n: round(float(r.mean()), 4) for n,r in zip(digits, right)},
                unsure={n: round(float(doubt[n](limit)), 4) for n in doubt},
                right_sure={n: round(float((r & ~sure[n][0] & (sure[n][1] >= limit)).mean()), 4) for n,r in zip(digits, right)},
                unsure_at={str(l): {n: round(float(d(l)), 4) for n, d in doubt.items()} for l in LIMITS})

def people_accuracy(learn, recipe:str)->dict:
    "For the ten-digit candidates: the accuracy on the held-out digits drawn as people write them (and by chapter 9)"
    if recipe in ('ten digits, drawn', 'ten digits, no digit'): return drawn_accuracy(learn)
    if recipe != 'ten digits, people': return {}
    import torch
    x, y = held_out_people()
    with torch.no_grad(): preds = learn.model.eval()(x.flatten(0, 1).unsqueeze(1).float()/255).argmax(1)
    return dict(people_accuracy=round((preds == y.repeat(len(x))).float().mean().item(), 5))

def forget(out:Path, recipe:str, seeds:tuple, precision:str=None):
    "Drop this CPU's rows of `recipe` with `seeds` (in `precision`, if given) from `out`: they are about to be measured again"
    from mnist37.precision import cpu_bf16
    if not out.exists(): return
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    again = lambda r: (r['recipe'] == recipe and r['cpu'] == cpu_bf16() and r['seed'] in seeds
                       and precision in (None, r['settings'].get('precision')))
    out.write_text(''.join(json.dumps(r) + '\n' for r in rows if not again(r)))

def tune(recipe:str, out:Path=None, seeds:tuple=None, precision:str=None, only:list=None):
    """Train every candidate of `recipe` (only those in `precision`, or numbered in `only`, if given) with each of
    `seeds` (`SEEDS` for ten digits, `SEEDS_37` for 3s and 7s, `PRECISION_SEEDS` for the precisions); append the rows
    to `out` (`bench/tuning.jsonl`; `EVIDENCE` for the precisions, this CPU's earlier rows of those seeds dropped)"""
    import torch
    from mnist37.precision import cpu_bf16
    evidence = recipe.endswith(', precision')
    out = out or (EVIDENCE if evidence else here/'tuning.jsonl')
    seeds = seeds or (PRECISION_SEEDS if evidence else SEEDS if recipe.startswith('ten digits') else SEEDS_37)
    if evidence: forget(out, recipe, seeds, precision)
    for i, (settings, train) in enumerate(candidates(recipe)):
        if (precision and settings.get('precision', 'fp32') != precision) or (only and i not in only): continue
        for seed in seeds:
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()): learn, acc = train(seed)
            row = dict(recipe=recipe, settings=settings, seed=seed, accuracy=round(float(acc), 5),
                       seconds=round(time.perf_counter()-start, 1), **people_accuracy(learn, recipe),
                       threads=torch.get_num_threads(), cpu=cpu_bf16())
            with open(out, 'a') as f: f.write(json.dumps(row) + '\n')
            print(json.dumps(row), flush=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('recipes', nargs='*', default=[*CANDIDATES, *(f'{r}, precision' for r in PRECISION)])
    p.add_argument('--seed', type=int, nargs='+', help='only these seeds (default: 0 1 2 for ten digits; 0 to 4 for the others)')
    p.add_argument('--precision', choices=['fp32', 'bf16'], help='only the candidates in this precision')
    p.add_argument('--only', type=int, nargs='+', help="only these candidates, by their place in the recipe's list (0: first)")
    p.add_argument('--out', type=Path, help='append the rows to this file (default: bench/tuning.jsonl; precision.jsonl for the precisions)')
    args = p.parse_args()
    for recipe in args.recipes: tune(recipe, args.out, seeds=args.seed, precision=args.precision, only=args.only)
