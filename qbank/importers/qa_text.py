"""Q&A text pages: the plain-text question dumps that many exam-practice sites publish.

One page looks like this (one item per line; blank lines and stray spaces do not matter)::

    Table of Contents                                   dropped
    What Is the Role of the Loss Function?             the title, kept as ``source``
    Understand the critical role of training loss...    a summary, dropped
    Question
    What does the training loss represent?              the stem (one or more lines)
    A. The difference between dataset sizes             options, lettered A. or A)
    B. The error between predicted and actual labels
    Answer
    B. The error between predicted and actual labels    one line per key; several mean type: multiple
    Explanation
    Loss indicates how far predictions are...           paragraphs; "- " lines become a Markdown list
    A. The difference between dataset sizes (Incorrect): Dataset sizes are fixed...   that option's why
    Sentiment Analysis with RNNs in Keras certification exam assessment practice question ...   the advert:
                                                        dropped, but its subject becomes the category

A file may hold several pages one after the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qbank.importers import ImportNote, ImportResult, Importer, read_source_text, register
from qbank.importers.shape import as_block, bank_file, escape_category_level, output_name
from qbank.model import MULTIPLE

_SPACES = re.compile(r"[ \t\u00a0]+")
_HEADING = re.compile(r"(question|answers?|explanation)\s*:?", re.IGNORECASE)
_OPTION = re.compile(r"([A-Z])\s*[.)]\s+(.*)")
_KEY = re.compile(r"([A-Z])\s*(?:[.)]\s*(.*))?")
_WHY = re.compile(r"([A-Z])\s*[.)]\s+(.*?)\s*\((Incorrect|Correct)\)\s*:?\s*(.*)", re.IGNORECASE)
_BULLET = re.compile(r"[-*•–]\s+(.*)")
_TOC = re.compile(r"table of contents", re.IGNORECASE)
_ADVERT = (
    re.compile(r"(.+?)\s+certification exam\b", re.IGNORECASE),
    re.compile(r"helpful to pass the\s+(.+?)\s+exam\b", re.IGNORECASE),
)


@dataclass
class _Line:
    number: int
    text: str


@dataclass
class _Page:
    title: _Line | None
    lines: list[_Line]
    """Everything from the Question heading to the end of the page."""
    notes: list[str] = field(default_factory=list)


def _lines(text: str) -> list[_Line]:
    out = []
    for number, raw in enumerate(text.split("\n"), start=1):
        cleaned = _SPACES.sub(" ", raw).strip()
        if cleaned:
            out.append(_Line(number, cleaned))
    return out


def _heading(line: _Line) -> str | None:
    match = _HEADING.fullmatch(line.text)
    if not match:
        return None
    word = match.group(1).lower()
    return "answer" if word.startswith("answer") else word


def _advert_subject(line: _Line) -> str | None:
    if "exam" not in line.text.lower():
        return None
    for pattern in _ADVERT:
        match = pattern.search(line.text)
        if match:
            return match.group(1).strip()
    return None


def _page_start(lines: list[_Line], begin: int, question_at: int) -> tuple[int, str | None]:
    """Where the header of the page whose Question heading is at ``question_at`` starts.

    The previous page ends with its advert, its why lines or a Table of Contents
    line; failing all three, the title is guessed and the guess reported.
    """
    for index in range(question_at - 1, begin - 1, -1):
        if _TOC.fullmatch(lines[index].text):
            return index, None
        if _advert_subject(lines[index]) or _WHY.fullmatch(lines[index].text):
            return index + 1, None
    guess = question_at - 1 if lines[question_at - 1].text.endswith("?") else question_at - 2
    guess = max(guess, begin)
    return guess, (
        f"cannot tell where the previous page ends; took {lines[guess].text!r} as this page's title"
    )


def _split_pages(lines: list[_Line]) -> list[_Page]:
    questions = [i for i, line in enumerate(lines) if _heading(line) == "question"]
    pages = []
    starts = []
    for k, at in enumerate(questions):
        if k == 0:
            starts.append((0, None))
        else:
            previous_body = max(
                (i for i in range(questions[k - 1] + 1, at) if _heading(lines[i]) in ("answer", "explanation")),
                default=questions[k - 1],
            )
            starts.append(_page_start(lines, previous_body + 1, at))
    for k, at in enumerate(questions):
        start, guess_note = starts[k]
        end = starts[k + 1][0] if k + 1 < len(questions) else len(lines)
        header = [line for line in lines[start:at] if not _TOC.fullmatch(line.text)]
        page = _Page(header[0] if header else None, lines[at:end])
        if guess_note:
            page.notes.append(guess_note)
        pages.append(page)
    return pages


def _markdown(lines: list[str]) -> str:
    """One paragraph per line; consecutive bullet lines make one Markdown list."""
    blocks: list[list[str]] = []
    in_list = False
    for text in lines:
        bullet = _BULLET.fullmatch(text)
        if bullet:
            if not in_list:
                blocks.append([])
            blocks[-1].append(f"- {bullet.group(1)}")
            in_list = True
        else:
            blocks.append([text])
            in_list = False
    return "\n\n".join("\n".join(block) for block in blocks)


class _PageReader:
    """Turns one page into a question, noting what it cannot make sense of."""

    def __init__(self, importer: QaTextImporter, source: str, page: _Page):
        self.importer = importer
        self.source = source
        self.page = page
        self.notes: list[ImportNote] = []
        for message in page.notes:
            self.note(message, page.title.number if page.title else page.lines[0].number)

    def note(self, message: str, line: int | None) -> None:
        self.notes.append(ImportNote(self.source, message, line))

    def sections(self) -> dict[str, list[_Line]]:
        found: dict[str, list[_Line]] = {"question": [], "answer": [], "explanation": []}
        current = "question"
        for line in self.page.lines[1:]:
            heading = _heading(line)
            if heading and heading != "question" and not found[heading]:
                current = heading
                continue
            found[current].append(line)
        return found

    def read(self) -> dict[str, Any]:
        sections = self.sections()
        stem_lines, options = self.stem_and_options(sections["question"])
        keys = self.keys(sections["answer"], options)
        explanation, whys, subject = self.explanation(sections["explanation"], options, keys)
        question: dict[str, Any] = {
            "id": self.importer.ids.generate(_markdown(stem_lines)),
            "type": MULTIPLE if len(keys) > 1 else None,
            "category": escape_category_level(subject) if subject else None,
            "source": self.page.title.text if self.page.title else None,
            "stem": as_block(_markdown(stem_lines)),
            "options": [
                {"text": text, "correct": letter in keys, "why": whys.get(letter)} for letter, (text, _) in options.items()
            ],
            "explanation": as_block(explanation) if explanation else None,
        }
        if not stem_lines:
            self.note("the page has no question text after 'Question'", self.page.lines[0].number)
        return question

    def stem_and_options(self, lines: list[_Line]) -> tuple[list[str], dict[str, tuple[str, int]]]:
        stem: list[str] = []
        options: dict[str, tuple[str, int]] = {}
        for line in lines:
            match = _OPTION.fullmatch(line.text)
            if match and (match.group(1) not in options) and (options or stem):
                options[match.group(1)] = (match.group(2), line.number)
            elif options:
                letter = list(options)[-1]
                text, number = options[letter]
                options[letter] = (f"{text} {line.text}", number)
                self.note(f"line not lettered; joined it to option {letter}: {line.text!r}", line.number)
            else:
                stem.append(line.text)
        if not options:
            at = lines[0].number if lines else self.page.lines[0].number
            self.note("no lettered options (A. or A)) after the question", at)
        return stem, options

    def keys(self, lines: list[_Line], options: dict[str, tuple[str, int]]) -> set[str]:
        keys: set[str] = set()
        for line in lines:
            match = _KEY.fullmatch(line.text)
            if not match:
                self.note(f"not an answer line (expected a letter such as 'B.'): {line.text!r}", line.number)
                continue
            letter, text = match.group(1), (match.group(2) or "").strip()
            if letter not in options:
                self.note(f"the answer {letter} is not one of the options {', '.join(options) or '(none)'}", line.number)
                continue
            if text and text != options[letter][0]:
                self.note(f"the answer text {text!r} differs from option {letter} {options[letter][0]!r}; kept the option", line.number)
            keys.add(letter)
        if not keys:
            at = lines[0].number if lines else self.page.lines[0].number
            self.note("no answer given: no option is marked correct", at)
        return keys

    def explanation(
        self, lines: list[_Line], options: dict[str, tuple[str, int]], keys: set[str]
    ) -> tuple[str, dict[str, str], str | None]:
        paragraphs: list[str] = []
        whys: dict[str, str] = {}
        subject = None
        seen_why = False
        for line in lines:
            found_subject = _advert_subject(line)
            if found_subject:
                subject = found_subject
                continue
            why = _WHY.fullmatch(line.text)
            if why and why.group(1) in options:
                self.take_why(why, line, options, keys, whys)
                seen_why = True
                continue
            if seen_why:
                self.note(f"text after the option explanations; kept it at the end of the explanation: {line.text!r}", line.number)
            paragraphs.append(line.text)
        return _markdown(paragraphs), whys, subject

    def take_why(self, why: re.Match, line: _Line, options, keys: set[str], whys: dict[str, str]) -> None:
        letter, text, verdict, reason = why.group(1), why.group(2), why.group(3).lower(), why.group(4).strip()
        if text != options[letter][0]:
            self.note(f"the explained option {text!r} differs from option {letter} {options[letter][0]!r}; kept the option", line.number)
        if (verdict == "correct") != (letter in keys):
            self.note(f"option {letter} is explained as {verdict} but the answer says otherwise; kept the answer", line.number)
        if letter in whys:
            self.note(f"option {letter} is explained twice; kept both explanations", line.number)
            reason = f"{whys[letter]} {reason}"
        if reason:
            whys[letter] = reason


@register
class QaTextImporter(Importer):
    name = "qa-text"
    summary = "Q&A text pages: title, Question, lettered options, Answer, Explanation, one why per option"

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        headings = {_heading(line) for line in _lines(head)}
        return {"question", "answer"} <= headings

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()
        lines = _lines(read_source_text(path))
        pages = _split_pages(lines)
        if not pages:
            result.notes.append(ImportNote(source, "no 'Question' heading found: nothing to import", 1, severity="error"))
            return result
        questions = []
        for page in pages:
            reader = _PageReader(self, source, page)
            questions.append(reader.read())
            result.notes.extend(reader.notes)
        result.files[output_name(path.name)] = bank_file(questions)
        return result
