"""Export, then import: random banks come back equal, file by file and field by field.

The banks have several files (in sub-folders), file and question categories with
slashes, tags, every question type, difficulty, source, shuffle, points and lint
settings, and awkward text (tests/strategies.py). GIFT's own round trip is in
test_gift.py (GIFT cannot carry everything).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.exporters.anki_package import AnkiPackageExporter
from qbank.exporters.anki_text import AnkiTextExporter
from qbank.exporters.json_export import JsonExporter
from qbank.exporters.moodle import MoodleExporter
from qbank.exporters.qti import QtiExporter
from qbank.importers.anki import AnkiImporter
from qbank.importers.anki_text import AnkiTextImporter
from qbank.importers.json_import import JsonImporter
from qbank.importers.moodle import MoodleImporter
from qbank.importers.qti import QtiImporter
from qbank.markdown import image_sources, is_local
from tests.bankdata import bank_from_files, banks, export_then_import, loaded
from tests.strategies import awkward_text, printable_text

EXAMPLES = 200


def _no_local_image(text: str) -> bool:
    """Random text that happens to spell ``![](x)`` would point at an image file that does not exist."""
    return not any(is_local(src) for src in image_sources(text))


xml_text = printable_text.filter(_no_local_image)
"""Text XML can hold: no control characters other than tab and newline (the Moodle export refuses them)."""
json_text = awkward_text.filter(_no_local_image)


def assert_same_bank(original: dict[str, dict], result) -> None:
    assert result.notes == [] and result.skipped == []
    assert sorted(result.files) == sorted(original)
    for path, data in original.items():
        assert loaded(result.files[path]) == loaded(data), path


@settings(max_examples=EXAMPLES, deadline=None)
@given(banks(json_text))
def test_json_export_then_import_gives_back_the_bank(files):
    exported, result = export_then_import(JsonExporter(), JsonImporter(), bank_from_files(files))
    assert exported.refused == []
    assert_same_bank(files, result)


@settings(max_examples=EXAMPLES, deadline=None)
@given(banks(xml_text), st.sampled_from(["negative-share", "zero"]))
def test_moodle_export_then_import_gives_back_the_bank(files, wrong):
    exported, result = export_then_import(MoodleExporter({"wrong": wrong}), MoodleImporter(), bank_from_files(files))
    assert exported.refused == []
    assert_same_bank(files, result)


@settings(max_examples=EXAMPLES, deadline=None)
@given(banks(json_text))
def test_anki_package_export_then_import_gives_back_the_bank(files):
    exported, result = export_then_import(AnkiPackageExporter(), AnkiImporter(), bank_from_files(files))
    assert exported.refused == []
    assert_same_bank(files, result)


@settings(max_examples=EXAMPLES, deadline=None)
@given(banks(xml_text))
def test_anki_text_export_then_import_gives_back_the_bank(files):
    exported, result = export_then_import(AnkiTextExporter(), AnkiTextImporter(), bank_from_files(files))
    assert exported.refused == []
    assert_same_bank(files, result)


@settings(max_examples=EXAMPLES, deadline=None)
@given(banks(xml_text), st.sampled_from([None, "One pool"]))
def test_qti_export_then_import_gives_back_the_bank(files, bank_title):
    exported, result = export_then_import(QtiExporter({"bank_title": bank_title}), QtiImporter(), bank_from_files(files))
    assert exported.notes == []
    assert_same_bank(files, result)
