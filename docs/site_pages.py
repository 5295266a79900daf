"""The site's pages, derived once from the sources: used by the build (`docs/docsite.py`) and by its browser test
(`tests/test_site.py`), so the two cannot disagree about what the site holds.

The pages, in sidebar order: the home page (`nbs/index.ipynb`), one page per numbered notebook (named as nbdev names
its pages: `00_tensors.ipynb` -> `tensors.html`), then one API page per module of the package, in the order of the
notebook that creates the module."""
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, LIB = ROOT/'nbs', ROOT/'mnist37'

def chapter_nbs(nbs:Path=NBS)->list:
    "The numbered notebooks, in order"
    return sorted(p for p in Path(nbs).glob('*.ipynb') if re.match(r'\d', p.name))

def page_name(nb:Path)->str:
    "The page nbdev makes from notebook `nb`, without `.html` (`00_tensors.ipynb` -> `tensors`)"
    from nbdev.config import nbpath2html
    return nbpath2html(Path(nb)).stem

def chapter_number(nb:Path)->int: return int(re.match(r'\d+', Path(nb).name).group())

def _exports(nb:Path):
    "The modules a notebook writes to: its `default_exp` first, then those of `#| export <module>` cells"
    default, others = None, []
    for c in json.loads(Path(nb).read_text())['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] != 'code': continue
        if m := re.search(r'^#\|\s*default_exp\s+(\S+)', src, re.M): default = m.group(1)
        if m := re.search(r'^#\|\s*export\s+(\w\S*)\s*$', src, re.M): others.append(m.group(1))
    return default, others

def module_nbs(nbs:Path=NBS)->dict:
    "Module name -> the notebooks that write it, the one that creates it (`default_exp`) first"
    made, added = {}, {}
    for p in sorted(Path(nbs).glob('*.ipynb')):
        default, others = _exports(p)
        if default: made[default] = p
        for m in others: added.setdefault(m, []).append(p)
    return {m: [p, *[q for q in dict.fromkeys(added.get(m, [])) if q != p]] for m,p in made.items()}

def api_modules(lib:Path=LIB, nbs:Path=NBS)->list:
    "The package's public modules, in the order of the notebooks that create them"
    made = module_nbs(nbs)
    mods = sorted(p.stem for p in Path(lib).glob('*.py') if not p.stem.startswith('_'))
    return sorted(mods, key=lambda m: (m not in made, str(made.get(m, [''])[0]), m))

def site_pages(nbs:Path=NBS, lib:Path=LIB)->dict:
    "Site path -> its source, in sidebar order: a notebook's path for the notebook pages, a module name for the API pages"
    res = {'index.html': Path(nbs)/'index.ipynb'}
    res.update({f'{page_name(p)}.html': p for p in chapter_nbs(nbs)})
    res['draw.html'] = ROOT/'docs'/'draw.md'   # the "Draw a digit" page (docs/draw_page.py)
    res.update({f'api/{m}.html': m for m in api_modules(lib, nbs)})
    return res
