"""The one build step pyproject.toml cannot declare without an experimental table: the loader's
compiled lean path (qbank/loader/lean_compiled.pyx, Cython against libyaml).

It is optional: without a C compiler or libyaml's headers (Debian: libyaml-dev) the build skips
it and qbank reads YAML through PyYAML's events, with the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("qbank.loader.lean_compiled", ["qbank/loader/lean_compiled.pyx"], libraries=["yaml"], optional=True),
    ],
)
