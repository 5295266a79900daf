"""Step 6, last: one small stylesheet per page. Jupyter Book links ten stylesheets from every page, and the theme's own
is 388 kB, most of it rules for components this site never shows; each must arrive before the page paints, and the
browser matches every rule against every element. PurgeCSS (npm) keeps the rules whose selectors name a class, id or
tag that occurs in a page or a script of the site; what the scripts add as the reader clicks (menus, the search
overlay, dark mode) is kept by the safelist. The rest are joined, in the page's order, into one file per set of links."""
import hashlib, json, os, re, subprocess, sys
from pathlib import Path
from .light import installed, NODE

# classes and attributes only the theme's scripts set, from strings PurgeCSS cannot see whole (`bs-${placement}`)
SAFELIST = dict(standard=['^show$', '^showing$', '^collaps', '^active$', '^fade', '^bs-tooltip', '^tooltip', '^scrolled$',
                          '^dropdown-menu-', '^pst-'],
                greedy=['data-theme', 'data-mode', 'data-bs-', 'data-popper', 'prefers-color-scheme'])

# scripts whose words would keep every rule of Bootstrap (what it adds is in `SAFELIST`), and ONNX Runtime's
SKIP = {'bootstrap.js', 'ort'}

_re_link = re.compile(r'<link (?=[^>]*rel="stylesheet")[^>]*href="([^"?#]+)[^"]*"[^>]*>\s*')
_re_import = re.compile(r'@import\s+(?:url\()?"([^"]+)"\)?\s*;')
_re_url = re.compile(r'url\((["\']?)(?!data:|https?:|/|#)([^)"\']+)\1\)')

def sheets(css:Path)->list:
    "`css`, or the files it `@import`s when that is all it does (the theme's `theme.css` only imports `basic.css`)"
    text = css.read_text()
    imports = _re_import.findall(text)
    if imports and not _re_import.sub('', re.sub(r'/\*.*?\*/', '', text, flags=re.S)).strip():
        return [p for i in imports for p in sheets((css.parent/i).resolve())]
    return [css.resolve()]

def page_sheets(f:Path, page:str)->list:
    "The local stylesheets `page` (the file `f`) links, in order"
    return [p for href in _re_link.findall(page) if not href.startswith(('http:', 'https:', '//'))
            for p in sheets((f.parent/href).resolve()) if p.is_file()]

def purged(files:list, content:list)->dict:
    "Each stylesheet in `files` cut down by PurgeCSS to the rules `content` (`{raw, extension}`: pages, scripts) can use"
    installed(NODE/'purgecss')
    job = dict(css=[str(f) for f in files], content=content, safelist=SAFELIST)
    r = subprocess.run(['node', str(Path(__file__).with_name('purge.cjs'))], input=json.dumps(job),
                       capture_output=True, text=True)
    if r.returncode: sys.exit(f'PurgeCSS could not read the stylesheets: {r.stderr.strip()[-2000:]}')
    return dict(zip(files, json.loads(r.stdout)))

def rebased(css:str, src:Path, static:Path)->str:
    "`css`'s relative `url(...)`s, written for a file in `static` instead of beside `src`"
    def one(m): return f'url({m[1]}{Path(os.path.relpath(src.parent/m[2], static)).as_posix()}{m[1]})'
    return _re_url.sub(one, css)

def one_stylesheet(out:Path, pages:dict)->dict:
    "Each page of `pages` (path -> HTML) linking one stylesheet, its purged sheets joined, in `out/_static/`"
    static = out/'_static'
    links = {f: page_sheets(f, page) for f, page in pages.items()}
    scripts = [p for p in static.rglob('*') if p.suffix in ('.js', '.mjs') and not SKIP & {*p.parts, p.name}]
    content = [*(dict(raw=page, extension='html') for page in pages.values()),
               *(dict(raw=p.read_text(), extension='js') for p in scripts)]
    cut = purged(sorted({s for l in links.values() for s in l}), content)
    for f, l in links.items():
        if not l: continue
        css = '\n'.join(rebased(cut[s], s, static) for s in l)
        name = f'site-{hashlib.sha1(css.encode()).hexdigest()[:10]}.css'
        (static/name).write_text(css)
        link = f'<link rel="stylesheet" href="{os.path.relpath(static/name, f.parent)}" />\n'
        page = _re_link.sub('\0', pages[f])
        pages[f] = page.replace('\0', link, 1).replace('\0', '')
    return pages
