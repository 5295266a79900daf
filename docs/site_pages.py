"""The site's pages, derived once from the sources: the build (`docs/docsite.py`) makes its pages and table of contents
from these functions, and the browser test (`tests/test_site.py`) expects what `site_pages` lists (its sidebar test
catches the two drifting apart).

The pages, in sidebar order: the home page (`nbs/index.ipynb`), one page per numbered notebook (named as nbdev names
its pages: `00_tensors.ipynb` -> `tensors.html`), the "Draw a digit" page, the developers' page (`nbs/developers.ipynb`),
then one API page per module of the package, in the order of the notebook that creates the module.

`BOOK_URL` and `book_sections` say where in fastbook's chapter 4 each chapter comes from: the build writes that under
every chapter's title, so that every chapter links to the book."""
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, LIB = ROOT/'nbs', ROOT/'mnist37'
DEVELOPERS = 'developers.ipynb'   # the developers' page, not a chapter: install, tests, speed; README.md is made from it

# fastbook's chapter 4, and the sections of it each chapter retells (a string: how the chapter relates to the book)
BOOK_URL = 'https://github.com/fastai/fastbook/blob/master/04_mnist_basics.ipynb'
BOOK_TITLE = 'Under the Hood: Training a Digit Classifier'
book_sections = {
    '00_tensors': ['Pixels: The Foundations of Computer Vision', 'NumPy Arrays and PyTorch Tensors'],
    '01_pixel_similarity': ['First Try: Pixel Similarity', 'Computing Metrics Using Broadcasting'],
    '02_sgd_quadratic': ['Stochastic Gradient Descent (SGD)', 'Calculating Gradients', 'Stepping With a Learning Rate',
                         'An End-to-End SGD Example'],
    '03_linear': ['The MNIST Loss Function', 'Sigmoid', 'SGD and Mini-Batches', 'Putting It All Together'],
    '04_optimizer': ['Creating an Optimizer'],
    '05_simple_net': ['Adding a Nonlinearity'],
    '06_resnet': ['Going Deeper'],
    '07_full_mnist': 'This chapter goes beyond it, as its Further Research suggests: all ten digits.',
    '08_your_digit': 'This chapter goes beyond it: the model reads a digit you wrote.',
    '09_drawn_digits': "This chapter goes beyond it: digits the project draws itself, to test the model on digits unlike MNIST's.",
    '10_cli': 'This chapter goes beyond it: one command runs every approach.',
    '11_image_file': 'This chapter goes beyond it: reading whatever file a person hands the model, safely.',
    '12_recap': ['Jargon Recap', 'Questionnaire', 'Further Research'],
    '13_ladder': 'This chapter goes beyond it: your own digit through every model of the chapter, side by side.',
}

def chapter_nbs(nbs:Path=NBS)->list:
    "The numbered notebooks, in order"
    return sorted(p for p in Path(nbs).glob('*.ipynb') if re.match(r'\d', p.name))

def page_name(nb:Path)->str:
    "The page nbdev makes from notebook `nb`, without `.html` (`00_tensors.ipynb` -> `tensors`)"
    from nbdev.config import nbpath2html
    return nbpath2html(Path(nb)).stem

def chapter_number(nb:Path)->int: return int(re.match(r'\d+', Path(nb).name).group())

def _exports(nb:Path):
    "The modules a notebook writes to: its `default_exp` first, then those of `#| export <module>` (or `exports`) cells"
    default, others = None, []
    for c in json.loads(Path(nb).read_text())['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] != 'code': continue
        if m := re.search(r'^#\|\s*default_exp\s+(\S+)', src, re.M): default = m.group(1)
        if m := re.search(r'^#\|\s*exports?\s+(\w\S*)\s*$', src, re.M): others.append(m.group(1))
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
    res['developers.html'] = Path(nbs)/DEVELOPERS
    res.update({f'api/{m}.html': m for m in api_modules(lib, nbs)})
    return res
