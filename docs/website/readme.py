"""README.md: the home page's title and summary, then the developers' page (nbs/developers.ipynb), through nbdev's
processing, links made absolute (to the published site), as markdown."""
import json, re, sys
from pathlib import Path
from .api import modidx
from .bench import bench_md
from .links import link_fixer, site_url
from .pages import to_page
from .parts import ROOT, part_nbs, page_name

README = ROOT/'README.md'

def _read(nbs:Path, name:str)->dict:
    "A notebook as nbdev's processing leaves it (its directives applied), sources as strings"
    from fastcore.nbio import read_nb
    from nbdev.processors import FilterDefaults
    nb = read_nb(nbs/name)
    FilterDefaults()(nb)
    nb = json.loads(json.dumps(nb, default=lambda o: None))
    for c in nb['cells']:
        if isinstance(c['source'], list): c['source'] = ''.join(c['source'])
    return nb

def readme_text(cfg)->str:
    "README.md, made from nbs/developers.ipynb under the home page's title"
    import nbformat
    from nbconvert import MarkdownExporter
    nbs = Path(cfg.nbs_path)
    pages = {p.name: page_name(p) for p in [nbs/'index.ipynb', *part_nbs(nbs)]}
    index, dev = _read(nbs, 'index.ipynb'), _read(nbs, 'developers.ipynb')
    def is_fm(c): return c['cell_type']=='raw' and c['source'].strip().startswith('---')   # title, description
    dev['cells'] = [c for c in index['cells'] if is_fm(c)] + [c for c in dev['cells'] if not is_fm(c)]
    fix = link_fixer(site_url(cfg), pages, local=False, docs={'draw': 'draw.md'})
    page = to_page(dev, fix, modidx(cfg), site=False, fill={'<!-- mnist37:bench -->': bench_md(local=False)})
    for c in page['cells']: c.setdefault('metadata', {}); c.pop('idx_', None); c.pop('directives_', None)
    md, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(
        nbformat.from_dict(page))
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(l.rstrip() for l in md.splitlines())).strip() + '\n'

def readme(cfg, check:bool=False):
    "Write README.md; with `check`, exit 1 (saying to run `make readme`) when it is stale instead"
    txt = readme_text(cfg)
    if check:
        if README.read_text() != txt: sys.exit('README.md is stale (it is made from nbs/developers.ipynb): run `make readme` and commit it')
        return
    README.write_text(txt)
