"""The docs site, checked in a real browser.

Headless Chromium (Debian's `chromium`, driven by Playwright, which never downloads a browser here) loads every page of
`_docs/` (built by `make docs`) from a local server. What each page should hold comes from the sources, not from the
build: one page per notebook (index, then the numbered notebooks in order), one API page per module, each notebook's
`# Title`, and as many figures as the notebook has image outputs. Requests that leave the local server are blocked, so
the check is the same offline and online: no page may ask another server for anything, and every formula is already
rendered in the page (by KaTeX, at build time: no page runs a maths engine).

Each page is also read as a reader sees it: at 1,400 px, no code block or table is wider than its column (a code line
hidden behind a scrollbar, a table wider than the text); at 400 px, a phone, the page never scrolls sideways (wide
things scroll inside their own box). Digit pictures are grey, as the book draws them: every image a `show_digits` call
stored in a notebook, checked pixel by pixel, and the same images as the page shows them; and no stored picture uses
matplotlib's default purple-to-yellow colour map, the way a digit drawn without `cmap` would look.

And every piece of code the chapters teach (`BOOK_PIECES`) is shown on its page, unfolded, not only as its `show_doc`
card; every chapter's notebook starts by installing mnist37 where it is missing, and its page links to it on Colab.
The two explorers (issue 23) have their own test, tests/test_explore.py.
"""
import base64, io, json, re, sys
from pathlib import Path
from urllib.parse import urlparse, unquote
import pytest
from conftest import SITE, CHROMIUM_ARGS, serve_site, chromium_path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'docs'))
from website.parts import site_pages, chapter_nbs, numbered_nbs, part_nbs, PARTS, BOOK_URL

ROOT = Path(__file__).resolve().parent.parent
LIB, NBS = ROOT/'mnist37', ROOT/'nbs'
BOOK_TITLE = 'mnist37'
DESKTOP, PHONE = 1400, 400   # the two widths every page is read at

# --- what the sources say the site must hold ---------------------------------------------------------------

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']
_hidden = re.compile(r'^#\|\s*(hide|export|exporti|exports|include:\s*false|output:\s*false)\s*$', re.M)

def nb_expect(nb:Path)->dict:
    "Title (the first `# ` heading, markup dropped) and number of figures (image outputs of shown cells) of a notebook"
    cells = json.loads(nb.read_text())['cells']
    title = next(m.group(1) for c in cells if c['cell_type']=='markdown' and (m := re.search(r'^# (.+)$', _src(c), re.M)))
    figs = sum(1 for c in cells if c['cell_type']=='code' and not _hidden.search(_src(c))
               for o in c.get('outputs', []) if any(k.startswith('image/') for k in o.get('data', {})))
    return dict(title=re.sub(r'[`*]', '', title).strip(), figures=figs)

def md_expect(md:Path)->dict:
    "Title (the first `# ` heading) of a markdown page; its figures are drawn by the page, not stored"
    return dict(title=re.search(r'^# (.+)$', md.read_text(), re.M).group(1).strip(), figures=0)

def expected_pages()->dict:
    "Site path -> expectations, in sidebar order (the list the build uses): home page, then the three parts' pages"
    def expect(src):
        if isinstance(src, Path): return nb_expect(src) if src.suffix=='.ipynb' else md_expect(src)
        return dict(title='API reference' if src == 'api' else f'{LIB.name}.{src}', figures=0)
    return {path: expect(src) for path, src in site_pages().items()}

PAGES = expected_pages()
CHAPTERS = {path for path, src in site_pages().items() if isinstance(src, Path) and src in chapter_nbs()}   # the book's
NOTEBOOK_PAGES = {path: src for path, src in site_pages().items() if isinstance(src, Path) and src in part_nbs()}

# --- a local server and a browser --------------------------------------------------------------------------

@pytest.fixture(scope='module')
def server():
    with serve_site('index.html') as url: yield url

BLOCKED = []   # every request to another server, blocked: `load` says which page asked

@pytest.fixture(scope='module')
def browser(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright
    def only_local(route):
        if route.request.url.startswith(server): route.continue_()
        else: BLOCKED.append(route.request.url); route.abort()
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp('chromium-profile')),
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, viewport=dict(width=1280, height=900))
        ctx.route('**/*', only_local)
        yield ctx
        ctx.close()

def load(browser, url, width=1280):
    """Open `url` in a window `width` pixels wide, waiting for its images; returns the page and its errors: JavaScript
    errors, and anything the page asked this site for that it does not have (a KaTeX font, a figure)"""
    page, errors = browser.new_page(), []
    page.set_viewport_size(dict(width=width, height=900))
    page.on('pageerror', lambda e: errors.append(str(e)))
    page.on('response', lambda r: r.status >= 400 and errors.append(f'HTTP {r.status}: {r.url}'))
    resp = page.goto(url, wait_until='load')
    assert resp is not None and resp.ok, f'{url}: HTTP {resp and resp.status}'
    return page, errors

_ids_cache = {}
def ids_in(path:Path)->set:
    "The element ids of a built page"
    if path not in _ids_cache: _ids_cache[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text()))
    return _ids_cache[path]

# --- the checks ----------------------------------------------------------------------------------------------

# What a page shows, measured in the page (JavaScript run by Playwright)

TEXT_OUTSIDE_CODE = """() => { const a = document.querySelector('article').cloneNode(true);
  a.querySelectorAll('pre, code, .katex, script, style').forEach(e => e.remove()); return a.textContent; }"""

GREY_SPREAD = 16   # a grey pixel has red, green and blue within this of each other

DIGIT_COLOURS = """async () => { const res = [];
  for (const img of document.querySelectorAll('div.cell.tag_show-digits div.cell_output img')) {
    await img.decode().catch(() => {});
    const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data; let worst = 0;
    for (let i = 0; i < d.length; i += 4)
      worst = Math.max(worst, Math.max(d[i], d[i+1], d[i+2]) - Math.min(d[i], d[i+1], d[i+2]));
    res.push([img.getAttribute('src'), worst]); }
  return res; }"""

TOO_WIDE = """() => { const art = document.querySelector('article'), col = art.getBoundingClientRect(), bad = [];
  for (const pre of art.querySelectorAll('pre')) {
    if (!pre.offsetParent) continue;
    const over = pre.scrollWidth - pre.clientWidth;
    if (over > 1) {
      const longest = pre.innerText.split('\\n').reduce((a, l) => l.length > a.length ? l : a, '');
      bad.push(`code ${over} px wider than its ${pre.clientWidth} px box, its longest line ${longest.length} ` +
               `characters: ${longest.trim().slice(0, 70)}`); } }
  for (const t of art.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (t.offsetParent && r.width > col.width + 1)
      bad.push(`table ${Math.round(r.width)} px wide in a ${Math.round(col.width)} px column: ` +
               t.innerText.trim().replace(/\\s+/g, ' ').slice(0, 70)); }
  return bad; }"""

SIDEWAYS = """() => { const W = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth;
  if (sw <= W + 1) return null;
  const inScroller = el => { for (let p = el; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);   // scrolled in a box, or fixed (an off-canvas sidebar): not the page's width
    if (s.position === 'fixed' || (p !== el && s.overflowX !== 'visible')) return true; } return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1 && !inScroller(el) && !out.some(o => o.contains(el))) out.push(el); }
  return [sw, out.slice(0, 5).map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> to ` +
    `${Math.round(e.getBoundingClientRect().right)} px: ${(e.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}`)]; }"""

def open_all(page):
    "Open every `<details>` (the questionnaire's answers), so that what they hold is measured too"
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")

@pytest.mark.parametrize('path', list(PAGES))
def test_page(browser, server, path):
    exp = PAGES[path]
    assert (SITE/path).exists(), f'{path} was not built (from the sources it should be): run `make docs`'
    n_blocked = len(BLOCKED)
    page, errors = load(browser, server + path)
    try:
        assert page.title() == f"{exp['title']} — {BOOK_TITLE}", f'{path}: title {page.title()!r}'
        assert page.inner_text('article h1').replace('#', '').strip() == exp['title']
        # figures below the first load as they scroll into view: load them all now, as a reader scrolling would
        page.eval_on_selector_all('img[loading="lazy"]', 'els => els.forEach(e => { e.loading = "eager"; })')
        page.wait_for_function('[...document.images].every(i => i.complete)', timeout=30000)
        imgs = page.eval_on_selector_all('article img', 'els => els.map(e => [e.getAttribute("src"), e.complete && e.naturalWidth > 0])')
        broken = [src for src, ok in imgs if not ok]
        assert not broken, f'{path}: images that did not load: {broken}'
        figs = page.eval_on_selector_all('article .cell_output img', 'els => els.length')
        assert figs >= exp['figures'], f"{path}: {figs} figures shown, the notebook has {exp['figures']}"
        text = page.inner_text('body')
        assert '#|' not in text, f'{path}: a `#|` directive is visible: ' + text[max(0, text.index('#|')-80):text.index('#|')+80]
        assert 'Traceback (most recent call last)' not in text and not page.query_selector('.cell_output .traceback, .cell_output .output.error'), \
            f'{path}: a cell shows an error'
        assert not page.query_selector('article progress'), f'{path}: a progress bar is stored in an output'
        if path in CHAPTERS:
            assert page.query_selector(f'article a[href="{BOOK_URL}"]'), f"{path}: no link to the book's chapter 4"
        # every formula rendered at build time, by KaTeX, with MathML for screen readers
        n_math = page.eval_on_selector_all('article .math', 'els => els.length')
        shown = page.eval_on_selector_all('article .math > .katex .katex-mathml, article .math > .katex-display .katex-mathml', 'els => els.length')
        assert shown == n_math, f'{path}: {n_math - shown} of its {n_math} formulas are not rendered'
        assert not page.query_selector('article .katex-error'), f'{path}: a formula KaTeX could not read'
        prose = page.evaluate(TEXT_OUTSIDE_CODE)
        raw = re.search(r'\\\(|\\\[|\$\$|(?<![\w$])\$[^\s$][^$\n]*\$(?![\w$])', prose)
        assert not raw, f'{path}: raw TeX in the text: ' + prose[max(0, raw.start()-60):raw.end()+60]
        # digit pictures, as the page shows them, are grey
        colours = [(src, worst) for src, worst in page.evaluate(DIGIT_COLOURS) if worst > GREY_SPREAD]
        assert not colours, f'{path}: digit pictures in colour (largest red/green/blue difference): {colours}'
        assert not errors, f'{path}: errors: {errors}'
        # every link to a page of this site lands on a built page, and on an element with the anchor's id
        for href in page.eval_on_selector_all('article a[href]', 'els => els.map(e => e.href)'):
            if not href.startswith(server): continue
            u = urlparse(href)
            target = SITE/unquote(u.path[1:] or 'index.html')
            assert target.is_file(), f'{path}: link to {href} is broken'
            if u.fragment and target.suffix=='.html':
                assert unquote(u.fragment) in ids_in(target), f'{path}: link to {href}: no such anchor'
        page.wait_for_timeout(200)   # anything the page fetches once it has loaded
        asked = sorted(set(BLOCKED[n_blocked:]))
        assert not asked, f'{path}: asked other servers for {asked} (blocked: the site must work offline)'
    finally: page.close()

def evaluate_at(browser, url:str, width:int, script:str):
    "Load `url` at `width` px, open every fold, and return what `script` gives in the page"
    page, _ = load(browser, url, width)
    try:
        open_all(page)
        return page.evaluate(script)
    finally: page.close()

@pytest.mark.parametrize('path', list(PAGES))
def test_desktop_layout(browser, server, path):
    "At 1,400 px, every code block and table fits its column: no line hidden behind a scrollbar"
    bad = evaluate_at(browser, server + path, DESKTOP, TOO_WIDE)
    assert not bad, f'{path} at {DESKTOP} px:\n  ' + '\n  '.join(bad)

@pytest.mark.parametrize('path', list(PAGES))
def test_phone_layout(browser, server, path):
    "At 400 px, the page never scrolls sideways: whatever is wide scrolls inside its own box"
    wide = evaluate_at(browser, server + path, PHONE, SIDEWAYS)
    assert not wide, f'{path} at {PHONE} px scrolls sideways, to {wide[0]} px; sticking out:\n  ' + '\n  '.join(wide[1])

# --- the digit pictures the notebooks store ------------------------------------------------------------------

def stored_images(calling:str=None):
    "`(notebook, cell id, RGB array)` of every PNG a notebook page shows (of cells whose code calls `calling`)"
    import numpy as np
    from PIL import Image
    for path, src in site_pages().items():
        if not (isinstance(src, Path) and src.suffix == '.ipynb'): continue
        for c in json.loads(src.read_text())['cells']:
            if c['cell_type'] != 'code' or _hidden.search(_src(c)): continue
            if calling and not re.search(rf'\b{calling}\(', _src(c)): continue
            for o in c.get('outputs', []):
                if png := o.get('data', {}).get('image/png'):
                    im = Image.open(io.BytesIO(base64.b64decode(''.join(png)))).convert('RGB')
                    yield src.name, c.get('id'), np.asarray(im).astype(int)

def test_digit_pictures_grey():
    "What `show_digits` drew, in every notebook, is grey: the book's palette, ink dark on white"
    found, colour = 0, []
    for nb, cid, a in stored_images('show_digits'):
        found += 1
        if (spread := int((a.max(2) - a.min(2)).max())) > GREY_SPREAD: colour.append(f'{nb} cell {cid}: {spread}')
    assert found, 'no stored picture of digits drawn by `show_digits` was found'
    assert not colour, 'digit pictures in colour (largest red/green/blue difference): ' + '; '.join(colour)

VIRIDIS_DARK = (68, 1, 84)   # the lowest colour of matplotlib's default colour map: a digit's paper, drawn without `cmap`

def test_no_default_colormap():
    "No stored picture is painted in matplotlib's default purple-to-yellow: digits are drawn grey, weights in red and blue"
    import numpy as np
    bad = [f'{nb} cell {cid}: {share:.0%} of its pixels'
           for nb, cid, a in stored_images()
           if (share := (np.abs(a - VIRIDIS_DARK).sum(2) < 40).mean()) > 0.01]
    assert not bad, "pictures in matplotlib's default colour map (pass `cmap`, or use `show_digits`): " + '; '.join(bad)

def test_sidebar(browser, server):
    """The sidebar lists every page in order, under the three parts' captions (home, the chapter and its recap, your
    digit, how mnist37 is built with the API reference), and each of its links resolves"""
    page, _ = load(browser, server + 'index.html')
    try:
        links = page.eval_on_selector_all('nav.bd-docs-nav a.reference', 'els => els.map(e => [e.href, e.innerText.trim()])')
        captions = page.eval_on_selector_all('nav.bd-docs-nav p.caption', 'els => els.map(e => e.innerText.trim())')
    finally: page.close()
    assert captions == list(PARTS), f'the parts in the sidebar: {captions}'
    paths = [urlparse(h).path[1:] or 'index.html' for h,_ in links]
    assert paths == list(PAGES), f'sidebar: {paths}'
    for href, _ in links:
        r = browser.request.get(href)
        assert r.ok and 'text/html' in r.headers.get('content-type', ''), f'sidebar link {href}: HTTP {r.status}'
    chapter_titles = [t for (h,t) in links if urlparse(h).path[1:] in CHAPTERS]
    assert len(chapter_titles) == 8 and all(re.match(r'\d\. ', t) for t in chapter_titles), \
        f"the chapter's eight pages are numbered in the sidebar: {chapter_titles}"

def test_search(browser, server):
    "Sphinx's search (its index is a local file) finds the chapter that explains broadcasting, asking no other server"
    n_blocked = len(BLOCKED)
    page, errors = load(browser, server + 'search.html?q=broadcasting')
    try:
        page.wait_for_selector('#search-results ul.search li a', timeout=15000)
        hits = page.eval_on_selector_all('#search-results ul.search li a', 'els => els.map(e => e.getAttribute("href"))')
        assert any(h.startswith('pixel_similarity.html') for h in hits), hits
        assert not errors, errors
        page.wait_for_timeout(500)   # the summaries of the hits, fetched once the results are listed
        asked = sorted(set(BLOCKED[n_blocked:]))
        assert not asked, f'the search page asked other servers for {asked}'
    finally: page.close()

# --- the book's pieces show their code, once; every chapter can be run; page lengths (issues 23, 27) -------------

# The functions and classes each chapter teaches, by notebook: their code must be on the page, unfolded, in place of
# their `show_doc` card (`#| exports`). The engineering (the data cache, file reading, the CLI, `fit`) is in the third part.
BOOK_PIECES = {
    '00_tensors': ['sample_path', 'full_path', 'digit_df', 'show_digits', 'sample_tensors', 'full_tensors'],
    '01_pixel_similarity': ['mnist_distance', 'is_3', 'pixel_similarity'],
    '02_sgd_quadratic': ['quadratic', 'mse', 'apply_step', 'gradient_descent'],
    '03_linear': ['flat_xy', 'init_params', 'linear1', 'sigmoid', 'mnist_loss', 'TensorDL', 'tensor_dls', 'calc_grad',
                  'train_epoch', 'batch_accuracy', 'validate_epoch', 'train_linear'],
    '04_optimizer': ['BasicOptim', 'train_epoch_opt', 'train_model', 'train_37'],
    '05_simple_net': ['mlp'],
    '06_resnet': ['image_xy', 'train_resnet', 'hold_out'],
    '07_full_mnist': ['conv', 'small_cnn', 'random_affine', 'pen_blur', 'random_pen', 'Augment', 'train_cnn',
                      'train_ten_digits', 'train_cnn_37'],
}

def piece_source(nb:Path, name:str)->str:
    "The code of the exported definition of `name` in notebook `nb`, as written there (directives left out)"
    import ast
    for c in json.loads(nb.read_text())['cells']:
        src = _src(c)
        if c['cell_type'] != 'code' or not re.match(r'#\|\s*export', src): continue
        code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
        for node in ast.parse(code).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return ast.get_source_segment(code, node)
    raise LookupError(f'{nb.name} exports no function or class {name}')

# The text of the code a reader sees: the inputs of code cells, not `show_doc` cards, only those shown (a folded
# cell's code is inside a closed <details>, which `checkVisibility` says is not rendered)
VISIBLE_CODE = """() => [...document.querySelectorAll('article div.cell:not(.tag_show-doc) div.cell_input pre')]
  .filter(e => e.checkVisibility()).map(e => e.innerText).join('\\n')"""
CARDS = "() => [...document.querySelectorAll('article div.cell.tag_show-doc h2, article div.cell.tag_show-doc h3, article div.cell.tag_show-doc h4')].map(e => e.innerText.trim())"

def _lines(code:str)->str: return '\n'.join(l.rstrip() for l in code.splitlines() if l.strip())

@pytest.mark.parametrize('stem', list(BOOK_PIECES))
def test_book_pieces_shown(browser, server, stem):
    "Every piece a chapter teaches shows its code on its page, unfolded, once: its `show_doc` card is left to the API pages"
    nb = NBS/f'{stem}.ipynb'
    path = next(p for p, src in site_pages().items() if src == nb)
    page, _ = load(browser, server + path, DESKTOP)
    try: shown, cards = _lines(page.evaluate(VISIBLE_CODE)), page.evaluate(CARDS)
    finally: page.close()
    hidden = [name for name in BOOK_PIECES[stem] if _lines(piece_source(nb, name)) not in shown]
    assert not hidden, f'{path}: the code of {hidden} is not shown (mark its cell `#| exports`, not `#| export`)'
    twice = [name for name in BOOK_PIECES[stem] if name in cards]
    assert not twice, f'{path}: {twice} shown twice, as code and as a card'

COLAB = 'https://colab.research.google.com/github/mnist37/mnist37/blob/main/nbs/'
INSTALL = '''#| hide
# Where mnist37 is missing (on Colab, say), install it; here and in CI it is installed and this does nothing
try: import mnist37
except ImportError:
    %pip install -q git+https://github.com/mnist37/mnist37'''

@pytest.mark.parametrize('nb', numbered_nbs(), ids=lambda p: p.stem)
def test_install_cell(nb):
    "Every numbered notebook's first code cell installs mnist37 where it is missing (Colab), hidden from the site"
    first = next((c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code'), None)
    if first is None: return   # no code, nothing to install for
    assert _src(first) == INSTALL, f'{nb.name}: its first code cell should be\n{INSTALL}\nnot\n{_src(first)}'

def test_colab_links(browser, server):
    "Every numbered notebook's page links to it on Colab"
    missing = []
    for path, src in NOTEBOOK_PAGES.items():
        if not src.stem[:1].isdigit(): continue
        page, _ = load(browser, server + path)
        try:
            if not page.query_selector(f'article a[href="{COLAB}{src.name}"]'): missing.append(path)
        finally: page.close()
    assert not missing, f'pages without a link to {COLAB}<notebook>: {missing}'

MAX_HEIGHT = 16_000   # px at 1,400: a page of the first two parts is a chapter a reader can take in one sitting

@pytest.mark.parametrize('path', [p for p, src in NOTEBOOK_PAGES.items() if src.stem[:1] in '01'])
def test_page_length(browser, server, path):
    "Every page of the chapter and of your digit is under 16,000 px tall at 1,400 px, every fold open"
    h = evaluate_at(browser, server + path, DESKTOP, 'document.documentElement.scrollHeight')
    assert h < MAX_HEIGHT, f'{path}: {h} px tall at {DESKTOP} px'

# At a phone's width: each formula fits the column, or scrolls in a box of its own; each figure fits the column
FITS = """() => { const col = document.querySelector('article').getBoundingClientRect(), bad = [];
  const scrolls = e => { for (let p = e; p && p.tagName !== 'ARTICLE'; p = p.parentElement) {
    const s = getComputedStyle(p); if (['auto', 'scroll'].includes(s.overflowX) && p.getBoundingClientRect().right <= col.right + 1) return true; }
    return false; };
  for (const m of document.querySelectorAll('article .math .katex')) {
    const r = m.getBoundingClientRect();
    if (r.width && (r.right > col.right + 1 || r.left < col.left - 1) && !scrolls(m)) bad.push(`formula to ${Math.round(r.right)} px: ${m.textContent.slice(0, 40)}`); }
  for (const img of document.querySelectorAll('article img')) {
    const r = img.getBoundingClientRect();
    if (r.width && r.right > col.right + 1) bad.push(`figure ${Math.round(r.width)} px wide: ${img.getAttribute('src')}`); }
  return bad; }"""

@pytest.mark.parametrize('path', [p for p in PAGES if p.endswith('.html')])
def test_phone_formulas_and_figures(browser, server, path):
    "At 400 px, every formula fits the column or scrolls in its own box, and every figure fits the column"
    page, _ = load(browser, server + path, PHONE)
    try:
        bad = page.evaluate(FITS)
    finally: page.close()
    assert not bad, f'{path} at {PHONE} px:\n  ' + '\n  '.join(bad)
