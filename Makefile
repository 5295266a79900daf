# mnist37: `make report` sets everything up and runs the chapter; `make test` is the full check CI runs.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: report bench tune weights test venv data check-export check-clean check-readme nbtest pytest docs readme

# Installs again only when pyproject.toml's content changes (nbdev-export rewrites the file, so its date says nothing).
venv:
	@sum=$$(sha1sum pyproject.toml); if [ "$$(cat $(BIN)/.installed 2>/dev/null)" != "$$sum" ]; then \
	  set -e; test -x $(BIN)/python || python3 -m venv $(VENV); \
	  $(BIN)/pip install -q --upgrade pip; $(BIN)/pip install -q -e ".[dev]"; echo "$$sum" > $(BIN)/.installed; fi

# fastai's untar_data downloads MNIST on first use; offline, extract it from ../shared where that exists.
data: venv
	@if [ -x $(SHARED)/bin/seed-fastai-data ]; then $(SHARED)/bin/seed-fastai-data >/dev/null; fi

# The main job: every approach of the chapter on the 3s and 7s, then the ten-digit model on all of MNIST.
report: venv data
	$(BIN)/mnist37 report --full

# The weights the package ships (mnist37/weights/*.safetensors: the two CNNs `mnist37 predict` reads, and the draw
# page's ladder's three small 3-vs-7 models), trained again by `make_weights` (`mnist37.shipped`).
weights: venv data
	$(BIN)/python -c "from mnist37.shipped import make_weights; print(make_weights())"

# The book's own code vs mnist37 on this machine: the whole pipeline (alternating, REPS times each), the time to each
# of the book's accuracies, every recipe over its seeds (the 3-vs-7 ones five, the ten-digit ones three), the site's
# pages in Lighthouse (so the site is built first); every table from this one run, which takes about an hour on 2 cores;
# writes bench/results.{json,md} and bench/time_to_accuracy.png.
REPS ?= 3
bench: venv data docs
	$(BIN)/python bench/bench.py --reps $(REPS)

# How the recipes were chosen: every candidate on held-out training digits, five seeds each, three for ten digits
# (rewrites bench/tuning.jsonl);
# and each conv recipe in fp32 and bf16, five seeds each (this CPU's rows of bench/precision.jsonl, `auto`'s evidence).
tune: venv data
	rm -f bench/tuning.jsonl; $(BIN)/python bench/tune.py

# The notebooks are the source: exporting and cleaning them must change nothing.
define unchanged
	@before="$$(git status --porcelain; git diff | sha1sum)"; $(1) >/dev/null; \
	after="$$(git status --porcelain; git diff | sha1sum)"; \
	if [ "$$before" != "$$after" ]; then echo "$(2)"; git status --short; exit 1; fi
endef

check-export: venv
	$(call unchanged,$(BIN)/nbdev-export,nbdev-export changed files: run it and commit the result)

check-clean: venv
	$(call unchanged,$(BIN)/nbdev-clean,nbdev-clean changed files: run it and commit the result)

# nbdev-test runs one notebook per core at once; one torch thread each keeps them from fighting over the cores.
nbtest: venv data
	OMP_NUM_THREADS=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbdev-test --timing

# The website, in _docs/: nbdev processes the notebooks (their stored outputs, nothing re-run), Jupyter Book renders them.
docs: venv docs/node_modules/.package-lock.json
	PYTHONPATH=$(CURDIR):$(CURDIR)/docs $(BIN)/python -m website build

# ONNX Runtime Web for the "Draw a digit" page: the exact version docs/package-lock.json pins (npm ci writes
# docs/node_modules/.package-lock.json, so this runs again only when the lock file changes)
docs/node_modules/.package-lock.json: docs/package-lock.json
	npm ci --prefix docs --ignore-scripts --no-audit --no-fund

# README.md is made from nbs/developers.ipynb under the home page's title (nbs/index.ipynb); `check-readme` fails when it is stale.
readme: venv
	PYTHONPATH=$(CURDIR):$(CURDIR)/docs $(BIN)/python -m website readme

check-readme: venv
	@PYTHONPATH=$(CURDIR):$(CURDIR)/docs $(BIN)/python -m website readme --check

# tests/ check the site in headless Chromium, so the site is built first.
pytest: venv docs
	@if ls tests/test_*.py >/dev/null 2>&1; then $(BIN)/pytest -q tests; else echo "no pytest tests"; fi

test: check-export check-clean check-readme nbtest pytest
