"""Reading a QTI 1.2 ``<item>`` by meaning, as an LMS does; shared by qbank's QTI export and import.

An answer's correctness comes from the response processing (a condition that gives
a positive SCORE names it, outside any ``<not>``), and each feedback from following
``displayfeedback`` links to ``itemfeedback``; qbank's own ``qbank_*`` metadata is
never trusted for either. This is how Canvas writes items (canvas-lms
``lib/cc/qti/qti_items.rb``): ``general_fb`` shown on an ``<other/>`` condition,
``<answer>_fb`` on a condition naming one answer, ``correct_fb`` on the scoring
condition and ``general_incorrect_fb`` on another ``<other/>``.

qbank's exporter ends the stem's HTML with its source comment
(:mod:`qbank.formats.source_comment`); :func:`fingerprint` covers everything else
this reader sees of the item, so that an item edited in another tool is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from lxml import etree

from qbank.formats import finite_number
from qbank.formats.source_comment import clean, digest, split_source_comment

SCORE_MAX = 100.0
WHOLE_QUESTION_FEEDBACK = ("correct_fb", "general_incorrect_fb")
"""Canvas's feedback for a right or a wrong answer as a whole (qbank has no place for them)."""


@dataclass
class Answer:
    ident: str
    html: str
    texttype: str
    correct: bool = False
    feedback: str | None = None
    score: float | None = None
    """The best score a condition naming this answer alone gives, when it is not the full score."""


@dataclass
class Item:
    ident: str
    title: str
    bank_title: str
    metadata: dict[str, str]
    stem: str
    """The stem's text (HTML or plain, see ``stem_type``) without qbank's comment."""
    stem_type: str
    cardinality: str | None
    shuffle: str | None
    answers: list[Answer] = field(default_factory=list)
    general_feedback: str | None = None
    other_feedback: dict[str, str] = field(default_factory=dict)
    """Feedback that belongs to no answer and is not the general one, by ident."""
    comment: dict[str, Any] | None = None
    comment_problem: str | None = None


def strip_namespaces(root: etree._Element) -> None:
    """Canvas writes QTI in the ``ims_qtiasiv1p2`` namespace, qbank without one: read both by local names."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname


def metadata(container: etree._Element | None) -> dict[str, str]:
    """The ``qtimetadata`` fields of an element: label → entry."""
    if container is None:
        return {}
    return {
        (f.findtext("fieldlabel") or "").strip(): (f.findtext("fieldentry") or "").strip()
        for f in container.iterfind("qtimetadata/qtimetadatafield")
    }


def _material(element: etree._Element | None) -> tuple[str, str]:
    """(text, texttype) of the first ``mattext`` in an element's material."""
    if element is None:
        return "", "text/plain"
    mattext = element.find("material/mattext")
    if mattext is None:
        mattext = element.find("flow_mat/material/mattext")
    if mattext is None:
        mattext = element.find(".//material/mattext")
    if mattext is None:
        return "", "text/plain"
    return mattext.text or "", (mattext.get("texttype") or "text/plain").strip()


def _score(condition: etree._Element) -> tuple[float | None, str]:
    for setvar in condition.findall("setvar"):
        if (setvar.get("varname") or "SCORE") == "SCORE":
            try:
                return finite_number((setvar.text or "").strip()), (setvar.get("action") or "Set")
            except ValueError:
                return None, ""
    return None, ""


def _named(when: etree._Element) -> list[str]:
    """The answers a condition names outside any ``<not>``."""
    return [
        (v.text or "").strip() for v in when.iter("varequal")
        if not any(a.tag == "not" for a in takewhile(lambda a: a is not when, v.iterancestors()))
    ]


def read_item(element: etree._Element, bank_title: str) -> Item:
    """One ``<item>`` (namespaces already stripped), read by meaning."""
    lid = element.find("presentation/response_lid")
    choices = lid.find("render_choice") if lid is not None else None
    stem, stem_type = _material(element.find("presentation"))
    stem, comment, problem = split_source_comment(stem)
    item = Item(
        ident=element.get("ident") or "",
        title=element.get("title") or "",
        bank_title=bank_title,
        metadata=metadata(element.find("itemmetadata")),
        stem=stem,
        stem_type=stem_type,
        cardinality=lid.get("rcardinality") if lid is not None else None,
        shuffle=choices.get("shuffle") if choices is not None else None,
        comment=comment,
        comment_problem=problem,
    )
    answers: dict[str, Answer] = {}
    for label in choices.iter("response_label") if choices is not None else ():
        html, texttype = _material(label)
        answers[label.get("ident") or ""] = Answer(label.get("ident") or "", html, texttype)
    item.answers = list(answers.values())
    feedback = {f.get("ident"): _material(f)[0] for f in element.iter("itemfeedback")}
    top = SCORE_MAX
    decvar = element.find("resprocessing/outcomes/decvar")
    if decvar is not None:
        try:
            top = finite_number(decvar.get("maxvalue") or SCORE_MAX)
        except ValueError:
            pass
    for condition in element.iterfind("resprocessing/respcondition"):
        when = condition.find("conditionvar")
        if when is None:
            continue
        named = [ident for ident in _named(when) if ident in answers]
        score, action = _score(condition)
        if score is not None and score > 0:
            full = action == "Add" or score >= top
            for ident in named:
                if full:
                    answers[ident].correct = True
                elif len(named) == 1:
                    answers[ident].score = max(score, answers[ident].score or 0)
        for shown in condition.iterfind("displayfeedback"):
            link = shown.get("linkrefid") or ""
            text = feedback.get(link)
            if text is None:
                continue
            if link in WHOLE_QUESTION_FEEDBACK:
                item.other_feedback[link] = text
            elif when.find("other") is not None and not named and item.general_feedback is None:
                item.general_feedback = text
            elif len(named) == 1 and answers[named[0]].feedback is None and not (score or 0) > 0:
                answers[named[0]].feedback = text
            else:
                item.other_feedback[link] = text
    return item


def fingerprint(item: Item) -> str:
    """A short hash of everything :func:`read_item` sees of an item, bar idents and qbank's comment."""
    return digest([
        item.title, clean(item.bank_title), sorted(item.metadata.items()), clean(item.stem), item.stem_type,
        item.cardinality, item.shuffle,
        [[clean(a.html), a.texttype, a.correct, clean(a.feedback or ""), a.score] for a in item.answers],
        clean(item.general_feedback or ""), sorted((k, clean(v)) for k, v in item.other_feedback.items()),
    ])
