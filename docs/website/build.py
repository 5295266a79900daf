"""`python -m website build`: the site in _docs/, step by step (everything it writes, but _docs/, is under _proc/):

1. nbdev's `proc_nbs` processes nbs/ into _proc/: directives applied, `#| hide` cells dropped, `#| export` markers
   removed, a `show_doc` card added (and executed) after each exported definition, names in backticks linked.
2. `pages`: each notebook of the three parts (`parts.PARTS`) and the home page becomes a page for Jupyter Book in
   _proc/book/, named as nbdev names its pages (`00_tensors.ipynb` -> `tensors.html`); under its title, where the page
   is in fastbook's chapter 4 and a link to run it on Colab; placeholders filled (the home page's accuracy ladder, the
   developers' page's bench results, the two explorers).
3. `api_pages`: the API reference, an index and one page per module.
4. `assets`: the table of contents of the three parts, the settings, `_static/`, the softmax explorer's start, the
   "Draw a digit" page with its models and runtime.
5. `jupyter-book build`, then `finish`: the HTML into _docs/, code's spans that style nothing unwrapped, each line of
   the pieces' code its own element, wide figures made links to themselves.
6. `light.lighten`: formulas rendered by KaTeX, icons inline, scripts deferred, images sized and lazy, the theme's
   controls made usable by everyone (`access`), one stylesheet per page cut to the rules the site uses (`styles`): no
   page asks another server for anything, and none ships a maths engine or an icon script."""
import json, re, shutil, subprocess, sys, time
from pathlib import Path
import yaml
from .api import api_index, api_page, modidx
from .assets import EXPLORERS, add_draw_page, softmax_start, train_data
from .bench import BENCH, bench_md, ladder_html
from .code import block_colour, exported_lines, plain_classes, plain_tokens
from .light import lighten
from .links import book_note, colab_url, link_fixer, site_url
from .pages import frontmatter, to_page
from .parts import (CHAPTER, DOCS, PARTS, ROOT, api_modules, module_nbs, numbered_nbs, page_name, part_nbs)

PROC, OUT = ROOT/'_proc', ROOT/'_docs'
BOOK = PROC/'book'

def config():
    from nbdev.config import get_config
    return get_config(ROOT)

def plain(md:str)->str: return re.sub(r'[`*]', '', md).strip()

def pages(cfg, nbs:Path)->dict:
    "Step 2: every notebook page into the book; returns page name -> title"
    left_out = [p.name for p in numbered_nbs(nbs) if p not in part_nbs(nbs)]
    if left_out: sys.exit(f'notebooks in no part of the site: {left_out}: add them to PARTS in docs/website/parts.py')
    srcs = [nbs/'index.ipynb', *part_nbs(nbs)]
    names = {p.name: page_name(p) for p in srcs}
    fill = {'<!-- mnist37:ladder -->': ladder_html(names), '<!-- mnist37:bench -->': bench_md(local=True), **EXPLORERS}
    fix, idx, titles = link_fixer(site_url(cfg), names, local=True, docs={'draw': 'draw.md'}), modidx(cfg), {}
    for p in srcs:
        nb = json.loads((PROC/p.name).read_text())
        colab = colab_url(cfg, p) if p.stem[:1].isdigit() else None
        (BOOK/f'{names[p.name]}.ipynb').write_text(json.dumps(to_page(nb, fix, idx, note=book_note(p, colab), fill=fill), indent=1))
        titles[names[p.name]] = plain(frontmatter(nb).get('title') or names[p.name])
    if BENCH.parent.is_dir():   # the figures bench/results.md shows, beside the developers' page
        (BOOK/'bench').mkdir()
        for f in BENCH.parent.glob('*.png'): shutil.copy(f, BOOK/'bench'/f.name)
    return titles

def api_pages(cfg, nbs:Path, titles:dict)->list:
    "Step 3: the API index and one page per module; returns the modules"
    names = {p.name: page_name(p) for p in [nbs/'index.ipynb', *part_nbs(nbs)]}
    fix, mods, mod_nbs = link_fixer(site_url(cfg), names, local=True, depth=1, docs={'draw': 'draw.md'}), api_modules(cfg.lib_path, nbs), module_nbs(nbs)
    (BOOK/'api').mkdir()
    (BOOK/'api'/'index.md').write_text(api_index(cfg, mods))
    for mod in mods: (BOOK/'api'/f'{mod}.md').write_text(fix(api_page(cfg, mod, mod_nbs.get(mod, []), titles)))
    return mods

def toc(titles:dict, mods:list)->dict:
    "The sidebar: the home page, then the three parts of `PARTS`; the book's chapter numbered as the notebooks are"
    def entry(s):
        if s == 'draw': return dict(file='draw')
        if s == 'api': return dict(file='api/index', sections=[dict(file=f'api/{m}') for m in mods])
        page = page_name(Path(f'{s}.ipynb'))
        return dict(file=page, title=f'{int(s[:2])}. {titles[page]}' if s in CHAPTER else titles[page])
    return dict(format='jb-book', root='index',
                parts=[dict(caption=caption, chapters=[entry(s) for s in names]) for caption, names in PARTS.items()])

def assets(cfg, titles:dict, mods:list, names:dict):
    "Step 4: the table of contents, Jupyter Book's settings, `_static/`, and what the explorers and the draw page load"
    (BOOK/'_toc.yml').write_text(yaml.safe_dump(toc(titles, mods), sort_keys=False, allow_unicode=True))
    jb = yaml.safe_load((DOCS/'_config.yml').read_text())
    jb['title'], jb['repository']['url'] = cfg.title, cfg.git_url
    (BOOK/'_config.yml').write_text(yaml.safe_dump(jb, sort_keys=False))
    shutil.copytree(DOCS/'_static', BOOK/'_static')
    softmax_start(BOOK/'_static'/'explore'/'softmax.json')
    train_data(BOOK/'_static'/'explore'/'train37.json')
    add_draw_page(BOOK, names)

_re_wide = re.compile(r'(<div class="cell tag_wide-figure.*?<img [^>]*?src=")([^"]+)("[^>]*>)', re.S)

def finish():
    "Steps 5 and 6, after Jupyter Book: the HTML into _docs/, code tokens, code lines, wide figures; then light pages"
    if OUT.exists(): shutil.rmtree(OUT)
    shutil.copytree(BOOK/'_build'/'html', OUT)
    pygments = OUT/'_static'/'pygments.css'
    styleless = plain_classes(pygments.read_text())
    pygments.write_text(pygments.read_text() + block_colour(pygments.read_text()))
    for f in (f for f in OUT.rglob('*.html') if '_static' not in f.parts):
        page = plain_tokens(f.read_text(), styleless)
        if 'tag_exported-source' in page: page = exported_lines(page)
        page = _re_wide.sub(lambda m: f'{m.group(1)}{m.group(2)}{m.group(3)}'.replace('<img ', f'<a class="mnist37-full" '
                            f'href="{m.group(2)}" title="The figure at full size"><img ', 1) + '</a>', page)
        f.write_text(page)
    lighten(OUT)
    (OUT/'.nojekyll').touch()

def build():
    from nbdev.serve import proc_nbs
    t0, cfg = time.time(), config()
    nbs = Path(cfg.nbs_path)
    proc_nbs(force=True)
    t1 = time.time()
    if BOOK.exists(): shutil.rmtree(BOOK)
    BOOK.mkdir(parents=True)
    titles = pages(cfg, nbs)
    mods = api_pages(cfg, nbs, titles)
    assets(cfg, titles, mods, {p.name: page_name(p) for p in [nbs/'index.ipynb', *part_nbs(nbs)]})
    t2 = time.time()
    r = subprocess.run([str(Path(sys.executable).with_name('jupyter-book')), 'build', str(BOOK), '--builder', 'html',
                        '--keep-going'], capture_output=True, text=True)
    warnings = [l for l in (r.stdout+r.stderr).splitlines() if 'WARNING' in l or 'ERROR' in l]
    print('\n'.join(warnings))
    if r.returncode: sys.exit(f'jupyter-book build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    finish()
    print(f'_docs/: {len(titles)} notebook pages, Draw a digit, {len(mods)+1} API pages; {len(warnings)} warnings; '
          f'nbdev processing {t1-t0:.0f}s, pages {t2-t1:.0f}s, jupyter-book {time.time()-t2:.0f}s')
