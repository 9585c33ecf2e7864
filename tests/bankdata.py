"""Build a Bank from plain bank-file data, through the writer and the loader, as users' files are read."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from hypothesis import strategies as st

from qbank.bank import Bank, assemble
from qbank.loader import load_text
from qbank.model import BankFile
from qbank.validation import validate_file
from qbank.writer import dump_bank_file
from tests.strategies import identifier, tag


def bank_from(data: dict[str, Any], name: str = "bank.yaml") -> Bank:
    return bank_from_files({name: data})


def bank_from_files(files: dict[str, dict[str, Any]]) -> Bank:
    """A bank of several files, by their paths below the bank root."""
    validated = []
    for name, data in files.items():
        loaded = validate_file(load_text(dump_bank_file(data), name, Path(name)))
        assert not loaded.schema_findings, loaded.schema_findings
        validated.append((loaded, PurePosixPath(name)))
    return assemble(validated)


def loaded(data: dict[str, Any]) -> BankFile:
    """Bank-file data as qbank reads it back from its canonical YAML, for comparing two banks."""
    return BankFile.model_validate(load_text(dump_bank_file(data), "x.yaml").document.data)


category_level = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _/-]{0,10}[A-Za-z0-9]", fullmatch=True).filter(
    lambda level: level != "top"
)
"""A category name, which may hold a slash (written ``//`` in a category path)."""
category = st.lists(category_level, min_size=1, max_size=3).map(lambda levels: "/".join(l.replace("/", "//") for l in levels))
file_path = st.from_regex(r"([a-z][a-z0-9_-]{0,5}/){0,2}[a-z0-9][a-z0-9_-]{0,7}\.yaml", fullmatch=True)
lint_settings = st.one_of(st.none(), st.builds(lambda codes: {"ignore": codes}, st.lists(st.sampled_from(["QB1", "QB110", "QB2", "QB109"]), min_size=1, max_size=2, unique=True)))
points = st.one_of(st.sampled_from([1.0, 2, 0.5, 3.25]), st.floats(min_value=0.0001, max_value=1000, allow_nan=False, allow_infinity=False))


@st.composite
def questions(draw, text, single=True, multiple=True, true_false=True, with_whys=True, settings=False, prefix="") -> list[dict[str, Any]]:
    """Valid questions (unique ids, keys as the type wants), with texts drawn from ``text``.

    With ``settings``, also difficulty, source, shuffle, points and lint settings.
    """
    kinds = [k for k, on in (("single", single), ("multiple", multiple), ("true_false", true_false)) if on]
    ids = draw(st.lists(identifier, min_size=1, max_size=4, unique=True))
    out = []
    for question_id in (prefix + i for i in ids):
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
        if settings:
            question.update({
                "difficulty": draw(st.sampled_from([None, "easy", "medium", "hard"])),
                "source": draw(st.one_of(st.none(), text)),
                "shuffle": draw(st.booleans()),
                "points": draw(points),
                "lint": draw(lint_settings),
            })
        out.append(question)
    return out


@st.composite
def bank_files(draw, text, prefix="", **kinds) -> dict[str, Any]:
    data = {
        "category": draw(st.one_of(st.none(), category)),
        "tags": draw(st.lists(tag, max_size=2, unique=True)),
        "questions": draw(questions(text, prefix=prefix, **kinds)),
    }
    if kinds.get("settings"):
        data["lint"] = draw(lint_settings)
    return data


@st.composite
def banks(draw, text, **kinds) -> dict[str, dict[str, Any]]:
    """Several bank files by path (ids unique across them), every setting drawn."""
    paths = draw(st.lists(file_path, min_size=1, max_size=3, unique=True))
    return {path: draw(bank_files(text, prefix=f"f{n}.", settings=True, **kinds)) for n, path in enumerate(paths)}


def export_then_import(exporter, importer, bank: Bank):
    """Export ``bank``, write the single output file, and import it: (export result, import result)."""
    exported = exporter.export(bank, "bank")
    ((name, content),) = exported.files.items()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return exported, importer.read(path)
