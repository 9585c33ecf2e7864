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

# The last line writes dist/banks.qti.zip until `qbank export` lands: then add `--to qti`
# to the export line and drop it.
demo: $(STAMP)
	$(BIN)/qbank lint banks
	$(BIN)/qbank preview banks --out dist/preview
	$(BIN)/python -c "from pathlib import Path; from qbank.discovery import discover; from qbank.engine import load_bank; from qbank.exporters import EXPORTERS; from qbank.exporters.write import write_atomic; r = EXPORTERS['qti']().export(load_bank(discover(['banks'])), 'banks'); [write_atomic(Path('dist', n), d) for n, d in r.files.items()]; print('Wrote', *(Path('dist', n) for n in r.files))"

test: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed; browser tests will skip"
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/lint_vs_floor.py

schema: $(STAMP)
	$(BIN)/qbank schema > schemas/qbank-file.schema.json
	$(BIN)/python -m qbank.docs > docs/rules.md

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .qbank_cache
