# The one entry point: `make run` and `make test` are all a user needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23 fails on trafilatura's lxml extras: upgrade it first.
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m worldwire run $(ARGS)

demo: $(STAMP)
	$(PY) -m worldwire demo $(ARGS)

test: $(STAMP)
	$(PY) -m ruff check worldwire tests bench
	$(PY) -m mypy
	$(PY) -m pytest -q $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check worldwire tests bench
	$(PY) -m ruff format --check worldwire tests bench
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) -m bench $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
