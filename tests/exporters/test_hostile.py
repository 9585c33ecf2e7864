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

from qbank.discovery import discover
from qbank.engine import load_bank
from qbank.exporters import export_bank
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


@pytest.mark.parametrize("fmt", ["moodle", "qti"])
@pytest.mark.parametrize(
    ("field", "where"),
    [("stem", "the stem"), ("why", "an option"), ("category", "the category"), ("tag", "the tags")],
)
def test_xml_formats_refuse_a_control_character_with_a_note_not_a_traceback(tmp_path, fmt, field, where):
    """XML cannot carry U+0001 even escaped (lxml raised ValueError from the QTI export). Lint's QB113
    reports it first; an export that runs with QB113 ignored refuses the question and says where."""
    texts = {"stem": "Which layer keeps a cell state?", "why": "It keeps no state.", "category": "RNN", "tag": "rnn"}
    texts[field] = texts[field][:3] + "\x01" + texts[field][3:]
    quoted = {key: json.dumps(value) for key, value in texts.items()}
    bank = write_bank(tmp_path, {"b.yaml": (
        f"questions:\n  - id: q1\n    stem: {quoted['stem']}\n    category: {quoted['category']}\n    tags: [{quoted['tag']}]\n"
        f"    options:\n      - text: LSTM\n        correct: true\n      - text: Dense\n        why: {quoted['why']}\n"
    )})
    result = export_bank(load_bank(discover([bank])), fmt, "b")
    assert [(note.question_id, note.message) for note in result.refused] == [
        ("q1", f"{where} holds a control character that XML cannot carry (see QB113)")
    ]
