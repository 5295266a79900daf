"""The "Draw a digit" page of the site (issues 15 and 21): the reader draws, every model of the chapter reads it in their
browser, side by side.

`docs/docsite.py build` calls `add_to_book` once the book's pages and `_static/` are in place. It adds:
- `draw.md` (docs/draw.md: the page, raw HTML for the pad, its prose) and a "Try it" part of the sidebar after the chapters;
- `_static/draw/<model>.onnx`: the five models of the ladder (`mnist37.ladder.LADDER`), exported by `torch.onnx`
  (`mnist37.ladder.export_ladder`), each giving the numbers its answer is made of;
- `_static/draw/draw.json`: the digit of each output of the ten-digit model, the limits of the rule for `?`
  (`mnist37.predict.UNSURE`) and the ladder: each model's name, title, chapter and outputs (`draw_settings`);
- `_static/draw/ort/`: ONNX Runtime Web's files, from docs/node_modules (`npm ci --prefix docs` installs the exact
  version pinned in docs/package-lock.json): its WebAssembly-only ES module, with its loader bundled, and its wasm.
The page's own code (prepare.mjs, unsure.mjs, ladder.mjs, draw.mjs, draw.css) is in docs/_static/draw/, copied with the
rest of `_static/`.
Its scripts are ES modules named `.mjs`: Jupyter Book puts every `.js` file under `_static/` on every page, and every
`.css` file too (draw.css is on every page, but only styles `.mnist37-draw`).
"""
import json, shutil, sys
from pathlib import Path
import yaml

DOCS = Path(__file__).resolve().parent
ORT_DIST = DOCS/'node_modules'/'onnxruntime-web'/'dist'
# ort.wasm.bundle: inference on WebAssembly only (no WebGL, WebGPU), its Emscripten loader inside, so the page loads one
# script and one wasm file. Since 1.19 there is one wasm, built with SIMD (every browser of the last years has it) and
# threads (used only where a page is cross-origin isolated, which a static site is not: the page asks for one thread).
# Copied as .mjs: Jupyter Book adds every .js file under _static/ to every page as a classic script.
ORT_FILES = {'ort.wasm.bundle.min.mjs': 'ort.wasm.bundle.min.mjs',
             'ort-wasm-simd-threaded.wasm': 'ort-wasm-simd-threaded.wasm'}

# What the page says of each model of `mnist37.ladder.LADDER`: its title, its name in one line of verdicts (the home
# page's small pad), the chapter that trains it and that chapter's page
LADDER_PAGES = dict(
    pixel_similarity=('Pixel similarity', 'baseline', 'chapter 1', 'pixel_similarity'),
    linear=('Linear model', 'linear', 'chapters 3 and 4', 'linear'),
    simple_net=('Simple net', 'simple net', 'chapter 5', 'simple_net'),
    cnn_37=('Small CNN, 3 or 7', 'CNN 3/7', 'chapter 7', 'full_mnist'),
    ten_digits=('Small CNN, ten digits', 'CNN 0–9', 'chapter 7', 'full_mnist'))

def copy_runtime(dest:Path):
    "ONNX Runtime Web's files the page loads, from docs/node_modules, into `dest`"
    missing = [f for f in ORT_FILES if not (ORT_DIST/f).exists()]
    if missing: sys.exit(f'ONNX Runtime Web is not installed ({ORT_DIST/missing[0]} is missing): run `npm ci --prefix docs`')
    dest.mkdir(parents=True, exist_ok=True)
    for f, to in ORT_FILES.items(): shutil.copy(ORT_DIST/f, dest/to)

def add_to_toc(toc_file:Path, page:str='draw', caption:str='Try it'):
    "A sidebar part holding `page`, right after the chapters"
    toc = yaml.safe_load(toc_file.read_text())
    toc['parts'].insert(1, dict(caption=caption, chapters=[dict(file=page)]))
    toc_file.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))

def draw_settings()->dict:
    "What the page reads from draw.json: the ten-digit model's classes, the limits of `predict`'s `?` rule, the ladder"
    from mnist37.predict import CLASSES, UNSURE
    from mnist37.ladder import LADDER
    ladder = [dict(name=n, title=t, short=short, chapter=c, page=f'{p}.html', outputs=list(LADDER[n][3]))
              for n, (t, short, c, p) in LADDER_PAGES.items()]
    assert [m['name'] for m in ladder] == list(LADDER), 'LADDER_PAGES must name the models of mnist37.ladder.LADDER'
    return dict(classes=list(CLASSES['10']), unsure=UNSURE, ladder=ladder)

def add_to_book(book:Path):
    "The page, its models, its settings and its runtime, into the Jupyter Book source folder `book`"
    from mnist37.ladder import export_ladder
    static = book/'_static'/'draw'
    copy_runtime(static/'ort')
    export_ladder(static)
    (static/'draw.json').write_text(json.dumps(draw_settings()))
    shutil.copy(DOCS/'draw.md', book/'draw.md')
    add_to_toc(book/'_toc.yml')
