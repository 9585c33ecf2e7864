"""The source comment's escaping: what it must hide, whatever the rest of the text is."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.formats.source_comment import _COMMENT_ESCAPES, _UNSAFE, _utf16, compact_json, source_comment, split_source_comment
from tests.strategies import AWKWARD


@pytest.mark.parametrize("unsafe", ["\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ud800", "\udfff", "\ufdd0", "\ufffe", "\uffff"])
@pytest.mark.parametrize("rest", ["plain ascii", "café"])
def test_unsafe_characters_are_escaped_in_ascii_and_other_texts(unsafe, rest):
    comment = source_comment({"text": rest + unsafe})
    assert not _UNSAFE.search(comment)
    assert comment.isascii() == rest.isascii()
    assert split_source_comment("<p>x</p>" + comment)[1]["text"] == rest + unsafe


def test_what_could_end_the_comment_is_escaped():
    comment = source_comment({"text": "a -- b <c> & d]]>"})
    body = comment[len("<!-- qbank:") : -len(" -->")]
    assert not any(s in body for s in ("--", "<", ">", "&"))
    assert json.loads(body)["text"] == "a -- b <c> & d]]>"


def test_split_finds_only_a_comment_that_ends_the_html():
    comment = source_comment({"a": 1})
    assert split_source_comment("<p>x</p>") == ("<p>x</p>", None, None)
    assert split_source_comment("<p>x</p>\n " + comment + " \n") == ("<p>x</p>", {"v": 1, "a": 1}, None)
    assert split_source_comment(comment + "<p>after</p>") == (comment + "<p>after</p>", None, None)
    assert split_source_comment("<p>x</p><!-- qbank:{nope} -->")[1:] == (None, "its qbank comment is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))")


def _comment_through_json_module(data: dict, ascii_only: bool) -> str:
    """The comment as qbank wrote it before orjson: the json module, then the same escapes."""
    text = json.dumps({"v": 1, **data}, ensure_ascii=ascii_only, separators=(",", ":"))
    for char, escape in _COMMENT_ESCAPES.items():
        text = text.replace(char, escape)
    return "<!-- qbank:" + _UNSAFE.sub(lambda m: "".join(f"\\u{unit:04x}" for unit in _utf16(m.group())), text) + " -->"


_texts = st.text() | st.sampled_from(AWKWARD) | st.lists(
    st.sampled_from(["\ud800", "\udfff", "\x7f", "\x85", "\u2028", "\ufffe", "\x00", "\x1f", "é", "😀", "a"])
).map("".join)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.sampled_from([1e-05, 1e-07, 1e16, 1e-4, 9.999e-5])
    | _texts,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(_texts, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(data=_json_values, ascii_only=st.booleans())
def test_compact_json_is_what_the_json_module_writes(data, ascii_only):
    """Byte for byte, whatever the texts (surrogates, controls, DEL), integers (beyond 64 bits) and floats (tiny, huge, NaN)."""
    assert compact_json(data, ascii_only) == json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_texts, _json_values, max_size=5), ascii_only=st.booleans())
def test_the_comment_is_what_the_json_module_would_give(data, ascii_only):
    assert source_comment(data, ascii_only) == _comment_through_json_module(data, ascii_only)
