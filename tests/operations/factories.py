"""Data and helpers of the operations tests (backup/restore, fault handling)."""

import datetime
import hashlib
import io
import json
import tarfile

from django.core.files.base import ContentFile

from daks.core import backup
from daks.profile import services as profile_services
from daks.strategy import services as strategy_services

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def de(msgid, **values):
    """The German text (works before and after the catalogues are compiled)."""
    from django.utils.translation import gettext, override

    with override("de"):
        text = gettext(msgid)
    return text % values if values else text


def workspace(*, municipality, coordinator):
    """A Kommune with a logo (public file), a process, inventory entries (one with a private document), SWOT."""
    municipality.logo.save("wappen.png", ContentFile(png_bytes()), save=True)
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile("Konzept Senioren.pdf", TINY_PDF, content_type="application/pdf")
    item = profile_services.inventory_item_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        title="Seniorenbüro",
        owner="Sozialamt",
        notes="Öffnungszeiten: Mo–Fr 9–12 Uhr",
        document=document,
    )
    profile_services.inventory_item_create(
        actor=coordinator, municipality=municipality, process=process, title="Tafel", start_year=2019
    )
    profile_services.swot_item_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        quadrant="strength",
        text="Starkes Ehrenamt",
        evidence_inventory=item,
    )
    return process


def known_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(backup._known_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def handmade_archive(path, *, vendor, members=None, manifest_changes=None, extra_members=None, tampered=None):
    """A backup archive written by hand: ``members`` (archive path → bytes) are listed in the manifest with their
    checksums, ``extra_members`` are in the tar but not in the manifest, ``tampered`` replaces a member's content
    in the tar after its checksum was taken."""
    database_file = backup.PG_DUMP if vendor == "postgresql" else backup.SQLITE_COPY
    members = {database_file: b"not really a database", **(members or {})}
    manifest = {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "daks_version": "0.1.0",
        "created_at": "2026-03-12T03:15:00+00:00",
        "database": {"vendor": vendor, "file": database_file, "tables": {}},
        "migrations": known_migrations(),
        "files": [
            {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in members.items()
        ],
    }
    manifest.update(manifest_changes or {})
    with tarfile.open(path, "w:gz") as tar:
        written = {
            **members,
            **(tampered or {}),
            **(extra_members or {}),
            backup.MANIFEST: json.dumps(manifest).encode(),
        }
        for name, content in written.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path
