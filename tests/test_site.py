"""The docs site, checked in a real browser.

Headless Chromium (Debian's `chromium`, driven by Playwright, which never downloads a browser here) loads every page of
`_docs/` (built by `make docs`) from a local server. What each page should hold comes from the sources, not from the
build: one page per notebook (index, then the numbered notebooks in order), one API page per module, each notebook's
`# Title`, and as many figures as the notebook has image outputs. Requests that leave the local server are blocked, so
the check is the same offline and online, and a page must read right without anything from a CDN.
"""
import functools, json, os, re, shutil, sys, threading, warnings
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse, unquote
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'docs'))
from site_pages import site_pages

ROOT = Path(__file__).resolve().parent.parent
SITE, NBS, LIB = ROOT/'_docs', ROOT/'nbs', ROOT/'mnist37'
BOOK_TITLE = 'mnist37'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']

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
    "Site path -> expectations, in sidebar order (the list the build uses): home page, chapters, Draw a digit, API pages"
    def expect(src): return (nb_expect(src) if src.suffix=='.ipynb' else md_expect(src)) if isinstance(src, Path) else \
                            dict(title=f'{LIB.name}.{src}', figures=0)
    return {path: expect(src) for path, src in site_pages().items()}

PAGES = expected_pages()

# --- a local server and a browser --------------------------------------------------------------------------

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture(scope='module')
def server():
    if not (SITE/'index.html').exists(): pytest.fail('_docs/index.html is missing: run `make docs` first')
    srv = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}/'
    srv.shutdown()

def chromium_path():
    exe = os.environ.get('CHROMIUM') or next(filter(None, map(shutil.which, ['chromium', 'chromium-browser'])), None)
    if not exe: pytest.fail("no Chromium found: install Debian's `chromium` (.ci/run does) or set CHROMIUM=/path/to/it")
    return exe

@pytest.fixture(scope='module')
def browser(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright
    blocked = []
    def only_local(route):
        if route.request.url.startswith(server): route.continue_()
        else: blocked.append(route.request.url); route.abort()
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp('chromium-profile')),
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, viewport=dict(width=1280, height=900))
        ctx.route('**/*', only_local)
        yield ctx
        ctx.close()
    # a third-party asset (say MathJax from a CDN, for a page with math) is not an error: the online site gets it and
    # the page must read without it; but say what was asked for
    if blocked: warnings.warn(f'requests to other servers, blocked: {sorted(set(blocked))}')

def load(browser, url):
    "Open `url`, waiting for its images; returns the page and the JavaScript errors it raised"
    page, errors = browser.new_page(), []
    page.on('pageerror', lambda e: errors.append(str(e)))
    resp = page.goto(url, wait_until='load')
    assert resp is not None and resp.ok, f'{url}: HTTP {resp and resp.status}'
    return page, errors

_ids_cache = {}
def ids_in(path:Path)->set:
    "The element ids of a built page"
    if path not in _ids_cache: _ids_cache[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text()))
    return _ids_cache[path]

# --- the checks ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('path', list(PAGES))
def test_page(browser, server, path):
    exp = PAGES[path]
    assert (SITE/path).exists(), f'{path} was not built (from the sources it should be): run `make docs`'
    page, errors = load(browser, server + path)
    try:
        assert page.title() == f"{exp['title']} — {BOOK_TITLE}", f'{path}: title {page.title()!r}'
        assert page.inner_text('article h1').replace('#', '').strip() == exp['title']
        imgs = page.eval_on_selector_all('article img', 'els => els.map(e => [e.getAttribute("src"), e.complete && e.naturalWidth > 0])')
        broken = [src for src, ok in imgs if not ok]
        assert not broken, f'{path}: images that did not load: {broken}'
        figs = page.eval_on_selector_all('article .cell_output img', 'els => els.length')
        assert figs >= exp['figures'], f"{path}: {figs} figures shown, the notebook has {exp['figures']}"
        text = page.inner_text('body')
        assert '#|' not in text, f'{path}: a `#|` directive is visible: ' + text[max(0, text.index('#|')-80):text.index('#|')+80]
        assert 'Traceback (most recent call last)' not in text and not page.query_selector('.cell_output .traceback, .cell_output .output.error'), \
            f'{path}: a cell shows an error'
        assert not errors, f'{path}: JavaScript errors: {errors}'
        # every link to a page of this site lands on a built page, and on an element with the anchor's id
        for href in page.eval_on_selector_all('article a[href]', 'els => els.map(e => e.href)'):
            if not href.startswith(server): continue
            u = urlparse(href)
            target = SITE/unquote(u.path[1:] or 'index.html')
            assert target.is_file(), f'{path}: link to {href} is broken'
            if u.fragment and target.suffix=='.html':
                assert unquote(u.fragment) in ids_in(target), f'{path}: link to {href}: no such anchor'
    finally: page.close()

def test_sidebar(browser, server):
    "The sidebar lists every page in order (home, chapters, API), and each of its links resolves"
    page, _ = load(browser, server + 'index.html')
    try:
        links = page.eval_on_selector_all('nav.bd-docs-nav a.reference', 'els => els.map(e => [e.href, e.innerText.trim()])')
    finally: page.close()
    paths = [urlparse(h).path[1:] or 'index.html' for h,_ in links]
    assert paths == list(PAGES), f'sidebar: {paths}'
    for href, _ in links:
        r = browser.request.get(href)
        assert r.ok and 'text/html' in r.headers.get('content-type', ''), f'sidebar link {href}: HTTP {r.status}'
    chapter_titles = [t for (h,t) in links[1:] if re.fullmatch(r'/\w+\.html', urlparse(h).path) and urlparse(h).path != '/draw.html']
    assert all(re.match(r'\d+\. ', t) for t in chapter_titles), f'chapters in the sidebar are numbered: {chapter_titles}'

def test_search(browser, server):
    "Sphinx's search (its index is a local file) finds the chapter that explains broadcasting"
    page, errors = load(browser, server + 'search.html?q=broadcasting')
    try:
        page.wait_for_selector('#search-results ul.search li a', timeout=15000)
        hits = page.eval_on_selector_all('#search-results ul.search li a', 'els => els.map(e => e.getAttribute("href"))')
        assert any(h.startswith('pixel_similarity.html') for h in hits), hits
        assert not errors, errors
    finally: page.close()
