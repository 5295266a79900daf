"""What the site shows of `make bench`'s results (bench/results.md): the home page's accuracy ladder, and the
developers' page's copy of the whole file."""
import html, re
from .parts import ROOT

BENCH = ROOT/'bench'/'results.md'

def md_tables(md:str)->list:
    "The pipe tables of a markdown text, each as a list of rows, each row a dict from column header to cell text"
    res, rows = [], []
    for line in md.splitlines() + ['']:
        if line.strip().startswith('|'): rows.append([o.strip() for o in line.strip().strip('|').split('|')])
        elif rows:
            if len(rows) > 2: res.append([dict(zip(rows[0], r)) for r in rows[2:]])
            rows = []
    return res

# Rows of the pipeline table whose accuracy the ladder takes from the table of seeds instead: the mean over the seeds
# of the recipe the report trains, rather than the one run of the pipeline
ladder_seeds = {'linear from scratch': 'linear from scratch', 'linear with Learner': 'linear with Learner',
                'simple net': 'simple net', 'resnet18': "resnet18, mnist37's recipe", 'small CNN': 'small CNN, 3s and 7s'}
NUMBERS = {3: 'three', 4: 'four', 5: 'five'}
TEN_DIGITS_SEEDS = 'small CNN, ten digits'   # the ten-digit model's row of the table of seeds

def seed_means(md:str)->dict:
    "Recipe -> `(mean accuracy, as people write them or None, seeds)` from bench/results.md's table of seeds"
    for t in md_tables(md):
        if t and 'recipe' in t[0] and 'mean' in t[0]:
            num = lambda v: float(v) if re.fullmatch(r'[\d.]+', v or '') else None
            return {r['recipe']: (num(r['mean']), num(r.get('as people write them')), int(r['seeds'])) for r in t}
    return {}

def ladder_rows(md:str)->list:
    """`(approach, accuracy, seeds)` of each 3-vs-7 row of bench/results.md's table, from its `mnist37 accuracy`
    column, or, for the rows of `ladder_seeds`, the mean over the seeds of the table of seeds (`seeds`: True)"""
    means = seed_means(md)
    for t in md_tables(md):
        if t and 'mnist37 accuracy' in t[0]:
            rows = [(r['stage'] if 'stage' in r else next(iter(r.values())), float(r['mnist37 accuracy']))
                    for r in t if re.fullmatch(r'[\d.]+', r['mnist37 accuracy'])]
            def seeded(n): return means.get(ladder_seeds.get(n), (None,))[0]
            def n_seeds(n): return means[ladder_seeds[n]][2]
            return [(n, seeded(n), n_seeds(n)) if seeded(n) else (n, a, 0) for n, a in rows]
    return []

def row_chapters()->dict:
    "Each row of `mnist37 report`, by name, and the notebook that teaches it (`taught_in`, in `mnist37.approaches`)"
    from mnist37.approaches import report_rows, full_rows
    return {name: f.chapter for name, f in {**report_rows, **full_rows}.items()}

def ladder_html(pages:dict, md:str=None)->str:
    """The home page's accuracy ladder: how often each approach of the chapter is wrong on the 3s and 7s it never saw,
    one bar each, and the ten-digit model below it, from bench/results.md (so the numbers are those `make bench`
    measured). HTML, one block."""
    md = BENCH.read_text() if md is None else md
    rows, chapters = ladder_rows(md), row_chapters()
    if not rows: return '*The accuracy ladder appears here once `make bench` has written bench/results.md.*'
    worst = max(1-a for _,a,_ in rows)
    def link(approach, text=None):
        page = pages.get(f'{chapters[approach]}.ipynb') if approach in chapters else None
        text = html.escape(text or approach)
        return f'<a href="{page}.html">{text}</a>' if page else text
    items = ''.join(
        f'<li><span class="rung-name">{link(n)}{"*" if seeds else ""}</span><span class="rung-bar"><span '
        f'style="width:{100*(1-a)/worst:.1f}%"></span></span><span class="rung-value">{100*(1-a):.1f}% wrong '
        f'<small>({100*a:.2f}% right)</small></span></li>' for n,a,seeds in rows)
    n = max(s for _,_,s in rows)
    seeds = f' * The mean of {NUMBERS.get(n, n)} seeds; pixel similarity learns nothing and gives the same accuracy every time.' \
        if n else ''
    ten, people, n_ten = seed_means(md).get(TEN_DIGITS_SEEDS, (None, None, 0))
    ten = (f'<p class="mnist37-ten">All ten digits: the {link("small CNN")} reads {100*ten:.2f}% of MNIST\'s 10,000 '
           f'test digits right (the mean of {NUMBERS.get(n_ten, n_ten)} seeds)' + (f', and {100*people:.2f}% of the same digits drawn again '
           f'as people write them' if people else '') + '.</p>') if ten else ''
    return ('<figure class="mnist37-ladder"><ol>' + items + '</ol><figcaption>How often each approach is wrong on the '
            'validation 3s and 7s, which it never trained on: the convolutional nets at the top make the fewest.' + seeds +
            ' The developers\' page has the measurements (<code>make bench</code>).</figcaption></figure>' + ten)

def bench_md(local:bool)->str:
    """bench/results.md for the developers' page and README.md: its text (headings two levels down, under the section
    that shows it) and its figures, plus any `bench/*.png` it does not show yet. On the site the figures are copied
    beside the page (`local`); in README.md they are linked in the repository's bench/."""
    if not BENCH.exists(): return '*No bench/results.md yet: `make bench` writes it.*'
    where = "the website's build" if local else '`make readme`'
    text = re.sub(r'^## The targets\n.*?(?=^## )', '', BENCH.read_text(), flags=re.M | re.S)   # the project's own, not a page's
    md = (f'Here is that file as the last `make bench` wrote it, with its figures (`bench/*.png`): {where} reads it, so '
          'no number below is copied by hand.\n\n' + re.sub(r'^(#+) ', r'##\1 ', text, flags=re.M))
    shown = set(re.findall(r'!\[[^\]]*\]\(([^)\s]+)\)', md))
    md = re.sub(r'(!\[[^\]]*\]\()(?![a-z]+://)([^)\s]+\))', r'\1bench/\2', md)
    extra = sorted(p.name for p in BENCH.parent.glob('*.png') if p.name not in shown)
    return md + ''.join(f'\n\n![{p}](bench/{p})' for p in extra)
