"""Exporters, registered by format name. ``EXPORTERS`` feeds ``qbank export --to``.

An exporter turns a lint-clean :class:`~qbank.bank.Bank` into files, and says what
it could not carry as :class:`ExportNote` values. It streams each file into an
:class:`~qbank.exporters.write.Output` as it is produced: in memory by default (the
bytes land in :attr:`ExportResult.files`), or into temporary files that ``qbank
export`` puts in place atomically once every format is done (:mod:`qbank.exporters.write`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from qbank.bank import Bank, BankQuestion
from qbank.exporters.write import MemoryOutput, Output
from qbank.model import MULTIPLE, TRUE_FALSE, Question
from qbank.model.fields import text_fields
from qbank.text import XML_FORBIDDEN, holds_xml_forbidden


@dataclass
class ExportNote:
    """Something a format cannot carry (a warning), or a question it refuses (an error)."""

    message: str
    question_id: str | None = None
    severity: str = "warning"  # "warning" or "error"
    file: str | None = None
    """The bank file the question is in, when known."""


@dataclass
class ExportResult:
    files: dict[str, bytes] = field(default_factory=dict)
    """Output files by name, relative to the output folder (when written in memory)."""
    notes: list[ExportNote] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Ids of questions left out because the format cannot hold them (each also has a note)."""

    @property
    def refused(self) -> list[ExportNote]:
        return [n for n in self.notes if n.severity == "error"]


def xml_refusal(item: BankQuestion) -> str | None:
    """Why an XML format must refuse ``item``: which of its texts holds a character XML cannot carry
    (lint's QB113 reports them first), or None."""
    fields = [*text_fields(item.question), *((("category",), level) for level in item.category), *((("tags",), tag) for tag in item.tags)]
    if not holds_xml_forbidden(text for _, text in fields):
        return None
    for path, text in fields:
        if XML_FORBIDDEN.search(text):
            where = "an option" if path[0] == "options" else f"the {path[0]}"
            return f"{where} holds a control character that XML cannot carry (see QB113)"
    return None


def key_refusal(question: Question) -> str | None:
    """Why a format that marks the key(s) must refuse ``question``: a single-answer or true/false
    question without exactly one correct option, or a multiple-answer one without any (lint's QB103
    and QB104 report them first); or None."""
    keys = sum(option.correct for option in question.options)
    if question.type == MULTIPLE:
        return None if keys else "a multiple-answer question needs at least one correct option (see QB103)"
    if keys != 1:
        kind = "true/false" if question.type == TRUE_FALSE else "single-answer"
        return f"a {kind} question needs exactly one correct option, not {keys} (see QB103, QB104)"
    return None


class Exporter:
    name: ClassVar[str]
    summary: ClassVar[str]
    extension: ClassVar[str] = ""
    """What follows the bank name in the output file's name, e.g. ``.moodle.xml``."""
    defaults: ClassVar[dict[str, Any]] = {}
    """Options and their defaults, settable under [tool.qbank.exports.NAME]."""

    def __init__(self, options: dict[str, Any] | None = None, jobs: int | None = 1) -> None:
        """``jobs``: worker processes for a large bank (None: one per core; see :mod:`qbank.exporters.parallel`)."""
        self.jobs = jobs
        unknown = set(options or {}) - set(self.defaults)
        if unknown:
            known = ", ".join(self.defaults) or "none"
            raise ValueError(f"export {self.name} has no option {', '.join(sorted(unknown))} (it has: {known})")
        self.options = {**self.defaults, **(options or {})}

    def export(self, bank: Bank, bank_name: str, progress=None, output: Output | None = None) -> ExportResult:
        """Write the output into ``output`` (default: in memory, into the result's ``files``).

        ``progress(n)`` is called with the number of questions just done.
        """
        result = ExportResult()
        self.write(bank, bank_name, output or MemoryOutput(result.files), result, progress)
        return result

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        """Write each file with ``output.open(name)``; add notes and skipped ids to ``result``."""
        raise NotImplementedError


EXPORTERS: dict[str, type[Exporter]] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    EXPORTERS[cls.name] = cls
    return cls


def export_bank(bank: Bank, format_name: str, bank_name: str, options: dict[str, Any] | None = None) -> ExportResult:
    """Export a loaded bank to one format in memory (the benchmark and tests call this)."""
    return EXPORTERS[format_name](options).export(bank, bank_name)


from qbank.exporters import aiken, anki_package, anki_text, gift, json_export, moodle, qti  # noqa: E402,F401  (registers them)
