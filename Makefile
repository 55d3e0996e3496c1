# The project always installs into its own virtual environment: `modal`, one of its import
# packages, shares its name with an unrelated distribution on the package index.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_DOCS := $(VENV)/.installed-docs
SOURCES := $(shell find modal theory dynamics numpol -name "*.py")
SPHINX := $(BIN)/sphinx-build -b html -n -W --keep-going -q

.PHONY: reproduce test lint typecheck bench clean docs docs-check

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

$(STAMP_DOCS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@ $(STAMP_RUN)

# The gallery shows the report's figures: rerun the reproduction when the code is newer than it
# (a claim that disagrees still writes the report, which the site then shows).
reports/report.md: $(SOURCES) | $(STAMP_RUN)
	MPLBACKEND=Agg $(BIN)/numpol reproduce || test -f $@

# The site, notebooks executed (cached in docs/_build/.jupyter_cache); warnings are errors.
docs: $(STAMP_DOCS) reports/report.md
	$(SPHINX) docs docs/_build/html

# What CI builds: the same site, notebooks not executed and no report (the gallery says so).
docs-check: $(STAMP_DOCS)
	NUMPOL_DOCS_EXECUTE=off NUMPOL_REPORTS=docs/_build/no-report $(SPHINX) docs docs/_build/check

bench: $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) reports/*.png reports/*.md docs/_build docs/api docs/generated
