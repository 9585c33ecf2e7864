"""Which of qbank's modules run compiled: those built from the source that is there now.

Where a C compiler is at hand, the build (setup.py) compiles the modules that run for every
question (the rules, the engine, the exporters and what they share) with Cython, each from its own ``.py``,
and lists each one built in ``compiled.json`` with the SHA-256 of the source it came from.
Python would import a compiled module in preference to the ``.py`` beside it, even after
the ``.py`` was edited or pulled; the finder here makes the import choose instead:

- the compiled module while its source is the one it was built from;
- else the source (an edit runs at once, only slower until the next build);
- the source everywhere when ``QBANK_PURE_PYTHON=1`` is set (to debug, or to compare).

Both give the same results: the compiled module is the same code.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
from importlib.machinery import ExtensionFileLoader, ModuleSpec, PathFinder
from importlib.util import spec_from_file_location

MANIFEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compiled.json")
PURE_PYTHON = "QBANK_PURE_PYTHON"


def source_digest(source: bytes) -> str:
    """What the manifest holds for a source (setup.py computes the same)."""
    return hashlib.sha256(source).hexdigest()


def built(manifest: str = MANIFEST) -> dict[str, str]:
    """Module name -> digest of its source, for each module the build compiled (none without a manifest)."""
    try:
        with open(manifest, encoding="utf-8") as handle:
            listed = json.load(handle)
    except (OSError, ValueError):
        return {}
    return listed if isinstance(listed, dict) else {}


class CompiledOrSource:
    """A meta path finder for qbank's modules that takes a compiled module only when it is current."""

    def __init__(self, listed: dict[str, str], pure: bool = False) -> None:
        self.listed = listed
        self.pure = pure

    def find_spec(self, fullname: str, path: list[str] | None = None, target: object = None) -> ModuleSpec | None:
        if not fullname.startswith("qbank."):
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, ExtensionFileLoader) or spec.origin is None:
            return spec
        source = os.path.join(os.path.dirname(spec.origin), fullname.rpartition(".")[2] + ".py")
        if not os.path.isfile(source):
            return spec  # compiled from a source of its own (qbank/loader/lean_compiled.pyx)
        if not self.pure and self.listed.get(fullname) == _digest_of(source):
            return spec
        return spec_from_file_location(fullname, source)

    def uses_compiled(self, fullname: str) -> bool:
        """Whether importing ``fullname`` now would take its compiled module."""
        parent = importlib.import_module(fullname.rpartition(".")[0])
        spec = self.find_spec(fullname, parent.__path__)
        return spec is not None and isinstance(spec.loader, ExtensionFileLoader)


def _digest_of(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return source_digest(handle.read())
    except OSError:
        return None


def install() -> CompiledOrSource:
    """Put the finder first in line for qbank's modules (once per process)."""
    for finder in sys.meta_path:
        if isinstance(finder, CompiledOrSource):
            return finder
    finder = CompiledOrSource(built(), pure=os.environ.get(PURE_PYTHON, "") not in ("", "0"))
    sys.meta_path.insert(0, finder)
    return finder
