# The project always installs into its own virtual environment: `modal`, one of its import
# packages, shares its name with an unrelated distribution on the package index.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: reproduce test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

reproduce: $(STAMP_RUN)
	MPLBACKEND=Agg $(BIN)/numpol reproduce

lint: $(STAMP_TEST)
	$(BIN)/ruff check modal theory dynamics numpol tests benchmarks conftest.py

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

test: lint typecheck
	MPLBACKEND=Agg $(BIN)/python -m pytest -n 2 -q

bench: $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) reports/*.png reports/*.md
