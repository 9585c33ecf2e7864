"""The Canvas QTI 1.2 export, judged by the QTI 1.2.1 DTD and read back by meaning.

The DTD is IMS Global's ims_qtiasiv1p2p1.dtd, shipped in tests/data/qti/ (see the
README there for its source). Canvas's rules come from its own bank exporter
(canvas-lms lib/cc/qti/qti_generator.rb, qti_items.rb), cited in qbank/exporters/qti.py.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from qbank.assets import asset_name
from qbank.discovery import discover
from qbank.engine import load_bank
from qbank.exporters import EXPORTERS
from qbank.exporters.qti import FILEBASE
from qbank.render import render_html, render_inline
from tests.conftest import ROOT
from tests.qti_reader import SAFE_PARSER, read_package

DTD = etree.DTD(str(ROOT / "tests" / "data" / "qti" / "ims_qtiasiv1p2p1.dtd"))
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

HOSTILE = '''\
category: "Edge/Cases // Slashes"
tags: [edge]
questions:
  - id: hostile.text:1
    difficulty: hard
    source: "A book & a URL <https://example.org>"
    stem: |
      Which ends CDATA? `]]>` and <script>window.pwned = 1</script> & {braces} ~ = # :	tab, ünïcödé

      ![diagram](<img/diagram one.png>)
    options:
      - text: "]]>"
        correct: true
      - text: "<![CDATA[ x ]]>"
        why: That *opens* one. \\( a < b \\)
    explanation: "Math $$ x^2 $$ and code:\\n\\n```python\\nprint('<&>')\\n```"
  - id: multi
    type: multiple
    shuffle: false
    points: 2.5
    stem: Pick the **gated** layers. <img src="img/diagram one.png" alt="raw">
    options:
      - text: LSTM
        correct: true
        why: Input, forget and output gates.
      - text: GRU
        correct: true
      - text: SimpleRNN
        why: It has no gates.
      - text: Dense
        why: Not recurrent.
  - id: tf
    type: true_false
    stem: A GRU has a separate cell state.
    explanation: It keeps one hidden state.
    options:
      - text: "True"
        why: That is the LSTM.
      - text: "False"
        correct: true
'''


def _export(paths, options=None, name="bank"):
    return EXPORTERS["qti"](options).export(load_bank(discover(paths)), name)


@pytest.fixture
def hostile_bank(tmp_path):
    folder = tmp_path / "edge"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "diagram one.png").write_bytes(PNG)
    (folder / "edge.yaml").write_text(HOSTILE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sample():
    result = _export([ROOT / "banks"], name="banks")
    return result, read_package(result.files["banks.qti.zip"])


def _validate(package) -> None:
    assert package.documents, "no QTI document in the package"
    for name, root in package.documents.items():
        assert DTD.validate(root), f"{name}: {DTD.error_log.filter_from_errors()}"


def test_sample_bank_is_valid_against_the_qti_dtd(sample):
    result, package = sample
    assert list(result.files) == ["banks.qti.zip"] and not result.notes
    _validate(package)


def test_hostile_bank_is_valid_against_the_qti_dtd(hostile_bank):
    _validate(read_package(_export([hostile_bank]).files["bank.qti.zip"]))


def test_the_dtd_check_rejects_a_broken_item(sample):
    _, package = sample
    root = next(iter(package.documents.values()))
    broken = etree.fromstring(etree.tostring(root), SAFE_PARSER)
    del broken.find("objectbank/item").attrib["ident"]
    assert not DTD.validate(broken)
    misplaced = etree.fromstring(etree.tostring(root), SAFE_PARSER)
    item = misplaced.find("objectbank/item")
    item.append(item.find("itemmetadata"))  # metadata after the feedback is not allowed
    assert not DTD.validate(misplaced)


def test_manifest_lists_exactly_the_files_of_the_package(sample):
    _, package = sample
    ns = {"cp": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
    hrefs = package.manifest.xpath("//cp:resource/cp:file/@href", namespaces=ns)
    assert sorted(hrefs) == sorted(n for n in package.files if n != "imsmanifest.xml")
    types = {r.get("href"): r.get("type") for r in package.manifest.xpath("//cp:resource", namespaces=ns)}
    assert {t for h, t in types.items() if h.endswith(".xml")} == {"imsqti_xmlv1p2"}
    assert {t for h, t in types.items() if h.startswith("images/")} == {"webcontent"}
    identifiers = package.manifest.xpath("//@identifier")
    assert len(identifiers) == len(set(identifiers))
    assert package.manifest.findtext("cp:metadata/cp:schema", namespaces=ns) == "IMS Content"


def _expected_map(question_file: Path):
    def map_src(src: str) -> str:
        path = question_file.parent / unquote(src)
        return f"{FILEBASE}/images/{asset_name(path, path.read_bytes())}"

    return map_src


def _round_trip(bank, package) -> None:
    items = {item.title: item for item in package.items}
    assert len(items) == len(package.items) == len(bank.questions)
    kinds = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
             "true_false": "true_false_question"}
    for entry in bank.questions:
        q, item = entry.question, items[entry.id]
        image_map = _expected_map(entry.file.loaded.path)
        assert item.metadata["question_type"] == kinds[q.type]
        assert item.metadata["qbank_id"] == q.id
        assert float(item.metadata["points_possible"]) == q.points
        assert item.bank_title == "/".join(level.replace("/", "//") for level in entry.category)
        assert item.metadata.get("qbank_tags", "") == ",".join(entry.tags)
        assert item.metadata.get("qbank_difficulty") == q.difficulty
        assert item.metadata.get("qbank_source") == q.source
        assert item.cardinality == ("Multiple" if q.type == "multiple" else "Single")
        assert item.shuffle == ("Yes" if q.shuffle else "No")
        assert item.stem == render_html(q.stem, image_map)
        assert item.general_feedback == (render_html(q.explanation, image_map) if q.explanation else None)
        assert len(item.answers) == len(q.options)
        for answer, option in zip(item.answers, q.options):
            if q.type == "true_false":
                assert (answer.html, answer.texttype) == (option.text, "text/plain")
            else:
                assert answer.html == render_inline(option.text, image_map)
            assert answer.correct == option.correct, (q.id, option.text)
            assert answer.feedback == (render_html(option.why, image_map) if option.why else None)


def test_round_trip_of_the_sample_bank(sample):
    _, package = sample
    _round_trip(load_bank(discover([ROOT / "banks"])), package)


def test_round_trip_of_hostile_text_images_and_every_type(hostile_bank):
    package = read_package(_export([hostile_bank]).files["bank.qti.zip"])
    _round_trip(load_bank(discover([hostile_bank])), package)
    stem = next(i for i in package.items if i.title == "hostile.text:1").stem
    assert "<code>]]&gt;</code>" in stem and "&lt;script&gt;" in stem and "<script>" not in stem and "ünïcödé" in stem
    assert {i.bank_title for i in package.items} == {"Edge/Cases // Slashes"}


def test_images_are_bundled_once_and_every_link_resolves(hostile_bank):
    package = read_package(_export([hostile_bank]).files["bank.qti.zip"])
    images = [name for name in package.files if name.startswith("images/")]
    assert len(images) == 1 and package.files[images[0]] == PNG
    html = " ".join(t for root in package.documents.values() for t in root.xpath("//mattext/text()"))
    links = re.findall(r'src="([^"]+)"', html)
    assert len(links) == 2
    for link in links:
        assert link.startswith(FILEBASE + "/")
        assert link[len(FILEBASE) + 1:] in package.files


def test_identifiers_are_stable_valid_and_unique(sample, tmp_path):
    _, package = sample
    idents = [e.get("ident") for root in package.documents.values() for e in root.iter() if e.get("ident")]
    item_idents = [i.ident for i in package.items]
    assert all(NCNAME.match(i) for i in idents)
    assert len(item_idents) == len(set(item_idents))
    for item in package.items:
        assert item.ident == "q" + hashlib.sha1(item.title.encode()).hexdigest()[:20]
        assert all(a.ident.startswith(item.ident + "_") for a in item.answers)


def test_reordering_questions_keeps_every_identifier(tmp_path, hostile_bank):
    first = {i.title: i.ident for i in read_package(_export([hostile_bank]).files["bank.qti.zip"]).items}
    text = (hostile_bank / "edge.yaml").read_text(encoding="utf-8")
    head, *questions = re.split(r"(?m)^  - id: ", text)
    (hostile_bank / "edge.yaml").write_text(head + "".join("  - id: " + q for q in reversed(questions)), encoding="utf-8")
    second = {i.title: i.ident for i in read_package(_export([hostile_bank]).files["bank.qti.zip"]).items}
    assert first == second


def test_two_exports_give_identical_bytes(sample):
    result, _ = sample
    again = _export([ROOT / "banks"], name="banks")
    assert again.files["banks.qti.zip"] == result.files["banks.qti.zip"]
    with zipfile.ZipFile(io.BytesIO(result.files["banks.qti.zip"])) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_bank_title_option_puts_every_question_in_one_bank(sample):
    result = _export([ROOT / "banks"], {"bank_title": "RNN pool"}, name="banks")
    package = read_package(result.files["banks.qti.zip"])
    assert {i.bank_title for i in package.items} == {"RNN pool"}
    assert len(package.documents) == 1
    assert len(package.items) == len(sample[1].items)


def test_a_missing_image_is_reported_not_hidden(tmp_path):
    (tmp_path / "b.yaml").write_text(
        "questions:\n  - id: q1\n    stem: '![x](gone.png) Which?'\n    options:\n"
        "      - text: A\n        correct: true\n      - text: B\n        why: no\n",
        encoding="utf-8",
    )
    result = _export([tmp_path])
    assert [(n.question_id, n.severity) for n in result.notes] == [("q1", "warning")]
    assert "gone.png" in result.notes[0].message


def test_unknown_option_is_refused():
    with pytest.raises(ValueError, match="no option"):
        EXPORTERS["qti"]({"bank_name": "x"})


def test_the_item_view_the_fingerprint_covers_is_what_the_reader_reads(hostile_bank):
    """The exporter computes the reading of each item from its content; reading the element gives the same."""
    from qbank.assets import Assets
    from qbank.exporters.qti import item_content
    from qbank.formats.qti import read_item

    bank = load_bank(discover([str(hostile_bank), str(ROOT / "tests" / "data" / "export-bank")]))
    assets = Assets(link=lambda name: FILEBASE + "/images/" + name)
    assert len(bank.questions) > 3
    for item in bank.questions:
        content = item_content(item, assets.mapper(item, {}))
        assert content.view("Bank/Title") == read_item(content.element(), "Bank/Title"), item.id


def test_golden_package_of_the_export_bank():
    """Every byte of the fixture bank's package, member by member (tests/golden/export-bank.qti.txt).

    Guards the exact serialisation (indentation, item order, comments) that faster
    ways of building or printing items must keep. Regenerate after an intended change
    with ``QBANK_UPDATE_GOLDEN=1`` and read the diff.
    """
    import os

    from tests.exporters.conftest import FIXTURE, export

    archive = zipfile.ZipFile(io.BytesIO(export(FIXTURE, "qti")))
    dump = b"".join(
        f"=== {info.filename} {info.date_time} {info.compress_type}\n".encode() + archive.read(info)
        for info in archive.infolist()
    )
    path = ROOT / "tests" / "golden" / "export-bank.qti.txt"
    if os.environ.get("QBANK_UPDATE_GOLDEN"):
        path.write_bytes(dump)
    assert path.read_bytes() == dump, "the QTI package changed; review and regenerate with QBANK_UPDATE_GOLDEN=1"
