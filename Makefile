# geodisp: two commands do all set-up on a fresh machine with Python 3.11 and make.
#   make demo   creates .venv, installs geodisp, runs the embedded demo event
#   make test   creates .venv if needed, installs with the dev extra, runs the suite
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-dev

.PHONY: demo test venv clean bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/geodisp demo

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) scripts/bench_overlay.py

clean:
	rm -rf $(VENV) layers/demo* .pytest_cache
