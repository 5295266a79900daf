"""The code of the pieces a page shows as code (`#| exports`, tagged `exported-source`), as built: one element per line,
so that a long line wraps with a hanging indent where the column is narrow, and the copy button still copies the lines
as they are written."""
import html, re

_re_exported_pre = re.compile(r'(<div class="cell tag_exported-source[^"]*">\s*<div class="cell_input[^"]*">\s*'
                              r'<div class="highlight-\w+[^"]*"><div class="highlight"><pre>)(.*?)(</pre>)', re.S)
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
