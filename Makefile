# Every target bootstraps .venv itself: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_BASE := $(VENV)/.stamp-base
STAMP_TEST := $(VENV)/.stamp-test
STAMP_DOCS := $(VENV)/.stamp-docs
CONSTRAINTS := requirements/constraints.txt

.PHONY: demo test lint typecheck bench docs dist clean venv fuzz

$(STAMP_BASE): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[plot,yaml]"
	touch $@

# The suite builds the documentation site (tests/test_docs.py): the docs extra comes along.
$(STAMP_TEST): pyproject.toml $(CONSTRAINTS) $(STAMP_BASE)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[test,loops,docs]"
	touch $@

$(STAMP_DOCS): pyproject.toml $(CONSTRAINTS) $(STAMP_BASE)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[docs]"
	touch $@

venv: $(STAMP_BASE)

demo: $(STAMP_BASE)
	$(PY) -m lrdecay demo -o figures

# Lint first: a style error fails fast, before the long test run.
# Two workers (the machines have 2 cores); a test file stays on one worker.
test: lint
	$(PY) -m pytest -q -n 2 --dist loadfile

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Long fuzzing, not part of `make test`: the property and fuzz tests with the `fuzz`
# hypothesis profile (thousands of inputs each, new ones every run), then atheris'
# coverage-guided fuzzer on parse/deserialize for FUZZ_SECONDS.
FUZZ_SECONDS ?= 300
fuzz: $(STAMP_TEST)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[fuzz]"
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_fuzz.py tests/test_properties.py tests/test_precision.py
	mkdir -p .fuzz-corpus
	$(PY) tests/fuzz_atheris.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 .fuzz-corpus
# mypy --strict on the package (tests/test_typing.py runs the same check in `make test`).
typecheck: $(STAMP_TEST)
	$(VENV)/bin/mypy

# The site, into site/; --strict (in mkdocs.yml too) fails on a broken link or a missing reference.
docs: $(STAMP_DOCS)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

bench: $(STAMP_TEST)
	$(PY) benchmarks/run_all.py

# The sdist and the wheel (the wheel built from the sdist, so the sdist is proven complete),
# checked as PyPI would render and validate them.
dist: $(STAMP_TEST)
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(PY) -m twine check --strict dist/*

clean:
	rm -rf $(VENV) build dist site .pytest_cache .hypothesis .fuzz-corpus
