"""Golden exports of the fixture bank (tests/data/export-bank), reviewed by eye.

Regenerate after an intended change with ``QBANK_UPDATE_GOLDEN=1 make test`` and
read the diff before committing it. The .apkg is compared through a text dump of
its database and media (its bytes are checked for reproducibility elsewhere;
note times depend on git history, so they are left out here).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile

import pytest

from tests.exporters.conftest import FIXTURE, ROOT, export

GOLDEN = ROOT / "tests" / "golden"


def apkg_dump(data: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    lines = [f"zip: {[(i.filename, i.date_time) for i in archive.infolist()]}"]
    media = json.loads(archive.read("media"))
    lines.append(f"media: {media}")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "c.anki2")
        with open(path, "wb") as handle:
            handle.write(archive.read("collection.anki2"))
        db = sqlite3.connect(path)
        models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
        for model in models.values():
            lines.append(f"notetype {model['id']} {model['name']!r} fields={[f['name'] for f in model['flds']]} "
                         f"templates={[t['name'] for t in model['tmpls']]}")
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        lines.extend(f"deck {d['id']} {d['name']!r}" for d in sorted(decks.values(), key=lambda d: d["name"]))
        for guid, tags, fields, deck in db.execute(
            "SELECT n.guid, n.tags, n.flds, c.did FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id"
        ):
            lines.append(f"\nnote guid={guid!r} deck={deck} tags={tags.strip()!r}")
            lines.extend(f"  {field}" for field in fields.split("\x1f"))
        db.close()
    return ("\n".join(lines) + "\n").encode("utf-8")


CASES = {
    "export-bank.moodle.xml": lambda: export(FIXTURE, "moodle"),
    "export-bank.json": lambda: export(FIXTURE, "json"),
    "export-bank.anki.txt": lambda: export(FIXTURE, "anki-text"),
    "export-bank.apkg.txt": lambda: apkg_dump(export(FIXTURE, "anki")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    actual = CASES[name]()
    path = GOLDEN / name
    if os.environ.get("QBANK_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert path.read_bytes() == actual, f"{name} changed; review and regenerate with QBANK_UPDATE_GOLDEN=1"
