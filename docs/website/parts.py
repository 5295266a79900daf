"""The site's three parts, declared here and nowhere else: the sidebar, the home page's order, the browser tests and the
API pages all read this file.

1. *The chapter*: fastbook's chapter 4 retold, notebooks `00_tensors` to `07_full_mnist`, then its recap.
2. *Your digit*: reading a digit a person drew: the pictures the project draws, their preparation, the model's answer
   and when not to trust it, every model side by side, and the page where the reader draws.
3. *How mnist37 is built*: the developers' page, the command line, reading files safely, the data cache, training,
   speed, the weights files, the report approach by approach, and the API reference.

A page is named by its source: a notebook's stem (`00_tensors`, made into `tensors.html` as nbdev names its pages),
`draw` (docs/draw.md, the "Draw a digit" page) or `api` (one page per module, made by the build)."""
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NBS, LIB, DOCS = ROOT/'nbs', ROOT/'mnist37', ROOT/'docs'

PARTS = {
    'The chapter': ['00_tensors', '01_pixel_similarity', '02_sgd_quadratic', '03_linear', '04_optimizer',
                    '05_simple_net', '06_resnet', '07_full_mnist', '08_recap'],
    'Your digit': ['10_drawn_digits', '16_people', '11_no_digit', '12_your_digit', '13_predict', '14_outliers',
                   '15_ladder', 'draw'],
    'How mnist37 is built': ['developers', '20_cli', '21_image_file', '22_cache', '23_training', '24_precision',
                             '25_weights', '26_approaches', 'api'],
}
CHAPTER = PARTS['The chapter'][:-1]   # the book's chapter itself: its notebooks link to the book and to Colab

# fastbook's chapter 4, and the sections of it each page of the first part retells
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
    '08_recap': ['Jargon Recap', 'Questionnaire', 'Further Research'],
}

def page_name(nb:Path)->str:
    "The page nbdev makes from notebook `nb`, without `.html` (`00_tensors.ipynb` -> `tensors`)"
    from nbdev.config import nbpath2html
    return nbpath2html(Path(nb)).stem

def part_nbs(nbs:Path=NBS)->list:
    "The notebooks of the three parts, in sidebar order (the developers' page among them)"
    return [Path(nbs)/f'{s}.ipynb' for names in PARTS.values() for s in names if s not in ('draw', 'api')]

def chapter_nbs(nbs:Path=NBS)->list:
    "The notebooks of the book's chapter, `00_tensors` to `07_full_mnist`"
    return [Path(nbs)/f'{s}.ipynb' for s in CHAPTER]

def numbered_nbs(nbs:Path=NBS)->list:
    "Every numbered notebook in `nbs`, whatever the parts say (the build refuses one they leave out)"
    return sorted(p for p in Path(nbs).glob('*.ipynb') if re.match(r'\d', p.name))

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
    """Site path -> its source, in sidebar order: the home page, then each part's pages (a notebook's path; docs/draw.md;
    for `api`, the API index and one page per module, by module name)"""
    res = {'index.html': Path(nbs)/'index.ipynb'}
    for names in PARTS.values():
        for s in names:
            if s == 'draw': res['draw.html'] = DOCS/'draw.md'
            elif s == 'api': res.update({'api/index.html': 'api', **{f'api/{m}.html': m for m in api_modules(lib, nbs)}})
            else: res[f'{page_name(Path(nbs)/f"{s}.ipynb")}.html'] = Path(nbs)/f'{s}.ipynb'
    return res
