# Every target bootstraps .venv itself: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_BASE := $(VENV)/.stamp-base
STAMP_TEST := $(VENV)/.stamp-test
CONSTRAINTS := requirements/constraints.txt

.PHONY: demo test lint typecheck bench dist clean venv

$(STAMP_BASE): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[plot,yaml]"
	touch $@

$(STAMP_TEST): pyproject.toml $(CONSTRAINTS) $(STAMP_BASE)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[test,loops]"
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

# mypy --strict on the package (tests/test_typing.py runs the same check in `make test`).
typecheck: $(STAMP_TEST)
	$(VENV)/bin/mypy

bench: $(STAMP_TEST)
	$(PY) benchmarks/run_all.py

# The sdist and the wheel (the wheel built from the sdist, so the sdist is proven complete),
# checked as PyPI would render and validate them.
dist: $(STAMP_TEST)
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(PY) -m twine check --strict dist/*

clean:
	rm -rf $(VENV) build dist .pytest_cache
