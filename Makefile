# Micro-Futures Lab. Every target sets itself up: it creates .venv if missing and installs the
# pinned requirements plus the library (editable) whenever requirements.txt or pyproject.toml change.
#   make book   build the HTML book (notebooks executed) into _build/html
#   make test   lint, then every test: library (pytest + doctests), notebooks (nbval, offline, twice the
#               same), widgets, the course in JupyterLab in headless chromium, the built book
#   make lab    open the course in JupyterLab
#   make bench  run the benchmarks; figures go to _build/bench.json
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup vendor notebooks book test lint test-lib test-notebooks test-lab test-book lab bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# TCP_NODELAY on the kernel websocket: key press to new figure ~28 ms instead of ~49 ms
	$(BIN)/python -m microfut_lib.lab_server
	touch $(STAMP)

# JavaScript the offline site needs (MathJax, require.js, the widgets manager): pinned npm
# packages fetched into book/_vendor/ (gitignored) by a standard-library Python script (no node
# or npm needed), checked against their sha512.
VENDOR := book/_vendor/vendor/VERSIONS

$(VENDOR): book/fetch_vendor.py
	$(PYTHON) book/fetch_vendor.py

vendor: $(VENDOR)

# Warnings are errors (-W, nitpicky -n); the log is kept for tests/book. After a failed build
# every page is re-read (--all), as Sphinx does not repeat the warnings of unchanged pages; the
# notebooks' cache still spares re-running them. MPLBACKEND is unset so it cannot reach the
# notebook kernels (Agg there removes every inline figure).
book: $(STAMP) $(VENDOR)
	@mkdir -p _build
	@fresh=$$(test "$$(cat _build/.book-rc 2>/dev/null || echo 0)" = 0 || echo --all); \
	{ env -u MPLBACKEND $(BIN)/jupyter-book build . --warningiserror --keep-going -n $$fresh 2>&1; \
	  echo $$? > _build/.book-rc; } | tee _build/book-build.log; exit $$(cat _build/.book-rc)
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

test: lint test-lib test-notebooks test-lab test-book

# pyflakes and import order (ruff, configured in pyproject.toml); `ruff check . --fix` sorts imports
lint: $(STAMP)
	$(BIN)/ruff check .

test-lib: $(STAMP)
	$(BIN)/python -m pytest -q tests microfut_lib --ignore=tests/book --ignore=tests/lab

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -q --nbval-lax notebooks

# Every notebook opened in JupyterLab in headless chromium on a temporary copy: Run All, no error,
# every slider moved with the keyboard redraws its figure (skipped with a message where
# /usr/bin/chromium is missing). MPLBACKEND must not reach the server's kernels.
test-lab: $(STAMP)
	env -u MPLBACKEND $(BIN)/python -m pytest -q tests/lab

# The built book: 0 warnings, every page built, links resolve, no external loads; then every
# page in headless chromium (skipped with a message where /usr/bin/chromium is missing).
test-book: book
	$(BIN)/python -m pytest -q tests/book

# Re-execute the notebooks in place (fresh kernel, top to bottom) after a change that moves a
# number they print; review the diff, then commit. MPLBACKEND must not reach the kernel.
notebooks: $(STAMP)
	env -u MPLBACKEND $(BIN)/python scripts/execute_notebooks.py

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# -- workshops (issue 13) ----------------------------------------------------------------------
#   make lite       the JupyterLite site (the course in the browser) into _build/html/lite
#   make slides / learner / handout   the instructor's kit, into _build/ (see book/workshop_kit.md)
#   make sync-repo  rewrite the notebooks' setup cell and deploy/ from _config.yml repository.url
.PHONY: lite slides learner handout sync-repo

# JupyterLite: the notebooks, the library's wheel and the widget wheels (no PyPI fallback),
# published with the book under _build/html/lite/ (each notebook page links to it, so the book's
# tests need it). Warnings fail.
# The build tools have their own environment, .venv-lite (requirements-lite.txt): the Pyodide
# kernel's lab extension must not sit in the course's JupyterLab.
LITE_VENV  := .venv-lite
LITE_STAMP := $(LITE_VENV)/.installed
$(LITE_STAMP): requirements-lite.txt
	test -x $(LITE_VENV)/bin/python || $(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LITE_VENV)/bin/python -m pip install --quiet -r requirements-lite.txt
	touch $(LITE_STAMP)

test-book: lite
lite: $(STAMP) $(LITE_STAMP)
	$(BIN)/python -m scripts.build_lite

# One reveal.js deck per lesson in _build/slides/ (offline: reveal.js, require.js, MathJax local).
# The tests build a deck offline, so test-lib fetches the decks' scripts first.
SLIDES_VENDOR := _build/slides-vendor/reveal.js-4.0.2/dist/reveal.js
$(SLIDES_VENDOR): $(STAMP) $(VENDOR)
	$(BIN)/python -m scripts.build_slides --vendor-only
test-lib: $(SLIDES_VENDOR)

slides: $(STAMP) $(VENDOR)
	$(BIN)/python -m scripts.build_slides

# Learner copies (solutions stripped, outputs cleared) in _build/learner/
learner: $(STAMP)
	$(BIN)/python -m scripts.learner_notebooks

# The one-page formula and risk-rules handout, _build/handout/handout.html
handout: $(STAMP)
	$(BIN)/python -m scripts.build_handout

# After changing repository.url/branch in _config.yml (or adding a notebook): rewrite the setup
# cell of every notebook and the hub configurations in deploy/. Idempotent.
sync-repo: $(STAMP)
	$(BIN)/python -m scripts.sync_repository

clean:
	rm -rf _build .jupyter_cache
