"""Step 6, on the HTML in _docs/: light pages (issue 29). Every formula rendered once, at build time, by KaTeX (HTML for
the eye, MathML for screen readers), so no page ships a maths engine; Font Awesome's few icons inline as SVG, so no page
runs a 1.5 MB icon script; the theme's scripts deferred, and the search index only on the search page; images given
their size (nothing moves as they arrive) and, below the first, loaded only when they scroll into view; then one
stylesheet per page (`styles`)."""
import base64, functools, html, json, re, shutil, subprocess, sys
from pathlib import Path
from PIL import Image
from .access import accessible
from .parts import DOCS

NODE = DOCS/'node_modules'
KATEX, ICONS = NODE/'katex'/'dist', NODE/'@fortawesome'/'fontawesome-free'/'svgs'

def installed(p:Path)->Path:
    "`p`, which `npm ci --prefix docs` installs; the build stops with what to do if it is missing"
    if not p.exists(): sys.exit(f'{p} is missing: run `npm ci --prefix docs`')
    return p

# --- maths -----------------------------------------------------------------------------------------------------------

_re_math = re.compile(r'<(span|div) class="math notranslate nohighlight">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.S)

def render_maths(formulas:list)->list:
    "Each `(tex, display)` as KaTeX's HTML, in one run of Node (docs/website/katex.cjs); a bad formula stops the build"
    r = subprocess.run(['node', str(Path(__file__).with_name('katex.cjs'))], input=json.dumps(formulas),
                       capture_output=True, text=True)
    if r.returncode: sys.exit(f'KaTeX could not render a formula: {r.stderr.strip()[-2000:]}')
    return json.loads(r.stdout)

def maths(pages:dict)->set:
    "Render every formula of `pages` (path -> HTML) in place; returns the pages that have any"
    found = sorted({(html.unescape(m[3]), m[2] == '[') for page in pages.values() for m in _re_math.finditer(page)})
    done = dict(zip(found, render_maths(found))) if found else {}
    wrong = [tex for (tex, _), out in done.items() if f'"application/x-tex">{html.escape(tex)}</annotation>' not in out]
    if wrong: sys.exit(f'KaTeX returned formulas other than those asked for: {wrong[:3]}')
    def swap(m): return f'<{m[1]} class="math">{done[html.unescape(m[3]), m[2] == "["]}</{m[1]}>'
    with_maths = {f for f, page in pages.items() if _re_math.search(page)}
    for f in with_maths: pages[f] = _re_math.sub(swap, pages[f])
    return with_maths

def copy_katex(static:Path):
    "KaTeX's stylesheet and its fonts (woff2, which every browser that runs the site reads) into `static/katex/`"
    installed(KATEX/'katex.min.css')
    (static/'katex'/'fonts').mkdir(parents=True, exist_ok=True)
    shutil.copy(KATEX/'katex.min.css', static/'katex')
    for f in (KATEX/'fonts').glob('*.woff2'): shutil.copy(f, static/'katex'/'fonts')

# --- icons -----------------------------------------------------------------------------------------------------------

_re_icon = re.compile(r'<(i|span) class="([^"]*\bfa-[a-z][^"]*)"([^>]*)></\1>')
PACKS = {'fa-solid': 'solid', 'fas': 'solid', 'fa-brands': 'brands', 'fab': 'brands', 'fa-regular': 'regular', 'far': 'regular'}
SIZES = {'fa-lg'}

@functools.cache
def icon_svg(pack:str, name:str)->str:
    "Font Awesome's SVG of one icon, from its npm package (its licence comment kept)"
    return installed(ICONS/pack/f'{name}.svg').read_text().strip()

def inline_icon(m:re.Match)->str:
    "One `<i class=\"fa-solid fa-bars\">` as the icon's own `<svg>`, hidden from screen readers as the font's was"
    classes = m[2].split()
    pack = next((PACKS[c] for c in classes if c in PACKS), 'solid')
    name = next(c[3:] for c in classes if c.startswith('fa-') and c not in PACKS and c not in SIZES)
    keep = ' '.join(c for c in classes if c not in PACKS and (c in SIZES or not c.startswith('fa-')))
    attrs = re.sub(r'\s+title="[^"]*"', '', m[3]).strip()
    return icon_svg(pack, name).replace('<svg ', f'<svg class="mnist37-icon {keep}" {attrs} aria-hidden="true" '
                                        'focusable="false" ', 1)

def admonition_icon(page:str)->str:
    """The theme draws an aside's icon with Font Awesome's font (156 kB for one glyph): drawn from the icon's SVG, as a
    mask in the aside's colour, on the pages that have asides"""
    if 'admonition-title' not in page: return page
    url = 'url("data:image/svg+xml;base64,' + base64.b64encode(icon_svg('solid', 'circle-info').encode()).decode() + '")'
    rule = ('.admonition>.admonition-title::after{font:inherit!important;content:""!important;background-color:currentColor;'
            f'-webkit-mask:{url} center/contain no-repeat;mask:{url} center/contain no-repeat}}')
    return page.replace('</head>', f'<style>{rule}</style>\n</head>', 1)

# --- scripts, stylesheets and images ----------------------------------------------------------------------------------------------

_re_script = re.compile(r'<script ((?:[\w-]+(?:="[^"]*")? )*)src="([^"]+)"></script>\s*')
DROP = ('scripts/fontawesome.js', 'mathjax/')                        # no page runs these any more
SEARCH_ONLY = ('searchtools.js', 'language_data.js', 'searchindex.js')  # search.html's own
KEEP_SYNC = ('documentation_options.js',)                            # read by the inline scripts that follow it

def scripts(page:str, search:bool)->str:
    "Drop the icon and maths scripts, keep the search index for the search page, defer the rest"
    def one(m):
        attrs, src = m[1], m[2]
        if any(d in src for d in DROP) or (not search and any(s in src for s in SEARCH_ONLY)): return ''
        if any(k in src for k in KEEP_SYNC) or 'defer' in attrs or 'type="module"' in attrs: return m[0]
        return m[0].replace('<script ', '<script defer ', 1)
    return _re_script.sub(one, page)

_THEME = 'document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";'
_THEME_NOW = ('document.documentElement.dataset.theme = localStorage.getItem("theme") || '
              '(matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");')

def theme_at_once(page:str)->str:
    """The page's colours known from its first style: the theme's head script leaves a first visit's colour mode
    "auto", and its own script, once run, sets it to light or dark, which styles the whole page again (a quarter of a
    second on a phone) and starts every control's colour transition. Resolved in the head, as that script would."""
    return page.replace(_THEME, _THEME_NOW, 1)

_SET = 'document.documentElement.dataset.theme=n,'
_SET_IF_NEW = 'document.documentElement.dataset.theme!==n&&(document.documentElement.dataset.theme=n),'

def theme_set_once(static:Path):
    """The theme's script sets the colour mode as it starts even where the page has it (`theme_at_once`), and
    Chromium styles the whole page again for it: set only when it changes (pydata-sphinx-theme 0.17's script; the
    build stops if the script no longer reads so)"""
    f = static/'scripts'/'pydata-sphinx-theme.js'
    js = f.read_text()
    if js.count(_SET) != 1: sys.exit(f'{f}: the theme no longer sets its colour mode as {_SET!r}: see light.theme_set_once')
    f.write_text(js.replace(_SET, _SET_IF_NEW))

# a stylesheet or script -> what a page must hold to need it (Jupyter Book puts every one of them on every page)
USED_BY = {'draw/draw.css': 'class="mnist37-draw', 'explore/explore.css': 'class="mnist37-explorer',
           'sphinx-design.min.css': re.compile(r'class="[^"]*\bsd-'), 'design-tabs.js': 'class="sd-tab'}

def only_used(page:str)->str:
    "Drop the links to stylesheets and scripts of `USED_BY` that the page does not use"
    for f, sign in USED_BY.items():
        if (sign.search(page) if isinstance(sign, re.Pattern) else sign in page): continue
        page = re.sub(r'<(link|script) [^>]*(?:href|src)="[^"]*' + re.escape(f) + r'[^"]*"[^>]*>(?:</script>)?\s*', '', page)
    return page

_re_img = re.compile(r'<img ([^>]*?)src="([^"]+)"([^>]*?)\s*/?>')

def sized_images(page:str, folder:Path)->str:
    "Each `<img>` of a file with its `width` and `height`; every one but the first loaded lazily"
    n = 0
    def one(m):
        nonlocal n
        attrs, f = m[1] + m[3], folder/html.unescape(m[2])
        if 'width=' in attrs or not f.is_file() or f.suffix.lower() not in ('.png', '.jpg', '.jpeg', '.webp', '.gif'):
            return m[0]
        with Image.open(f) as im: w, h = im.size
        n += 1
        lazy = ' loading="lazy"' if n > 1 else ''
        return f'<img {m[1]}src="{m[2]}"{m[3]} width="{w}" height="{h}"{lazy} decoding="async" />'
    return _re_img.sub(one, page)

# --- all of it -------------------------------------------------------------------------------------------------------

def css_link(f:Path, out:Path)->str:
    root = '../'*(len(f.relative_to(out).parts) - 1)
    return f'<link rel="stylesheet" href="{root}_static/katex/katex.min.css" />'

def lighten(out:Path):
    "Every page of the site in `out` made light, and usable by everyone (`access`)"
    from .styles import one_stylesheet
    pages = {f: f.read_text() for f in out.rglob('*.html') if '_static' not in f.parts}
    for f in maths(pages): pages[f] = pages[f].replace('</head>', f'{css_link(f, out)}\n</head>', 1)
    for f, page in pages.items():
        page = admonition_icon(_re_icon.sub(inline_icon, page))
        pages[f] = accessible(sized_images(only_used(scripts(theme_at_once(page), search=f.name == 'search.html')), f.parent))
    copy_katex(out/'_static')
    theme_set_once(out/'_static')
    for f, page in one_stylesheet(out, pages).items(): f.write_text(page)
    for gone in ('scripts/fontawesome.js', 'scripts/fontawesome.js.map', 'scripts/fontawesome.js.LICENSE.txt'):
        (out/'_static'/gone).unlink(missing_ok=True)
