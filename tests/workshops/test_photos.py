"""Photos of a workshop: EXIF/GPS stripped, thumbnails, refused uploads write nothing, permissions."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.workshops import photos as services
from daks.workshops.models import Phase, Photo

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[MAKE] = "Spionagekamera AG"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 20, 30, 128)).save(out, format="PNG")
    return out.getvalue()


def upload(name="pinnwand.jpg", content=None):
    return SimpleUploadedFile(name, jpeg_with_gps() if content is None else content)


def stored_files(settings) -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files)


@pytest.fixture
def urls(ws_url, workshop):
    def url(name, **extra):
        return ws_url(f"workshops:{name}", workshop_pk=workshop.pk, **extra)

    return url


def test_fixture_really_has_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_upload_strips_exif_and_makes_thumbnail(coordinator, login, urls, workshop, settings):
    client = login(coordinator)
    data = {"image": upload(), "caption": "Pinnwand der Fantasiephase", "phase": Phase.FANTASY}
    response = client.post(urls("photos"), data)
    assert response.status_code == 302 and response["Location"] == urls("photos")
    photo = Photo.objects.get()
    assert photo.caption == "Pinnwand der Fantasiephase" and photo.phase == Phase.FANTASY
    assert photo.uploaded_by == coordinator and photo.workshop == workshop
    stored = photo.image.storage.open(photo.image.name).read()
    assert b"Spionagekamera" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1600, 1200)
        assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    with Image.open(photo.thumbnail.storage.open(photo.thumbnail.name)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (480, 360)
        assert not thumb.getexif()
    # the client's file name is not used on disk; files live in the private storage only
    assert "pinnwand" not in photo.image.name
    assert len(stored_files(settings)) == 2
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, photo.image.name))
    entry = AuditLogEntry.objects.get(action="workshops.photo.added")
    assert entry.data["process"] == workshop.process_id


def test_png_with_transparency_gets_jpeg_thumbnail(coordinator, workshop):
    photo = services.photo_add(
        actor=coordinator, workshop=workshop, file=upload("flip.png", png_bytes()), caption="Flipchart"
    )
    assert photo.image.name.endswith(".png")
    with Image.open(photo.thumbnail.storage.open(photo.thumbnail.name)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (300, 200)  # small images are not enlarged


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notizen.txt", b"just text"),
        ("bild.jpg", b"<html><script>alert(1)</script></html>"),  # disguised
        ("bild.png", None),  # a JPEG named .png
        ("bericht.pdf", b"%PDF-1.4\n%%EOF"),  # a document, not an image
        ("gross.jpg", None),  # oversize
    ],
)
def test_bad_upload_writes_nothing(coordinator, login, urls, settings, name, content):
    if name == "gross.jpg":
        settings.DAKS_DOCUMENT_MAX_BYTES = 1000
    client = login(coordinator)
    response = client.post(urls("photos"), {"image": upload(name, content), "caption": "Pinnwand"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_image_error"' in html and 'value="Pinnwand"' in html
    assert not Photo.objects.exists()
    assert stored_files(settings) == []
    assert not AuditLogEntry.objects.filter(action__startswith="workshops.photo").exists()


def test_oversize_message_is_german(coordinator, workshop, settings):
    settings.DAKS_DOCUMENT_MAX_BYTES = 10
    content = jpeg_with_gps()
    with translation.override("de"), pytest.raises(DomainError) as info:
        services.photo_add(actor=coordinator, workshop=workshop, file=upload(content=content), caption="X")
    assert info.value.field == "image"
    assert info.value.message == translation.gettext(
        "The file is too large (%(size)s). At most %(max)s are allowed."
    ) % {"size": f"{len(content) / 1024:.1f}\xa0KB".replace(".", ","), "max": "10\xa0Bytes"}
    assert not Photo.objects.exists() and stored_files(settings) == []


def test_photo_setting_overrides_document_limit(coordinator, workshop, settings):
    settings.DAKS_PHOTO_MAX_BYTES = 100
    with pytest.raises(DomainError):
        services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption="X")
    assert not Photo.objects.exists()


def test_caption_is_required(coordinator, login, urls, settings):
    response = login(coordinator).post(urls("photos"), {"image": upload(), "caption": "  "})
    assert response.status_code == 200
    assert 'id="id_caption_error"' in response.content.decode()
    assert not Photo.objects.exists() and stored_files(settings) == []
    with translation.override("de"), pytest.raises(DomainError) as info:
        services._clean_caption(" ")
    assert info.value.message == translation.gettext(
        "Please describe what the photo shows (the description is read out to blind users)."
    )


def test_gallery_shows_caption_as_alt_text(reader, coordinator, login, urls, workshop):
    services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption="Pinnwand <Kritik>")
    response = login(reader).get(urls("photos"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Pinnwand &lt;Kritik&gt;"' in html
    assert 'enctype="multipart/form-data"' not in html  # readers get no upload form
    assert "button--danger" not in html


def test_reader_can_view_but_not_upload_or_delete(reader, coordinator, login, urls, workshop, settings):
    photo = services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption="Pinnwand")
    client = login(reader)
    image = client.get(urls("photo_image", photo_pk=photo.pk))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff" and "private" in image["Cache-Control"]
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8\xff")
    thumb = client.get(urls("photo_thumbnail", photo_pk=photo.pk))
    assert thumb.status_code == 200 and thumb["X-Content-Type-Options"] == "nosniff"
    assert client.post(urls("photos"), {"image": upload(), "caption": "Neu"}).status_code == 403
    assert client.post(urls("photo_delete", photo_pk=photo.pk)).status_code == 403
    assert Photo.objects.count() == 1 and len(stored_files(settings)) == 2


def test_outsider_and_anonymous_get_no_photo(outsider, coordinator, login, urls, workshop, client):
    photo = services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption="Pinnwand")
    anonymous = client.get(urls("photo_image", photo_pk=photo.pk))
    assert anonymous.status_code in (302, 404)
    if anonymous.status_code == 302:
        assert "login" in anonymous["Location"] or "anmelden" in anonymous["Location"]
    other = login(outsider)
    for name in ("photo_image", "photo_thumbnail"):
        assert other.get(urls(name, photo_pk=photo.pk)).status_code == 404
    assert other.get(urls("photos")).status_code == 404
    assert other.post(urls("photo_delete", photo_pk=photo.pk)).status_code == 404
    assert Photo.objects.count() == 1


def test_photo_of_another_workshop_is_404(coordinator, login, ws_url, workshop, other_workshop, outsider):
    foreign = services.photo_add(actor=outsider, workshop=other_workshop, file=upload(), caption="Fremd")
    url = ws_url("workshops:photo_image", workshop_pk=workshop.pk, photo_pk=foreign.pk)
    assert login(coordinator).get(url).status_code == 404
    url = ws_url("workshops:photo_image", workshop_pk=other_workshop.pk, photo_pk=foreign.pk)
    assert login(coordinator).get(url).status_code == 404


def test_wrong_step_slug_is_404(coordinator, login, workshop):
    from django.urls import reverse

    url = reverse(
        "workshops:photos",
        kwargs={
            "municipality_slug": workshop.municipality.slug,
            "pk": workshop.process_id,
            "step_slug": "kommunalprofil",
            "workshop_pk": workshop.pk,
        },
    )
    assert login(coordinator).get(url).status_code == 404


def test_contributor_deletes_photo_and_files(
    contributor, coordinator, login, urls, workshop, settings, django_capture_on_commit_callbacks
):
    photo = services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption="Pinnwand")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(contributor).post(urls("photo_delete", photo_pk=photo.pk))
    assert response.status_code == 302
    assert not Photo.objects.exists() and stored_files(settings) == []
    assert AuditLogEntry.objects.filter(action="workshops.photo.deleted", data__process=workshop.process_id).exists()


GALLERY_QUERIES = 9  # session, user, membership, …; independent of the number of photos


@pytest.mark.parametrize("count", [1, 4])
def test_gallery_query_count(coordinator, login, urls, workshop, django_assert_num_queries, count):
    for number in range(count):
        services.photo_add(actor=coordinator, workshop=workshop, file=upload(), caption=f"Foto {number}")
    client = login(coordinator)
    with django_assert_num_queries(GALLERY_QUERIES):
        response = client.get(urls("photos"))
    assert response.content.decode().count("<figure>") == count
