"""Q&A text pages: the seed, several pages, CRLF, and the broken pages lint must flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.importers import ImportResult
from qbank.importers.qa_text import QaTextImporter
from qbank.loader import load_file
from qbank.writer import dump_bank_file
from tests.conftest import ROOT, lint_files

SEED = Path(__file__).parent / "data" / "000_9200b7ba3504442c.txt"
"""A byte-for-byte copy of the seed page (shared/seeds/000_9200b7ba3504442c.txt)."""
BANK_FILE = ROOT / "banks" / "sentiment-rnn" / "training.yaml"

SECOND_PAGE = """Table of Contents
Which Keras Layer Turns Word Indices Into Vectors?
Learn how the Embedding layer maps integer word indices to dense vectors.
Question
Which Keras layer maps integer word indices to dense vectors?
A. Dense
B. Embedding
C. Flatten
Answer
B. Embedding
Explanation
The Embedding layer is a trainable lookup table.
A. Dense (Incorrect): Dense layers act on vectors, not on integer ids.
C. Flatten (Incorrect): Flatten only reshapes its input.
Keras Basics certification exam assessment practice question and answer (Q&A) dump including multiple choice questions (MCQ), helpful to pass the Keras Basics exam.
"""


def read(tmp_path: Path, text: str | bytes, name: str = "pages.txt") -> ImportResult:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return QaTextImporter().read(path)


def questions(result: ImportResult) -> list[dict]:
    (data,) = result.files.values()
    return data["questions"]


def test_the_seed_imports_to_the_seed_question_of_the_sample_bank(tmp_path):
    result = QaTextImporter().read(SEED)
    assert result.notes == [] and result.skipped == []
    (data,) = result.files.values()
    assert data["category"] == "Sentiment Analysis with RNNs in Keras"
    (imported,) = data["questions"]

    bank = load_file(BANK_FILE).document.data
    expected = next(q for q in bank["questions"] if q["id"] == "training-loss-meaning")
    assert imported["stem"] == expected["stem"]
    assert imported["source"] == expected["source"]
    assert imported["explanation"] == expected["explanation"]
    fields = ("text", "correct", "why")
    assert [{k: o.get(k) for k in fields} for o in imported["options"]] == [
        {"text": o["text"], "correct": o.get("correct", False), "why": o.get("why")} for o in expected["options"]
    ]


def test_the_seed_has_four_options_key_b_three_whys_and_a_bullet_list():
    (question,) = questions(QaTextImporter().read(SEED))
    assert len(question["options"]) == 4
    assert [o["correct"] for o in question["options"]] == [False, True, False, False]
    assert [o["why"] is not None for o in question["options"]] == [True, False, True, True]
    assert "\n\n- The model might output a probability, say 0.8, for a review.\n- The actual label" in question["explanation"]
    assert "Table of Contents" not in str(question) and "certification exam" not in str(question)


def test_two_pages_in_one_file_give_two_questions_with_their_own_subject(tmp_path):
    result = read(tmp_path, SEED.read_text(encoding="utf-8") + "\n" + SECOND_PAGE)
    assert result.notes == []
    first, second = questions(result)
    assert first["source"] == "What Is the Role of the Loss Function in Neural Network Training?"
    assert second["source"] == "Which Keras Layer Turns Word Indices Into Vectors?"
    assert first["category"] == "Sentiment Analysis with RNNs in Keras"
    assert second["category"] == "Keras Basics"
    assert second["stem"] == "Which Keras layer maps integer word indices to dense vectors?\n"
    assert [o["correct"] for o in second["options"]] == [False, True, False]
    assert second["explanation"] == "The Embedding layer is a trainable lookup table.\n"
    assert second["options"][2]["why"] == "Flatten only reshapes its input."
    assert first["id"] != second["id"]


def test_pages_without_table_of_contents_or_advert_still_split_at_the_why_lines(tmp_path):
    second = SECOND_PAGE.replace("Table of Contents\n", "").rsplit("Keras Basics certification", 1)[0]
    seed = SEED.read_text(encoding="utf-8").rsplit("Sentiment Analysis with RNNs in Keras certification", 1)[0]
    result = read(tmp_path, seed + second)
    first, page2 = questions(result)
    assert page2["source"] == "Which Keras Layer Turns Word Indices Into Vectors?"
    assert first["options"][3]["why"].startswith("The time per epoch")
    assert first["category"] is None and page2["category"] is None


def test_crlf_and_stray_spaces_are_accepted(tmp_path):
    messy = "\r\n".join("  " + line.replace(" ", "  ") + " \t" for line in SEED.read_text(encoding="utf-8").split("\n"))
    (messy_question,) = questions(read(tmp_path, messy))
    (clean,) = questions(QaTextImporter().read(SEED))
    assert messy_question == clean


def test_a_page_with_a_missing_why_imports_and_lint_flags_it(tmp_path):
    text = "\n".join(line for line in SEED.read_text(encoding="utf-8").split("\n") if not line.startswith("C. The number of layers in the model (Incorrect)"))
    (question,) = questions(read(tmp_path, text))
    assert question["options"][2]["why"] is None
    diagnostics = written_and_linted(tmp_path, read(tmp_path, text))
    assert [d.code for d in diagnostics] == ["QB109"]


def test_a_page_with_a_duplicated_option_imports_and_lint_flags_it(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("D. The time taken per epoch\n", "D. The number of layers in the model\n", 1)
    text = text.replace("D. The time taken per epoch (Incorrect)", "D. The number of layers in the model (Incorrect)")
    result = read(tmp_path, text)
    assert [o["text"] for o in questions(result)[0]["options"]][2:] == ["The number of layers in the model"] * 2
    assert [d.code for d in written_and_linted(tmp_path, result)] == ["QB108"]


def test_several_answer_lines_make_a_multiple_answer_question(tmp_path):
    text = SECOND_PAGE.replace("B. Embedding\nExplanation", "B. Embedding\nC. Flatten\nExplanation").replace(
        "C. Flatten (Incorrect): Flatten only reshapes its input.", "C. Flatten (Correct): Flatten is needed here."
    )
    result = read(tmp_path, text)
    (question,) = questions(result)
    assert question["type"] == "multiple"
    assert [o["correct"] for o in question["options"]] == [False, True, True]
    assert question["options"][2]["why"] == "Flatten is needed here."
    assert result.notes == []


def test_an_answer_that_names_no_option_is_reported_with_its_line(tmp_path):
    text = SECOND_PAGE.replace("Answer\nB. Embedding", "Answer\nE. Conv1D")
    result = read(tmp_path, text)
    messages = [(n.line, n.message) for n in result.notes]
    assert (10, "the answer E is not one of the options A, B, C") in messages
    assert any("no option is marked correct" in m for _, m in messages)


def test_ids_are_stable_and_derived_from_the_stem(tmp_path):
    first = questions(QaTextImporter().read(SEED))[0]["id"]
    again = questions(QaTextImporter().read(SEED))[0]["id"]
    assert first == again
    assert first.startswith("what-does-the-training-loss-represent-")


@pytest.mark.parametrize("head,expected", [(SECOND_PAGE, True), ("Who?\nA) x\nB) y\nANSWER: A\n", False)])
def test_detection(head, expected):
    assert QaTextImporter.detect(Path("x.txt"), head) is expected


def written_and_linted(tmp_path: Path, result: ImportResult):
    (data,) = result.files.values()
    folder = tmp_path / "bank"
    return lint_files(folder, {"imported.yaml": dump_bank_file(data)}).diagnostics


def test_a_page_boundary_that_must_be_guessed_is_reported(tmp_path):
    bare = "\n".join(line for line in SECOND_PAGE.split("\n") if "(Incorrect)" not in line and "certification" not in line)
    bare = bare.replace("Table of Contents\n", "")
    result = read(tmp_path, bare + "\n" + bare.replace("Which Keras Layer", "Which Other Layer"))
    first, second = questions(result)
    assert second["source"] == "Which Other Layer Turns Word Indices Into Vectors?"
    assert first["explanation"] == "The Embedding layer is a trainable lookup table.\n"
    (note,) = result.notes
    assert note.line == 13 and "cannot tell where the previous page ends" in note.message
