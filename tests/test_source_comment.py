"""The source comment's escaping: what it must hide, whatever the rest of the text is."""

from __future__ import annotations

import json

import pytest

from qbank.formats.source_comment import _UNSAFE, source_comment, split_source_comment


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
