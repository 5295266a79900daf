"""The code of the pieces a page shows as code (`#| exports`, tagged `exported-source`), as built: one element per line,
so that a long line wraps with a hanging indent where the column is narrow, and the copy button still copies the lines
as they are written."""
import html, re
from pathlib import Path

_re_exported_pre = re.compile(r'(<div class="cell tag_exported-source[^"]*">\s*<div class="cell_input[^"]*">\s*'
                              r'<div class="highlight-\w+[^"]*"><div class="highlight"><pre[^>]*>)(.*?)(</pre>)', re.S)
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

def _text(line:str)->str: return html.unescape(re.sub(r'<[^>]+>', '', line))

def line_span(line:str)->str:
    """One line of code as a `<span class="line">` carrying its indent (`--indent`), its newline inside it: the copy
    button copies the text of the `<pre>` (its `textContent`), which keeps that newline, while a block ending in a
    newline shows no empty line after it"""
    text = _text(line)
    return f'<span class="line" style="--indent:{len(text) - len(text.lstrip(" "))}ch">{line}\n</span>'

def exported_lines(page:str)->str:
    """The HTML of a page, each line of the code of its `exported-source` cells one `line_span`: where the column is
    narrower than the package's 120-character lines, mnist37.css wraps a long one with its continuation 4 characters
    further in, as an editor does, instead of at the left edge"""
    return _re_exported_pre.sub(lambda m: m.group(1) + ''.join(map(line_span, code_lines(m.group(2)))) + m.group(3), page)

# --- tokens that style nothing ------------------------------------------------------------------------------------

_re_rule = re.compile(r'html\[data-theme="(\w+)"\] \.highlight(?: \.([\w-]+))? \{([^}]*)\}')
_re_pre = re.compile(r'(<div class="highlight"><pre>)(.*?)(</pre>)', re.S)

def _rules(css:str)->tuple:
    "Pygments' colour of a code block per mode, and each token class's rules: `{mode: colour}, {cls: [(mode, rule)]}`"
    base, rules = {}, {}
    for mode, cls, body in _re_rule.findall(css):
        decl = {k.strip(): v.strip() for k, v in (d.split(':', 1) for d in body.split(';') if ':' in d)}
        if not cls: base[mode] = decl.get('color')
        else: rules.setdefault(cls, []).append((mode, decl))
    return base, rules

def plain_classes(css:str)->set:
    """Pygments' token classes whose only rule, in each colour mode, is the code block's own colour (in the theme's
    accessible styles, names, punctuation and spaces): their spans change nothing a reader sees (`block_colour`)"""
    base, rules = _rules(css)
    return {c for c, rs in rules.items() if sorted(m for m, _ in rs) == sorted(base)
            and all(list(d) == ['color'] and d['color'] == base[m] for m, d in rs)}

PLAIN = 'mnist37-code'   # the class of a `<pre>` whose plain tokens are unwrapped

def block_colour(css:str)->str:
    """Rules giving the text of a `PLAIN` block Pygments' colour for it, which the tokens' spans carried: the theme
    gives a `<pre>` a colour of its own"""
    return ''.join(f'\nhtml[data-theme="{mode}"] .highlight pre.{PLAIN} {{ color: {colour} }}'
                   for mode, colour in _rules(css)[0].items() if colour)

def plain_tokens(page:str, classes:set)->str:
    """`page` with the spans of `classes` in its code blocks unwrapped to their text, and those blocks' `<pre>`s of
    class `PLAIN`: on a page of code, half its elements, each one the browser styles and lays out as the page opens"""
    span = re.compile(r'<span class="(?:' + '|'.join(map(re.escape, sorted(classes))) + r')">([^<]*)</span>')
    def one(m):
        code, n = span.subn(r'\1', m[2])
        return m[1].replace('<pre>', f'<pre class="{PLAIN}">') + code + m[3] if n else m[0]
    return _re_pre.sub(one, page) if classes else page
