"""A file's questions packed into one blob for worker processes and the lint cache (ValidatedFile.pack), and its detached copy."""

from __future__ import annotations

import pickle

from qbank import validated as validated_module
from qbank.loader import load_text
from qbank.validated import MARSHALLED, ValidatedFile, _unpack
from qbank.validation import validate_file
from tests.conftest import CLEAN_QUESTION

TEXT = "questions:\n" + CLEAN_QUESTION.format(id="q1") + CLEAN_QUESTION.format(id="q2")


def _validated() -> ValidatedFile:
    validated = validate_file(load_text(TEXT, "bank.yaml"))
    assert [question.id for _, question in validated.questions] == ["q1", "q2"]
    return validated


def test_plain_data_is_marshalled_and_unpacks_to_the_same_questions():
    validated = _validated()
    packed = validated.pack()
    assert packed.startswith(MARSHALLED)
    assert _unpack(packed) == validated.questions


def test_data_marshal_cannot_write_is_pickled_instead(monkeypatch):
    validated = _validated()

    def refuse(value):
        raise ValueError("unmarshallable object")

    monkeypatch.setattr(validated_module.marshal, "dumps", refuse)
    packed = validated.pack()
    assert not packed.startswith(MARSHALLED)
    assert _unpack(packed) == validated.questions


def test_questions_pickled_by_an_earlier_qbank_still_unpack():
    validated = _validated()
    items = validated.loaded.document.data["questions"]
    earlier = pickle.dumps(("data", [(index, items[index]) for index, _ in validated.questions]), pickle.HIGHEST_PROTOCOL)
    assert _unpack(earlier) == validated.questions


def test_a_detached_copy_keeps_one_object_for_ids_and_the_same_places_of_a_bank_rule():
    from qbank.compact import Places  # noqa: PLC0415

    validated = _validated()
    every = Places([(0, "q1"), (1, "q2")])
    validated.collected = {"QB304": (every, b""), "QB301": (Places([(1, "q2")]), b"")}
    assert validated.detached().ids is every
    validated.collected = {"QB301": (Places([(1, "q2")]), b"")}
    assert validated.detached().ids == every


def test_a_detached_copy_carries_its_header_pickled_until_it_is_read():
    """Unpickling a model imports pydantic; a cached re-lint reads every file's outcome but no header."""
    validated = validate_file(load_text("category: Units/One\ntags: [rnn]\n" + TEXT, "bank.yaml"))
    copy = pickle.loads(pickle.dumps(validated.detached()))
    assert type(copy._header) is bytes
    assert copy.header == validated.header and copy.header.category == "Units/One"
    assert type(copy._header) is not bytes  # read once, it stays a model here, and is pickled again when detached
    assert pickle.loads(copy.detached()._header) == validated.header
