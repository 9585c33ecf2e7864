"""qbank: lint, export and import multiple-choice question banks kept as YAML files."""

from qbank import compiled as _compiled

__version__ = "0.1.0"

_compiled.install()  # before any other qbank module is imported: see qbank/compiled.py
