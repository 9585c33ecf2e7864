# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench schema docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qbank lint banks

test: $(STAMP)
	$(BIN)/python -m pytest -q

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Speed, measured as ratios against baselines taken in the same run (not a test).
bench: $(BENCH_STAMP)
	$(BIN)/python bench/lint_vs_floor.py
	$(BIN)/python bench/targets.py

schema: $(STAMP)
	$(BIN)/qbank schema > schemas/qbank-file.schema.json
	$(BIN)/python -m qbank.docs > docs/rules.md

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .qbank_cache bench/out
