"""From an nbdev-processed notebook to a page Jupyter Book (MyST-NB) reads: the title back from frontmatter, Quarto's
cell options as MyST-NB tags, boxed asides, each piece shown once, figures at the size their code asked for."""
import re, struct
from base64 import b64decode
from copy import deepcopy
import yaml
from .cards import clean_show_doc, is_class, source_line

_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_opt_tags = {('echo','false'):'remove-input', ('output','false'):'remove-output', ('include','false'):'remove-cell',
             ('code-fold','true'):'hide-input', ('code-fold','show'):'exported-source'}
# nbdev marks the cells of `#| exports` `code-fold: show` (Quarto: unfolded, with a button to fold): here their source is
# shown as any code is, tagged `exported-source`, in place of the `show_doc` cards of what they define

def cell_options(src:str):
    "Split the leading `#| key: value` lines (Quarto options nbdev leaves in place) off a code cell's source"
    lines, opts = src.splitlines(), {}
    while lines and _re_dir.match(lines[0]):
        k,v = _re_dir.match(lines.pop(0)).groups()
        opts[k] = v.strip().strip('"\'')
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

def png_inches(b64:str):
    "Width in inches of a base64 PNG as matplotlib saved it (pixels over the dpi of its `pHYs` chunk), or None"
    b = b64decode(''.join(b64))
    i = b.find(b'pHYs', 0, 200)
    if i < 0: return None
    ppm = struct.unpack('>I', b[i+4:i+8])[0]   # pixels per metre
    return struct.unpack('>I', b[16:20])[0] / (ppm*0.0254) if ppm else None

# Every matplotlib figure is shown at 100 px an inch, the size in pixels matplotlib gives it (`figsize` times 100),
# at most the column's width (CSS: max-width 100%). One wider than this is too small to read at a phone's width, so it
# is tagged `wide-figure`: the build makes it a link to the figure at full size, for a tap to open.
WIDE_INCHES = 7.2

def _tags(c): return c.get('metadata', {}).get('tags', [])

def _card_name(c):
    "The name a `show_doc` card documents, or `None` for any other cell"
    m = re.search(r'show_doc\((\w+)', c['source']) if 'show-doc' in _tags(c) else None
    return m and m.group(1)

def _defined(src:str)->list:
    "The names a cell defines at its top level: functions, classes, assigned constants"
    return [a or b for a, b in re.findall(r'^(?:def|class)\s+(\w+)|^([A-Za-z_]\w*)\s*=[^=]', src, re.M)]

def pieces_once(cells:list)->list:
    """Each piece shown once: the `show_doc` cards of what an `#| exports` cell defines are dropped where its code is
    shown (the API pages keep them), an anchor named like each card's (`#mnist_loss`) kept above the code"""
    drop, anchors = set(), {}
    for i, c in enumerate(cells):
        if c['cell_type'] != 'code' or 'exported-source' not in _tags(c): continue
        anchors[i] = names = _defined(c['source'])
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(cells) and _card_name(cells[j]) in names: drop.add(j); j += step
    out = []
    for i, c in enumerate(cells):
        if i in drop: continue
        if anchors.get(i): out.append(dict(cell_type='markdown', id=f"{c.get('id', i)}-anchors", metadata={},
                                           source=''.join(f'<span id="{n.lower()}"></span>' for n in anchors[i])))
        out.append(c)
    return out

def cards_in_order(cells:list, modidx:dict)->list:
    """The `show_doc` cards of a run in the order of the code that defines them (nbdev adds those of one cell in reverse:
    `mnist_style` before `ink`, the first step)"""
    out, run = [], []
    for c in cells + [None]:
        if c is not None and c['cell_type'] == 'code' and _card_name(c): run.append(c); continue
        out += sorted(run, key=lambda d: source_line(_card_name(d), modidx)); run = []
        if c is not None: out.append(c)
    return out

def _code_cell(c, src, fix_links, modidx, site):
    "A processed code cell: its options as tags, its figures sized, its `show_doc` card cleaned"
    opts, c['source'] = cell_options(src)
    tags = [t for k,v in opts.items() if (t := _opt_tags.get((k,v.lower())))]
    md = c['metadata']
    if opts.get('fig-alt'): md['mystnb'] = dict(image=dict(alt=opts['fig-alt']))   # what the figure shows, in words
    for k in ('execution', 'language'): md.pop(k, None)
    if re.search(r'\bshow_digits\(', c['source']): tags.append('show-digits')
    for o in c.get('outputs', []):
        d = o.get('data', {})
        if site and 'image/png' in d and (inches := png_inches(d['image/png'])):
            o.setdefault('metadata', {})['image/png'] = dict(width=f'{round(inches*100)}px')
            if inches > WIDE_INCHES: tags.append('wide-figure')
        if 'text/markdown' in d:
            m = ''.join(d['text/markdown'])
            if 'show_doc(' in src:
                name = re.search(r'show_doc\((\w+)', src)
                m = clean_show_doc(m, cls=bool(name) and is_class(name.group(1), modidx)); d.pop('text/plain', None)
                tags.append('show-doc')
            d['text/markdown'] = fix_links(m, output=True)
    if tags: md['tags'] = sorted(set(md.get('tags', []) + tags))

def to_page(nb:dict, fix_links, modidx:dict, site:bool=True, note:str='', fill:dict=None)->dict:
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
        elif c['cell_type']=='code': _code_cell(c, src, fix_links, modidx, site)
        cells.append(c)
    nb['cells'] = cards_in_order(pieces_once(cells), modidx) if site else cells
    nb['metadata'].pop('widgets', None)   # nbdev records an empty ipywidgets state: it would pull require.js from a CDN
    return nb
