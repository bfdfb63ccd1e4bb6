"""Factories of the municipal profile (pass ``process``; the Kommune is taken from it)."""

import datetime
import io
import zipfile

import factory

from daks.profile.models import Interview, InterviewStatus, InventoryItem, InventoryKind, InventoryStatus

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class InventoryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryItem

    process = None
    municipality = factory.SelfAttribute("process.municipality")
    title = factory.Sequence(lambda n: f"Angebot {n}")
    kind = InventoryKind.PROJECT
    status = InventoryStatus.RUNNING
    owner = "Rathaus"


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    process = None
    municipality = factory.SelfAttribute("process.municipality")
    interviewee = factory.Sequence(lambda n: f"Gesprächspartnerin {n}")
    status = InterviewStatus.DONE
    date = datetime.date(2026, 4, 1)
    summary = "Viel Engagement, wenig Räume."
    key_statements = "Es fehlen Treffpunkte\nDer Bus fährt zu selten"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", b"kein Word-Dokument")
    return buffer.getvalue()
