"""The build steps pyproject.toml cannot declare without an experimental table: qbank's optional
compiled modules. Both are optional: without a C compiler the build skips them, and qbank runs the
same code as plain Python, with the same results.

- The loader's compiled lean path (qbank/loader/lean_compiled.pyx, Cython against libyaml; it also
  needs libyaml's headers, Debian: libyaml-dev). Without it qbank reads YAML through PyYAML's events.
- The modules that run for every question (:data:`COMPILED`: the rules, the engine, the exporters
  and what they share), compiled from their own .py files by Cython, as black and mypy ship theirs
  compiled by mypyc. The rules then take about a quarter less time, a whole lint about a seventh
  (docs/performance.md, thirteenth round). A compiled module is used only while its source is
  unchanged since the build: the build lists each one with the digest of its source
  (qbank/compiled.py reads the list), so an edit never runs stale code.
"""

import hashlib
import json
import os
from glob import glob
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

RULES = [path for folder in ("structure", "quality", "bank") for path in sorted(glob(f"qbank/rules/{folder}/*.py"))]
SHARED = ["engine", "bank", "memo", "text", "markdown", "similarity", "compact", "rules/shared", "rules/parse", "model/fields", "grades", "render"]
EXPORTERS = [path for path in sorted(glob("qbank/exporters/*.py")) if not path.endswith(("__init__.py", "json_model.py"))]
"""Every exporter but the pydantic models of the JSON export (which pydantic reads at class creation)."""
FORMATS = [path for path in sorted(glob("qbank/formats/*.py")) if not path.endswith("__init__.py")]
"""What each export format's exporter and importer share (source comments, fingerprints): run for every question exported."""
COMPILED = [path for path in RULES if not path.endswith("__init__.py")] + [f"qbank/{name}.py" for name in SHARED] + EXPORTERS + FORMATS
"""Sources compiled as they are (module name from the path)."""
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True}
"""Python's semantics: annotations stay hints (never checked), functions keep their signatures."""
MANIFEST = "compiled.json"
SKIP = "QBANK_COMPILE_MODULES"
"""Set to 0, the build compiles only the lean loader: a minute less to install, a seventh slower to
lint. The GitHub Action sets it unless asked (a CI run installs qbank every time, and most banks lint
in a second)."""


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _compiled_modules() -> list[Extension]:
    if os.environ.get(SKIP, "1").strip() == "0":
        return []
    try:
        from Cython.Build import cythonize  # noqa: PLC0415
    except ImportError:  # a build without Cython: plain Python
        return []
    no_debug_info = ["-g0"] if os.name != "nt" else []  # a fifth of the size: the wheel is 4 MB, not 21
    extensions = [Extension(_module(path), [path], optional=True, extra_compile_args=no_debug_info) for path in COMPILED]
    return cythonize(extensions, compiler_directives=DIRECTIVES, build_dir="build/cython", nthreads=os.cpu_count() or 1, quiet=True)


class BuildWithManifest(build_ext):
    """Builds on every core, and writes the manifest of the compiled modules that built."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        self._built: dict[str, str] = {}
        super().run()
        manifest = json.dumps(dict(sorted(self._built.items())), indent=1) + "\n"
        folders = [Path(self.build_lib) / "qbank"] + ([Path("qbank")] if self.inplace else [])
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / MANIFEST).write_text(manifest, encoding="utf-8")

    def build_extension(self, ext: Extension) -> None:
        super().build_extension(ext)  # raises when it fails: then it is not listed
        source = ext.name.replace(".", "/") + ".py"
        if os.path.exists(source):
            self._built[ext.name] = hashlib.sha256(Path(source).read_bytes()).hexdigest()  # as qbank/compiled.py


if __name__ == "__main__":  # as setuptools runs it (a test reads the lists above)
    setup(
        ext_modules=[
            Extension("qbank.loader.lean_compiled", ["qbank/loader/lean_compiled.pyx"], libraries=["yaml"], optional=True),
            *_compiled_modules(),
        ],
        cmdclass={"build_ext": BuildWithManifest},
    )
