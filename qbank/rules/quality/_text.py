"""Text helpers shared by the item-writing rules: plain text, lead-in, words, numbers, meta options.

Rules see Markdown. Most heuristics must ignore what is not prose: fenced code, code
spans, math and quoted speech. :func:`prose` replaces those with a placeholder
(``§``) that no word pattern matches, so ``not`` inside ``"I am not a crook"`` or
``__init__`` inside code never counts.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from qbank.memo import per_bank, per_file
from qbank.patterns import lazy_pattern
from qbank.rules.shared import last_question_only
from qbank.text import collapse_spaces, normalise_option, strip_emphasis

if TYPE_CHECKING:
    from qbank.model import Option, Question

PLACEHOLDER = "§"

_FENCE = lazy_pattern(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)
_CODE_SPAN = lazy_pattern(r"(`+)(.+?)\1", re.S)
_MATH = lazy_pattern(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.S)
_HTML_TAG = lazy_pattern(r"</?[A-Za-z][^>]*>")
_QUOTED = lazy_pattern(r'"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|(?<![\w\'’])\'[^\'\n]+\'(?![\w])')

WORD = lazy_pattern(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_MARKUP = lazy_pattern(r"[`\\<*_~$]")
"""Characters that may start Markdown, math or HTML: texts without any skip the heavy passes."""


def _replace_code(text: str, fence, span, math) -> str:
    """Replace fenced code, code spans and math (``re.sub`` replacements), each pass only when its mark occurs."""
    if "```" in text or "~~~" in text:
        text = _FENCE.sub(fence, text)
    if "`" in text:
        text = _CODE_SPAN.sub(span, text)
    if "\\" in text or "$$" in text:
        text = _MATH.sub(math, text)
    return text


def _drop_tags(text: str) -> str:
    return _HTML_TAG.sub(" ", text) if "<" in text else text


_QUOTE_MARK = lazy_pattern("[\"“‘']")


@per_file
def plain(text: str) -> str:
    """What a reader sees, roughly: code and math keep their content, marks go."""
    if not _MARKUP.search(text):
        return collapse_spaces(unicodedata.normalize("NFKC", text)).strip()
    text = _replace_code(
        _normal(text),
        lambda m: m.group(0).split("\n", 1)[1].rsplit("\n", 1)[0],
        lambda m: m.group(2).strip(),
        lambda m: next(g for g in m.groups() if g is not None),
    )
    return collapse_spaces(_drop_tags(strip_emphasis(text))).strip()


def prose(text: str, quotes: bool = False) -> str:
    """The prose only: code, math, HTML tags (and quoted speech unless ``quotes``) become §."""
    return _prose_and_quotes(text) if quotes else _prose(text)


@per_file
def _prose(text: str) -> str:
    return _prose_of(text, quotes=False)


@per_file
def _prose_and_quotes(text: str) -> str:
    return _prose_of(text, quotes=True)


def _prose_of(text: str, quotes: bool) -> str:
    if not _MARKUP.search(text):
        text = _normal(text)
        return collapse_spaces(text if quotes or not _QUOTE_MARK.search(text) else _QUOTED.sub(PLACEHOLDER, text)).strip()
    text = _drop_tags(_replace_code(_normal(text), f" {PLACEHOLDER} ", PLACEHOLDER, PLACEHOLDER))
    if not quotes and _QUOTE_MARK.search(text):
        text = _QUOTED.sub(PLACEHOLDER, text)
    return collapse_spaces(strip_emphasis(text)).strip()


@per_file
def unformatted(text: str) -> str:
    """Like :func:`prose` but keeps quotes and emphasis marks, so ``____`` blanks survive."""
    return _drop_tags(_replace_code(_normal(text), f" {PLACEHOLDER} ", PLACEHOLDER, PLACEHOLDER))


_SENTENCE_END = lazy_pattern(r"(?<=[.?!:])\s+(?=[^a-z\s])|\n\s*\n")


def sentences(text: str) -> list[str]:
    """Sentences of a prose text (a crude split on end punctuation and blank lines)."""
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip()]


def lead_in(stem: str, quotes: bool = False) -> str:
    """The sentence that asks: the last one ending in ? or :, else the last one."""
    found = sentences(prose(stem, quotes))
    for sentence in reversed(found):
        if sentence.endswith(("?", ":")):
            return sentence
    return found[-1] if found else ""


def words(text: str) -> list[str]:
    return WORD.findall(text)


STOPWORDS = frozenset(
    """
    a about above after again against all also although always among an and another any anything are aren't
    around as at be because been before being below between both but by can cannot could did does doing done
    down during each either else enough even every few for from further had has have having he her here hers
    him his how however i if in into is isn't it its itself just least less let like made make makes many may
    me might more most much must my neither no nor not now of off often on once one only or other others our
    out over own per rather same shall she should since so some such than that the their them then there these
    they this those though through thus to too under until up upon us very was we were what when where whether
    which while who whom whose why will with within without would yet you your yours
    following correct incorrect true false statement statements option options answer answers choice choices
    best describes describe described question questions select choose apply applies given use used using
    value values result results example case cases kind type types thing things way ways part number
    """.split()
)
"""Function words and the generic words of question writing, which every option may share."""


@per_bank
def lemma(word: str) -> str:
    """A crude lemma: enough to match plural and -ing/-ed forms of the same word."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    return w


_SPLIT_IDENTIFIER = lazy_pattern(r"[A-Za-z]+")


@per_bank
def _content_lemma(token: str) -> str:
    """The lemma of a word that carries meaning, or "" for a short word or a stopword."""
    return lemma(token) if len(token) >= 4 and token.lower() not in STOPWORDS else ""


@per_file
def content_words(text: str) -> frozenset[str]:
    """Lemmas of the words that carry meaning: four letters or more, no stopwords."""
    found = set(map(_content_lemma, _SPLIT_IDENTIFIER.findall(plain(text))))
    found.discard("")
    return frozenset(found)


_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


def ascii_letters(text: str) -> str:
    """The letters of an ASCII text in lower case, run together.

    Every word that :func:`plain` shows of the text is in it: plain() only drops marks,
    spaces inside code spans, and whole lines or tags (whose neighbours stay apart).
    """
    return text.encode("ascii").translate(None, _NOT_LETTERS).lower().decode("ascii")


def may_share(lemmas: frozenset[str], text: str, count: int) -> bool:
    """A cheap first look: whether ``count`` of ``lemmas`` may be among the content words of ``text``.

    A word's lemma is a prefix of the word, but for its last letter (flies: fly), so a
    lemma that is not in the text's letters, less its last letter, is no content word of it.
    """
    if len(lemmas) < count:
        return False
    letters = ascii_letters(text) if text.isascii() else plain(text).lower()
    return sum(lemma[:-1] in letters for lemma in lemmas) >= count


def surface(text: str, lemmas) -> list[str]:
    """The words of ``text`` as written whose lemma is in ``lemmas``, once each, in order."""
    shown: dict[str, str] = {}
    for token in _SPLIT_IDENTIFIER.findall(plain(text)):
        key = lemma(token)
        if key in lemmas and key not in shown:
            shown[key] = token.lower()
    return list(shown.values())


# --- numbers -----------------------------------------------------------------------------------

_NUM = r"[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-−+]?\d+)?|[-−+]?\.\d+"
NUMBER = lazy_pattern(rf"(?<![\w.])(?:{_NUM})(?![\w.]*\d)")
_FRACTION = lazy_pattern(r"\\d?frac\{\s*(%s)\s*\}\{\s*(%s)\s*\}|(?<![\w.])(%s)\s*/\s*(%s)(?![\w.])" % (_NUM, _NUM, _NUM, _NUM))
_ALGEBRA = lazy_pattern(r"[A-Za-z]\s*[-+*^=]|[-+*^=]\s*[A-Za-z]|\bi\b|\d[a-z]\b")
_LOWER = lazy_pattern(r"^(?:(?P<closed>≤|<=|at most|up to)|<|less than|fewer than|below|under)\s*", re.I)
_UPPER = lazy_pattern(r"^(?:(?P<closed>≥|>=|at least)|>|more than|greater than|over|above)\s*", re.I)
_UNIT = r"(?:%|[A-Za-zµ]+)?"
_RANGE = lazy_pattern(
    rf"^(?:between\s+({_NUM})(?![eE][-−+]?\d)\s*{_UNIT}\s*and|({_NUM})(?![eE][-−+]?\d)\s*{_UNIT}\s*(?:-|–|—|to))\s*({_NUM})(?!\S*\d)",
    re.I,
)
EPSILON = 1e-9
_DIGIT = lazy_pattern(r"\d")
_ASCII_DIGIT = lazy_pattern(r"[0-9]")


def to_float(token: str) -> float:
    return float(token.replace(",", "").replace("−", "-"))


@per_file
def numeric_option(text: str) -> tuple[float, float, str] | None:
    """An option that is essentially a number: (low, high, unit), else None.

    Numeric-ish means one number, or a range, or an inequality, plus at most one
    word (a unit) and at most three other symbols: ``0.75``, ``1e-3``, ``5 mg``,
    ``10–20%``, ``> 10``. A point has low == high; ``< 5`` is (-inf, 5).
    Algebra (``2x + 1``) and texts with more words are not numeric.
    """
    if text.isascii() and not _ASCII_DIGIT.search(text):
        return None  # every reading below needs a digit, and plain() makes none of ASCII
    t = plain(text).strip().rstrip(".")
    if not _DIGIT.search(t):
        return None  # every reading below needs a digit: most options are words
    if _ALGEBRA.search(t.replace("e-", "").replace("E-", "")) and not NUMBER.fullmatch(t):
        return None
    t = _FRACTION.sub(lambda m: repr(_fraction(m)), t)
    low, high = float("-inf"), float("inf")
    margin = EPSILON
    if (m := _LOWER.match(t)) is not None:
        rest, kind = t[m.end():], "below"
    elif (m := _UPPER.match(t)) is not None:
        rest, kind = t[m.end():], "above"
    else:
        rest, kind = t, "point"
    if m is not None and m.group("closed"):
        margin = 0.0
    if kind == "point" and (r := _RANGE.match(rest)):
        low, high = sorted((to_float(r.group(1) or r.group(2)), to_float(r.group(3))))
        remainder = rest[r.end():]
        kind = "range"
    else:
        numbers = NUMBER.findall(rest)
        if len(numbers) != 1:
            return None
        value = to_float(numbers[0])
        remainder = rest.replace(numbers[0], " ", 1)
        if kind == "below":
            high = value - margin
        elif kind == "above":
            low = value + margin
        else:
            low = high = value
    unit_words = words(remainder)
    symbols = [c for c in remainder if not c.isspace() and not c.isalpha()]
    if len(unit_words) > 1 or len(symbols) > 3 or re.search(r"\d", remainder):
        return None
    unit = (unit_words[0].lower() if unit_words else "") + "".join(s for s in symbols if s == "%")
    return low, high, unit


def _fraction(match: re.Match) -> float:
    a, b = (g for g in match.groups() if g is not None)
    denominator = to_float(b)
    return to_float(a) / denominator if denominator else float("nan")


# --- meta options ------------------------------------------------------------------------------

_REFERENT = r"(?:the\s+)?(?:above|these|them|those|(?:above|previous|preceding|listed)\s+(?:options|choices|answers|statements)|options|choices|answers|statements)(?:\s+(?:above|listed))?"
_META_STARTS = frozenset(("al", "ea", "no", "ne", "th", "it", "ca"))
"""How the forms below can start: all, each; none, neither, not, there, it, cannot."""
ALL, NONE = "all", "none"
"""The two kinds of meta option."""
ALL_OF_THE_ABOVE = lazy_pattern(
    rf"^(?:(?:all|each)\s+of\s+{_REFERENT}(?:\s+(?:is|are)\s+(?:correct|true|right))?"
    r"|all\s+(?:the\s+)?above|all\s+(?:options|choices|answers|statements)\s+(?:are\s+(?:correct|true)|apply)|all)$",
    re.I,
)
NONE_OF_THE_ABOVE = lazy_pattern(
    rf"^(?:(?:none|neither)\s+of\s+{_REFERENT}(?:\s+(?:is|are)\s+(?:correct|true|right))?"
    r"|none|neither|none\s+(?:is|are)\s+correct|(?:there\s+is\s+)?not\s+enough\s+information(?:\s+(?:is\s+)?given)?"
    r"|(?:it\s+)?cannot\s+be\s+determined(?:\s+from\s+the\s+(?:information|data)(?:\s+given)?)?)$",
    re.I,
)


def _meta_form(text: str) -> str:
    if text.strip().startswith("`"):
        return ""  # `None` is a value in code, not "none of the above"
    return plain(text).strip().rstrip(".!").strip()


@per_file
def meta_kind(text: str) -> str | None:
    """:data:`ALL` for an "all of the above" option, :data:`NONE` for "none of the above", else None."""
    if text[:2].isalpha() and text.isascii() and text[:2].lower() not in _META_STARTS:
        return None  # the first look below, sooner: plain() keeps two ASCII letters that start a text
    form = _meta_form(text)
    if form.isascii() and form[:2].lower() not in _META_STARTS:
        return None  # a cheap first look (ASCII, where ignoring case is lowering it)
    if ALL_OF_THE_ABOVE.match(form):
        return ALL
    if NONE_OF_THE_ABOVE.match(form):
        return NONE
    return None


def is_meta(text: str) -> bool:
    return meta_kind(text) is not None


def letter(index: int) -> str:
    return chr(65 + index) if index < 26 else str(index + 1)


@last_question_only
def substantive(question: Question) -> tuple[tuple[int, Option], ...]:
    """The options that are not meta options, with their index."""
    return tuple([(i, o) for i, o in enumerate(question.options) if meta_kind(o.text) is None])


@last_question_only
def single_key(question: Question) -> int | None:
    """The index of the only correct option, when there is exactly one."""
    keys = [i for i, o in enumerate(question.options) if o.correct]
    return keys[0] if len(keys) == 1 else None


normalised = normalise_option
""":func:`qbank.text.normalise_option` (remembered there: rules compare the same options often)."""


def has_digit(text: str) -> bool:
    """Whether a text has a digit of any script, superscripts (²) included."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(c.isdigit() for c in text)


def quoted_list(items) -> str:
    return ", ".join(repr(i) for i in items)
