"""Pages that run as shown (issue 27): a reader copies each code block of a page with its copy button, in order, and
the code runs.

For every notebook page of the site's three parts, headless Chromium clicks every code block's copy button and reads
what it put on the clipboard: the blocks joined must parse, and use no name they do not define or import (pyflakes;
a name from `from module import *` is looked up in that module). Then the joined code of the short chapters, 00 to 05,
runs in a fresh Python process, as a reader's would: every chapter shows its imports in its first code cell, and no
code it shows needs a name that only a hidden cell defines. The copy buttons copy the code with its line breaks,
also the code of the book's pieces, whose lines the site wraps (docs/website/code.py)."""
import ast, importlib, io, os, re, subprocess, sys
from pathlib import Path
import pytest
from conftest import serve_site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'docs'))
from website.parts import site_pages, part_nbs, CHAPTER

PAGES = {path: src for path, src in site_pages().items() if isinstance(src, Path) and src in part_nbs()}
RUN = [f'{page}.html' for page in ('tensors', 'pixel_similarity', 'sgd_quadratic', 'linear', 'optimizer', 'simple_net')]

@pytest.fixture(scope='module')
def copied(chromium):
    "Page path -> the code its copy buttons put on the clipboard, block by block, in the page's order"
    res = {}
    with serve_site('index.html') as url:
        ctx = chromium.new_context(viewport=dict(width=1400, height=900))
        ctx.grant_permissions(['clipboard-read', 'clipboard-write'], origin=url.rstrip('/'))
        for path in PAGES:
            page = ctx.new_page()
            page.goto(url + path, wait_until='load')
            page.wait_for_function('window.ClipboardJS !== undefined')
            blocks = []
            for btn in page.query_selector_all('article div.cell_input button.copybtn'):
                page.evaluate("navigator.clipboard.writeText('')")
                btn.evaluate('b => b.click()')   # also the buttons of folded cells, which a reader unfolds first
                page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
                blocks.append(page.evaluate('navigator.clipboard.readText()'))
            res[path] = blocks
            page.close()
        ctx.close()
    return res

def undefined_names(code:str)->list:
    "Names `code` uses but neither defines nor imports (pyflakes), those of its `import *` modules allowed"
    from pyflakes.api import check
    from pyflakes.reporter import Reporter
    out = io.StringIO()
    check(code, 'page', Reporter(out, io.StringIO()))
    starred = set()
    for m in re.findall(r'^from ([\w.]+) import \*', code, re.M):
        mod = importlib.import_module(m)
        starred |= set(getattr(mod, '__all__', [n for n in dir(mod) if not n.startswith('_')]))
    found = re.findall(r"undefined name '(\w+)'|'(\w+)' may be undefined, or defined from star imports", out.getvalue())
    return sorted({a or b for a, b in found} - starred)

@pytest.mark.parametrize('path', list(PAGES))
def test_copied_code_parses(copied, path):
    "A page's code blocks, copied with their buttons and joined, parse, and every name they use is defined"
    blocks = copied[path]
    for i, b in enumerate(blocks):
        try: ast.parse(b)
        except SyntaxError as e: pytest.fail(f'{path}: block {i+1} of {len(blocks)} does not parse ({e}):\n{b[:500]}')
    assert not (bad := undefined_names('\n\n'.join(blocks))), f'{path}: the code shown uses names it never defines: {bad}'

def test_imports_first(copied):
    "Every page of the book's chapter starts its code with its imports: the first block imports, and does nothing else"
    for nb in CHAPTER:
        path = next(p for p, src in PAGES.items() if src.stem == nb)
        first = ast.parse(copied[path][0]).body
        assert first and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in first), f'{path}: first block:\n{copied[path][0]}'

@pytest.mark.parametrize('path', RUN)
def test_copied_code_runs(copied, path, tmp_path):
    "The short chapters' code, as copied from their pages, runs in a fresh Python, top to bottom"
    code = '\n\n'.join(copied[path])
    env = {**os.environ, 'MPLBACKEND': 'Agg', 'OMP_NUM_THREADS': '1', 'PYTHONWARNINGS': 'ignore'}
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, f'{path}: the copied code fails:\n{r.stderr[-3000:]}'
