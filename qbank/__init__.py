"""qbank: lint, export and import multiple-choice question banks kept as YAML files."""

__version__ = "0.1.0"
