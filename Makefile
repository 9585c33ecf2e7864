# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz bench schema docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Byte-compiled as pip compiles an installed package: where the environment forbids writing
# bytecode (PYTHONDONTWRITEBYTECODE), an editable install would compile qbank on every run.
# The install also builds qbank's compiled modules (setup.py; optional, they need a C compiler):
# the loader's lean path (qbank/loader/lean_compiled.pyx, with libyaml's headers) and the modules
# that run for every question (setup.py's list, repeated here; a test compares). After editing one, make builds
# them again; until then the edited module runs from its source (qbank/compiled.py).
COMPILED := qbank/loader/lean_compiled.pyx \
	$(filter-out %/__init__.py %/json_model.py,$(wildcard qbank/rules/structure/*.py qbank/rules/quality/*.py qbank/rules/bank/*.py qbank/exporters/*.py qbank/formats/*.py)) \
	$(addprefix qbank/,$(addsuffix .py,engine bank memo text markdown similarity compact rules/shared rules/parse model/fields grades render))

$(STAMP): pyproject.toml setup.py $(COMPILED) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	$(BIN)/python -m compileall -q qbank
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qbank lint banks
	$(BIN)/qbank export banks --to moodle --to json --to anki --to anki-text --to qti --out dist
	$(BIN)/qbank preview banks --out dist/preview

# The suite runs on every core (pytest-xdist); `.venv/bin/pytest tests/test_x.py` runs one file alone.
test: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed; browser tests will skip"
	$(BIN)/python -m pytest -q -n auto

# The no-traceback fuzz tests, 20 times longer and with new examples each run (make test's are
# fixed, so that a red build always reproduces). A failure prints the input that broke qbank.
fuzz: $(STAMP)
	QBANK_FUZZ=20 $(BIN)/python -m pytest -q -n auto -p no:cacheprovider tests/test_no_tracebacks.py

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml setup.py $(COMPILED) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]' --config-settings editable_mode=compat
	touch $(BENCH_STAMP)

# Speed, measured as ratios against baselines taken in the same run (not a test).
bench: $(BENCH_STAMP)
	$(BIN)/python bench/lint_vs_floor.py
	$(BIN)/python bench/targets.py

schema: $(STAMP)
	$(BIN)/qbank schema > schemas/qbank-file.schema.json
	$(BIN)/qbank schema --export > schemas/qbank-export.schema.json
	$(BIN)/python -m qbank.docs > docs/rules.md

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .qbank_cache bench/out
