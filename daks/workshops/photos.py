"""Photos of a workshop's flipcharts and pin boards: upload, thumbnail, delete (services) and reads.

An upload is checked by its content (``daks.core.uploads.validate_document``: PNG, JPEG or WebP only, at most
``DAKS_PHOTO_MAX_BYTES`` or, without that setting, ``DAKS_DOCUMENT_MAX_BYTES``) and *re-encoded*, so EXIF data
(GPS position, camera, time) and anything appended to the image are gone before a byte is written. A JPEG
thumbnail of at most ``THUMBNAIL_SIZE`` pixels on its longer edge is stored beside it. Files live in the private
storage under unguessable names and are delivered only by permission-checked views. A refused upload writes
nothing: no row, no file.
"""

from __future__ import annotations

import base64
import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.uploads import CheckedDocument, validate_document

from .models import Phase, Photo, Workshop

PHOTO_KINDS = ("png", "jpeg", "webp")
THUMBNAIL_SIZE = 480
CAPTION_MAX_LENGTH = 300


def max_bytes() -> int:
    return getattr(settings, "DAKS_PHOTO_MAX_BYTES", None) or settings.DAKS_DOCUMENT_MAX_BYTES


def check_photo(file) -> CheckedDocument:
    """The uploaded ``file`` checked by content and re-encoded without metadata; DomainError otherwise."""
    if not file:
        raise DomainError(_("Please choose a photo to upload."), field="image")
    try:
        return validate_document(file, allowed=PHOTO_KINDS, max_bytes=max_bytes())
    except ValidationError as error:
        raise DomainError(error.messages[0], field="image") from None


def make_thumbnail(content: bytes, *, size: int = THUMBNAIL_SIZE) -> bytes:
    """A JPEG of at most ``size`` × ``size`` pixels (aspect kept) from already checked image bytes."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


def _clean_caption(caption) -> str:
    caption = " ".join(str(caption or "").split())
    if not caption:
        raise DomainError(
            _("Please describe what the photo shows (the description is read out to blind users)."), field="caption"
        )
    if len(caption) > CAPTION_MAX_LENGTH:
        raise DomainError(
            _("Please shorten this text to at most %(count)d characters.") % {"count": CAPTION_MAX_LENGTH},
            field="caption",
        )
    return caption


def _clean_phase(phase) -> str:
    phase = phase or ""
    if phase and phase not in Phase.values:
        raise DomainError(_("Please choose a valid phase."), field="phase")
    return phase


def _delete_files(photo: Photo) -> None:
    for field in (photo.image, photo.thumbnail):
        if field and field.name:
            field.storage.delete(field.name)


@transaction.atomic
def photo_add(*, actor, workshop: Workshop, file, caption: str, phase: str = "") -> Photo:
    """Store a photo of ``workshop`` (checked, re-encoded, with thumbnail); refused uploads write nothing."""
    caption = _clean_caption(caption)
    phase = _clean_phase(phase)
    checked = check_photo(file)
    try:
        thumbnail = make_thumbnail(checked.content)
    except (OSError, ValueError):
        raise DomainError(_("The photo could not be processed. Please try another file."), field="image") from None
    photo = Photo(workshop=workshop, caption=caption, phase=phase, uploaded_by=actor)
    stem = uuid.uuid4().hex
    extension = checked.filename.rsplit(".", 1)[-1]
    try:
        photo.image.save(f"{stem}.{extension}", ContentFile(checked.content), save=False)
        photo.thumbnail.save(f"{stem}-vorschau.jpg", ContentFile(thumbnail), save=False)
        photo.save()
        log_action(
            "workshops.photo.added",
            actor=actor,
            municipality=workshop.municipality,
            obj=photo,
            process=workshop.process_id,
            workshop=workshop.pk,
        )
    except BaseException:
        _delete_files(photo)
        raise
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: Photo) -> None:
    """Delete the photo; its files are removed once the deletion is committed."""
    workshop = photo.workshop
    names = [(field.storage, field.name) for field in (photo.image, photo.thumbnail) if field and field.name]
    log_action(
        "workshops.photo.deleted",
        actor=actor,
        municipality=workshop.municipality,
        obj=photo,
        process=workshop.process_id,
        workshop=workshop.pk,
    )
    photo.delete()
    for storage, name in names:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- Reads ------------------------------------------------------------------------------------------------------


def photos_of(workshop: Workshop) -> list[Photo]:
    return list(workshop.photos.order_by("created_at", "id"))


MIMETYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def mimetype_of(name: str) -> str:
    return MIMETYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def thumbnail_data_uri(photo: Photo) -> str:
    """The thumbnail as a ``data:`` URI (for the PDF report), or "" when the file is missing."""
    content = thumbnail_bytes(photo)
    if not content:
        return ""
    name = (photo.thumbnail or photo.image).name
    return f"data:{mimetype_of(name)};base64,{base64.b64encode(content).decode('ascii')}"


def thumbnail_bytes(photo: Photo) -> bytes:
    """The thumbnail's bytes (the image itself for photos without one), or b"" when the file is missing."""
    field = photo.thumbnail or photo.image
    if not field or not field.name:
        return b""
    try:
        with field.storage.open(field.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return b""
