"""The mnist37 website and README.md, made from the notebooks with no network and no re-execution.

    python docs/docsite.py build            # the site in _docs/ (Jupyter Book 1.x over nbdev-processed notebooks)
    python docs/docsite.py readme           # README.md from nbs/index.ipynb
    python docs/docsite.py readme --check   # exit 1, saying to run `make readme`, when README.md is stale

`build`, step by step (everything it writes, except _docs/, is under _proc/):
1. nbdev's `proc_nbs` processes nbs/ into _proc/: directives applied, `#| hide` cells dropped, `#| export` markers
   removed, a `show_doc` cell added (and executed) after each exported definition, names in backticks linked to their docs.
2. Each processed notebook becomes a page for Jupyter Book (MyST-NB) in _proc/book/: the title nbdev moved into
   frontmatter goes back to a `# Title` cell, Quarto cell options become MyST-NB tags, and files are named the way nbdev
   names its pages (`00_tensors.ipynb` -> `tensors.html`), so the doc links in `_modidx.py` hold on this site too.
3. One API reference page per module of the package, every name in its `__all__` rendered by nbdev's `show_doc`.
4. _toc.yml: the home page (index.ipynb), the numbered notebooks in order, then the API pages: nothing to edit by hand.
5. `jupyter-book build`, then the HTML is copied to _docs/.
"""
import ast, html, importlib, inspect, json, re, shutil, subprocess, sys, time
from copy import deepcopy
from pathlib import Path
import yaml
sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_pages import chapter_nbs, page_name, chapter_number, module_nbs, api_modules

ROOT = Path(__file__).resolve().parent.parent
DOCS, PROC, OUT = ROOT/'docs', ROOT/'_proc', ROOT/'_docs'
BOOK = PROC/'book'
README = ROOT/'README.md'

def config():
    from nbdev.config import get_config
    return get_config(ROOT)

def site_url(cfg):
    "Where nbdev's doc links point: the published site"
    return '/'.join(o for o in [cfg.doc_host.rstrip('/'), cfg.doc_baseurl.strip('/')] if o) + '/'

# --- from an nbdev-processed notebook to a page Jupyter Book reads ----------------------------------------

_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_opt_tags = {('echo','false'):'remove-input', ('output','false'):'remove-output', ('include','false'):'remove-cell',
             ('code-fold','true'):'hide-input'}

def cell_options(src:str):
    "Split the leading `#| key: value` lines (Quarto options nbdev leaves in place) off a code cell's source"
    lines, opts = src.splitlines(), {}
    while lines and _re_dir.match(lines[0]):
        k,v = _re_dir.match(lines.pop(0)).groups()
        opts[k] = v.strip('"\'').lower()
    return opts, '\n'.join(lines)

def frontmatter(nb:dict)->dict:
    "The YAML frontmatter nbdev put in a raw first cell (title, description, output-file), or {}"
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type']=='raw' and src.strip().startswith('---'):
            return yaml.safe_load(src.strip().strip('-')) or {}
    return {}

def title_md(fm:dict)->str:
    "A `# Title` cell, as the notebook's author wrote it, back from frontmatter"
    return f"# {fm['title']}" + (f"\n\n> {fm['description']}" if fm.get('description') else '')

def link_fixer(url_base:str, pages:dict, local:bool, depth:int=0):
    """Rewrite markdown links to our own pages: nbdev's links to the published site (`{url_base}tensors.html#get_data`)
    and links between notebooks (`00_tensors.ipynb`). `local`: links that work inside this build, from a page `depth`
    folders down (the site); otherwise absolute links to the published site (README.md on GitHub or PyPI).
    Locally, a link to a whole notebook page becomes a document link Sphinx checks; one to an anchor inside a page is
    written as HTML (MyST only resolves anchors of headings it knows, and `show_doc` headings live in cell outputs)."""
    up, nb_pages = '../'*depth, set(pages.values())
    def target(url):
        m = re.fullmatch(r'(?:\./)?([\w-]+\.ipynb)(#\S*)?', url)
        if m and m.group(1) in pages: return pages[m.group(1)], m.group(2) or ''
        m = re.fullmatch(re.escape(url_base) + r'([\w/-]+)\.html(#\S*)?', url)
        if m: return m.group(1), m.group(2) or ''
    def fix(m, doc_links=True):
        txt, url = m.groups()
        if (t := target(url)) is None: return m.group(0)
        page, anchor = t
        if not local: return f'[{txt}]({url_base}{page}.html{anchor})'
        if doc_links and not anchor and page in nb_pages: return f'[{txt}]({up}{page}.ipynb)'
        txt = re.sub(r'`([^`]+)`', r'<code class="docutils literal notranslate"><span class="pre">\1</span></code>', html.escape(txt))
        return f'<a class="reference internal" href="{up}{page}.html{anchor}">{txt}</a>'
    # In a cell's output (a docstring shown by `show_doc`) MyST leaves `page.ipynb` as it is: write those as HTML too.
    return lambda md, output=False: re.sub(r'\[([^\]\n]+)\]\(([^)\s]+)\)', lambda m: fix(m, not output), md)

_re_attrs = re.compile(r'(\]\([^)\s]+\))\{[^}\n]*\}')            # [source](url){target="_blank" ...}: Quarto-only syntax
_re_fnrepr = re.compile(r'<function (\w+) at 0x[0-9a-f]+>')       # `store_true` annotations show as <function ...>
_re_srclink = re.compile(r'^\[source\]\((\S+)\)\s*$', re.M)
_re_sdhead = re.compile(r'^#{2,4} (\S+)\s*$', re.M)

def clean_show_doc(md:str, xtra:str='')->str:
    """`show_doc`'s markdown, made to read well without Quarto: no `{...}` link attributes, no memory addresses, no
    leading rule (a transition inside a cell output breaks docutils; CSS frames the block instead), the source link
    (and `xtra` HTML) floated right, and an anchor named like nbdev's (`#sample_tensors`) above the name."""
    md = _re_fnrepr.sub(r'\1', _re_attrs.sub(r'\1', md))
    md = re.sub(r'^---\s*\n', '', md.lstrip())
    m = _re_sdhead.search(md)
    links = ''.join(f'<a class="sd-source" href="{u}">source</a>' for u in _re_srclink.findall(md)) + xtra
    md = _re_srclink.sub('', md).lstrip()
    return (f'<span id="{m.group(1).lower()}"></span>' if m else '') + links + '\n\n' + md

def to_page(nb:dict, fix_links, site:bool=True)->dict:
    "A processed notebook, as Jupyter Book (or nbconvert, for the README) should read it"
    nb = deepcopy(nb)
    fm, cells = frontmatter(nb), []
    if fm.get('title'): cells.append(dict(cell_type='markdown', id='title', metadata={}, source=title_md(fm)))
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type']=='raw' and src.strip().startswith('---'): continue
        if c['cell_type']=='markdown':
            if site and src.startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
            c['source'] = fix_links(src)
        elif c['cell_type']=='code':
            opts, c['source'] = cell_options(src)
            tags = [t for k,v in opts.items() if (t := _opt_tags.get((k,v)))]
            md = c['metadata']
            for k in ('execution', 'language'): md.pop(k, None)
            if tags: md['tags'] = sorted(set(md.get('tags', []) + tags))
            for o in c.get('outputs', []):
                d = o.get('data', {})
                if 'text/markdown' in d:
                    m = ''.join(d['text/markdown'])
                    if 'show_doc(' in src:
                        m = clean_show_doc(m); d.pop('text/plain', None)
                        md['tags'] = sorted(set(md.get('tags', []) + ['show-doc']))
                    d['text/markdown'] = fix_links(m, output=True)
        cells.append(c)
    nb['cells'] = cells
    nb['metadata'].pop('widgets', None)   # nbdev records an empty ipywidgets state: it would pull require.js from a CDN
    return nb

# --- API reference pages ----------------------------------------------------------------------------------

def _modidx(cfg)->dict:
    "The package's `_modidx.d`: doc page and anchor of each exported name"
    return importlib.import_module(f'{cfg.lib_path.name}._modidx').d

def _assign_src(path:Path, nm:str):
    "Source of the top-level assignment to `nm` in the module at `path`"
    src = path.read_text()
    for t in ast.parse(src).body:
        if isinstance(t, (ast.Assign, ast.AnnAssign)):
            tgts = t.targets if isinstance(t, ast.Assign) else [t.target]
            if any(isinstance(o, ast.Name) and o.id==nm for o in tgts): return ast.get_source_segment(src, t)

def api_page(cfg, mod:str, nbs:list, titles:dict)->str:
    "Markdown for the API page of module `mod`: its docstring, then `show_doc` of every name in `__all__`"
    from nbdev.showdoc import show_doc
    lib = cfg.lib_path.name
    m = importlib.import_module(f'{lib}.{mod}')
    doc = (m.__doc__ or '').split('\n\n')[0].strip()
    res = [f'# {lib}.{mod}', '']
    if doc: res += [doc, '']
    if nbs: res += ['Written, explained and tested in ' + ' and '.join(
        f'[{titles[page_name(nb)]}]({site_url(cfg)}{page_name(nb)}.html)' for nb in nbs) + '.', '']
    docs = dict(_modidx(cfg)['syms'].get(f'{lib}.{mod}', {}))
    for nm in getattr(m, '__all__', []):
        o = getattr(m, nm)
        doc_link = docs.get(f'{lib}.{mod}.{nm}', (f'{page_name(nbs[0])}.html' if nbs else None,))[0]
        xtra = f'<a class="sd-source" href="../{doc_link}">in the chapter</a>' if doc_link else ''
        if inspect.isclass(o) or inspect.isroutine(o) or callable(o) and hasattr(o, '__wrapped__'):
            res.append(clean_show_doc(show_doc(o, title_level=2)._repr_markdown_(), xtra))
        else:
            src = _assign_src(Path(m.__file__), nm) or f'{nm} = {o!r}'
            res.append(f'<span id="{nm.lower()}"></span>{xtra}\n\n## {nm}\n\n```python\n{src}\n```')
        res.append('')
    return '\n'.join(res)

# --- the build ----------------------------------------------------------------------------------------------

def toc(index:str, chapters:list, api:list)->dict:
    "The sidebar: home page, chapters in order (titled with their number), API pages"
    parts = [dict(caption='The chapter', chapters=[dict(file=f, title=t) for f,t in chapters])]
    if api: parts.append(dict(caption='API reference', chapters=[dict(file=f) for f in api]))
    return dict(format='jb-book', root=index, parts=parts)

def plain(md:str)->str: return re.sub(r'[`*]', '', md).strip()

def build():
    from nbdev.serve import proc_nbs
    t0, cfg = time.time(), config()
    nbs = Path(cfg.nbs_path)
    proc_nbs(force=True)
    t1 = time.time()
    if BOOK.exists(): shutil.rmtree(BOOK)
    (BOOK/'api').mkdir(parents=True)
    url = site_url(cfg)
    chapters = chapter_nbs(nbs)
    pages = {p.name: page_name(p) for p in [nbs/'index.ipynb', *chapters]}
    titles = {}
    for name, page in pages.items():
        nb = json.loads((PROC/name).read_text())
        out = to_page(nb, link_fixer(url, pages, local=True))
        (BOOK/f'{page}.ipynb').write_text(json.dumps(out, indent=1))
        titles[page] = plain(frontmatter(nb).get('title') or page)
    mod_nbs = module_nbs(nbs)
    api = []
    for mod in api_modules(cfg.lib_path, nbs):
        (BOOK/'api'/f'{mod}.md').write_text(link_fixer(url, pages, local=True, depth=1)(api_page(cfg, mod, mod_nbs.get(mod, []), titles)))
        api.append(f'api/{mod}')
    chs = [(page_name(p), f'{chapter_number(p)}. {titles[page_name(p)]}') for p in chapters]
    (BOOK/'_toc.yml').write_text(yaml.safe_dump(toc('index', chs, api), sort_keys=False, allow_unicode=True))
    jb = yaml.safe_load((DOCS/'_config.yml').read_text())
    jb['title'] = cfg.title
    jb['repository']['url'] = cfg.git_url
    (BOOK/'_config.yml').write_text(yaml.safe_dump(jb, sort_keys=False))
    shutil.copytree(DOCS/'_static', BOOK/'_static')
    draw_page()   # issue 15: the "Draw a digit" page
    t2 = time.time()
    r = subprocess.run([str(Path(sys.executable).with_name('jupyter-book')), 'build', str(BOOK), '--builder', 'html',
                        '--keep-going'], capture_output=True, text=True)
    warnings = [l for l in (r.stdout+r.stderr).splitlines() if 'WARNING' in l or 'ERROR' in l]
    print('\n'.join(warnings))
    if r.returncode: sys.exit(f'jupyter-book build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    if OUT.exists(): shutil.rmtree(OUT)
    shutil.copytree(BOOK/'_build'/'html', OUT)
    (OUT/'.nojekyll').touch()
    print(f'_docs/: {len(pages)+len(api)} pages ({len(pages)} notebooks, {len(api)} API), {len(warnings)} warnings; '
          f'nbdev processing {t1-t0:.0f}s, pages {t2-t1:.0f}s, jupyter-book {time.time()-t2:.0f}s')

# --- the "Draw a digit" page (issue 15) ---------------------------------------------------------------------

def draw_page():
    "The page where the reader draws a digit, its ONNX model and ONNX Runtime Web, into the book: see docs/draw_page.py"
    from draw_page import add_to_book   # docs/ is on sys.path: this script's folder
    add_to_book(BOOK)

# --- README.md --------------------------------------------------------------------------------------------

def readme_text()->str:
    "README.md: nbs/index.ipynb through nbdev's processing, links made absolute, as markdown (nbconvert)"
    from fastcore.nbio import read_nb
    from nbdev.processors import FilterDefaults
    import nbformat
    from nbconvert import MarkdownExporter
    cfg = config()
    nbs = Path(cfg.nbs_path)
    pages = {p.name: page_name(p) for p in [nbs/'index.ipynb', *chapter_nbs(nbs)]}
    nb = read_nb(nbs/cfg.readme_nb)
    FilterDefaults()(nb)
    nb = json.loads(json.dumps(nb, default=lambda o: None))
    for c in nb['cells']:
        if isinstance(c['source'], list): c['source'] = ''.join(c['source'])
    page = to_page(nb, link_fixer(site_url(cfg), pages, local=False), site=False)
    for c in page['cells']: c.setdefault('metadata', {}); c.pop('idx_', None); c.pop('directives_', None)
    md, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(
        nbformat.from_dict(page))
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(l.rstrip() for l in md.splitlines())).strip() + '\n'

def readme(check=False):
    txt = readme_text()
    if check:
        if README.read_text() != txt: sys.exit('README.md is stale (it is made from nbs/index.ipynb): run `make readme` and commit it')
        return
    README.write_text(txt)

if __name__ == '__main__':
    cmd, *args = sys.argv[1:] or ['build']
    if cmd=='build': build()
    elif cmd=='readme': readme(check='--check' in args)
    else: sys.exit(__doc__)
