"""The "Draw a digit" page (docs/draw.md, issue 15), checked in headless Chromium against the Python `predict`.

The page of `_docs/` (built by `make docs`) is served locally, as in tests/test_site.py, and every request to another
server is blocked. The checks: the page's JavaScript preparation, ONNX model and "not sure" rule give the same 28x28
images, probabilities and verdicts (`digit`, `sure`, `reason`) as `mnist37 predict --json`, on MNIST test digits, on
pictures made the way people make them (some noisy and shaded) and on pictures it should not be sure of; mouse and
touch drawing; offline use; size and speed; a blank pad, strokes off the edge, `?` with its reason, a browser without
WebAssembly SIMD (told so in one sentence), and the home page's small pad. The ladder of every model is checked in
tests/test_ladder.py. Nothing here depends on the shipped model's weights: the page is compared with Python, and
the only answers expected are those of checks that come before the model's (a 7 and a 3 drawn clearly aside).
Measured numbers are printed (`pytest -s` shows them).
"""
import base64, json, subprocess
from pathlib import Path
import numpy as np, pytest
from conftest import MNIST37, SEVEN, THREE, SITE, serve_site

ROOT = Path(__file__).resolve().parent.parent
PAGE = 'draw.html'

# Strokes in the pad's own pixels (280x280): conftest's 7, and 3 in one stroke; and two to be unsure of
DASH = [[(40, 150), (240, 150)]]                                   # `flat`
TWO_ONES = [[(70, 50), (70, 230)], [(210, 50), (210, 230)]]        # `side by side`

def outline(f, n=24)->list: return [[tuple(map(float, f(t))) for t in np.linspace(0, 2*np.pi, n)]]
# Shapes people draw to test a model: only the model, taught what no digit looks like, can doubt them (`unsure model`)
DOT = outline(lambda t: (140 + 6*np.cos(t), 140 + 6*np.sin(t)), n=12)
BLOB = [[(140 + r*np.cos(t), 140 + r*np.sin(t)) for t,r in zip(np.linspace(0, 8*np.pi, 40), np.linspace(60, 0, 40))]]
HEART = outline(lambda t: (140 + 105*np.sin(t)**3,
                           125 - 95*(13*np.cos(t) - 5*np.cos(2*t) - 2*np.cos(3*t) - np.cos(4*t))/17))

# --- a local server, a browser, the page -------------------------------------------------------------------

@pytest.fixture(scope='module')
def server():
    with serve_site(PAGE) as url: yield url

class Visit:
    "A fresh browser context (empty cache) on the page: what it requested, what was blocked, its JavaScript errors"
    def __init__(self, chromium, server, width=1400, touch=False, init_script=None):
        self.ctx = chromium.new_context(viewport=dict(width=width, height=900), has_touch=touch, is_mobile=touch)
        self.server, self.requests, self.blocked, self.errors = server, [], [], []
        self.ctx.route('**/*', self._only_local)
        if init_script: self.ctx.add_init_script(init_script)
        self.page = self.ctx.new_page()
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def _only_local(self, route):
        url = route.request.url
        if url.startswith(self.server): self.requests.append(url[len(self.server):]); route.continue_()
        else: self.blocked.append(url); route.abort()

    def open(self, wait_ready=True, query=''):
        resp = self.page.goto(self.server + PAGE + query, wait_until='load')
        assert resp is not None and resp.ok, f'{PAGE}: HTTP {resp and resp.status}'
        if wait_ready: self.wait_ready()
        return self

    def wait_ready(self):
        self.page.wait_for_selector('.mnist37-draw[data-ready="true"], .mnist37-draw[data-ready="error"]', timeout=30000)
        assert self.page.get_attribute('.mnist37-draw', 'data-ready') == 'true', self.page.inner_text('.draw-status')

    def close(self): self.ctx.close()

@pytest.fixture
def visit(chromium, server):
    "Open visits, closed after the test; `visit(**kw)` makes one"
    made = []
    def make(**kw): made.append(Visit(chromium, server, **kw)); return made[-1]
    yield make
    for v in made: v.close()

# --- drawing -----------------------------------------------------------------------------------------------

def pad_box(page):
    "The pad's position on the page, and the size of one of its pixels in CSS pixels"
    b = page.locator('[data-testid="digit-pad"]').bounding_box()
    return b['x'], b['y'], b['width']/280

def dense(pts, n=10):
    "The stroke's points with `n` steps between each two (what a real pointer reports)"
    return [(x0 + (x1-x0)*t/n, y0 + (y1-y0)*t/n) for (x0,y0),(x1,y1) in zip(pts, pts[1:]) for t in range(1, n+1)]

def mouse_draw(page, strokes):
    x, y, s = pad_box(page)
    for pts in strokes:
        page.mouse.move(x + pts[0][0]*s, y + pts[0][1]*s); page.mouse.down()
        for px, py in dense(pts): page.mouse.move(x + px*s, y + py*s)
        page.mouse.up()

def touch_draw(page, strokes):
    "Finger strokes, as real touch events (Chrome DevTools Protocol)"
    cdp, (x, y, s) = page.context.new_cdp_session(page), pad_box(page)
    def touch(kind, pts):
        cdp.send('Input.dispatchTouchEvent', dict(type=kind, touchPoints=[dict(x=x+px*s, y=y+py*s) for px,py in pts]))
    for pts in strokes:
        touch('touchStart', pts[:1])
        for p in dense(pts): touch('touchMove', [p])
        touch('touchEnd', [])

def prediction(page)->str:
    "The digit the page shows (`?` when unsure, empty for a blank pad), once the model has read the latest strokes"
    page.wait_for_function('() => !document.querySelector(".mnist37-draw").dataset.busy', timeout=10000)
    return page.inner_text('[data-testid="prediction"]').strip()

def clear(page):
    page.click('[data-testid="clear"]')
    return prediction(page)

# --- the Python side and the images ----------------------------------------------------------------------------

def rgba_b64(a:np.ndarray)->str: return base64.b64encode(np.ascontiguousarray(a, np.uint8).tobytes()).decode()

def js_classify(page, im)->dict:
    "The page's own preparation, model and rule on the PIL image `im`: `{image: 784 uint8 or null, probs, digit, sure, reason}`"
    a = np.asarray(im.convert('RGBA'))
    return page.evaluate('''async ([b64, w, h]) => {
        const rgba = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        return await window.mnist37Draw.classify(rgba, w, h); }''', [rgba_b64(a), a.shape[1], a.shape[0]])

def py_classify(paths)->tuple:
    """Python's 28x28 images (uint8, 784 each) and unrounded probabilities (10 each), from the package's own functions;
    `None` for both where the picture is blank (`mnist_style` raises `Blank`)"""
    import torch
    from mnist37.image_file import open_digit
    from mnist37.mnist_style import mnist_style, Blank
    from mnist37.predict import load_model
    net, ims, probs = load_model('10')[0], [], []
    for p in paths:
        try: im = mnist_style(open_digit(p))
        except Blank: ims.append(None); probs.append(None); continue
        with torch.no_grad(): probs.append(net(im[None, None].float()/255).softmax(1)[0].numpy())
        ims.append(im.numpy().reshape(-1))
    return ims, probs

def cli_predict(paths)->list:
    "`mnist37 predict --json` on the files: one dict per file"
    out = subprocess.run([MNIST37, 'predict', '--json', *map(str, paths)], capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]

def mnist_digits(n_per_digit=5, start=0)->list:
    "`(digit, 28x28 uint8)` pairs from the MNIST test set, `n_per_digit` of each digit"
    from mnist37.data import full_tensors
    d = full_tensors()
    return [(c, d[f'testing/{c}'][start+i].numpy()) for c in range(10) for i in range(n_per_digit)]

def person_style(digit:np.ndarray, i:int):
    """A digit as a person's picture of it, as an app saves one: the digit enlarged and put anywhere on a large canvas
    (`on_page`, of the project's drawn digits), blue ink, RGBA. Even `i`: opaque cream paper, and for `i` = 2, 6, shaded
    from one side and grainy, as a photo is; odd `i`: a transparent background with the ink in the alpha channel, as
    drawing apps export it."""
    from PIL import Image
    from mnist37.drawn import on_page
    rng = np.random.default_rng(i)
    big = np.asarray(Image.fromarray(digit).resize((28*(8+i),)*2, Image.BICUBIC), np.float32)/255
    ink = 1 - on_page(big, 480 + 40*i, rng, paper=(1., 1.), pen=(0., 0.))   # on a white page: 1 - page is the ink
    H, W = ink.shape
    paper, pen = np.array([247, 245, 238], np.float32), np.array([25, 30, 90], np.float32)
    if i % 2: rgb, a = np.broadcast_to(pen, (H, W, 3)), ink*255
    else: rgb, a = paper*(1 - ink[..., None]) + pen*ink[..., None], np.full((H, W), 255.)
    if i % 4 == 2: rgb = rgb*np.linspace(0.7, 1, W)[None, :, None] + rng.normal(0, 8, (H, W, 1))
    return Image.fromarray(np.dstack([rgb, a]).clip(0, 255).round().astype(np.uint8), 'RGBA')

def unsure_pages(rng)->dict:
    """Pictures `predict` should not be sure of, by the reason it gives (checks that come before the model's, so whatever
    the model): the project's pictures of no digit (two digits side by side, specks, a dash, noise, which the 3x3 median
    filter finds to be grain all over), a blank page, and a square scribbled over (too much ink)"""
    from PIL import Image
    from mnist37.no_digit import two_digits, specks, dash, noise
    hatched = np.full((300, 300), 0.94)
    for y in range(50, 250, 9): hatched[y:y+6, 50:250] = 0.1      # a digit scribbled over
    pages = {'side by side': two_digits(rng), 'too much ink': hatched, 'scattered': specks(rng), 'flat': dash(rng),
             'blank': np.full((300, 300), 0.93), 'noise': noise(rng)}
    return {k: Image.fromarray((np.clip(a, 0, 1)*255).astype(np.uint8)) for k, a in pages.items()}

@pytest.fixture(scope='module')
def pictures(tmp_path_factory):
    """50 MNIST test digits, 10 person-style pictures, 6 that `predict` should not be sure of (`unsure_pages`) and one
    digit in each style chapter 9 draws (hairline to bold, tight crops, photos, small scans, tiny pictures), as PNG files:
    `[(digit or what the picture is, path, PIL image)]`"""
    from PIL import Image
    from mnist37.drawn import STYLES, DIGITS
    folder, res = tmp_path_factory.mktemp('digits'), []
    for j, (c, a) in enumerate(mnist_digits(5)): res.append((c, folder/f'mnist_{j:02d}_{c}.png', Image.fromarray(a)))
    for i, (c, a) in enumerate(mnist_digits(1, start=100)): res.append((c, folder/f'person_{i}_{c}.png', person_style(a, i)))
    for why, im in unsure_pages(np.random.default_rng(0)).items(): res.append((why, folder/f'unsure_{why}.png', im))
    rng = np.random.default_rng(0)
    for i, style in enumerate(STYLES):
        a = STYLES[style](DIGITS[i % 10][0], rng)
        res.append((i % 10, folder/f'drawn_{i:02d}_{i % 10}.png', Image.fromarray((a*255).round().astype(np.uint8))))
    for _, p, im in res: im.save(p)
    return res

# --- the checks ----------------------------------------------------------------------------------------------

def test_parity(visit, pictures):
    """The page's preparation, model and "not sure" rule vs Python: the same 28x28 images, probabilities within 1e-5
    (2.9e-7 measured; 1e-4 against the CLI's, which it rounds to 4 decimals), and
    the verdicts of `mnist37 predict --json` (`digit`, `sure`, `reason`) word for word"""
    page = visit().open().page
    paths = [p for _, p, _ in pictures]
    want_ims, want_probs = py_classify(paths)
    cli = cli_predict(paths)
    got = [js_classify(page, im) for _, _, im in pictures]
    both = [(g, w, p) for g, w, p in zip(got, want_ims, want_probs) if w is not None]
    assert [g['image'] is None for g in got] == [w is None for w in want_ims], 'the page and Python disagree on blank'
    im_diff = max(int(np.abs(np.array(g['image']) - w.astype(int)).max()) for g, w, _ in both)
    p_diff = max(float(np.abs(np.array(g['probs']) - p).max()) for g, _, p in both)
    cli_diff = max(abs(g['probs'][int(k)] - v) for g, c in zip(got, cli) if c['probs'] for k, v in c['probs'].items())
    verdicts = lambda rs: [(r['digit'] if r['digit'] is None else int(r['digit']), r['sure'], r['reason']) for r in rs]
    same = sum(g == c for g, c in zip(verdicts(got), verdicts(cli)))
    print(f'\nparity on {len(paths)} pictures ({sum(not c["sure"] for c in cli)} not sure): 28x28 images differ by at '
          f'most {im_diff} grey levels; probabilities by {p_diff:.1e} (unrounded Python), {cli_diff:.1e} (the CLI, '
          f'rounded to 4 decimals); digit, sure and reason the same for {same} of {len(paths)}')
    assert im_diff == 0, 'prepare.mjs no longer makes the image Python makes (a new Pillow resampling? see resize_lanczos)'
    assert p_diff <= 1e-5 and cli_diff <= 1e-4
    assert verdicts(got) == verdicts(cli), 'the page and `mnist37 predict` disagree'
    expected = [(why, c['reason']) for (why, _, _), c in zip(pictures, cli) if isinstance(why, str)]
    assert all(r and r.startswith(why + ':') for why, r in expected), expected   # the pictures are what they claim

def test_draw_mouse(visit):
    "Mouse strokes: a 7, Clear, a 3"
    v = visit().open()
    mouse_draw(v.page, SEVEN)
    assert prediction(v.page) == '7'
    assert clear(v.page) == ''
    mouse_draw(v.page, THREE)
    assert prediction(v.page) == '3'
    assert not v.errors, v.errors

def test_draw_touch_phone(visit):
    "Finger strokes on a 400-pixel-wide phone screen: the pad fits, a 7 and a 3 are read"
    v = visit(width=400, touch=True).open()
    x, _, s = pad_box(v.page)
    assert x >= 0 and x + 280*s <= 400, 'the pad does not fit a 400-pixel-wide screen'
    assert v.page.evaluate('document.documentElement.scrollWidth') <= 400, 'the page scrolls sideways on a phone'
    touch_draw(v.page, SEVEN)
    assert prediction(v.page) == '7'
    clear(v.page)
    touch_draw(v.page, THREE)
    assert prediction(v.page) == '3'
    assert not v.errors, v.errors

def test_keyboard(visit):
    """From the keyboard alone: Tab from Clear to the buttons under the pad, Enter has the page write that digit (chapter
    9's hand), which is read (a 7, then a 3, the same digits drawn clearly above); every button writes ink; Clear empties it"""
    v = visit().open()
    keys = v.page.keyboard
    v.page.focus('[data-testid="clear"]')
    for _ in range(8): keys.press('Tab')
    assert v.page.evaluate('document.activeElement.dataset.digit') == '7'
    keys.press('Enter')
    assert prediction(v.page) == '7'
    for _ in range(4): keys.press('Shift+Tab')
    keys.press('Enter')
    assert prediction(v.page) == '3'
    ink = 'Array.from(document.querySelector("[data-testid=digit-pad]").getContext("2d").getImageData(0, 0, 280, 280).data).filter(c => c < 128).length'
    for d in range(10):
        v.page.click(f'[data-digit="{d}"]'); prediction(v.page)
        assert v.page.evaluate(ink) > 1000, f'the button {d} wrote no digit'
    v.page.focus('[data-testid="clear"]'); keys.press('Enter')
    assert prediction(v.page) == ''
    assert not v.errors, v.errors

def test_offline(visit):
    "With every request to another server blocked, the page loads everything it needs from the site and works"
    v = visit().open()
    mouse_draw(v.page, SEVEN)
    assert prediction(v.page) == '7'
    assert not v.blocked, f'the page asked other servers for: {v.blocked}'
    assert not v.errors, v.errors

def transfer_sizes(page)->dict:
    "Bytes each request of `page` transfers (Chrome DevTools Protocol), filled in as they finish"
    cdp, sizes = page.context.new_cdp_session(page), {}
    cdp.on('Network.loadingFinished', lambda e: sizes.__setitem__(e['requestId'], e['encodedDataLength']))
    cdp.send('Network.enable')
    return sizes

def gzip_size(path:str)->int:
    "The bytes a server that compresses (gzip, level 6) would send for the site's file at `path`"
    import gzip
    f = SITE/path.split('?')[0].split('#')[0].lstrip('/')
    if f.is_dir(): f = f/'index.html'
    return len(gzip.compress(f.read_bytes(), 6)) if f.is_file() else 0

def test_budget(visit):
    """What the page transfers, served as this test's server serves it (uncompressed), is at most 19 MB (18.0 measured:
    ONNX Runtime Web 1.30's one wasm is 14.2 MB of it, the five models 1.05 MB); gzip-compressed, as a server that
    compresses sends it, at most 6 MB; a digit drawn as soon as the page has loaded is read within 2 s"""
    v = visit()
    sizes = transfer_sizes(v.page)
    v.open(wait_ready=False)
    mouse_draw(v.page, SEVEN)
    v.page.wait_for_function('() => performance.getEntriesByName("mnist37-draw:first-prediction").length', timeout=10000)
    t = v.page.evaluate('''() => { const load = performance.getEntriesByType("navigation")[0].loadEventStart;
        const at = n => performance.getEntriesByName(n)[0].startTime - load;
        return {ready: at("mnist37-draw:ready"), first: at("mnist37-draw:first-prediction")}; }''')
    total, gz = sum(sizes.values()), sum(gzip_size(r) for r in set(v.requests))
    print(f'\n{PAGE}: {len(sizes)} requests, {total/1e6:.2f} MB in all ({gz/1e6:.2f} MB gzip-compressed); after the load '
          f'event the five models are ready in {t["ready"]:.0f} ms, the first digit drawn is read in {t["first"]:.0f} ms')
    assert prediction(v.page) == '7'
    assert total <= 19e6, f'{total/1e6:.1f} MB transferred'
    assert gz <= 6e6, f'{gz/1e6:.1f} MB gzip-compressed'
    assert t['first'] <= 2000, f'first prediction {t["first"]:.0f} ms after load'

def test_blank(visit):
    "A blank pad, at first or after Clear, shows no prediction and no bars; a white picture gives no image either"
    v = visit().open()
    bars = lambda: v.page.eval_on_selector_all('[data-testid="probs"] li', 'els => els.map(e => e.dataset.p)')
    assert prediction(v.page) == '' and bars() == [''] * 10
    mouse_draw(v.page, SEVEN); prediction(v.page)
    assert clear(v.page) == '' and bars() == [''] * 10
    from PIL import Image
    r = js_classify(v.page, Image.new('RGBA', (280, 280), 'white'))
    assert r['image'] is None and r['probs'] is None and r['digit'] is None and r['sure'] is False
    assert r['reason'] == 'blank: nothing on it differs from the background', r['reason']

def test_stroke_off_edge(visit):
    "A stroke that runs off the pad is clipped at its edge, not an error; one that starts outside draws nothing"
    v = visit().open()
    x, y, s = pad_box(v.page)
    v.page.mouse.move(x + 60*s, y + 140*s); v.page.mouse.down()
    v.page.mouse.move(x + 600*s, y + 140*s, steps=20)     # far past the right edge
    v.page.mouse.move(x + 140*s, y - 50, steps=10)         # above the pad
    v.page.mouse.up()
    assert prediction(v.page) != '', 'the clipped stroke was not read'
    clear(v.page)
    v.page.mouse.move(x - 30, y + 100*s); v.page.mouse.down()
    v.page.mouse.move(x + 200*s, y + 100*s, steps=20)
    v.page.mouse.up()
    assert prediction(v.page) == ''
    assert not v.errors, v.errors

# A browser without WebAssembly SIMD, as ONNX Runtime Web sees one: it asks `WebAssembly.validate` about a tiny module
# holding a SIMD instruction (opcode prefix 0xfd), and this answer is no. (Chromium has no switch to turn wasm SIMD off.)
NO_SIMD = '''{ const validate = WebAssembly.validate;
  WebAssembly.validate = (bytes, ...rest) =>
    new Uint8Array(bytes.buffer || bytes).includes(0xfd) ? false : validate(bytes, ...rest); }'''

def test_no_simd(visit):
    """ONNX Runtime Web 1.30 ships one wasm, built with SIMD (every browser since 2023 has it). In a browser without,
    the page says in one sentence that the models cannot be loaded here, and breaks nothing else"""
    v = visit(init_script=NO_SIMD).open(wait_ready=False)
    v.page.wait_for_selector('.mnist37-draw[data-ready="error"], .mnist37-draw[data-ready="true"]', timeout=30000)
    status = v.page.inner_text('.draw-status')
    print(f'\nwithout wasm SIMD: data-ready={v.page.get_attribute(".mnist37-draw", "data-ready")}: {status}')
    assert v.page.get_attribute('.mnist37-draw', 'data-ready') == 'error'
    assert status.startswith('The models could not be loaded here: ')
    assert not v.errors, v.errors

def test_unsure(visit):
    "The `?` rule's limits are read from draw.json: with a confidence no probability reaches, a clear 7 shows `?`"
    v = visit()
    def strict(route):
        r = route.fetch(); s = r.json(); s['unsure']['min_confidence'] = 1.01
        route.fulfill(response=r, json=s)
    v.page.route('**/draw.json', strict)
    v.open()
    mouse_draw(v.page, SEVEN)
    assert prediction(v.page) == '?'
    assert 'Not sure' in v.page.inner_text('.draw-status')
    assert v.page.inner_text('[data-testid="reason"]').startswith('unsure model: its top probability is ')

@pytest.mark.parametrize('strokes,why,words', [(DASH, 'flat', 'a dash?'), (TWO_ONES, 'side by side', 'two digits?'),
                                               (DOT, 'unsure model', 'none of the ten digits'),
                                               (BLOB, 'unsure model', 'none of the ten digits'),
                                               (HEART, 'unsure model', 'none of the ten digits')])
def test_not_sure_drawn(visit, strokes, why, words):
    """A dash, two strokes far apart, a dot, a filled blob, a heart drawn on the pad: `?`, the reason in words, and
    `predict`'s own sentence under it"""
    v = visit().open()
    mouse_draw(v.page, strokes)
    assert prediction(v.page) == '?'
    assert v.page.get_attribute('[data-testid="prediction"]', 'data-state') == 'unsure'
    assert v.page.inner_text('.draw-status').startswith('Not sure: ') and words in v.page.inner_text('.draw-status')
    assert v.page.inner_text('[data-testid="reason"]').startswith(why + ': ')
    assert clear(v.page) == ''
    mouse_draw(v.page, SEVEN)
    assert prediction(v.page) == '7' and v.page.inner_text('[data-testid="reason"]') == ''
    assert not v.errors, v.errors

# The small pad of the home page, as its HTML is pasted in nbs/index.ipynb (a markdown cell after the description):
# the pad and the answer, the model loaded only when the pad is first touched (`data-load="on-draw"`), a link to the
# full page.
MINI_PAD = '''<div class="mnist37-draw draw-mini" data-ready="false" data-load="on-draw">
  <div class="draw-pad">
    <canvas data-testid="digit-pad" width="280" height="280" role="img" aria-label="Drawing pad: draw one digit here"></canvas>
    <button type="button" data-testid="clear">Clear</button>
  </div>
  <div class="draw-result">
    <div class="draw-answer">
      <output data-testid="prediction" aria-live="polite"></output>
      <div>
        <p class="draw-status">Draw a digit here: every model of the chapter reads it in your browser.</p>
        <p class="draw-reason" data-testid="reason"></p>
        <p class="draw-ladder-line" data-testid="ladder"></p>
        <p><a href="draw.html">More: why each model answers what it does</a></p>
      </div>
    </div>
  </div>
  <script type="module" src="_static/draw/draw.mjs"></script>
</div>'''

def test_mini_pad(visit):
    """The home page's small pad, on a phone: the page holds `MINI_PAD` as written here; before the pad is touched the
    page has fetched at most 4 MB (3.86 measured) and nothing of ONNX Runtime or the models; then it reads a 7, with
    the ladder's verdicts in one line (`baseline: 7 · linear: 7 · ...`), Clear, a 3, and never scrolls sideways"""
    cells = json.loads((ROOT/'nbs'/'index.ipynb').read_text())['cells']
    assert any(''.join(c['source']).strip() == MINI_PAD for c in cells if c['cell_type'] == 'markdown'), \
        'nbs/index.ipynb has no markdown cell holding MINI_PAD'
    v = visit(width=400, touch=True)
    sizes = transfer_sizes(v.page)
    resp = v.page.goto(v.server + 'index.html', wait_until='load')
    assert resp is not None and resp.ok, f'index.html: HTTP {resp and resp.status}'
    v.page.wait_for_timeout(300)
    before = sum(sizes.values())
    print(f'\nindex.html before anyone draws: {len(sizes)} requests, {before/1e6:.2f} MB')
    assert not [r for r in v.requests if r.endswith(('.wasm', '.onnx')) or '/ort/' in r], v.requests
    assert before <= 4e6, f'{before/1e6:.1f} MB before anyone draws'
    v.page.locator('[data-testid="digit-pad"]').scroll_into_view_if_needed()
    touch_draw(v.page, SEVEN)
    assert prediction(v.page) == '7'
    line = v.page.eval_on_selector_all('[data-testid="ladder"] [data-model]', 'els => els.map(e => e.dataset.answer)')
    text = v.page.inner_text('[data-testid="ladder"]')
    print(f'its line of verdicts: {text}')
    assert len(line) == 5 and line[-1] == '7' and set(line) <= {'3', '7'} and text.startswith('baseline: ')
    assert clear(v.page) == '' and not v.page.is_visible('[data-testid="ladder"]')
    assert any(r.endswith('.wasm') for r in v.requests) and any(r.endswith('ten_digits.onnx') for r in v.requests)
    touch_draw(v.page, THREE)
    assert prediction(v.page) == '3'
    assert v.page.evaluate('document.documentElement.scrollWidth') <= 400
    assert not v.blocked, f'the home page asked other servers for: {v.blocked}'
    assert not v.errors, v.errors
