"""Shared by the tests of bad input (issue 16) and of the site: two digits drawn as a person draws them, the console script,
and for the browser tests the built site on a local port and Debian's Chromium.

The digits are drawn here with Pillow (the strokes test_draw.py also draws on the page's pad, an 18-pixel round pen on a
280x280 white pad), so these tests need neither MNIST nor fastai.
"""
import functools, io, os, shutil, sys, threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
import pytest

SEVEN = [[(70, 60), (210, 60), (120, 235)]]
THREE = [[(80, 70), (130, 45), (190, 60), (200, 105), (140, 140), (205, 170), (200, 225), (130, 245), (75, 220)]]
MNIST37 = str(Path(sys.executable).with_name('mnist37'))   # the console script of this environment
SITE = Path(__file__).resolve().parent.parent/'_docs'        # the site `make docs` builds
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

COMPRESSED = ('.html', '.css', '.js', '.mjs', '.json', '.svg', '.wasm', '.map', '.txt')   # as a static host compresses

class _Gzipped(_Quiet):
    "Text, scripts and WebAssembly sent gzip-compressed to a browser that asks for it, as GitHub Pages sends them"
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir(): path = path/'index.html'
        if (path.suffix not in COMPRESSED or 'gzip' not in self.headers.get('Accept-Encoding', '')
                or not path.is_file()): return super().send_head()
        body = _gzip(path)
        self.send_response(200)
        self.send_header('Content-Type', self.guess_type(str(path)))
        self.send_header('Content-Encoding', 'gzip'); self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

@functools.cache
def _gzip(path:Path)->bytes:
    import gzip
    return gzip.compress(path.read_bytes(), 6)

@contextmanager
def serve_site(*pages, gzip:bool=False):
    """The built site on a local port (`gzip`: compressed as a static host sends it): its URL; the test fails first if
    one of `pages` is missing (the site is not built)"""
    for p in pages:
        if not (SITE/p).exists(): pytest.fail(f'_docs/{p} is missing: run `make docs` first')
    srv = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Gzipped if gzip else _Quiet, directory=str(SITE)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try: yield f'http://127.0.0.1:{srv.server_address[1]}/'
    finally: srv.shutdown()

def chromium_path()->str:
    "Debian's Chromium (or `CHROMIUM`): Playwright never downloads a browser here"
    exe = os.environ.get('CHROMIUM') or next(filter(None, map(shutil.which, ['chromium', 'chromium-browser'])), None)
    if not exe: pytest.fail("no Chromium found: install Debian's `chromium` (.ci/run does) or set CHROMIUM=/path/to/it")
    return exe

@pytest.fixture(scope='module')
def chromium():
    "A headless Chromium, driven by Playwright"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

def draw(strokes):
    "A PIL image (mode L) of `strokes` drawn in black on a white 280x280 pad"
    from PIL import Image, ImageDraw
    im = Image.new('L', (280, 280), 255)
    d = ImageDraw.Draw(im)
    for s in strokes:
        d.line(s, fill=0, width=18, joint='curve')
        for x, y in s: d.ellipse((x-9, y-9, x+9, y+9), fill=0)
    return im

def png_bytes(im, fmt='PNG', **kw)->bytes:
    buf = io.BytesIO(); im.save(buf, fmt, **kw); return buf.getvalue()

@pytest.fixture(scope='session')
def three(): return draw(THREE)

@pytest.fixture(scope='session')
def seven(): return draw(SEVEN)

@pytest.fixture(scope='session')
def good_files(tmp_path_factory, three, seven):
    "`(three.png, seven.png)`: two files `predict` reads as 3 and 7, sure of both"
    d = tmp_path_factory.mktemp('good')
    three.save(d/'three.png'); seven.save(d/'seven.png')
    return d/'three.png', d/'seven.png'

def unprivileged(cmd:list)->list:
    """`cmd` run so that file permissions apply to it: as it is for an ordinary user; for root, under `setpriv` without
    the capabilities that let root read and write any file (a test of "permission denied" is skipped if neither works)"""
    if os.geteuid() != 0: return cmd
    if not shutil.which('setpriv'): pytest.skip('running as root, and no setpriv to drop the capability to read any file')
    return ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--', *cmd]
