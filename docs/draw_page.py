"""The "Draw a digit" page of the site (issue 15): the reader draws, the ten-digit model reads it in their browser.

`docs/docsite.py build` calls `add_to_book` once the book's pages and `_static/` are in place. It adds:
- `draw.md` (docs/draw.md: the page, raw HTML for the pad, its prose) and a "Try it" part of the sidebar after the chapters;
- `_static/draw/model.onnx`: the shipped ten-digit model, exported by `torch.onnx` (`mnist37.predict.export_onnx`);
- `_static/draw/draw.json`: the digit of each output and the limits of the rule for `?`, `mnist37.predict.UNSURE`
  (`draw_settings`);
- `_static/draw/ort/`: ONNX Runtime Web's files, from docs/node_modules (`npm ci --prefix docs` installs the exact
  version pinned in docs/package-lock.json): its WebAssembly-only ES module, and its wasm with SIMD and without.
The page's own code (prepare.mjs, unsure.mjs, draw.mjs, draw.css) is in docs/_static/draw/, copied with the rest of
`_static/`.
Its scripts are ES modules named `.mjs`: Jupyter Book puts every `.js` file under `_static/` on every page, and every
`.css` file too (draw.css is on every page, but only styles `.mnist37-draw`).
"""
import json, shutil, sys
from pathlib import Path
import yaml

DOCS = Path(__file__).resolve().parent
ORT_DIST = DOCS/'node_modules'/'onnxruntime-web'/'dist'
# ort.wasm-core: inference on WebAssembly only (no WebGL, WebGPU, worker proxy, threads), so it loads just one wasm file:
# ort-wasm-simd.wasm, or ort-wasm.wasm where the browser has no wasm SIMD (or `ort.env.wasm.simd = false`)
# Copied as .mjs: Jupyter Book adds every .js file under _static/ to every page as a classic script.
ORT_FILES = {'esm/ort.wasm-core.min.js': 'ort.wasm-core.min.mjs', 'ort-wasm-simd.wasm': 'ort-wasm-simd.wasm',
             'ort-wasm.wasm': 'ort-wasm.wasm'}

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
    "What the page reads from draw.json: the digit of each output of model `10`, and the limits of `predict`'s `?` rule"
    from mnist37.predict import CLASSES, UNSURE
    return dict(classes=list(CLASSES['10']), unsure=UNSURE)

def add_to_book(book:Path):
    "The page, its model, its settings and its runtime, into the Jupyter Book source folder `book`"
    from mnist37.predict import export_onnx
    static = book/'_static'/'draw'
    copy_runtime(static/'ort')
    export_onnx(static/'model.onnx', '10')
    (static/'draw.json').write_text(json.dumps(draw_settings()))
    shutil.copy(DOCS/'draw.md', book/'draw.md')
    add_to_toc(book/'_toc.yml')
