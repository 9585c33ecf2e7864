"""Patterns compiled when first used (qbank/patterns.py): the same answers as re.compile, later."""

from __future__ import annotations

import copy
import pickle
import re
import subprocess
import sys

from qbank.patterns import lazy_pattern


def test_a_lazy_pattern_answers_as_the_compiled_one():
    text = "Which is NOT a cause? (a) heat and (b) cold"
    for source, flags in [(r"\b(not|never)\b", re.I), (r"\((?P<label>[a-z])\)", 0), (r"^(\w+)", re.M)]:
        lazy, compiled = lazy_pattern(source, flags), re.compile(source, flags)
        assert lazy.search(text).span() == compiled.search(text).span()
        assert lazy.findall(text) == compiled.findall(text)
        assert lazy.sub("#", text) == compiled.sub("#", text)
        assert lazy.split(text) == compiled.split(text)
        assert [m.group() for m in lazy.finditer(text)] == [m.group() for m in compiled.finditer(text)]
        assert (lazy.match(text) is None) == (compiled.match(text) is None)
        assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)


def test_it_compiles_when_first_used_not_before():
    lazy = lazy_pattern(r"a(b)")
    assert lazy.pattern == "a(b)"  # known without compiling: patterns are built from others
    copy.copy(lazy), pickle.dumps(lazy), repr(lazy)
    assert "search" not in vars(lazy)
    assert lazy.search("xab").group(1) == "b"
    assert "search" in vars(lazy)  # from now on found in the instance, as quickly as on the pattern


def test_importing_the_rules_compiles_none_of_their_patterns():
    """What a cached re-lint gains: it imports every rule, and lints no question itself."""
    script = (
        "from qbank.rules.registry import all_rules\n"
        "import sys\n"
        "from qbank.patterns import LazyPattern\n"
        "all_rules()\n"
        "lazy = [(name, key) for name, module in list(sys.modules.items()) if name.startswith('qbank.rules')\n"
        "        for key, value in vars(module).items() if isinstance(value, LazyPattern)]\n"
        "compiled = [(name, key) for name, key in lazy if 'search' in vars(vars(sys.modules[name])[key])]\n"
        "print(len(lazy), compiled)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split(maxsplit=1)
    assert int(out[0]) >= 30 and out[1].strip() == "[]"
