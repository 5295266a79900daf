"""The package's imports point one way (issue 27): from the engineering underneath, through the data, the models and
the fastai glue, to the chapters' modules in the book's order, then those of the reader's digit, then the two that use
everything (the command line, the weights the package ships). A module imports only modules before it in `ORDER`, so
no chapter needs one that a later chapter builds on it, and there is no loop. And no module grows past ~220 lines."""
import ast
from pathlib import Path

LIB = Path(__file__).resolve().parent.parent/'mnist37'
ORDER = ['cache', 'image_file', 'precision',                         # the engineering underneath (the third part)
         'data', 'models', 'train',                                  # the digits, plain PyTorch models, the fastai glue
         'pixel_similarity', 'sgd', 'linear', 'optimizer', 'resnet', 'full_mnist',   # the chapter, in its order
         'drawn', 'people', 'no_digit', 'mnist_style', 'predict', 'outliers', 'ladder',    # your digit, in its order
         'approaches', 'shipped', 'cli']                             # what uses everything
MAX_LINES = 220

def project_imports(path:Path)->set:
    "The package's modules that the module at `path` imports, anywhere in it (inside functions too)"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ''
            if node.level == 1 and mod: found.add(mod.split('.')[0])
            elif node.level == 1 or mod == 'mnist37': found |= {a.name for a in node.names}   # `from . import drawn`
            elif mod.startswith('mnist37.'): found.add(mod.split('.')[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split('.')[1] for a in node.names if a.name.startswith('mnist37.')}
    return found

def modules(): return sorted(p.stem for p in LIB.glob('*.py') if not p.stem.startswith('_'))

def test_every_module_has_a_place():
    assert sorted(ORDER) == modules(), f'modules missing from ORDER, or gone: {set(ORDER) ^ set(modules())}'

def test_imports_point_back():
    "Each module imports only modules before it in `ORDER`"
    forward = {m: sorted(i for i in project_imports(LIB/f'{m}.py') if ORDER.index(i) >= ORDER.index(m)) for m in ORDER}
    assert not any(forward.values()), f'imports of a module not before it: { {m: f for m, f in forward.items() if f} }'

def test_predict_needs_no_fastai():
    "`predict` (and what it imports of the package) needs only torch, numpy, Pillow and safetensors: no fastai"
    seen, todo = set(), ['predict']
    while todo:
        m = todo.pop()
        if m in seen: continue
        seen.add(m); todo += project_imports(LIB/f'{m}.py')
    heavy = {m for m in seen if 'fastai' in (LIB/f'{m}.py').read_text()}
    assert not heavy, f'predict imports modules that import fastai: {heavy}'

def test_small_modules():
    big = {m: n for m in modules() if (n := len((LIB/f'{m}.py').read_text().splitlines())) > MAX_LINES}
    assert not big, f'modules over {MAX_LINES} lines (split them by topic): {big}'
