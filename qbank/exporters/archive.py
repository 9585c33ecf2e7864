"""Byte-reproducible zip archives: sorted entries, fixed dates, fixed permissions.

The same files give the same bytes on every run and every machine, so an export can
be diffed, cached and checked into a release without spurious changes.
"""

from __future__ import annotations

import io
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can hold; any fixed date would do."""


def deterministic_zip(files: dict[str, bytes]) -> bytes:
    """Zip ``files`` (name → bytes), entries sorted by name, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below mean the same everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
