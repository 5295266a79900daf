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

_re_hidden_toggle = re.compile(r'<button class="pst-navbar-icon sidebar-toggle (primary|secondary)-toggle"[^>]*>.*?</button>\s*', re.S)

def working_toggles(page:str)->str:
    """The theme's header holds a second, hidden pair of sidebar buttons ahead of the visible ones, and its scripts
    listen only to the first of each (pydata-sphinx-theme#2451): on a phone the menu button did nothing. Without the
    hidden pair, the buttons a reader sees open the site's pages and the page's contents"""
    return _re_hidden_toggle.sub('', page)

_re_empty_th = re.compile(r'<th((?: [\w-]+="[^"]*")*)\s*>\s*(?:&nbsp;)?\s*</th>')

def real_headers(page:str)->str:
    """A table's empty corner cells (pandas writes `<th class="blank">&nbsp;</th>` above the index) are plain cells: a
    header names its column or row, and a screen reader reads an empty one as a nameless header"""
    return _re_empty_th.sub(r'<td\1></td>', page)

_re_logo = re.compile(r'<div class="sidebar-primary-item">(\s*<a class="navbar-brand logo".*?</a>)</div>', re.S)

def logo_in_landmark(page:str)->str:
    """The sidebar's title, a link to the home page, is site navigation (`<nav aria-label="Site">`): it was the one
    piece of a page outside every landmark, which a screen reader's list of regions skips"""
    return _re_logo.sub(r'<nav class="sidebar-primary-item" aria-label="Site">\1</nav>', page)

def accessible(page:str)->str:
    "Every fix, on one page's HTML"
    return logo_in_landmark(real_headers(working_toggles(flat_toc_links(named_toggles(visible_names(page))))))
