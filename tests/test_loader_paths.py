"""The loader's lean path gives the same data, notes, problems and positions as its full builder.

Every test here runs twice: with the compiled lean path (:mod:`qbank.loader.lean_compiled`)
and with the one that reads PyYAML's events (``_Lean``).
"""

from __future__ import annotations

import math
import pickle

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbank.loader import load_text, tree
from qbank.loader.decode import decode
from qbank.loader.tree import DeferredSourceMap, _Builder, build_document
from tests.test_no_tracebacks import broken_bank_files


@pytest.fixture(autouse=True, scope="module", params=["compiled", "pyyaml-events"])
def lean_path(request):
    """The lean path under test (module-scoped, so that hypothesis's examples share it)."""
    built = tree.lean_compiled
    if request.param == "compiled" and built is None:
        pytest.skip("the compiled lean path is not built here (no C compiler or libyaml headers)")
    if request.param == "pyyaml-events":
        tree.lean_compiled = None
    yield request.param
    tree.lean_compiled = built


PLAIN = [
    "category: A/B\ntags: [x, y]\nquestions:\n  - id: q1\n  - plain\n  - [1, 2]\n  - {id: q2}\n",
    "questions:\n  - id: q1\n    stem: What is 1.10?\n    options:\n      - text: No\n      - text: off\n      - text: '1.10'\n",
    "a: 1\nb: 0x1F\nc: 0o17\nd: -.inf\ne: .nan\nf: ~\ng:\nh: true\ni: 2024-01-01\nj: 1_000\nk: 1:30\nl: +12\n",
    "root scalar\n",
    "- 1\n- [a, {b: c, d: [e, 'f']}]\n- {}\n- []\n- \"x: y\"\n- |\n  block\n  text\n- >\n  folded\n  text\n",
    "# only a comment\n",
    "key: value\r\nother: 'quoted'\r\n",
    "--- \nsingle: document\n...\n",
    "? complex\n: value\nplain key: yes\n'1': one\n",
    "n: No\ny: Y\nnested:\n  - - deep\n    - On\n  - OFF\n",
    "emphasis: '*not* an alias'\nstar: a * b\namp: Q&A\n",
    "category: Ünïcode/日本語\ntags: [é, 'ß']\nquestions:\n  - id: é1\n    stem: Ça va? 1.5\n    options: [Ö, 日本, 'No']\n  - ünï\n",
    "questions: []\ncategory:\n  - a\n  - b\ntags: {x: 1}\n",
    "questions:\n- id: q1\n  stem: |\n    block\n- id: q2\n  stem: >-\n    folded\n",
    "tags: \"plain\"\ncategory: ''\nquestions: plain text\n",
    "\ufeffquestions:\n  - id: bom\n",
    "",
]
UNUSUAL = [
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: 1\na: 2\n",
    "q:\n  - id: 1\n    id: 2\n",
    "a: !!str 1.10\n",
    "a: !!python/object:os.system []\n",
    "---\na: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "[1, 2]: x\n",
    "a: *missing\n",
    "\tkey: tab\n",
    "a: &x Yes\nb: *x\n",
    "questions:\n  - id: q1\n    stem: " + "[" * 150 + "]" * 150 + "\n",  # deeper than MAX_LEAN_DEPTH
]


def _same(left, right) -> bool:
    """Equal, with NaN equal to NaN and types compared too. Without recursion: the full builder
    reads nesting up to libyaml's limit (1,000), deeper than Python's stack allows a recursive walk."""
    pending = [(left, right)]
    while pending:
        left, right = pending.pop()
        if isinstance(left, float) and isinstance(right, float) and math.isnan(left) and math.isnan(right):
            continue
        if isinstance(left, dict) and isinstance(right, dict):
            if list(left) != list(right):
                return False
            pending.extend((left[key], right[key]) for key in left)
        elif isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                return False
            pending.extend(zip(left, right))
        elif type(left) is not type(right) or left != right:
            return False
    return True


def _assert_equivalent(text: str) -> None:
    document = build_document(text)
    full = _Builder.run(text)
    assert _same(document.data, full.root if full.complete else None)
    assert document.notes == full.notes
    assert document.problems == full.problems
    assert document.source_map.values == full.source_map.values
    assert document.source_map.keys == full.source_map.keys
    if isinstance(document.source_map, DeferredSourceMap):  # the lean path's outline agrees too
        outline = document.source_map.outline
        wanted = [
            p for p in full.source_map.values
            if len(p) == 2 and p[0] == "questions" and isinstance(p[1], int) or p in (("category",), ("tags",))
        ]
        assert sorted(map(str, outline.values)) == sorted(map(str, wanted))
        assert all(full.source_map.values[p] == outline.values[p] for p in outline.values)
        assert all(full.source_map.keys[p] == outline.keys[p] for p in outline.keys)
        assert all(document.source_map.span(p) == (full.source_map.keys.get(p), full.source_map.values[p]) for p in wanted)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_files_take_the_lean_path_and_agree(text):
    assert isinstance(build_document(text).source_map, DeferredSourceMap)
    _assert_equivalent(text)


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_files_go_to_the_full_builder(text):
    assert not isinstance(build_document(text).source_map, DeferredSourceMap)
    _assert_equivalent(text)


def test_positions_are_exact_when_built_on_demand():
    loaded = load_text("questions:\n  - id: q1\n    stem:  Hello\n    options: [a, 'b']\n", "x.yaml")
    source_map = loaded.document.source_map
    assert source_map.locate(("questions", 0, "stem")) == source_map.values[("questions", 0, "stem")]
    stem = source_map.values[("questions", 0, "stem")]
    assert (stem.line, stem.column, stem.end_line, stem.end_column) == (3, 12, 3, 17)
    assert source_map.keys[("questions", 0, "options")].column == 5
    assert source_map.values[("questions", 0, "options", 1)].column == 18


def test_a_pickled_deferred_map_reads_its_file_again(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text("questions:\n  - id: q1\n", encoding="utf-8")
    document = build_document(path.read_text(), str(path))
    copy = pickle.loads(pickle.dumps(document.source_map))
    assert copy._text is None  # only the path travelled
    assert copy.locate(("questions", 0, "id")).line == 2


_scalars = st.one_of(
    st.text(alphabet="abNoYyf01.:-# '\"\n*&!", max_size=12),
    st.integers(-1000, 1000),
    st.booleans(),
    st.none(),
    st.sampled_from(["No", "off", "1.10", "2024-01-01", "~", "null", "0x1F", "True", "*a", "&b c"]),
)
_trees = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(alphabet="abc:- ", max_size=4), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    tree=_trees, flow=st.sampled_from([None, True, False]), style=st.sampled_from([None, "'", '"', "|"]),
    top=st.lists(st.sampled_from(["root", "questions", "category", "tags"]), min_size=1, max_size=3, unique=True),
)
def test_both_paths_agree_on_generated_documents(tree, flow, style, top):
    text = yaml.safe_dump({key: tree for key in top}, default_flow_style=flow, default_style=style, allow_unicode=True)
    _assert_equivalent(text)


def test_the_compiled_lean_path_is_built_where_libyaml_headers_are():
    """An install that found a compiler and libyaml's headers must have built the compiled path,
    or every lint silently runs at the slower speed."""
    import shutil  # noqa: PLC0415
    import sysconfig  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    folders = [Path("/usr/include"), Path("/usr/local/include"), Path(sysconfig.get_paths()["include"])]
    if shutil.which("cc") is None or not any((folder / "yaml.h").exists() for folder in folders):
        pytest.skip("no C compiler or no libyaml headers here: the loader reads PyYAML's events")
    from qbank.loader import lean_compiled  # noqa: PLC0415  (raises if it was not built)

    assert lean_compiled.LeanReader is not None


def test_the_compiled_lean_path_is_not_older_than_its_source():
    """After lean_compiled.pyx changes (an edit, a pull), the built module is stale until it is built
    again; `make test` does that, a bare pytest would test the old reader."""
    if tree.lean_compiled is None:
        pytest.skip("the compiled lean path is not built here")
    from pathlib import Path  # noqa: PLC0415

    built = Path(tree.lean_compiled.__file__)
    source = built.parent / "lean_compiled.pyx"
    if not source.exists():
        pytest.skip("installed without its source")
    assert built.stat().st_mtime >= source.stat().st_mtime, "run `make test` or `pip install -e .` to build it again"


def test_a_deferred_map_whose_file_became_unusual_is_built_in_full(tmp_path):
    """A deferred map reads its file again after pickling; if the file now holds what only the
    full builder reads (an alias here), the positions come from the full builder."""
    path = tmp_path / "bank.yaml"
    path.write_text("questions:\n  - id: q1\n", encoding="utf-8")
    copy = pickle.loads(pickle.dumps(build_document(path.read_text(), str(path)).source_map))
    path.write_text("base: &b q1\nquestions:\n  - id: *b\n", encoding="utf-8")
    assert copy.locate(("questions", 0, "id")) == _Builder.run(path.read_text()).source_map.values[("questions", 0, "id")]
    assert copy.keys[("base",)].line == 1


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(broken=broken_bank_files)
def test_both_paths_agree_on_broken_and_odd_files(broken):
    """Mutated sample files and YAML-ish noise: where the lean path reads a text, it reads it as the
    full builder does. (The compiled reader links the system's libyaml, PyYAML its own copy.)"""
    text, problem = decode(broken)
    if problem is None:
        _assert_equivalent(text)
