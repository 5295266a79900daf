"""The mnist37 website and README.md, made from the notebooks with no network and no re-execution:

    python -m website build            # the site in _docs/ (Jupyter Book 1.x over nbdev-processed notebooks)
    python -m website readme           # README.md from nbs/developers.ipynb (under index.ipynb's title)
    python -m website readme --check   # exit 1, saying to run `make readme`, when README.md is stale

(run with docs/ and the repository on PYTHONPATH, as the Makefile does)"""
import sys
from .build import build, config
from .readme import readme

if __name__ == '__main__':
    cmd, *args = sys.argv[1:] or ['build']
    if cmd == 'build': build()
    elif cmd == 'readme': readme(config(), check='--check' in args)
    else: sys.exit(__doc__)
