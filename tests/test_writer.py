"""The canonical YAML writer: what it writes reads back exactly, with every reader."""

from __future__ import annotations

import pytest

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.loader import load_text
from qbank.model import BankFile
from qbank.writer import canonical, dump_bank_file
from tests.strategies import awkward_text as any_text, identifier, printable_text, tag

awkward_text = st.one_of(any_text, printable_text)

option = st.fixed_dictionaries(
    {"text": awkward_text},
    optional={"correct": st.booleans(), "why": awkward_text},
)
question = st.fixed_dictionaries(
    {"id": identifier, "stem": awkward_text, "options": st.lists(option, max_size=5)},
    optional={
        "type": st.sampled_from(["single", "multiple", "true_false"]),
        "difficulty": st.sampled_from(["easy", "medium", "hard"]),
        "tags": st.lists(tag, max_size=3),
        "category": awkward_text,
        "source": awkward_text,
        "explanation": awkward_text,
        "shuffle": st.booleans(),
        "points": st.floats(min_value=0.5, max_value=10, allow_nan=False),
        "lint": st.fixed_dictionaries({"ignore": st.lists(st.sampled_from(["QB1", "QB105", "QB2"]), max_size=2)}),
    },
)
bank_file = st.fixed_dictionaries(
    {"questions": st.lists(question, max_size=4)},
    optional={"category": awkward_text, "tags": st.lists(tag, max_size=3)},
)


def read_back(text: str):
    loaded = load_text(text, "written.yaml")
    assert not loaded.problems, loaded.problems
    return loaded.document.data


@settings(max_examples=300, deadline=None)
@given(bank_file)
def test_written_yaml_reads_back_exactly_with_qbank_and_yaml11_readers(data):
    text = dump_bank_file(data, verify=False)  # no safety net: the emitter's own output must be exact
    expected = canonical(data)
    assert read_back(text) == expected
    assert yaml.load(text, Loader=yaml.CSafeLoader) == expected  # a YAML 1.1 reader agrees
    assert dump_bank_file(data, verify=False) == text


@settings(max_examples=200, deadline=None)
@given(awkward_text)
def test_any_text_survives_in_every_text_field(text):
    data = {
        "category": text,
        "questions": [
            {"id": "q1", "stem": text, "source": text, "explanation": text,
             "options": [{"text": text, "correct": True, "why": text}, {"text": text + "x", "why": text}]}
        ],
    }
    assert read_back(dump_bank_file(data, verify=False)) == canonical(data)


def test_layout_is_the_house_style():
    data = {
        "category": "Sentiment Analysis with RNNs in Keras/Training",
        "tags": ["keras", "sentiment-analysis"],
        "questions": [
            {
                "id": "q1", "type": "single", "tags": ["loss"], "source": "What Is the Role of the Loss Function?",
                "stem": "What does the training loss represent?\n",
                "options": [
                    {"text": "yes", "correct": False, "why": "Dataset sizes: fixed."},
                    {"text": "The error", "correct": True},
                ],
                "explanation": "First.\n\n- a\n- b\n", "shuffle": True, "points": 1.0,
            },
            {"id": "q2", "type": "multiple", "stem": "S", "options": [{"text": "2024-01-01", "correct": True}],
             "shuffle": False},
        ],
    }
    assert dump_bank_file(data) == (
        "# yaml-language-server: $schema=https://qbank.dev/schemas/qbank-file.schema.json\n"
        "category: Sentiment Analysis with RNNs in Keras/Training\n"
        "tags: [keras, sentiment-analysis]\n"
        "questions:\n"
        "  - id: q1\n"
        "    tags: [loss]\n"
        "    source: What Is the Role of the Loss Function?\n"
        "    stem: |\n"
        "      What does the training loss represent?\n"
        "    options:\n"
        "      - text: \"yes\"\n"
        "        why: \"Dataset sizes: fixed.\"\n"
        "      - text: The error\n"
        "        correct: true\n"
        "    explanation: |\n"
        "      First.\n"
        "\n"
        "      - a\n"
        "      - b\n"
        "\n"
        "  - id: q2\n"
        "    type: multiple\n"
        "    stem: S\n"
        "    options:\n"
        "      - text: \"2024-01-01\"\n"
        "        correct: true\n"
        "    shuffle: false\n"
    )
    BankFile.model_validate(read_back(dump_bank_file(data)))


def test_text_a_block_cannot_hold_is_double_quoted():
    for text in ("trailing space \nline", "tab\tin\nblock", "nel\x85x\n", "cr\r\nlf"):
        written = dump_bank_file({"questions": [{"id": "q", "stem": text, "options": []}]}, verify=False)
        assert 'stem: "' in written
        assert read_back(written)["questions"][0]["stem"] == text


@pytest.mark.parametrize("ending", ["two\n\n\n", "\n"])
def test_text_ending_in_blank_lines_keeps_them_before_the_next_question(ending):
    """A |+ block would swallow the blank line between questions: such texts are quoted."""
    data = {"questions": [
        {"id": "a", "stem": "s", "options": [], "explanation": ending},
        {"id": "b", "stem": " one\n two\n", "options": []},
    ]}
    written = dump_bank_file(data, verify=False)
    assert "|+" not in written and "|2" in written
    assert read_back(written) == canonical(data)


def test_unknown_keys_are_a_programming_error():
    import pytest

    with pytest.raises(ValueError, match="answer"):
        dump_bank_file({"questions": [{"id": "q", "stem": "s", "options": [], "answer": "A"}]})
