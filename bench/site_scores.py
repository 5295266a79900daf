"""`make bench`'s section on the site (issue 29): Lighthouse's mobile scores, medians of three runs, on the pages issue 29
named, the built site (`make docs`) served gzip-compressed from this machine as a static host serves it; with each
page's first and largest paint, blocking time and bytes. axe-core is not here: `make test` allows no violation at all.
`python bench/site_scores.py` measures and prints JSON; `make bench` keeps it in results.json; `site_section` shows it."""
import json, sys
from pathlib import Path

here = Path(__file__).parent
PAGES = ['index.html', 'sgd_quadratic.html', 'linear.html', 'full_mnist.html', 'draw.html']

def measure(pages:list=PAGES)->dict:
    "Page -> its medians (`tests/test_light.median_scores`)"
    sys.path.insert(0, str(here.parent/'tests'))
    from conftest import serve_site
    from test_light import median_scores
    with serve_site('index.html', gzip=True) as url: return {p: median_scores(url + p) for p in pages}

def site_section(site:dict)->str:
    "The table, or what to run"
    if not site: return '*Not measured yet: `make docs`, then `make bench`.*'
    lines = ['| page | performance | accessibility | best practices | first paint | KiB |',
             '|---|--:|--:|--:|--:|--:|']
    for p, m in site.items():
        lines.append(f"| {p[:-5]} | {m['performance']:.0f} | "
                     f"{m['accessibility']:.0f} | {m['best_practices']:.0f} | {m['fcp_s']:.1f} s | "
                     f"{m['bytes']/1024:,.0f} |")
    runs = '; '.join(f"{p[:-5]} {', '.join(map(str, m['performance_runs']))}" for p, m in site.items())
    return '\n'.join(lines) + f'\n\nPerformance, run by run: {runs}.'

if __name__ == '__main__': print(json.dumps(measure()))
