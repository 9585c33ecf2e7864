"""The shared text helpers' cheap first looks against the plain readings they stand in for."""

from __future__ import annotations

import re
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from qbank.rules.quality._text import ALL, ALL_OF_THE_ABOVE, NONE, NONE_OF_THE_ABOVE, _meta_form, meta_kind, plain
from qbank.similarity import normalise
from qbank.text import XML_FORBIDDEN, collapse_spaces, holds_xml_forbidden, strip_emphasis
from tests.strategies import awkward_text

WHITE_SPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_collapse_spaces_changes_every_white_space_but_a_lone_space():
    for space in WHITE_SPACE:
        for text in (f"a{space}b", f"{space}", f"a {space}b", f"a{space} b", f"é{space}", f"{space}日本"):
            assert collapse_spaces(text) == re.sub(r"\s+", " ", text), repr(text)
    assert collapse_spaces("a b  c") == "a b c"
    assert collapse_spaces(" a b ") == " a b "


@given(st.one_of(awkward_text, st.text(st.sampled_from(["a", "é", " ", *WHITE_SPACE]))))
def test_collapse_spaces_is_the_plain_substitution(text):
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text)


def test_strip_emphasis_removes_nested_marks():
    assert strip_emphasis("**not** a `__init__` ~~x~~") == "not a init x"
    assert strip_emphasis("***both***") == "both"
    assert strip_emphasis("snake_case and a * b") == "snake_case and a * b"


@given(st.text(st.characters(max_codepoint=127)))
def test_normalising_never_lengthens_an_ascii_text(text):
    """QB305 skips a distractor shorter than the key by this (cross_item_cueing._may_hold)."""
    assert len(normalise(text)) <= len(text)


_META_PHRASES = [
    "all", "all of the above", "each of these is correct", "all the above", "all options apply", "all statements are true",
    "none", "neither", "none of them", "neither of the listed options", "none are correct", "not enough information given",
    "there is not enough information", "cannot be determined", "it cannot be determined from the data given",
]
_OTHER_WORDS = ["of", "the", "above", "is", "correct", "Alpha", "Cedar", "Navy", "Teal", "Ivory", "Emerald", "`None`", "item"]


@given(
    st.lists(st.one_of(st.sampled_from(_META_PHRASES), st.sampled_from(_OTHER_WORDS)), min_size=1, max_size=3).map(" ".join),
    st.sampled_from(["", ".", "!"]),
)
def test_meta_kinds_first_look_drops_no_meta_option(words, end):
    """meta_kind's first look (an ASCII form's first two letters) rejects only forms both patterns reject."""
    for text in (words + end, (words + end).upper(), (words + end).capitalize()):
        form = _meta_form(text)
        expected = ALL if ALL_OF_THE_ABOVE.match(form) else NONE if NONE_OF_THE_ABOVE.match(form) else None
        assert meta_kind.__wrapped__(text) == expected


def test_meta_kinds_first_look_passes_every_phrase():
    assert all(meta_kind(phrase) is not None for phrase in _META_PHRASES)


_MARKED = st.lists(st.sampled_from(["a", "N", "o", "n", "e", "l", " ", ".", "*", "_", "`", "~", "<b>", "</b>", "\\(", "\\)", "$$", "\n"])).map("".join)


@example("N*o*ne")
@example("A_l_l of the above")
@example("n<b>o</b>ne")
@given(st.one_of(awkward_text, _MARKED, st.sampled_from(_META_PHRASES).map(lambda phrase: f"**{phrase[:2]}**{phrase[2:]}")))
def test_meta_kinds_quick_look_at_the_text_as_written_agrees_with_its_plain_form(text):
    """meta_kind rejects an ASCII text that starts with two letters on those letters, before plain(): it must
    give what the patterns give on the plain form (plain keeps two ASCII letters that start a text)."""
    form = _meta_form(text)
    expected = ALL if ALL_OF_THE_ABOVE.match(form) else NONE if NONE_OF_THE_ABOVE.match(form) else None
    assert meta_kind.__wrapped__(text) == expected
    if text[:2].isalpha() and text.isascii():
        assert plain(text)[:2] == text[:2]


@given(st.lists(st.one_of(awkward_text, st.text(st.sampled_from(["a", "é", "\t", "\n", "\r", "\x00", "\x01", "\x1f", "\x7f", "\ufffe", "\uffff", "\ufffd"])))))
def test_the_quick_look_for_xml_forbidden_characters_agrees_with_the_pattern(texts):
    assert holds_xml_forbidden(texts) == any(XML_FORBIDDEN.search(text) for text in texts)
