"""Every upload of DAKS: checked by content (not by name), limited in size, images re-encoded without EXIF, archives
never unpacked unbounded. An inventory of the upload fields makes a new one fail until it has been reviewed.
"""

import ast
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from daks.core.uploads import SLIDE_KINDS, validate_document

from .test_uploads import TINY_PDF, jpeg_with_exif, zip_bytes

ROOT = Path(settings.BASE_DIR)

#: (file, form class, field) → how the upload is checked. Keep it in sync when adding an upload.
REVIEWED_UPLOADS = {
    ("daks/municipalities/forms.py", "MunicipalityForm", "logo"): "validate_document: PNG/JPEG/GIF/WebP re-encoded",
    ("daks/network/forms.py", "PortraitForm", "image"): "validate_document: images re-encoded",
    ("daks/news/forms.py", "NewsForm", "image"): "validate_document: images re-encoded",
    ("daks/news/forms.py", "NewsForm", "document"): "validate_document: PDF/ODT/DOCX, DAKS_DOCUMENT_MAX_BYTES",
    ("daks/workshops/views_docs.py", "PhotoForm", "image"): "workshops.photos: validate_document, re-encoded",
    ("daks/profile/forms.py", "InventoryItemForm", "document"): "profile.services: validate_document",
    ("daks/toolbox/forms_editorial.py", "AttachmentForm", "file"): "toolbox.services: validate_document PDF/ODT/DOCX",
    ("daks/toolbox/forms_editorial.py", "VideoForm", "video_file"): "toolbox.services.video_set: magic bytes, 200 MB",
    ("daks/events/forms.py", "MaterialForm", "slides_file"): "validate_document: PDF/PPTX/ODP, 30 MB",
    ("daks/strategy/actor_forms.py", "ActorImportForm", "file"): "actor_io: text or XLSX by content, 2 MB, zip limits",
    ("daks/plans/forms_versions.py", "ImportUploadForm", "file"): "plans.importer: by content, 2 MB, zip limits",
    ("daks/demography/forms.py", "OwnDataUploadForm", "file"): "5 MB, parsed as CSV text",
    ("daks/portability/forms.py", "ImportForm", "archive"): "portability.importer.open_archive: zip limits",
}


def upload_fields():
    """(file, class, field) of every forms.FileField/ImageField declared in a form class of the project."""
    found = set()
    for path in (ROOT / "daks").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
                    continue
                function = statement.value.func
                if (
                    isinstance(function, ast.Attribute)
                    and function.attr in ("FileField", "ImageField")
                    and getattr(function.value, "id", "") == "forms"
                ):
                    for target in statement.targets:
                        found.add((path.relative_to(ROOT).as_posix(), node.name, target.id))
    return found


def test_every_upload_field_is_reviewed():
    assert upload_fields() == set(REVIEWED_UPLOADS), "A new upload: check it by content (daks.core.uploads)."


def png(size=(20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def gif_with_comment() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (6, 4)).save(buffer, "GIF", comment=b"Geheimer Kommentar")
    return buffer.getvalue() + b"<script>alert(1)</script>"


# --- Logos of a Kommune -------------------------------------------------------------------------------------------


def _registration(**overrides):
    return {
        "name": "Neustadt",
        "kind": "stadt",
        "country": "DE",
        "state": "DE-BY",
        "official_key": "09162000",
    } | overrides


@pytest.mark.django_db
def test_logo_is_reencoded_without_exif(login, user):
    from daks.municipalities.models import Municipality

    logo = SimpleUploadedFile("Logo Neustadt.jpeg", jpeg_with_exif(), content_type="image/jpeg")
    response = login(user).post("/kommunen/neu/", _registration(logo=logo))
    assert response.status_code == 302
    stored = Municipality.objects.get().logo
    assert stored.name.startswith("logos/") and stored.name.endswith(".jpg")
    content = stored.read()
    assert b"Geheimes Modell" not in content and b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif() and image.size == (6, 8)


@pytest.mark.django_db
def test_gif_logo_is_reencoded(login, user):
    from daks.municipalities.models import Municipality

    logo = SimpleUploadedFile("logo.gif", gif_with_comment(), content_type="image/gif")
    assert login(user).post("/kommunen/neu/", _registration(logo=logo)).status_code == 302
    content = Municipality.objects.get().logo.read()
    assert content.startswith(b"GIF") and b"Geheimer" not in content and b"<script" not in content


@pytest.mark.django_db
def test_disguised_logo_is_refused(login, user):
    from daks.municipalities.models import Municipality

    logo = SimpleUploadedFile("logo.png", jpeg_with_exif(), content_type="image/png")  # a JPEG named .png
    response = login(user).post("/kommunen/neu/", _registration(logo=logo), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "passt nicht zu ihrem Namen" in response.content.decode()
    assert not Municipality.objects.exists()


# --- Slides of an event ------------------------------------------------------------------------------------------


def pptx_bytes(**extra) -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>", **extra})


def odp_bytes() -> bytes:
    entries = {"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<office/>"}
    return zip_bytes(entries, stored_first="mimetype")


def test_slides_are_checked_by_content():
    for name, content, kind in (
        ("f.pdf", TINY_PDF, "pdf"),
        ("f.pptx", pptx_bytes(), "pptx"),
        ("f.odp", odp_bytes(), "odp"),
    ):
        assert validate_document(SimpleUploadedFile(name, content), allowed=SLIDE_KINDS).kind == kind
    for name, content in (
        ("folien.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("folien.pptx", zip_bytes({"a.txt": b"x"})),
        ("folien.odp", odp_bytes().replace(b"presentation", b"spreadsheet")),
        ("folien.pptx", pptx_bytes(**{"ppt/vbaProject.bin": b"macro"})),
    ):
        with pytest.raises(ValidationError):
            validate_document(SimpleUploadedFile(name, content), allowed=SLIDE_KINDS)


def test_slides_and_gif_are_not_documents():
    """The new kinds are only accepted where a caller allows them explicitly."""
    for name, content in (("f.pptx", pptx_bytes()), ("f.odp", odp_bytes()), ("f.gif", gif_with_comment())):
        with pytest.raises(ValidationError):
            validate_document(SimpleUploadedFile(name, content))


@pytest.mark.django_db
def test_event_slides_form_refuses_a_disguised_file():
    from daks.events.forms import MaterialForm

    html = SimpleUploadedFile("folien.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    with translation.override("de"):
        form = MaterialForm({"recording_url": "", "slides_url": ""}, {"slides_file": html})
        assert not form.is_valid()
        assert "slides_file" in form.errors


# --- Archives: never unpacked unbounded ----------------------------------------------------------------------------


def _xlsx_with(entries: dict[str, bytes]) -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", **entries})


def _refuse_unpacking(monkeypatch):
    import openpyxl

    def fail(*args, **kwargs):
        raise AssertionError("the workbook was opened although it is too large")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)


@pytest.mark.parametrize("module_path", ["daks.strategy.actor_io", "daks.plans.importer"])
def test_workbook_zip_bombs_are_refused_before_unpacking(monkeypatch, module_path):
    import importlib

    module = importlib.import_module(module_path)
    _refuse_unpacking(monkeypatch)
    bomb = _xlsx_with({"xl/sharedStrings.xml": b"\0" * (module.MAX_UNPACKED_BYTES + 1)})
    assert len(bomb) < 200_000  # compressed 1000:1
    many = _xlsx_with({f"xl/media/{number}.bin": b"" for number in range(module.MAX_ZIP_ENTRIES)})
    for data in (bomb, many):
        upload = SimpleUploadedFile("akteure.xlsx", data)
        with pytest.raises(module.ImportFileError) as error:
            if module_path.endswith("actor_io"):
                module.read_import_file(upload)
            else:
                module.read_table(upload)
        assert str(error.value.message).strip()


def test_damaged_actor_workbook_is_a_clean_error():
    """Found by fuzzing: a read-only workbook parses its sheet while iterating; errors there were not caught."""
    from openpyxl import Workbook

    from daks.strategy import actor_io

    workbook = Workbook()
    workbook.active.append(["name", "einfluss", "interesse"])
    workbook.active.append(["Seniorenbeirat", 3, 4])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = entries["xl/worksheets/sheet1.xml"]
    for damaged in (sheet.replace(b'r="A1"', b'r="ZZZZZZ1"'), sheet.replace(b"<c ", b'<c t="s" ', 1)):
        data = zip_bytes({**entries, "xl/worksheets/sheet1.xml": damaged})
        with pytest.raises(actor_io.ImportFileError):
            actor_io.read_import_file(SimpleUploadedFile("akteure.xlsx", data))


def test_portability_archive_limits_exist():
    """The workspace import checks entries, sizes, compression ratio and paths before unpacking (tested in
    tests/portability/test_import_validation.py); here only that the limits stay bounded."""
    from daks.portability import importer

    assert importer.max_entries() <= 100_000
    assert importer.max_total_bytes() <= 10 * 1024**3
    assert importer.MAX_RATIO <= 1000 and importer.RATIO_CHECK_FROM <= 16 * 1024**2
