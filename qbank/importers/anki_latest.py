"""What Anki 2.1.50 and later write in a package, beyond the legacy layout of :mod:`qbank.importers.anki`.

Anki writes this form unless "Support older Anki versions" is ticked when exporting.
After ankitects/anki ``rslib/src/import_export/package/meta.rs`` and ``media.rs``:

- A ``meta`` entry, a protobuf ``PackageMetadata``, says which collection is the
  package's: version 1 ``collection.anki2``, 2 ``collection.anki21``, 3
  ``collection.anki21b``. A package without it is legacy. Any other version comes from
  an Anki newer than this reader.
- In version 3, the collection, the ``media`` list and every media file are
  zstd-compressed, and the media list is a protobuf ``MediaEntries``: the n-th entry's
  file is the zip member named ``n``.
- A version 3 collection is at schema 18: note types, their fields and the decks are
  tables (``notetypes``, ``fields``, ``decks``; ``rslib/src/storage/upgrades/schema15_upgrade.sql``)
  instead of JSON in ``col``, and a deck's name joins its parts with ``\\x1f``, not ``::``.

Both libraries are imported only when such a package is read.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from functools import lru_cache
from typing import Any

LEGACY_1, LEGACY_2, LATEST = 1, 2, 3
COLLECTION_OF = {LEGACY_1: "collection.anki2", LEGACY_2: "collection.anki21", LATEST: "collection.anki21b"}


class LatestFormatError(ValueError):
    """A part of the package cannot be read; the message says which and why."""


@lru_cache(maxsize=1)
def _messages() -> tuple[Any, Any]:
    """The two protobuf messages read here, declared with the fields qbank needs (others are skipped)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: PLC0415

    field = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="qbank/anki_package.proto", package="qbank.anki", syntax="proto3")
    meta = proto.message_type.add(name="PackageMetadata")
    meta.field.add(name="version", number=1, type=field.TYPE_INT32, label=field.LABEL_OPTIONAL)
    entries = proto.message_type.add(name="MediaEntries")
    entry = entries.nested_type.add(name="MediaEntry")
    entry.field.add(name="name", number=1, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    entries.field.add(
        name="entries", number=1, type=field.TYPE_MESSAGE, label=field.LABEL_REPEATED, type_name=".qbank.anki.MediaEntries.MediaEntry"
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return tuple(message_factory.GetMessageClass(pool.FindMessageTypeByName(f"qbank.anki.{name}")) for name in ("PackageMetadata", "MediaEntries"))


def _decoded(message: Any, data: bytes, what: str) -> Any:
    from google.protobuf.message import DecodeError  # noqa: PLC0415

    try:
        return message.FromString(data)
    except DecodeError as exc:
        raise LatestFormatError(f"its {what} is damaged ({exc})") from exc


def package_version(meta: bytes | None, names: set[str]) -> int:
    """The package's version, from its ``meta`` entry, or from its collection file when it has none."""
    if meta is None:
        return LEGACY_2 if COLLECTION_OF[LEGACY_2] in names else LEGACY_1
    version = _decoded(_messages()[0], meta, "meta entry").version
    if version not in COLLECTION_OF:
        raise LatestFormatError(
            f"it was made by an Anki newer than qbank knows (package version {version}); in Anki, export it again "
            'with "Support older Anki versions" ticked'
        )
    return version


def decompress(data: bytes, what: str) -> bytes:
    """A zstd-compressed part of a version 3 package, decompressed."""
    import zstandard  # noqa: PLC0415

    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
            return reader.read()
    except zstandard.ZstdError as exc:
        raise LatestFormatError(f"its {what} is not valid zstd data ({exc})") from exc


def read_member(archive: zipfile.ZipFile, name: str, version: int, what: str) -> bytes:
    """A member of the package as Anki wrote it: decompressed when the package is of version 3."""
    data = archive.read(name)
    return decompress(data, what) if version == LATEST else data


def media_map(data: bytes) -> dict[str, str]:
    """The media list of a version 3 package (decompressed), as the legacy JSON map: zip member -> file name."""
    listed = _decoded(_messages()[1], data, "media list")
    return {str(number): entry.name for number, entry in enumerate(listed.entries)}


def tables(connection: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, Any]]:
    """(note types, decks) of a schema 18 collection, in the shape of the legacy ``col.models`` and ``col.decks``."""
    connection.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    models: dict[str, Any] = {
        str(ntid): {"name": name, "flds": []} for ntid, name in connection.execute("SELECT id, name FROM notetypes")
    }
    for ntid, ord_, name in connection.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        models.setdefault(str(ntid), {"name": str(ntid), "flds": []})["flds"].append({"name": name, "ord": ord_})
    decks = {str(did): {"name": str(name).replace("\x1f", "::")} for did, name in connection.execute("SELECT id, name FROM decks")}
    return models, decks
