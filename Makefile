# Every target bootstraps .venv itself: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_BASE := $(VENV)/.stamp-base
STAMP_TEST := $(VENV)/.stamp-test
CONSTRAINTS := requirements/constraints.txt

.PHONY: demo test bench clean venv

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

test: $(STAMP_TEST)
	$(PY) -m pytest -q

bench: $(STAMP_TEST)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
