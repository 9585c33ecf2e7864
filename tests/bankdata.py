"""Build a Bank from plain bank-file data, through the writer and the loader, as users' files are read."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from hypothesis import strategies as st

from qbank.bank import Bank, assemble
from qbank.loader import load_text
from qbank.validation import validate_file
from qbank.writer import dump_bank_file
from tests.strategies import identifier, tag


def bank_from(data: dict[str, Any], name: str = "bank.yaml") -> Bank:
    validated = validate_file(load_text(dump_bank_file(data), name, Path(name)))
    assert not validated.schema_findings, validated.schema_findings
    return assemble([(validated, PurePosixPath(name))])


category_level = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]", fullmatch=True).filter(
    lambda level: level != "top"
)
category = st.lists(category_level, min_size=1, max_size=3).map("/".join)


@st.composite
def questions(draw, text, single=True, multiple=True, true_false=True, with_whys=True) -> list[dict[str, Any]]:
    """Valid questions (unique ids, keys as the type wants), with texts drawn from ``text``."""
    kinds = [k for k, on in (("single", single), ("multiple", multiple), ("true_false", true_false)) if on]
    ids = draw(st.lists(identifier, min_size=1, max_size=4, unique=True))
    out = []
    for question_id in ids:
        kind = draw(st.sampled_from(kinds))
        why = st.one_of(st.none(), text) if with_whys else st.none()
        if kind == "true_false":
            key = draw(st.booleans())
            options = [
                {"text": "True", "correct": key, "why": draw(why)},
                {"text": "False", "correct": not key, "why": draw(why)},
            ]
        else:
            count = draw(st.integers(2, 6))
            options = [{"text": draw(text), "why": draw(why)} for _ in range(count)]
            if kind == "single":
                keys = {draw(st.integers(0, count - 1))}
            else:
                keys = set(draw(st.lists(st.integers(0, count - 1), min_size=1, unique=True)))
            for index, option in enumerate(options):
                option["correct"] = index in keys
        question = {
            "id": question_id,
            "type": kind,
            "stem": draw(text),
            "options": options,
            "explanation": draw(st.one_of(st.none(), text)) if with_whys else None,
            "tags": draw(st.lists(tag, max_size=3, unique=True)),
            "category": draw(st.one_of(st.none(), category)),
        }
        out.append(question)
    return out


@st.composite
def bank_files(draw, text, **kinds) -> dict[str, Any]:
    return {
        "category": draw(st.one_of(st.none(), category)),
        "tags": draw(st.lists(tag, max_size=2, unique=True)),
        "questions": draw(questions(text, **kinds)),
    }


def export_then_import(exporter, importer, bank: Bank):
    """Export ``bank``, write the single output file, and import it: (export result, import result)."""
    exported = exporter.export(bank, "bank")
    ((name, content),) = exported.files.items()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return exported, importer.read(path)
