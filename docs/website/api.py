"""The API reference, in the site's third part: an index of the package's modules, then one page per module, every
name of its `__all__` as nbdev's `show_doc` card, each linked to the page that writes and explains it."""
import ast, importlib, inspect
from pathlib import Path
from .cards import clean_show_doc
from .links import site_url
from .parts import page_name

def modidx(cfg)->dict:
    "The package's `_modidx.d`: doc page and anchor of each exported name"
    return importlib.import_module(f'{cfg.lib_path.name}._modidx').d

def _assign_src(path:Path, nm:str):
    "Source of the top-level assignment to `nm` in the module at `path`"
    src = path.read_text()
    for t in ast.parse(src).body:
        if isinstance(t, (ast.Assign, ast.AnnAssign)):
            tgts = t.targets if isinstance(t, ast.Assign) else [t.target]
            if any(isinstance(o, ast.Name) and o.id==nm for o in tgts): return ast.get_source_segment(src, t)

def _summary(m)->str: return (m.__doc__ or '').split('\n\n')[0].strip()

def _card(m, nm:str, doc_link:str)->str:
    "One name of module `m`: its `show_doc` card, or for a constant its assignment, with a link to where it is taught"
    from nbdev.showdoc import show_doc
    o = getattr(m, nm)
    xtra = f'<a class="sd-source" href="../{doc_link}">where it is explained</a>' if doc_link else ''
    if inspect.isclass(o) or inspect.isroutine(o) or callable(o) and hasattr(o, '__wrapped__'):
        return clean_show_doc(show_doc(o, title_level=2)._repr_markdown_(), xtra, cls=inspect.isclass(o))
    src = _assign_src(Path(m.__file__), nm) or f'{nm} = {o!r}'
    # in a box whose long lines wrap (mnist37.css), as the chapters' code does: the package's lines run to 120 characters
    return f'<span id="{nm.lower()}"></span>{xtra}\n\n## {nm}\n\n:::{{container}} mnist37-constant\n```python\n{src}\n```\n:::'

def api_page(cfg, mod:str, nbs:list, titles:dict)->str:
    "Markdown for the API page of module `mod`: its docstring, then a card for every name in `__all__`"
    lib = cfg.lib_path.name
    m = importlib.import_module(f'{lib}.{mod}')
    res = [f'# {lib}.{mod}', '']
    if doc := _summary(m): res += [doc, '']
    if nbs: res += ['Written, explained and tested in ' + ' and '.join(
        f'[{titles[page_name(nb)]}]({site_url(cfg)}{page_name(nb)}.html)' for nb in nbs) + '.', '']
    docs = dict(modidx(cfg)['syms'].get(f'{lib}.{mod}', {}))
    default = f'{page_name(nbs[0])}.html' if nbs else None
    for nm in getattr(m, '__all__', []):
        res += [_card(m, nm, docs.get(f'{lib}.{mod}.{nm}', (default,))[0]), '']
    return '\n'.join(res)

def api_index(cfg, mods:list)->str:
    "Markdown for the API reference's first page: each module, in the order of the notebooks that write them, and what it is"
    lib = cfg.lib_path.name
    rows = [f'- [`{lib}.{mod}`]({mod}.md): {_summary(importlib.import_module(f"{lib}.{mod}"))}' for mod in mods]
    return '\n'.join(['# API reference', '', f'Every module of the `{lib}` package, with the card of every name it '
                      'exports, each linked to the page that writes and explains it.', '', *rows, ''])
