"""What the site's pages load besides their HTML, all served by the site itself: the explorers' data, and
the "Draw a digit" page (its models as ONNX files, ONNX Runtime Web, its settings)."""
import json, shutil, sys
from pathlib import Path
from .parts import DOCS

# --- the explorers (issue 23): SGD on the parabola (chapter 2), softmax and cross-entropy (chapter 7) ----------------

# Each placeholder becomes an explorer: its container, with the hooks the browser test uses, and its script (an ES
# module in docs/_static/explore/, named .mjs so that Jupyter Book does not put it on every page), which builds the rest.
# Pages are at the site's root, hence `_static/...`. Raw HTML in markdown: no blank line inside.
EXPLORERS = {
    '<!-- mnist37:sgd-explorer -->': '<div class="mnist37-explorer mnist37-sgd" data-testid="sgd-explorer" '
        'data-ready="false"><p class="explore-status">The SGD explorer needs JavaScript.</p>'
        '<script type="module" src="_static/explore/sgd.mjs"></script></div>',
    '<!-- mnist37:softmax-explorer -->': '<div class="mnist37-explorer mnist37-softmax" data-testid="softmax-explorer" '
        'data-ready="false"><p class="explore-status">The softmax explorer needs JavaScript.</p>'
        '<script type="module" src="_static/explore/softmax.mjs"></script></div>',
    '<!-- mnist37:train-explorer -->': '<div class="mnist37-explorer mnist37-train" data-testid="train-explorer" '
        'data-ready="false"><p class="explore-status">The training explorer needs JavaScript.</p>'
        '<script type="module" src="_static/explore/train.mjs"></script></div>',
}
SOFTMAX_DIGIT = ('testing/3', 0)   # the softmax explorer's digit: the first 3 of MNIST's test set

def softmax_start(dest:Path, key:str=SOFTMAX_DIGIT[0], i:int=SOFTMAX_DIGIT[1]):
    """Write to `dest` (JSON) what the softmax explorer starts from: the shipped ten-digit model's logits (its outputs
    before softmax) for MNIST's test digit `full_tensors()[key][i]`, the digit's pixels and label. Computed at every
    build, so they follow the weights; where MNIST is not available, the file says so instead (and the page shows it)."""
    import torch
    from mnist37.cache import DataUnavailable
    from mnist37.data import full_tensors
    from mnist37.predict import load_model
    dest.parent.mkdir(parents=True, exist_ok=True)
    try: im = full_tensors()[key][i]
    except DataUnavailable as e:
        print(f'WARNING: the softmax explorer has no digit: {e}')
        dest.write_text(json.dumps(dict(problem=f'MNIST is not available where this site was built ({e})')))
        return
    model, classes = load_model('10')
    with torch.no_grad(): logits = model(im.float().div(255)[None, None])[0]
    dest.write_text(json.dumps(dict(source=f"full_tensors()['{key}'][{i}]", index=i, label=int(key.split('/')[1]),
        classes=list(classes), logits=logits.tolist(), pixels=im.flatten().tolist())))

TRAIN_COUNT = 2000   # the train explorer's training digits: the first 2,000 3s and 2,000 7s of MNIST_SAMPLE's training set

def train_starts()->dict:
    """The chapters' random starts, as they draw them: chapter 3's linear model (`weights`, `bias`) and chapter 5's
    simple net (`w1`, `b1`, `w2`, `b2`, drawn with `std=0.1`), each after `set_seed(42)`"""
    from fastai.torch_core import set_seed
    from mnist37.linear import init_params
    set_seed(42)
    linear = dict(weights=init_params((28*28,1)), bias=init_params(1))
    set_seed(42)
    net = dict(zip(['w1', 'b1', 'w2', 'b2'], [init_params(s, std=0.1) for s in [(28*28,30), 30, (30,1), 1]]))
    return dict(linear=linear, simple_net=net)

def train_data(dest:Path, n:int=TRAIN_COUNT):
    """Write what chapter 3's train explorer trains on (issue 30). `dest` (JSON) says what `dest.with_suffix('.bin.gz')`
    holds, gzip-compressed (the page unpacks it itself, so it arrives small from any host): the first `n` training 3s
    and 7s of MNIST_SAMPLE, then its whole validation set, 784 bytes a digit; then `train_starts()`, float32, each
    tensor row by row; and the site's colours of 3 and 7. Where MNIST is not available, the JSON says so instead (and
    the page shows it)."""
    import gzip, numpy as np, torch
    from mnist37.cache import DataUnavailable
    from mnist37.data import sample_tensors
    from mnist37.linear import COLOURS
    dest.parent.mkdir(parents=True, exist_ok=True)
    try: d = sample_tensors()
    except DataUnavailable as e:
        print(f'WARNING: the train explorer has no digits: {e}')
        dest.write_text(json.dumps(dict(problem=f'MNIST is not available where this site was built ({e})')))
        return
    parts = {'train/3': d['train/3'][:n], 'train/7': d['train/7'][:n], 'valid/3': d['valid/3'], 'valid/7': d['valid/7']}
    starts = train_starts()
    floats = np.concatenate([t.detach().numpy().ravel() for s in starts.values() for t in s.values()]).astype('<f4')
    data = torch.cat(list(parts.values())).numpy().tobytes() + floats.tobytes()
    dest.with_suffix('.bin.gz').write_bytes(gzip.compress(data, 9, mtime=0))
    dest.write_text(json.dumps(dict(file=dest.with_suffix('.bin.gz').name, counts={k: len(v) for k, v in parts.items()},
        starts={m: {k: t.numel() for k, t in s.items()} for m, s in starts.items()},
        colours={d: hex_ for d, (_, hex_) in COLOURS.items()})))

# --- the "Draw a digit" page (issues 15 and 21) ------------------------------------------------------------------

ORT_DIST = DOCS/'node_modules'/'onnxruntime-web'/'dist'
# ort.wasm.bundle: inference on WebAssembly only (no WebGL, WebGPU), its Emscripten loader inside, so the page loads one
# script and one wasm file. Since 1.19 there is one wasm, built with SIMD (every browser of the last years has it) and
# threads (used only where a page is cross-origin isolated, which a static site is not: the page asks for one thread).
# Copied as .mjs: Jupyter Book adds every .js file under _static/ to every page as a classic script.
ORT_FILES = {'ort.wasm.bundle.min.mjs': 'ort.wasm.bundle.min.mjs',
             'ort-wasm-simd-threaded.wasm': 'ort-wasm-simd-threaded.wasm'}

def copy_runtime(dest:Path):
    "ONNX Runtime Web's files the page loads, from docs/node_modules, into `dest`"
    missing = [f for f in ORT_FILES if not (ORT_DIST/f).exists()]
    if missing: sys.exit(f'ONNX Runtime Web is not installed ({ORT_DIST/missing[0]} is missing): run `npm ci --prefix docs`')
    dest.mkdir(parents=True, exist_ok=True)
    for f, to in ORT_FILES.items(): shutil.copy(ORT_DIST/f, dest/to)

def colour_names()->dict:
    "The draw page's placeholders for the names of the site's colours of 3 and 7 (`mnist37.linear.COLOURS`)"
    from mnist37.linear import COLOURS
    return {f'<!-- mnist37:colour-{d} -->': name for d, (name, _) in COLOURS.items()}

def draw_settings(pages:dict)->dict:
    """What the page reads from draw.json: the ten-digit model's classes, the limits of `predict`'s `?` rule, the site's
    colours of 3 and 7, the shapes of the ten-digit CNN's feature maps, and the ladder (each model's name, title,
    chapter and page, outputs), `pages` giving the page of each notebook"""
    from mnist37.linear import COLOURS
    from mnist37.predict import CLASSES, UNSURE
    from mnist37.ladder import LADDER
    ladder = [dict(name=n, title=m['title'], short=m['short'], chapter=f"chapter {int(m['chapter'][:2])}",
                   page=f"{pages[m['chapter'] + '.ipynb']}.html", outputs=list(m['outputs'])) for n, m in LADDER.items()]
    return dict(classes=list(CLASSES['10']), unsure=UNSURE, ladder=ladder, examples=examples(), maps=map_shapes(),
                colours={d: dict(name=name, hex=hex_) for d, (name, hex_) in COLOURS.items()})

def map_shapes()->dict:
    "The ten-digit CNN's feature maps (`mnist37.ladder.Maps`) the draw page shows: `{output: [maps, height, width]}`"
    import torch
    from mnist37.ladder import LADDER, ladder_model
    with torch.no_grad(): outs = ladder_model('ten_digits')(torch.zeros(1, 1, 28, 28))
    return {o: list(t.shape[1:]) for o, t in zip(LADDER['ten_digits']['outputs'], outs) if o.startswith('conv')}

def examples()->dict:
    "Each digit's first way of being written in chapter 9's hand (`mnist37.drawn.DIGITS`): strokes of `[x, y]`, 0 to 1"
    from mnist37.drawn import DIGITS
    return {d: [[[round(x, 3), round(y, 3)] for x, y in stroke] for stroke in ways[0]] for d, ways in DIGITS.items()}

def add_draw_page(book:Path, pages:dict):
    "The page, its models, its settings and its runtime, into the Jupyter Book source folder `book`"
    from mnist37.ladder import export_ladder
    static = book/'_static'/'draw'
    copy_runtime(static/'ort')
    export_ladder(static)
    (static/'draw.json').write_text(json.dumps(draw_settings(pages)))
    md = (DOCS/'draw.md').read_text()
    for k, v in colour_names().items(): md = md.replace(k, v)
    (book/'draw.md').write_text(md)
