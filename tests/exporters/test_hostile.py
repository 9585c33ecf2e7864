"""Hostile text keeps its meaning in every format, read back with that format's own parser.

Each text below is plain Markdown text (no Markdown syntax), so its meaning is the
text itself: the HTML we write must show exactly these characters. Raw HTML such
as ``<script>`` is shown as text, never run (see qbank/render.py).
"""

from __future__ import annotations

import json

import lxml.html
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest, ImportCsvRequest
from lxml import etree

from qbank.exporters.anki_note import guid
from tests.exporters.conftest import export, write_bank

STEM = "Which marker ]]> ends CDATA? <script>alert('x')</script> & {braces} ~tilde =eq #hash :colon\ttab\nnew line Ünïcödé 日本語 💡"
KEY = "]]> & <div> {=~#:}"
WRONG = "\"quoted\" 'single' \\ back\tslash <b onclick=x>"
WHY = "No:\ttab & ]]> <iframe src=x>\nsecond line"


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    text = "questions:\n  - id: hostile\n    stem: {stem}\n    options:\n      - text: {key}\n        correct: true\n      - text: {wrong}\n        why: {why}\n    explanation: {why}\n"
    quoted = {k: json.dumps(v, ensure_ascii=False) for k, v in {"stem": STEM, "key": KEY, "wrong": WRONG, "why": WHY}.items()}
    return write_bank(folder, {"b.yaml": text.format(**quoted)})


def shown(html: str) -> str:
    """What a browser shows for an HTML fragment (its text, entities decoded)."""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content() if html else ""


def test_moodle(bank):
    root = etree.fromstring(export(bank, "moodle"), etree.XMLParser(recover=False))
    (question,) = root.iterfind("question[@type='multichoice']")
    assert shown(question.findtext("questiontext/text")) == STEM
    assert shown(question.findtext("generalfeedback/text")) == WHY
    answers = list(question.iter("answer"))
    assert [shown(a.findtext("text")) for a in answers] == [KEY, WRONG]
    assert shown(answers[1].findtext("feedback/text")) == WHY
    assert "<script>" not in question.findtext("questiontext/text")


def test_json(bank):
    document = json.loads(export(bank, "json"))
    (entry,) = document["questions"]
    assert entry["question"]["stem"] == STEM
    assert [o["text"] for o in entry["question"]["options"]] == [KEY, WRONG]
    assert shown(entry["html"]["stem"]) == STEM
    assert [shown(o["text"]) for o in entry["html"]["options"]] == [KEY, WRONG]
    assert shown(entry["html"]["options"][1]["why"]) == WHY


def check_note(col: Collection) -> None:
    (note_id,) = col.find_notes("")
    note = col.get_note(note_id)
    assert note.guid == guid("hostile")
    assert shown(note["Stem"]) == STEM
    assert shown(note["Explanation"]) == WHY
    options = lxml.html.fragment_fromstring(note["Options"], create_parent="div").findall(".//li")
    assert [o.text_content() for o in options] == [KEY, WRONG]
    assert WHY in shown(note["Whys"])
    assert "<script>" not in note["Stem"] and "<iframe" not in note["Whys"]


def test_anki_package(bank, tmp_path):
    (tmp_path / "b.apkg").write_bytes(export(bank, "anki"))
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "b.apkg")))
        check_note(col)
    finally:
        col.close()


def test_anki_text(bank, tmp_path):
    (tmp_path / "b.apkg").write_bytes(export(bank, "anki"))
    (tmp_path / "b.txt").write_bytes(export(bank, "anki-text"))
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "b.apkg")))
        col.remove_notes(col.find_notes(""))
        metadata = col.get_csv_metadata(str(tmp_path / "b.txt"), None)
        log = col.import_csv(ImportCsvRequest(path=str(tmp_path / "b.txt"), metadata=metadata)).log
        assert len(log.new) == 1
        check_note(col)
    finally:
        col.close()
