import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from daks.core.uploads import MAX_ZIP_ENTRIES, accept_attribute, safe_filename, validate_document

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, content in entries.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def odt_bytes(**extra) -> bytes:
    entries = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b"<office:document-content/>",
        "META-INF/manifest.xml": b"<manifest/>",
        **extra,
    }
    return zip_bytes(entries, stored_first="mimetype")


def docx_bytes(**extra) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **extra,
        }
    )


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (8, 6), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x0110] = "Geheimes Modell"  # Model
    exif[0x0112] = 6  # Orientation: rotated 90°
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes(mode="RGB", size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def test_pdf_accepted():
    result = validate_document(upload("Konzept Altstadt.pdf", TINY_PDF))
    assert (result.kind, result.mimetype) == ("pdf", "application/pdf")
    assert result.filename == "Konzept_Altstadt.pdf" and result.content == TINY_PDF


def test_odt_and_docx_accepted():
    odt = validate_document(upload("Quartier.odt", odt_bytes()))
    assert odt.kind == "odt" and odt.mimetype == "application/vnd.oasis.opendocument.text"
    docx = validate_document(upload("Bericht.DOCX", docx_bytes()))
    assert docx.kind == "docx" and docx.filename == "Bericht.docx"
    assert docx.mimetype.endswith("wordprocessingml.document")


def test_jpeg_is_reencoded_without_exif():
    original = jpeg_with_exif()
    assert b"Geheimes Modell" in original
    result = validate_document(upload("foto.jpeg", original))
    assert result.kind == "jpeg" and result.filename == "foto.jpg"
    assert b"Geheimes Modell" not in result.content and b"Exif" not in result.content
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert image.size == (6, 8)  # the orientation was applied before the tag was dropped


def test_png_and_webp_accepted():
    assert validate_document(upload("plan.png", png_bytes("P"))).kind == "png"
    buffer = io.BytesIO()
    Image.new("RGBA", (3, 3)).save(buffer, "WEBP")
    assert validate_document(upload("bild.webp", buffer.getvalue())).mimetype == "image/webp"


def test_trailing_data_after_image_is_dropped():
    result = validate_document(upload("plan.png", png_bytes() + b"<script>alert(1)</script>"))
    assert b"<script>" not in result.content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bericht.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # a Windows program
        ("bericht.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("bericht.docx", zip_bytes({"a.txt": b"hallo"})),  # a ZIP, but no Word document
        ("bericht.docx", odt_bytes()),  # an ODT named .docx
        ("bericht.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})),
        ("foto.jpg", TINY_PDF),
        ("foto.png", jpeg_with_exif()),
        ("foto.jpg", b"\xff\xd8\xff\xe0 kaputt"),
    ],
)
def test_disguised_or_broken_files_rejected(name, content):
    with translation.override("de"), pytest.raises(ValidationError) as info:
        validate_document(upload(name, content))
    assert info.value.code in ("disguised", "invalid")


@pytest.mark.parametrize("name", ["programm.exe", "seite.html", "ohne_endung", "tabelle.xlsx", "bild.gif"])
def test_other_types_rejected(name):
    with pytest.raises(ValidationError) as info:
        validate_document(upload(name, TINY_PDF))
    assert info.value.code == "type_not_allowed"


def test_allowed_restricts_kinds():
    with pytest.raises(ValidationError) as info:
        validate_document(upload("bericht.pdf", TINY_PDF), allowed=("png", "jpeg"))
    assert info.value.code == "type_not_allowed"
    assert "PDF" not in accept_attribute(("png",)) and ".png" in accept_attribute(("png",))


def test_oversize_rejected_with_german_message(settings):
    settings.DAKS_DOCUMENT_MAX_BYTES = 50
    with translation.override("de"), pytest.raises(ValidationError) as info:
        validate_document(upload("gross.pdf", TINY_PDF))
    assert info.value.code == "too_large"
    assert "zu groß" in info.value.messages[0] or "too large" in info.value.messages[0]
    # a file object without a size is read at most up to the limit
    stream = io.BytesIO(TINY_PDF)
    stream.name = "gross.pdf"
    with pytest.raises(ValidationError):
        validate_document(stream, max_bytes=20)


def test_empty_file_rejected():
    with pytest.raises(ValidationError) as info:
        validate_document(upload("leer.pdf", b""))
    assert info.value.code == "empty"


def test_macros_rejected():
    with pytest.raises(ValidationError) as info:
        validate_document(upload("makro.docx", docx_bytes(**{"word/vbaProject.bin": b"\x00"})))
    assert info.value.code == "macros"
    with pytest.raises(ValidationError) as info:
        validate_document(upload("makro.odt", odt_bytes(**{"Basic/Standard/Module1.xml": b"<x/>"})))
    assert info.value.code == "macros"


def test_zip_with_too_many_entries_rejected():
    entries = {f"word/f{n}.xml": b"" for n in range(MAX_ZIP_ENTRIES + 1)}
    entries.update({"[Content_Types].xml": b"", "word/document.xml": b""})
    with pytest.raises(ValidationError) as info:
        validate_document(upload("viele.docx", zip_bytes(entries)))
    assert info.value.code == "zip_entries"


def test_image_with_too_many_pixels_rejected(monkeypatch):
    monkeypatch.setattr("daks.core.uploads.MAX_IMAGE_PIXELS", 10)
    with pytest.raises(ValidationError) as info:
        validate_document(upload("plan.png", png_bytes(size=(4, 4))))
    assert info.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Anna\\Bericht 2025.pdf", "Bericht_2025.pdf"),
        ("Übersicht Seniorenbüro.pdf", "Übersicht_Seniorenbüro.pdf"),
        ("---.pdf", "dokument.pdf"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, "pdf") == expected
