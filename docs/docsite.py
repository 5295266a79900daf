"""The mnist37 website and README.md, made from the notebooks with no network and no re-execution.

    python docs/docsite.py build            # the site in _docs/ (Jupyter Book 1.x over nbdev-processed notebooks)
    python docs/docsite.py readme           # README.md from nbs/developers.ipynb (under index.ipynb's title)
    python docs/docsite.py readme --check   # exit 1, saying to run `make readme`, when README.md is stale

`build`, step by step (everything it writes, except _docs/, is under _proc/):
1. nbdev's `proc_nbs` processes nbs/ into _proc/: directives applied, `#| hide` cells dropped, `#| export` markers
   removed, a `show_doc` cell added (and executed) after each exported definition, names in backticks linked to their docs.
2. Each processed notebook becomes a page for Jupyter Book (MyST-NB) in _proc/book/: the title nbdev moved into
   frontmatter goes back to a `# Title` cell, Quarto cell options become MyST-NB tags, and files are named the way nbdev
   names its pages (`00_tensors.ipynb` -> `tensors.html`), so the doc links in `_modidx.py` hold on this site too.
   On the way: every chapter gets a line under its title saying where it is in fastbook's chapter 4 (site_pages.py);
   a blockquote that opens with `**Stop and think**` or `**Sidebar: ...**` becomes a boxed admonition; cells that
   draw digits (`show_digits`) are tagged `show-digits` (the browser test checks their colours); figures are shown at
   the size their code asked for, and those too wide to read on a phone are tagged `wide-figure` (CSS keeps them
   readable there, scrolling in their box); `show_doc`
   signatures lose `NoneType` noise and long lines;
   and placeholders are filled: `<!-- mnist37:ladder -->` (the home page's accuracy ladder) and
   `<!-- mnist37:bench -->` (the developers' page), both from bench/results.md, which `make bench` writes; and the two
   explorers (issue 23), `<!-- mnist37:sgd-explorer -->` (chapter 2) and `<!-- mnist37:softmax-explorer -->` (chapter 7),
   whose scripts are in docs/_static/explore/. Every chapter links to its notebook on Colab, and the source of a cell
   marked `#| exports` (nbdev shows it after the name's `show_doc`) is shown unfolded, tagged `exported-source`.
3. One API reference page per module of the package, every name in its `__all__` rendered by nbdev's `show_doc`.
4. _toc.yml: the home page (index.ipynb), the numbered notebooks in order, Draw a digit, the developers' page, then the
   API pages: nothing to edit by hand.
   The softmax explorer starts from the shipped ten-digit model's logits for a real test digit, computed here and
   written to _static/explore/softmax.json (`softmax_start`); the SGD explorer reads docs/_static/explore/sgd.json,
   which chapter 2's notebook writes.
5. `jupyter-book build`, then the HTML is copied to _docs/, with MathJax (from docs/node_modules, pinned in
   docs/package-lock.json) in _docs/_static/mathjax/: formulas render offline, and no page asks a CDN for anything.
"""
import ast, html, importlib, inspect, json, re, shutil, struct, subprocess, sys, time
from base64 import b64decode
from copy import deepcopy
from pathlib import Path
import yaml
sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_pages import (chapter_nbs, page_name, chapter_number, module_nbs, api_modules, DEVELOPERS, BOOK_URL,
                        BOOK_TITLE, book_sections)

ROOT = Path(__file__).resolve().parent.parent
DOCS, PROC, OUT = ROOT/'docs', ROOT/'_proc', ROOT/'_docs'
BOOK = PROC/'book'
README = ROOT/'README.md'
BENCH = ROOT/'bench'/'results.md'
MATHJAX = DOCS/'node_modules'/'mathjax'/'es5'
# MathJax's files a page needs: the TeX-to-HTML component, its fonts, and the TeX extensions it loads on demand
MATHJAX_FILES = ['tex-chtml.js', 'output/chtml/fonts/woff-v2', 'input/tex/extensions']

def config():
    from nbdev.config import get_config
    return get_config(ROOT)

def site_url(cfg):
    "Where nbdev's doc links point: the published site"
    return '/'.join(o for o in [cfg.doc_host.rstrip('/'), cfg.doc_baseurl.strip('/')] if o) + '/'

# --- from an nbdev-processed notebook to a page Jupyter Book reads ----------------------------------------

_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_opt_tags = {('echo','false'):'remove-input', ('output','false'):'remove-output', ('include','false'):'remove-cell',
             ('code-fold','true'):'hide-input', ('code-fold','show'):'exported-source'}
# nbdev marks the cells of `#| exports` `code-fold: show` (Quarto: unfolded, with a button to fold): here their source is
# shown as any code is, tagged `exported-source`, right after the `show_doc` of what they define

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

def link_fixer(url_base:str, pages:dict, local:bool, depth:int=0, docs:dict=None):
    """Rewrite markdown links to our own pages: nbdev's links to the published site (`{url_base}tensors.html#get_data`)
    and links between notebooks (`00_tensors.ipynb`). `local`: links that work inside this build, from a page `depth`
    folders down (the site); otherwise absolute links to the published site (README.md on GitHub or PyPI).
    Locally, a link to a whole notebook page becomes a document link Sphinx checks; one to an anchor inside a page is
    written as HTML (MyST only resolves anchors of headings it knows, and `show_doc` headings live in cell outputs).
    `docs`: the site's other pages, page name -> source file in the book (`{'draw': 'draw.md'}`), which markdown may
    link to as `draw.html`, as a reader would."""
    up, docs = '../'*depth, {**{p: f'{p}.ipynb' for p in pages.values()}, **(docs or {})}
    def target(url):
        m = re.fullmatch(r'(?:\./)?([\w-]+\.ipynb)(#\S*)?', url)
        if m and m.group(1) in pages: return pages[m.group(1)], m.group(2) or ''
        m = re.fullmatch(re.escape(url_base) + r'([\w/-]+)\.html(#\S*)?', url)
        if m: return m.group(1), m.group(2) or ''
        m = re.fullmatch(r'(?:\./)?([\w-]+)\.html(#\S*)?', url)
        if m and m.group(1) in docs: return m.group(1), m.group(2) or ''
    def fix(m, doc_links=True):
        txt, url = m.groups()
        if (t := target(url)) is None: return m.group(0)
        page, anchor = t
        if not local: return f'[{txt}]({url_base}{page}.html{anchor})'
        if doc_links and not anchor and page in docs: return f'[{txt}]({up}{docs[page]})'
        txt = re.sub(r'`([^`]+)`', r'<code class="docutils literal notranslate"><span class="pre">\1</span></code>', html.escape(txt))
        return f'<a class="reference internal" href="{up}{page}.html{anchor}">{txt}</a>'
    # In a cell's output (a docstring shown by `show_doc`) MyST leaves `page.ipynb` as it is: write those as HTML too.
    return lambda md, output=False: re.sub(r'\[([^\]\n]+)\]\(([^)\s]+)\)', lambda m: fix(m, not output), md)

_re_attrs = re.compile(r'(\]\([^)\s]+\))\{[^}\n]*\}')            # [source](url){target="_blank" ...}: Quarto-only syntax
_re_fnrepr = re.compile(r'<function (\w+) at 0x[0-9a-f]+>')       # `store_true` annotations show as <function ...>
_re_srclink = re.compile(r'^\[source\]\((\S+)\)\s*$', re.M)
_re_sdhead = re.compile(r'^#{2,4} (\S+)\s*$', re.M)

_re_nonetype = re.compile(r'(\w+):NoneType=None')                # `bs:NoneType=None`: an unannotated `bs=None`
SIG_WIDTH = 80   # characters a signature line may have inside a `show_doc` card (the browser test measures the fit)

def wrap_signature(code:str, width:int=SIG_WIDTH)->str:
    """A signature from `show_doc`, its long lines wrapped: an argument's comment (docments) continues in an aligned
    comment below it, and a line of many arguments is split between arguments"""
    import textwrap
    lines = code.split('\n')
    if len(lines) > 2 and not any(' # ' in l for l in lines[1:-1]):   # arguments only: wrap them as one paragraph
        args = ' '.join(l.strip() for l in lines[1:-1])
        return '\n'.join([lines[0], *textwrap.wrap(args, width, initial_indent='    ', subsequent_indent='    ',
                                                    break_long_words=False, break_on_hyphens=False), lines[-1]])
    out = []
    for line in lines:
        if len(line) <= width: out.append(line); continue
        code_part, sep, comment = line.partition(' # ')
        if sep and len(code_part) < width - 20:
            lines = textwrap.wrap(comment, width - len(code_part) - 3)
            out += [code_part + ' # ' + lines[0], *[' '*len(code_part) + ' # ' + o for o in lines[1:]]]
        elif not sep and ', ' in line:
            indent = line[:len(line) - len(line.lstrip())]
            out += textwrap.wrap(line.strip(), width, initial_indent=indent, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False)
        else: out.append(line)
    return '\n'.join(out)

def is_class(name:str)->bool:
    "Whether `name`, documented by `show_doc(name)` in a chapter, is a class of the package (found via `_modidx`)"
    cfg = config()
    for mod, syms in _modidx(cfg)['syms'].items():
        if f'{mod}.{name}' in syms:
            try: return inspect.isclass(getattr(importlib.import_module(mod), name, None))
            except ImportError: return False
    return False

def clean_show_doc(md:str, xtra:str='', cls:bool=False)->str:
    """`show_doc`'s markdown, made to read well without Quarto: no `{...}` link attributes, no memory addresses, no
    leading rule (a transition inside a cell output breaks docutils; CSS frames the block instead), the source link
    (and `xtra` HTML) floated right, and an anchor named like nbdev's (`#sample_tensors`) above the name.
    A signature reads as written: `bs=None`, not nbdev's `bs:NoneType=None` (a default of `None` is no annotation),
    and a class (`cls`) is shown as `class Name(...)`, not `def Name(...)`."""
    md = _re_fnrepr.sub(r'\1', _re_attrs.sub(r'\1', md))
    md = _re_nonetype.sub(r'\1=None', md).replace('__main__.', '')   # a class defined in the notebook that ran it
    md = re.sub(r'(```python\n)(.*?)(\n```)', lambda m: m.group(1) + wrap_signature(m.group(2)) + m.group(3), md, flags=re.S)
    if cls: md = re.sub(r'^def (\w+)\(', r'class \1(', md, count=1, flags=re.M)
    md = re.sub(r'^---\s*\n', '', md.lstrip())
    m = _re_sdhead.search(md)
    links = ''.join(f'<a class="sd-source" href="{u}">source</a>' for u in _re_srclink.findall(md)) + xtra
    md = _re_srclink.sub('', md).lstrip()
    return (f'<span id="{m.group(1).lower()}"></span>' if m else '') + links + '\n\n' + md

_re_callout = re.compile(r'^> \*\*(Stop and think|Sidebar: [^*]+?)\*\*[.:]?[ \t]*', re.M)

def callouts(md:str)->str:
    """Blockquotes that open with `**Stop and think**` or `**Sidebar: Title**` as boxed MyST admonitions. In Jupyter
    and on GitHub they stay plain blockquotes; the site boxes them, as the book does its asides."""
    lines, out, i = md.split('\n'), [], 0
    while i < len(lines):
        m = _re_callout.match(lines[i])
        if not m: out.append(lines[i]); i += 1; continue
        j = i
        while j < len(lines) and lines[j].startswith('>'): j += 1
        body = [re.sub(r'^> ?', '', l) for l in lines[i:j]]
        body[0] = lines[i][m.end():]
        title = m.group(1)
        cls = 'stop-and-think' if title == 'Stop and think' else 'book-sidebar'
        if title.startswith('Sidebar: '): title = title[len('Sidebar: '):]
        out += [f'::::{{admonition}} {title}', f':class: {cls}', *body, '::::']
        i = j
    return '\n'.join(out)

def colab_url(cfg, nb:Path)->str:
    "Where Colab opens notebook `nb` of the repository's main branch (`https://colab.research.google.com/github/...`)"
    repo = re.sub(r'^https://github\.com/', '', cfg.git_url.rstrip('/'))
    return f'https://colab.research.google.com/github/{repo}/blob/{cfg.branch}/{Path(nb).relative_to(cfg.config_path).as_posix()}'

def book_note(nb:Path, colab:str=None)->str:
    """The lines under a chapter's title: where it comes from in fastbook's chapter 4 (`book_sections`), and, given its
    `colab` URL, where to run it yourself; as HTML"""
    secs = book_sections.get(Path(nb).stem)
    run = (f'<br><strong>Run it yourself:</strong> <a class="reference external mnist37-colab" href="{colab}">open this '
           f'chapter in Colab</a> (its first cell installs mnist37 there).') if colab else ''
    if secs is None: return f'<p class="mnist37-book">{run[4:]}</p>' if run else ''
    link = f'<a class="reference external" href="{BOOK_URL}">fastbook, chapter 4: <em>{html.escape(BOOK_TITLE)}</em></a>'
    if isinstance(secs, str): return f'<p class="mnist37-book"><strong>In the book:</strong> {link}. {html.escape(secs)}{run}</p>'
    names = [f'<em>{html.escape(o)}</em>' for o in secs]
    names = names[0] if len(names)==1 else ', '.join(names[:-1]) + ' and ' + names[-1]
    return f'<p class="mnist37-book"><strong>In the book:</strong> {link}, section{"s"*(len(secs)>1)} {names}.{run}</p>'

def png_inches(b64:str):
    "Width in inches of a base64 PNG as matplotlib saved it (pixels over the dpi of its `pHYs` chunk), or None"
    b = b64decode(''.join(b64))
    i = b.find(b'pHYs', 0, 200)
    if i < 0: return None
    ppm = struct.unpack('>I', b[i+4:i+8])[0]   # pixels per metre
    return struct.unpack('>I', b[16:20])[0] / (ppm*0.0254) if ppm else None

# Every matplotlib figure is shown at 100 px an inch, the size in pixels matplotlib gives it (`figsize` times 100),
# at most the column's width (CSS: max-width 100%). One wider than this is too small to read at a phone's width (360
# px: 50 px an inch), so it is tagged `wide-figure`, and a phone shows it at 60 px an inch, scrolling in its box.
WIDE_INCHES = 7.2

def _tags(c): return c.get('metadata', {}).get('tags', [])

def cards_first(cells:list)->list:
    """Every `show_doc` card of what an `#| exports` cell defines, right before its code, in the order the code defines
    them. (nbdev moves the code after the first card only: a cell defining `conv` and `small_cnn` would otherwise show
    `small_cnn`'s card, the code, then `conv`'s card.)"""
    cells, i = list(cells), 0
    while i < len(cells):
        c = cells[i]
        if c['cell_type'] != 'code' or 'exported-source' not in _tags(c): i += 1; continue
        defs = re.findall(r'^(?:def|class)\s+(\w+)', c['source'], re.M)
        def name(d): m = re.search(r'show_doc\((\w+)', d['source']) if 'show-doc' in _tags(d) else None; return m and m.group(1)
        lo, hi = i, i+1
        while lo > 0 and name(cells[lo-1]) in defs: lo -= 1
        while hi < len(cells) and name(cells[hi]) in defs: hi += 1
        cards = sorted(cells[lo:i] + cells[i+1:hi], key=lambda d: defs.index(name(d)))
        cells[lo:hi] = cards + [c]
        i = hi
    return cells

def to_page(nb:dict, fix_links, site:bool=True, note:str='', fill:dict=None)->dict:
    """A processed notebook, as Jupyter Book (or nbconvert, for the README) should read it. `note`: HTML to put under
    the title; `fill`: placeholder comment (`<!-- mnist37:ladder -->`) -> the markdown that replaces it."""
    nb = deepcopy(nb)
    fm, cells = frontmatter(nb), []
    if fm.get('title'): cells.append(dict(cell_type='markdown', id='title', metadata={}, source=title_md(fm)))
    if note: cells.append(dict(cell_type='markdown', id='book-note', metadata={}, source=note))
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type']=='raw' and src.strip().startswith('---'): continue
        if c['cell_type']=='markdown':
            if site and src.startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
            for k,v in (fill or {}).items(): src = src.replace(k, v)
            c['source'] = fix_links(src)
            if site: c['source'] = callouts(c['source'])
        elif c['cell_type']=='code':
            opts, c['source'] = cell_options(src)
            tags = [t for k,v in opts.items() if (t := _opt_tags.get((k,v)))]
            md = c['metadata']
            for k in ('execution', 'language'): md.pop(k, None)
            if re.search(r'\bshow_digits\(', c['source']): tags.append('show-digits')
            for o in c.get('outputs', []):
                d = o.get('data', {})
                if site and 'image/png' in d and (inches := png_inches(d['image/png'])):
                    # a matplotlib figure at the size its code asked for, 100 px an inch (its PNG has 200)
                    o.setdefault('metadata', {})['image/png'] = dict(width=f'{round(inches*100)}px')
                    if inches > WIDE_INCHES: tags.append('wide-figure')
                if 'text/markdown' in d:
                    m = ''.join(d['text/markdown'])
                    if 'show_doc(' in src:
                        name = re.search(r'show_doc\((\w+)', src)
                        m = clean_show_doc(m, cls=bool(name) and is_class(name.group(1))); d.pop('text/plain', None)
                        tags.append('show-doc')
                    d['text/markdown'] = fix_links(m, output=True)
            if tags: md['tags'] = sorted(set(md.get('tags', []) + tags))
        cells.append(c)
    nb['cells'] = cards_first(cells)
    nb['metadata'].pop('widgets', None)   # nbdev records an empty ipywidgets state: it would pull require.js from a CDN
    return nb

# --- the code of `#| exports` cells, as built: one element per line ---------------------------------------------

_re_exported_pre = re.compile(r'(<div class="cell tag_exported-source[^"]*">\s*<div class="cell_input[^"]*">\s*'
                              r'<div class="highlight-\w+[^"]*"><div class="highlight"><pre>)(.*?)(</pre>)', re.S)
_re_token = re.compile(r'<span(?: class="[^"]*")?>|</span>|[^<]+')

def code_lines(pre:str)->list:
    "The lines of a Pygments `<pre>`'s HTML (spans are not nested), a token that runs over a line closed and re-opened"
    lines, cur, tag = [], '', None
    for tok in _re_token.findall(pre):
        if tok.startswith('<span'): tag = tok
        elif tok == '</span>': tag = None
        else:
            first, *rest = tok.split('\n')
            cur += first
            for part in rest: lines.append(cur + ('</span>' if tag else '')); cur = (tag or '') + part
            continue
        cur += tok
    return lines + ([cur] if re.sub(r'<[^>]+>', '', cur) else [])

def exported_lines(page:str)->str:
    """The HTML of a page, each line of the code of its `exported-source` cells one `<span class="line">`, which carries
    its indent (`--indent`): where the column is narrower than the package's 120-character lines, mnist37.css wraps a
    long one with its continuation 4 characters further in, as an editor does, instead of at the left edge"""
    def one(line):
        n = len(html.unescape(re.sub(r'<[^>]+>', '', line))) - len(html.unescape(re.sub(r'<[^>]+>', '', line)).lstrip(' '))
        return f'<span class="line" style="--indent:{n}ch">{line}</span>'
    return _re_exported_pre.sub(lambda m: m.group(1) + ''.join(map(one, code_lines(m.group(2)))) + m.group(3), page)

# --- what the build reads from bench/results.md -------------------------------------------------------------

def md_tables(md:str)->list:
    "The pipe tables of a markdown text, each as a list of rows, each row a dict from column header to cell text"
    res, rows = [], []
    for line in md.splitlines() + ['']:
        if line.strip().startswith('|'): rows.append([o.strip() for o in line.strip().strip('|').split('|')])
        elif rows:
            if len(rows) > 2: res.append([dict(zip(rows[0], r)) for r in rows[2:]])
            rows = []
    return res

# The rows of `make report` (and of bench/results.md) on 3s vs 7s, and the chapter that builds each
ladder_chapters = {'pixel similarity': '01_pixel_similarity', 'linear from scratch': '03_linear',
                   'linear with Learner': '04_optimizer', 'simple net': '05_simple_net', 'resnet18': '06_resnet',
                   'small CNN': '07_full_mnist'}

# Rows of the pipeline table whose accuracy the ladder takes from the table of seeds instead: the mean of the three
# seeds of the recipe the report trains, rather than the one run of the pipeline
ladder_seeds = {'resnet18': "resnet18, mnist37's recipe", 'small CNN': 'small CNN, 3s and 7s'}
TEN_DIGITS_SEEDS = 'small CNN, ten digits'   # the ten-digit model's row of the table of seeds

def seed_means(md:str)->dict:
    "Recipe -> `(mean accuracy, as people write them or None)` from bench/results.md's table of seeds"
    for t in md_tables(md):
        if t and 'recipe' in t[0] and 'mean' in t[0]:
            num = lambda v: float(v) if re.fullmatch(r'[\d.]+', v or '') else None
            return {r['recipe']: (num(r['mean']), num(r.get('as people write them (mean)'))) for r in t}
    return {}

def ladder_rows(md:str)->list:
    """`(approach, accuracy, seeds)` of each 3-vs-7 row of bench/results.md's table, from its `mnist37 accuracy`
    column, or, for the rows of `ladder_seeds`, the mean over the seeds of the table of seeds (`seeds`: True)"""
    means = seed_means(md)
    for t in md_tables(md):
        if t and 'mnist37 accuracy' in t[0]:
            rows = [(r['stage'] if 'stage' in r else next(iter(r.values())), float(r['mnist37 accuracy']))
                    for r in t if re.fullmatch(r'[\d.]+', r['mnist37 accuracy'])]
            def seeded(n): return means.get(ladder_seeds.get(n), (None,))[0]
            return [(n, seeded(n), True) if seeded(n) else (n, a, False) for n, a in rows]
    return []

def ladder_html(pages:dict, md:str=None)->str:
    """The home page's accuracy ladder: how often each approach of the chapter is wrong on the 3s and 7s it never saw,
    one bar each, and the ten-digit model below it, from bench/results.md (so the numbers are those `make bench`
    measured). HTML, one block."""
    md = BENCH.read_text() if md is None else md
    rows = ladder_rows(md)
    if not rows: return '*The accuracy ladder appears here once `make bench` has written bench/results.md.*'
    worst = max(1-a for _,a,_ in rows)
    def link(approach, text=None):
        nb = ladder_chapters.get(approach)
        page = pages.get(f'{nb}.ipynb') if nb else None
        text = html.escape(text or approach)
        return f'<a href="{page}.html">{text}</a>' if page else text
    items = ''.join(
        f'<li><span class="rung-name">{link(n)}{"*" if seeds else ""}</span><span class="rung-bar"><span '
        f'style="width:{100*(1-a)/worst:.1f}%"></span></span><span class="rung-value">{100*(1-a):.1f}% wrong '
        f'<small>({100*a:.2f}% right)</small></span></li>' for n,a,seeds in rows)
    seeds = ' * The mean of three seeds, as the chapter chose its recipe; the others give the same accuracy every time.' \
        if any(s for _,_,s in rows) else ''
    ten, people = seed_means(md).get(TEN_DIGITS_SEEDS, (None, None))
    ten = (f'<p class="mnist37-ten">All ten digits: the {link("small CNN")} reads {100*ten:.2f}% of MNIST\'s 10,000 '
           f'test digits right (the mean of three seeds)' + (f', and {100*people:.2f}% of the same digits drawn again '
           f'as people write them' if people else '') + '.</p>') if ten else ''
    return ('<figure class="mnist37-ladder"><ol>' + items + '</ol><figcaption>How often each approach is wrong on the '
            'validation 3s and 7s, which it never trained on: each rung of the chapter makes fewer mistakes.' + seeds +
            ' From <code>bench/results.md</code>, measured by <code>make bench</code>.</figcaption></figure>' + ten)

def bench_md(local:bool)->str:
    """bench/results.md for the developers' page and README.md: its text (headings two levels down, under the section
    that shows it) and its figures, plus any `bench/*.png` it does not show yet. On the site the figures are copied
    beside the page (`local`); in README.md they are linked in the repository's bench/."""
    if not BENCH.exists(): return '*No bench/results.md yet: `make bench` writes it.*'
    where = "the website's build" if local else '`make readme`'
    md = (f'Here is that file as the last `make bench` wrote it, with its figures (`bench/*.png`): {where} reads it, so '
          'no number below is copied by hand.\n\n' + re.sub(r'^(#+) ', r'##\1 ', BENCH.read_text(), flags=re.M))
    shown = set(re.findall(r'!\[[^\]]*\]\(([^)\s]+)\)', md))
    md = re.sub(r'(!\[[^\]]*\]\()(?![a-z]+://)([^)\s]+\))', r'\1bench/\2', md)
    extra = sorted(p.name for p in BENCH.parent.glob('*.png') if p.name not in shown)
    return md + ''.join(f'\n\n![{p}](bench/{p})' for p in extra)

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
            res.append(clean_show_doc(show_doc(o, title_level=2)._repr_markdown_(), xtra, cls=inspect.isclass(o)))
        else:
            src = _assign_src(Path(m.__file__), nm) or f'{nm} = {o!r}'
            res.append(f'<span id="{nm.lower()}"></span>{xtra}\n\n## {nm}\n\n```python\n{src}\n```')
        res.append('')
    return '\n'.join(res)

# --- the build ----------------------------------------------------------------------------------------------

def toc(index:str, chapters:list, api:list, dev:str=None)->dict:
    "The sidebar: home page, chapters in order (titled with their number), the developers' page, API pages"
    parts = [dict(caption='The chapter', chapters=[dict(file=f, title=t) for f,t in chapters])]
    if dev: parts.append(dict(caption='For developers', chapters=[dict(file=dev)]))
    if api: parts.append(dict(caption='API reference', chapters=[dict(file=f) for f in api]))
    return dict(format='jb-book', root=index, parts=parts)

def plain(md:str)->str: return re.sub(r'[`*]', '', md).strip()

def site_nbs(nbs:Path)->list:
    "The notebooks that are pages: the home page, the chapters, the developers' page"
    return [nbs/'index.ipynb', *chapter_nbs(nbs), nbs/DEVELOPERS]

def copy_mathjax(dest:Path):
    "MathJax's files, from docs/node_modules (`npm ci --prefix docs`), into `dest`: no page needs a CDN for formulas"
    if not (MATHJAX/MATHJAX_FILES[0]).exists():
        sys.exit(f'MathJax is not installed ({MATHJAX/MATHJAX_FILES[0]} is missing): run `npm ci --prefix docs`')
    for f in MATHJAX_FILES:
        (dest/f).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (MATHJAX/f).is_dir() else shutil.copy)(MATHJAX/f, dest/f)

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
    pages = {p.name: page_name(p) for p in site_nbs(nbs)}
    docs = {'draw': 'draw.md'}   # docs/draw_page.py adds it
    fill = {'<!-- mnist37:ladder -->': ladder_html(pages), '<!-- mnist37:bench -->': bench_md(local=True), **EXPLORERS}
    titles = {}
    for name, page in pages.items():
        nb = json.loads((PROC/name).read_text())
        colab = colab_url(cfg, nbs/name) if nbs/name in chapters else None
        out = to_page(nb, link_fixer(url, pages, local=True, docs=docs), note=book_note(nbs/name, colab), fill=fill)
        (BOOK/f'{page}.ipynb').write_text(json.dumps(out, indent=1))
        titles[page] = plain(frontmatter(nb).get('title') or page)
    if BENCH.parent.is_dir():   # the figures bench/results.md shows, beside the developers' page
        (BOOK/'bench').mkdir()
        for f in BENCH.parent.glob('*.png'): shutil.copy(f, BOOK/'bench'/f.name)
    mod_nbs = module_nbs(nbs)
    api = []
    for mod in api_modules(cfg.lib_path, nbs):
        (BOOK/'api'/f'{mod}.md').write_text(link_fixer(url, pages, local=True, depth=1, docs=docs)(
            api_page(cfg, mod, mod_nbs.get(mod, []), titles)))
        api.append(f'api/{mod}')
    chs = [(page_name(p), f'{chapter_number(p)}. {titles[page_name(p)]}') for p in chapters]
    dev = page_name(nbs/DEVELOPERS)
    (BOOK/'_toc.yml').write_text(yaml.safe_dump(toc('index', chs, api, dev), sort_keys=False, allow_unicode=True))
    jb = yaml.safe_load((DOCS/'_config.yml').read_text())
    jb['title'] = cfg.title
    jb['repository']['url'] = cfg.git_url
    (BOOK/'_config.yml').write_text(yaml.safe_dump(jb, sort_keys=False))
    shutil.copytree(DOCS/'_static', BOOK/'_static')
    softmax_start(BOOK/'_static'/'explore'/'softmax.json')   # issue 23: where the softmax explorer starts
    draw_page()   # issue 15: the "Draw a digit" page
    t2 = time.time()
    r = subprocess.run([str(Path(sys.executable).with_name('jupyter-book')), 'build', str(BOOK), '--builder', 'html',
                        '--keep-going'], capture_output=True, text=True)
    warnings = [l for l in (r.stdout+r.stderr).splitlines() if 'WARNING' in l or 'ERROR' in l]
    print('\n'.join(warnings))
    if r.returncode: sys.exit(f'jupyter-book build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    if OUT.exists(): shutil.rmtree(OUT)
    shutil.copytree(BOOK/'_build'/'html', OUT)
    for f in OUT.glob('*.html'):   # the book's pieces: their code's long lines wrap with a hanging indent
        if 'tag_exported-source' in (page := f.read_text()): f.write_text(exported_lines(page))
    # after the build, so that Jupyter Book does not put each of MathJax's scripts on every page as it does with the
    # .js files it finds in _static/; Sphinx loads it where a page has formulas (`mathjax_path` in _config.yml)
    copy_mathjax(OUT/'_static'/'mathjax')
    (OUT/'.nojekyll').touch()
    print(f'_docs/: {len(pages)+len(api)+1} pages ({len(pages)} notebooks, Draw a digit, {len(api)} API), '
          f'{len(warnings)} warnings; nbdev processing {t1-t0:.0f}s, pages {t2-t1:.0f}s, '
          f'jupyter-book {time.time()-t2:.0f}s')

# --- the explorers (issue 23): SGD on the parabola (chapter 2), softmax and cross-entropy (chapter 7) ----------

# Each placeholder becomes an explorer: its container, with the hooks the browser test uses, and its script (an ES
# module in docs/_static/explore/, named .mjs so that Jupyter Book does not put it on every page), which builds the rest.
# Pages are at the site's root, hence `_static/...`. Raw HTML in markdown: no blank line inside.
EXPLORERS = {
    '<!-- mnist37:sgd-explorer -->': '<div class="mnist37-explorer mnist37-sgd" data-testid="sgd-explorer" '
        'data-ready="false"><p class="explore-status">The SGD explorer needs JavaScript.</p>'
        '<script type="module" src="_static/explore/sgd.mjs"></script></div>',
    '<!-- mnist37:softmax-explorer -->': '<div class="mnist37-explorer mnist37-softmax" data-testid="softmax-explorer" '
        'data-ready="false"><p class="explore-status">The softmax explorer needs JavaScript.</p>'
        '<script type="module" src="_static/explore/softmax.mjs"></script></div>',
}
SOFTMAX_DIGIT = ('testing/3', 0)   # the softmax explorer's digit: the first 3 of MNIST's test set

def softmax_start(dest:Path, key:str=SOFTMAX_DIGIT[0], i:int=SOFTMAX_DIGIT[1]):
    """Write to `dest` (JSON) what the softmax explorer starts from: the shipped ten-digit model's logits (its outputs
    before softmax) for MNIST's test digit `full_tensors()[key][i]`, the digit's pixels and label. Computed at every
    build, so they follow the weights; where MNIST is not available, the file says so instead (and the page shows it)."""
    import torch
    from mnist37.data import full_tensors, DataUnavailable
    from mnist37.predict import load_model
    dest.parent.mkdir(parents=True, exist_ok=True)
    try: im = full_tensors()[key][i]
    except DataUnavailable as e:
        print(f'WARNING: the softmax explorer has no digit: {e}')
        dest.write_text(json.dumps(dict(problem=f'MNIST is not available where this site was built ({e})')))
        return
    model, classes = load_model('10')
    with torch.no_grad(): logits = model(im.float().div(255)[None, None])[0]
    dest.write_text(json.dumps(dict(source=f"full_tensors()['{key}'][{i}]", index=i, label=int(key.split('/')[1]),
        classes=list(classes), logits=logits.tolist(), pixels=im.flatten().tolist())))

# --- the "Draw a digit" page (issue 15) ---------------------------------------------------------------------

def draw_page():
    "The page where the reader draws a digit, its ONNX model and ONNX Runtime Web, into the book: see docs/draw_page.py"
    from draw_page import add_to_book   # docs/ is on sys.path: this script's folder
    add_to_book(BOOK)

# --- README.md --------------------------------------------------------------------------------------------

def readme_text()->str:
    """README.md: the home page's title and summary, then the developers' page (nbs/developers.ipynb), through nbdev's
    processing, links made absolute (to the published site), as markdown (nbconvert)"""
    from fastcore.nbio import read_nb
    from nbdev.processors import FilterDefaults
    import nbformat
    from nbconvert import MarkdownExporter
    cfg = config()
    nbs = Path(cfg.nbs_path)
    pages = {p.name: page_name(p) for p in site_nbs(nbs)}
    def read(name):
        nb = read_nb(nbs/name)
        FilterDefaults()(nb)
        nb = json.loads(json.dumps(nb, default=lambda o: None))
        for c in nb['cells']:
            if isinstance(c['source'], list): c['source'] = ''.join(c['source'])
        return nb
    index, dev = read('index.ipynb'), read(DEVELOPERS)
    def is_fm(c): return c['cell_type']=='raw' and c['source'].strip().startswith('---')   # title, description
    dev['cells'] = [c for c in index['cells'] if is_fm(c)] + [c for c in dev['cells'] if not is_fm(c)]
    fix = link_fixer(site_url(cfg), pages, local=False, docs={'draw': 'draw.md'})
    page = to_page(dev, fix, site=False, fill={'<!-- mnist37:bench -->': bench_md(local=False)})
    for c in page['cells']: c.setdefault('metadata', {}); c.pop('idx_', None); c.pop('directives_', None)
    md, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(
        nbformat.from_dict(page))
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(l.rstrip() for l in md.splitlines())).strip() + '\n'

def readme(check=False):
    txt = readme_text()
    if check:
        if README.read_text() != txt: sys.exit('README.md is stale (it is made from nbs/developers.ipynb): run `make readme` and commit it')
        return
    README.write_text(txt)

if __name__ == '__main__':
    cmd, *args = sys.argv[1:] or ['build']
    if cmd=='build': build()
    elif cmd=='readme': readme(check='--check' in args)
    else: sys.exit(__doc__)
