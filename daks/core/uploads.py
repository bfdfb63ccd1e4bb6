"""Checking uploaded documents by their content, not by their name or the browser's content type.

``validate_document(file)`` reads at most ``max_bytes`` (+1) bytes and decides what the file really is:

- PDF: starts with ``%PDF-``;
- ODT: a ZIP whose ``mimetype`` entry is ``application/vnd.oasis.opendocument.text`` (and without macros);
- DOCX: a ZIP with ``word/document.xml`` and ``[Content_Types].xml`` (and without macros);
- PPTX and ODP (slides; only where a caller allows them): like DOCX and ODT;
- PNG, JPEG, WebP (and GIF, only where a caller allows it, e.g. logos): decoded by Pillow and *re-encoded*,
  which drops EXIF data (GPS position, camera …) and anything appended to the image.

ZIP files are only inspected (the central directory is listed, at most ``MAX_ZIP_ENTRIES`` entries, and the
tiny ``mimetype`` entry is read); nothing is ever extracted. A file whose content is not one of the allowed
kinds, or whose name claims another kind than its content (an HTML page named ``.pdf``, a ZIP named
``.docx``), is rejected with a German message (``django.core.exceptions.ValidationError``).
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DOCUMENT_KINDS = ("pdf", "odt", "docx", "png", "jpeg", "webp")
#: Further kinds a caller may allow explicitly (not part of DOCUMENT_KINDS).
SLIDE_KINDS = ("pdf", "pptx", "odp")

MIMETYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

#: The canonical file extension of each kind.
EXTENSIONS = {
    "pdf": "pdf",
    "odt": "odt",
    "docx": "docx",
    "png": "png",
    "jpeg": "jpg",
    "webp": "webp",
    "gif": "gif",
    "pptx": "pptx",
    "odp": "odp",
}

#: File name extensions a user may use for each kind.
EXTENSION_KINDS = {
    "pdf": "pdf",
    "odt": "odt",
    "docx": "docx",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "webp": "webp",
    "gif": "gif",
    "pptx": "pptx",
    "odp": "odp",
}

LABELS = {
    "pdf": gettext_lazy("PDF"),
    "odt": gettext_lazy("ODT (OpenDocument text)"),
    "docx": gettext_lazy("DOCX (Word)"),
    "png": gettext_lazy("PNG image"),
    "jpeg": gettext_lazy("JPEG image"),
    "webp": gettext_lazy("WebP image"),
    "gif": gettext_lazy("GIF image"),
    "pptx": gettext_lazy("PPTX (PowerPoint)"),
    "odp": gettext_lazy("ODP (OpenDocument presentation)"),
}

#: More entries than this and a ZIP is not a plausible text document (and might be a ZIP bomb).
MAX_ZIP_ENTRIES = 2000
#: Images with more pixels are refused before they are decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
MAX_FILENAME_LENGTH = 120

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
#: Entries that hold macros: such documents are refused.
ODT_MACRO_PREFIXES = ("Basic/", "Scripts/")
DOCX_MACRO_ENTRIES = ("word/vbaProject.bin", "word/vbaData.xml")
PPTX_MACRO_ENTRIES = ("ppt/vbaProject.bin",)


@dataclass(frozen=True)
class CheckedDocument:
    """A document whose type was checked by content; ``content`` may be re-encoded (images)."""

    kind: str
    mimetype: str
    filename: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.filename)


def _types_text(allowed) -> str:
    return ", ".join(str(LABELS[kind]) for kind in allowed)


def allowed_help_text(*, allowed=DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """ "PDF, ODT …, at most 10 MB." for a form's help text."""
    max_bytes = settings.DAKS_DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    return _("Allowed: %(types)s; at most %(max)s.") % {"types": _types_text(allowed), "max": filesizeformat(max_bytes)}


def accept_attribute(allowed=DOCUMENT_KINDS) -> str:
    """The ``accept`` attribute of a file input (a hint for the browser; the server checks the content)."""
    extensions = [f".{ext}" for ext, kind in EXTENSION_KINDS.items() if kind in allowed]
    return ",".join(extensions + [MIMETYPES[kind] for kind in allowed])


def safe_filename(name: str, kind: str) -> str:
    """The client's file name without path, reduced to harmless characters, with the extension of ``kind``."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(name)[0].strip(" .")
    try:
        stem = get_valid_filename(stem)
    except Exception:  # get_valid_filename raises SuspiciousFileOperation for "", "." and ".."
        stem = ""
    stem = stem.strip("._-")[: MAX_FILENAME_LENGTH - 6] or "dokument"
    return f"{stem}.{EXTENSIONS[kind]}"


def _extension_kind(name: str) -> str | None:
    ext = os.path.splitext(str(name or ""))[1].lower().lstrip(".")
    return EXTENSION_KINDS.get(ext)


def _read(file, max_bytes: int) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _too_large(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is too large (%(size)s). At most %(max)s are allowed.")
        % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        code="too_large",
    )


def _invalid(kind: str) -> ValidationError:
    return ValidationError(
        _("The file could not be read as %(type)s. It may be damaged.") % {"type": LABELS[kind]}, code="invalid"
    )


# --- Detection --------------------------------------------------------------------------------------------------


def _zip_kind(data: bytes) -> str | None:
    """ "odt", "docx", "odp" or "pptx" for a matching ZIP, None for any other ZIP; raises for macros."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ValidationError(_("The archive contains too many files to be a text document."), code="zip_entries")
        names = {entry.filename for entry in entries}
        mimetype = next((entry for entry in entries if entry.filename == "mimetype"), None)
        if mimetype is not None and 0 < mimetype.file_size <= 200:
            try:
                with archive.open(mimetype) as stream:
                    declared = stream.read(201).strip()
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, OSError, EOFError):
                declared = b""
            if declared in (ODT_MIMETYPE, ODP_MIMETYPE) and "content.xml" in names:
                if any(name.startswith(ODT_MACRO_PREFIXES) for name in names):
                    raise _macros()
                return "odt" if declared == ODT_MIMETYPE else "odp"
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            if any(name in names for name in DOCX_MACRO_ENTRIES):
                raise _macros()
            return "docx"
        if "ppt/presentation.xml" in names and "[Content_Types].xml" in names:
            if any(name in names for name in PPTX_MACRO_ENTRIES):
                raise _macros()
            return "pptx"
    return None


def _macros() -> ValidationError:
    return ValidationError(
        _("The document contains macros. Please save it as a document without macros and upload it again."),
        code="macros",
    )


def _sniff(data: bytes) -> str | None:
    """The kind of ``data`` by its magic bytes (ZIPs by their entries), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


# --- Images -----------------------------------------------------------------------------------------------------

PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF"}


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode the image and write a fresh one: only the pixels survive (EXIF, comments, trailing data do not)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = PILLOW_FORMATS[kind]
    try:
        with Image.open(io.BytesIO(data), formats=[expected]) as probe:
            width, height = probe.size
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(width)d × %(height)d pixels). At most %(max)d megapixels are allowed.")
                    % {"width": width, "height": height, "max": MAX_IMAGE_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[expected]) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
            if kind == "jpeg":
                image = image.convert("L" if image.mode in ("L", "1") else "RGB")
            elif kind == "gif":  # the first frame, as a palette image again
                image = image.convert("RGBA").quantize(colors=256)
            elif image.mode not in ("L", "LA", "RGB", "RGBA"):
                image = image.convert("RGBA")
            # A fresh image from the raw pixels carries no metadata at all.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError):
        raise _invalid(kind) from None
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}, "GIF": {}}
    clean.save(out, format=expected, **options[expected])
    return out.getvalue()


def carries_metadata(data: bytes, kind: str) -> bool:
    """Whether an image of ``kind`` carries data beyond its pixels that may tell about people: EXIF (camera, GPS
    position, time), XMP, comments, PNG text chunks. Images that DAKS re-encoded itself carry none."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
            text = getattr(image, "text", None) or {}  # PNG tEXt/iTXt/zTXt chunks (read up to the image data)
            return bool(
                image.getexif()
                or text
                or any(key in image.info for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment"))
            )
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError):
        raise _invalid(kind) from None


def without_metadata(data: bytes, kind: str) -> bytes:
    """``data`` unchanged if the image carries no metadata (``carries_metadata``), else re-encoded from its pixels
    (as every upload is): a workspace archive from elsewhere cannot bring in what an upload could not."""
    return _reencode_image(data, kind) if carries_metadata(data, kind) else data


# --- Public API -------------------------------------------------------------------------------------------------


def validate_document(file, *, allowed=DOCUMENT_KINDS, max_bytes: int | None = None) -> CheckedDocument:
    """Check ``file`` (an uploaded file or any binary file object with a ``name``) by its content.

    Returns a ``CheckedDocument`` (kind, mimetype, safe file name, bytes — images re-encoded without EXIF);
    raises ``ValidationError`` with a German message for oversize, empty, disguised or unreadable files.
    """
    max_bytes = settings.DAKS_DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    allowed = tuple(allowed)
    name = getattr(file, "name", "") or ""
    data = _read(file, max_bytes)
    claimed = _extension_kind(name)
    if claimed is None or claimed not in allowed:
        raise ValidationError(
            _("This file type is not allowed. Allowed are: %(types)s.") % {"types": _types_text(allowed)},
            code="type_not_allowed",
        )
    kind = _sniff(data)
    if kind != claimed:
        raise ValidationError(
            _("The content of the file does not match its name: it is not a real %(type)s file.")
            % {"type": LABELS[claimed]},
            code="disguised",
        )
    if kind in PILLOW_FORMATS:
        data = _reencode_image(data, kind)
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes)
    return CheckedDocument(kind=kind, mimetype=MIMETYPES[kind], filename=safe_filename(name, kind), content=data)
