"""nbdev's `show_doc` cards (a name, its signature and docstring), made to read well on this site: on the API pages,
and on a page for what it shows as a card rather than as code."""
import importlib, inspect, re, textwrap

_re_attrs = re.compile(r'(\]\([^)\s]+\))\{[^}\n]*\}')            # [source](url){target="_blank" ...}: Quarto-only syntax
_re_fnrepr = re.compile(r'<function (\w+) at 0x[0-9a-f]+>')       # `store_true` annotations show as <function ...>
_re_srclink = re.compile(r'^\[source\]\((\S+)\)\s*$', re.M)
_re_sdhead = re.compile(r'^#{2,4} (\S+)\s*$', re.M)
_re_nonetype = re.compile(r'(\w+):NoneType=None')                # `bs:NoneType=None`: an unannotated `bs=None`
SIG_WIDTH = 80   # characters a signature line may have inside a card (the browser test measures the fit)

def wrap_signature(code:str, width:int=SIG_WIDTH)->str:
    """A signature from `show_doc`, its long lines wrapped: an argument's comment (docments) continues in an aligned
    comment below it, and a line of many arguments is split between arguments"""
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
            parts = textwrap.wrap(comment, width - len(code_part) - 3)
            out += [code_part + ' # ' + parts[0], *[' '*len(code_part) + ' # ' + o for o in parts[1:]]]
        elif not sep and ', ' in line:
            indent = line[:len(line) - len(line.lstrip())]
            out += textwrap.wrap(line.strip(), width, initial_indent=indent, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False)
        else: out.append(line)
    return '\n'.join(out)

def package_object(name:str, modidx:dict):
    "What `name`, documented by `show_doc(name)` on a page, is in the package (found via `_modidx`), or `None`"
    for mod, syms in modidx['syms'].items():
        if f'{mod}.{name}' in syms:
            try: return getattr(importlib.import_module(mod), name, None)
            except ImportError: return None

def is_class(name:str, modidx:dict)->bool: return inspect.isclass(package_object(name, modidx))

def source_line(name:str, modidx:dict)->int:
    "Where `name` is defined in its module (its first line), to put cards in the order of the code"
    try: return inspect.getsourcelines(package_object(name, modidx))[1]
    except (TypeError, OSError): return 0

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
