"""Links on the site: between its pages, to the published site (README.md), to Colab, and each chapter's line saying
where it is in fastbook's chapter 4."""
import html, re
from pathlib import Path
from .parts import BOOK_URL, BOOK_TITLE, book_sections

def site_url(cfg)->str:
    "Where nbdev's doc links point: the published site"
    return '/'.join(o for o in [cfg.doc_host.rstrip('/'), cfg.doc_baseurl.strip('/')] if o) + '/'

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

def colab_url(cfg, nb:Path)->str:
    "Where Colab opens notebook `nb` of the repository's main branch (`https://colab.research.google.com/github/...`)"
    repo = re.sub(r'^https://github\.com/', '', cfg.git_url.rstrip('/'))
    return f'https://colab.research.google.com/github/{repo}/blob/{cfg.branch}/{Path(nb).relative_to(cfg.config_path).as_posix()}'

def book_note(nb:Path, colab:str=None)->str:
    """The lines under a page's title, as HTML: where it comes from in fastbook's chapter 4 (`book_sections`), and,
    given its `colab` URL, where to run it yourself"""
    secs = book_sections.get(Path(nb).stem)
    run = (f'<br><strong>Run it yourself:</strong> <a class="reference external mnist37-colab" href="{colab}">open this '
           f'page as a notebook in Colab</a> (its first cell installs mnist37 there).') if colab else ''
    if secs is None: return f'<p class="mnist37-book">{run[4:]}</p>' if run else ''
    link = f'<a class="reference external" href="{BOOK_URL}">fastbook, chapter 4: <em>{html.escape(BOOK_TITLE)}</em></a>'
    if isinstance(secs, str): return f'<p class="mnist37-book"><strong>In the book:</strong> {link}. {html.escape(secs)}{run}</p>'
    names = [f'<em>{html.escape(o)}</em>' for o in secs]
    names = names[0] if len(names)==1 else ', '.join(names[:-1]) + ' and ' + names[-1]
    return f'<p class="mnist37-book"><strong>In the book:</strong> {link}, section{"s"*(len(secs)>1)} {names}.{run}</p>'
