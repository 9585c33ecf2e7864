"""Hypothesis strategies for bank data with awkward text, shared by the round-trip tests."""

from __future__ import annotations

from hypothesis import strategies as st

AWKWARD = [
    "]]>", "{", "}", "~", "=", "#", ":", ": ", " #", "\\", "\\n", "%", "->", "//", "::", "[", "]", "&&058;",
    "`", "*", "_", "\"", "'", "- ", "? ", "| ", "> ", "!", "&", "@", "$", "<b>", "\t", "\n", "\n\n",
    "  ", " ", "é", "日本語", "😀", "\u00a0", "yes", "No", "null", "~", "0.50", "1e3", "0o17", "2024-01-01",
    "```python\nx = {'a': 1}\n```", "\\(x^2\\)", "$$ y $$", "T", "FALSE", "ANSWER: B", "A) ",
]

_printable = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp")), min_size=1, max_size=8)
_any = st.text(min_size=1, max_size=8)

awkward_text = st.lists(
    st.one_of(st.sampled_from(AWKWARD), _printable, _any), min_size=1, max_size=8
).map("".join)
"""Any text, built from pieces that break naive writers (control characters too)."""

printable_text = st.lists(st.one_of(st.sampled_from(AWKWARD), _printable), min_size=1, max_size=8).map("".join)
"""Text as people write it: awkward pieces, but no control characters other than tab and newline."""

word = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=10)
identifier = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)
tag = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
