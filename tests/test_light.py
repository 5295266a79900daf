"""A site that opens fast on a phone and that everyone can use (issue 29), judged by the tools made to judge pages.

- axe-core (docs/node_modules, pinned in docs/package.json) on every page of `_docs/` at 1,400 and 400 px, with the
  WCAG 2.0, 2.1 and 2.2 A and AA rules and three best practices (`BEST`): no violation.
- Lighthouse (pinned too; its default mobile profile: a slow 4G connection and a 4x slower CPU, simulated) on the home
  page, a chapter page with formulas and figures, and the draw page, the site served gzip-compressed as a static host
  serves it; the median of three runs of each score. What it asserts is what was measured, with a margin for a
  machine's load (scores move by up to 15 from run to run on a busy machine). `make bench` keeps the scores of five
  pages (bench/site_scores.py, which runs `median_scores` below).
- What the build promises: no page loads a maths engine or an icon script, formulas arrive rendered, every image
  states its size and says what it shows (the notebooks' `#| fig-alt:` lines), and each page links one stylesheet.
- The theme's controls work where a reader meets them: on a phone, the menu and contents buttons open their panels;
  the colour mode is set once as a page opens, not once more by the theme's script.
"""
import json, os, re, statistics, subprocess
from pathlib import Path
import pytest
from conftest import SITE, CHROMIUM_ARGS, serve_site, chromium_path

NODE = Path(__file__).resolve().parent.parent/'docs'/'node_modules'
AXE = NODE/'axe-core'/'axe.min.js'
LIGHTHOUSE = NODE/'lighthouse'/'cli'/'index.js'
WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']
# and the three best practices of axe's the issue names: tables' headers that name something, headings that skip no
# level, nothing outside a landmark (a region a screen reader lists)
BEST = {'empty-table-header': {'enabled': True}, 'heading-order': {'enabled': True}, 'region': {'enabled': True}}
WIDTHS = (1400, 400)

def site_pages()->list:
    "Every page of the built site: the sidebar's, the API's, the search page"
    if not (SITE/'index.html').exists(): pytest.fail('_docs/ is not built: run `make docs` first')
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob('*.html') if '_static' not in p.parts)

# --- what the build promises -------------------------------------------------------------------------------

@pytest.mark.parametrize('path', site_pages())
def test_light_page(path):
    "No maths engine, no icon script, no search index but on the search page; every image sized, and said in words"
    page = (SITE/path).read_text()
    scripts = re.findall(r'<script [^>]*src="([^"]+)"', page)
    heavy = [s for s in scripts if re.search(r'mathjax|fontawesome', s, re.I)]
    assert not heavy, f'{path} loads {heavy}'
    if path != 'search.html': assert 'searchindex.js' not in scripts, f'{path} loads the search index'
    unsized = [m[0][:120] for m in re.finditer(r'<img [^>]*>', page) if 'width=' not in m[0] and '.svg' not in m[0]]
    assert not unsized, f'{path}: images without their size: {unsized}'
    alts = [(tag, re.search(r'\balt="([^"]*)"', tag)) for tag in re.findall(r'<img [^>]*>', page)]
    unsaid = [tag[:120] for tag, a in alts if not a or not a[1].strip() or a[1].startswith('_images/')]
    assert not unsaid, f'{path}: images whose alt text does not say what they show: {unsaid}'
    assert not re.search(r'<(i|span) class="[^"]*\bfa-', page), f'{path}: an icon left for the icon font'
    sheets = re.findall(r'<link [^>]*rel="stylesheet"[^>]*>', page)
    assert len(sheets) == 1, f'{path} links {len(sheets)} stylesheets, not one: {sheets}'

def test_plain_tokens():
    """Only code spans whose colour is the code block's, in both colour modes, are unwrapped, and the block takes that
    colour; the code reads the same"""
    import html as _html, sys
    sys.path.insert(0, str(NODE.parent))
    from website.code import PLAIN, block_colour, plain_classes, plain_tokens
    css = (SITE/'_static'/'pygments.css').read_text()
    plain = plain_classes(css)
    assert {'n', 'p', 'w'} <= plain and not plain & {'k', 'o', 'mi', 's1', 'c1', 'nf'}, plain
    block = ('<div class="highlight"><pre><span class="k">def</span><span class="w"> </span><span class="nf">f</span>'
             '<span class="p">(</span><span class="n">x</span><span class="p">):</span></pre></div>')
    done = plain_tokens(block, plain)
    def text(h): return _html.unescape(re.sub(r'<[^>]+>', '', h))
    assert text(done) == text(block) == 'def f(x):' and done.count('<span') == 2, done
    assert f'<pre class="{PLAIN}">' in done and block_colour(css).count(f'pre.{PLAIN} {{ color: #') == 2
    code = ''.join(re.findall(r'<pre[^>]*>.*?</pre>', (SITE/'linear.html').read_text(), re.S))
    assert 'class="mi"' in code and not re.search(r'<span class="(n|p|w)">', code)

# --- axe-core ----------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def axe_browser():
    from playwright.sync_api import sync_playwright
    if not AXE.exists(): pytest.fail(f'{AXE} is missing: run `npm ci --prefix docs`')
    with serve_site('index.html') as url, sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b, url
        b.close()

# true once the page's pad (if any) has built what its models show; a small pad loads nothing before the first stroke
DRAWN = '''() => { const d = document.querySelector('.mnist37-draw');
  return !d || d.dataset.load === 'on-draw' || d.dataset.ready !== 'false'; }'''
# true once every explorer on the page has started (the train explorer starts when it scrolls into view)
STARTED = "() => [...document.querySelectorAll('.mnist37-explorer')].every(e => e.dataset.ready !== 'false')"

def axe_violations(browser, url:str, width:int)->list:
    "axe-core's WCAG A/AA violations on the page at `url`, `width` px wide: `rule: element, element...`"
    page = browser.new_page(viewport=dict(width=width, height=900))
    try:
        page.goto(url, wait_until='load')
        page.wait_for_function(DRAWN, timeout=60000)   # the draw page is judged with its ladder built
        page.eval_on_selector_all('.mnist37-explorer', 'es => es.forEach(e => e.scrollIntoView())')
        page.wait_for_function(STARTED, timeout=30000)   # and the explorers with what they show
        page.evaluate('window.scrollTo(0, 0)')
        page.add_script_tag(path=str(AXE))
        res = page.evaluate('([tags, rules]) => axe.run(document, {runOnly: {type: "tag", values: tags}, rules})',
                            [WCAG, BEST])
    finally: page.close()
    return [f"{v['id']} ({v['impact']}): " + ', '.join(n['target'][0] if isinstance(n['target'][0], str) else str(n['target'])
            for n in v['nodes'][:5]) for v in res['violations']]

@pytest.mark.parametrize('width', WIDTHS)
def test_axe(axe_browser, width):
    "axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation (nor of `BEST`) on any page, at a desktop's and a phone's width"
    browser, url = axe_browser
    found = {path: v for path in site_pages() if (v := axe_violations(browser, url + path, width))}
    assert not found, f'at {width} px:\n' + '\n'.join(f'{p}: {v}' for p, v in found.items())

# --- the theme's controls ----------------------------------------------------------------------------------

def sidebar_after_click(browser, url:str, width:int, which:str)->tuple:
    "Click the visible `which` ('primary', 'secondary') sidebar button: the open dialogs, then those open after Escape"
    page = browser.new_page(viewport=dict(width=width, height=900))
    try:
        page.goto(url + 'linear.html', wait_until='load')
        page.locator(f'button.{which}-toggle:visible').first.click()
        try: page.wait_for_function('() => [...document.querySelectorAll("dialog")].some(d => d.open)', timeout=3000)
        except Exception: pass   # nothing opened: said below
        opened = page.evaluate('[...document.querySelectorAll("dialog")].filter(d => d.open).map(d => d.id)')
        page.keyboard.press('Escape'); page.wait_for_timeout(300)
        return opened, page.evaluate('[...document.querySelectorAll("dialog")].filter(d => d.open).map(d => d.id)')
    finally: page.close()

@pytest.mark.parametrize('which', ['primary', 'secondary'])
def test_phone_menus(axe_browser, which):
    "On a phone, the menu button opens the site's pages and the contents button the page's contents; Escape closes them"
    opened, after = sidebar_after_click(*axe_browser, 400, which)
    assert opened == [f'pst-{which}-sidebar-modal'], f'the {which} sidebar button opened {opened}'
    assert after == [], f'Escape left {after} open'

# every change of the page's colour mode (data-theme on <html>), as the page opens: each one restyles the whole page
THEME_SETS = """window.themeSets = []; new MutationObserver(ms => ms.forEach(m => {
  if (m.target === document.documentElement && m.attributeName === 'data-theme') themeSets.push(m.target.dataset.theme)
})).observe(document, {attributes: true, subtree: true});"""

@pytest.mark.parametrize('scheme', ['light', 'dark'])
def test_colour_mode_once(axe_browser, scheme):
    "A first visit's colour mode is the reader's system's from the first style on, set once; the mode button still works"
    browser, url = axe_browser
    page = browser.new_page(color_scheme=scheme)
    try:
        page.add_init_script(THEME_SETS)
        page.goto(url + 'linear.html', wait_until='load'); page.wait_for_timeout(300)
        assert page.evaluate('themeSets') == [scheme], f'the colour mode was set {page.evaluate("themeSets")}'
        page.locator('.theme-switch-button:visible').first.click()
        other = 'dark' if scheme == 'light' else 'light'
        assert page.evaluate('document.documentElement.dataset.theme') == other
    finally: page.close()

def test_section_links(axe_browser):
    "A link to a section of a long page brings its heading to the top of the screen (nothing laid out late moves it)"
    browser, url = axe_browser
    page = browser.new_page(viewport=dict(width=400, height=900))
    try:
        for sid in ('training', 'putting-it-together'):
            page.goto(f'{url}linear.html#{sid}', wait_until='load'); page.wait_for_timeout(500)
            top = page.evaluate(f'document.getElementById("{sid}").getBoundingClientRect().top')
            assert 0 <= top <= 150, f'linear.html#{sid}: the heading is {top:.0f} px from the top of the screen'
    finally: page.close()

# --- Lighthouse --------------------------------------------------------------------------------------------

# page -> the least each score may be (median of three runs): what `make bench` measured on a quiet 2-core AMD EPYC
# (bench/results.md, "The site": performance medians 100, 98, 98 and 93, single runs 99-100, 97-99, 92-99 and
# 92-95; accessibility and best practices 100), less a margin for a busier machine. The draw page, which builds its
# ladder and feature maps as it loads, measured 82 (82, 86, 82) in one run of `make test` under CI: its floor is the
# issue's own target, 80
TARGETS = {'index.html': dict(performance=90, accessibility=100, best_practices=95),
           'sgd_quadratic.html': dict(performance=85, accessibility=100, best_practices=95),
           'linear.html': dict(performance=85, accessibility=100, best_practices=95),
           'draw.html': dict(performance=80, accessibility=100, best_practices=95)}
RUNS = 3

METRICS = {'first-contentful-paint': 'fcp_s', 'largest-contentful-paint': 'lcp_s', 'total-blocking-time': 'tbt_ms',
           'total-byte-weight': 'bytes'}

def lighthouse(url:str)->dict:
    """One Lighthouse run (mobile, simulated slow 4G and CPU): the three scores, 0 to 100, and the page's first and
    largest paint (s), its blocking time (ms) and its bytes"""
    if not LIGHTHOUSE.exists(): pytest.fail(f'{LIGHTHOUSE} is missing: run `npm ci --prefix docs`')
    flags = ' '.join(['--headless=new', *CHROMIUM_ARGS[1:]])
    r = subprocess.run(['node', str(LIGHTHOUSE), url, '--quiet', '--output=json', '--output-path=stdout',
                        '--only-categories=performance,accessibility,best-practices', f'--chrome-flags={flags}'],
                       capture_output=True, text=True, env={**os.environ, 'CHROME_PATH': chromium_path()}, timeout=300)
    assert r.returncode == 0, f'lighthouse failed on {url}: {r.stderr[-2000:]}'
    out = json.loads(r.stdout)
    scores = {k.replace('-', '_'): round(100*v['score']) for k, v in out['categories'].items()}
    nums = {name: out['audits'][k]['numericValue'] for k, name in METRICS.items()}
    return {**scores, **{k: round(v/1000, 2) if k.endswith('_s') else round(v) for k, v in nums.items()}}

def median_scores(url:str, runs:int=RUNS)->dict:
    "Each number's median over `runs` runs, and each run's performance score (`performance_runs`)"
    res = [lighthouse(url) for _ in range(runs)]
    return {**{k: statistics.median(r[k] for r in res) for k in res[0]}, 'performance_runs': [r['performance'] for r in res]}

@pytest.fixture(scope='module')
def gzip_site():
    with serve_site('index.html', gzip=True) as url: yield url

@pytest.mark.parametrize('path', TARGETS)
def test_lighthouse(gzip_site, path):
    "Lighthouse's mobile scores, medians of three runs, meet the targets"
    got = median_scores(gzip_site + path)
    low = {k: (got[k], least) for k, least in TARGETS[path].items() if got[k] < least}
    assert not low, f'{path}: scores under their targets (median, least): {low}; all: {got}'
