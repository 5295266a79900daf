"""Part of step 6 (`light.lighten`): what the theme writes made usable by everyone (issue 29), each a fix for a rule of
WCAG that axe-core checks (tests/test_light.py). A control's name is what a screen reader says and what a voice
user says to press it: it must name it, and hold the words shown on it."""
import re

def visible_names(page:str)->str:
    """The search button named by what it shows ("Search Ctrl+K"), not by a shorter label; the code folds' summaries
    likewise ("Show code cell source")"""
    page = re.sub(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"', r'\1', page)
    return page.replace('<summary aria-label="Toggle hidden content">', '<summary>')

def named_toggles(page:str)->str:
    "The sidebar's arrows that open a part's pages, named for a screen reader (they show only an arrow)"
    return page.replace('<summary><span class="toctree-toggle" role="presentation">',
                        '<summary><span class="visually-hidden">Show the pages under this one</span>'
                        '<span class="toctree-toggle" role="presentation">')

_re_nested = re.compile(r'(<a class="reference internal nav-link"[^>]*>)<a [^>]*>(.*?)</a></a>', re.S)

def flat_toc_links(page:str)->str:
    "A heading that links to a function (`predict`) is one link, not a link inside a link, in the page's contents"
    return _re_nested.sub(r'\1\2</a>', page)

def accessible(page:str)->str:
    "Every fix, on one page's HTML"
    return flat_toc_links(named_toggles(visible_names(page)))
