"""The portrait: editing (Koordination only), visibility (opt-in + verified), image upload, consent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from daks.core.models import AuditLogEntry
from daks.network.models import ContactConsent, Portrait
from daks.toolbox.models import TopicField

from .factories import PortraitFactory, consenting_contact, de, image_bytes

pytestmark = pytest.mark.django_db


def edit_url(municipality):
    return reverse("network_municipality:edit", kwargs={"municipality_slug": municipality.slug})


def public_url(municipality):
    return reverse("network:portrait", kwargs={"municipality_slug": municipality.slug})


def form_data(**overrides):
    data = {
        "version": "",
        "is_public": "on",
        "description": "## Über uns\n\nWir sind **aktiv**.",
        "image_alt": "",
        "topics": [TopicField.objects.get(slug="wohnen").pk],
        "share_stage": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Roles ------------------------------------------------------------------------------------------------------


def test_coordinator_creates_the_portrait(login, coordinator, municipality):
    client = login(coordinator)
    assert client.get(edit_url(municipality)).status_code == 200
    response = client.post(edit_url(municipality), form_data())
    assert response.status_code == 302
    portrait = Portrait.objects.get(municipality=municipality)
    assert portrait.is_public and portrait.share_stage and portrait.published_at is not None
    assert [t.slug for t in portrait.topics.all()] == ["wohnen"]
    assert AuditLogEntry.objects.filter(action="network.portrait.created", municipality=municipality).exists()


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_other_members_may_not_edit(request, login, municipality, role):
    client = login(request.getfixturevalue(role))
    assert client.get(edit_url(municipality)).status_code == 403
    assert client.post(edit_url(municipality), form_data()).status_code == 403
    assert not Portrait.objects.exists()


def test_non_members_and_anonymous_get_404(client, login, outsider, municipality):
    assert client.get(edit_url(municipality)).status_code == 404
    assert login(outsider).post(edit_url(municipality), form_data()).status_code == 404
    assert not Portrait.objects.exists()


def test_edit_conflict_writes_nothing(login, coordinator, municipality):
    portrait = PortraitFactory(municipality=municipality, description="Alt")
    stale = portrait.version
    Portrait.objects.filter(pk=portrait.pk).update(description="Von jemand anderem")
    portrait.refresh_from_db()
    portrait.description = "Zwischendurch"
    portrait.save()
    response = login(coordinator).post(edit_url(municipality), form_data(version=stale, description="Mein Text"))
    assert response.status_code == 409
    assert (
        de("Somebody else has changed the portrait in the meantime. Please check the current version and save again.")
        in response.content.decode()
    )
    portrait.refresh_from_db()
    assert portrait.description == "Zwischendurch"


# --- Visibility -------------------------------------------------------------------------------------------------


def test_public_portrait_only_when_opted_in(client, municipality):
    assert client.get(public_url(municipality)).status_code == 404
    portrait = PortraitFactory(municipality=municipality, is_public=False)
    assert client.get(public_url(municipality)).status_code == 404
    portrait.is_public = True
    portrait.save()
    response = client.get(public_url(municipality))
    assert response.status_code == 200
    assert "Musterstadt" in response.content.decode()
    assert "public" in response["Cache-Control"] and "Set-Cookie" not in response


def test_unverified_municipality_has_no_public_portrait(client, municipality):
    municipality.verified_at = None
    municipality.save()
    PortraitFactory(municipality=municipality)
    assert client.get(public_url(municipality)).status_code == 404
    assert client.get(reverse("network:directory")).content.decode().count("Musterstadt") == 0


def test_members_see_a_preview_of_a_private_portrait(login, reader, outsider, municipality):
    PortraitFactory(municipality=municipality, is_public=False)
    response = login(reader).get(public_url(municipality))
    assert response.status_code == 200
    assert de("Preview") in response.content.decode()
    assert login(outsider).get(public_url(municipality)).status_code == 404


def test_description_is_sanitised_markdown(client, municipality):
    PortraitFactory(municipality=municipality, description="**fett** <script>alert(1)</script>")
    html = client.get(public_url(municipality)).content.decode()
    assert "<strong>fett</strong>" in html and "<script>alert(1)" not in html


# --- Image ------------------------------------------------------------------------------------------------------


def test_image_upload_strips_exif_and_is_served(login, client, coordinator, municipality):
    upload = SimpleUploadedFile("rathaus.jpg", image_bytes(), content_type="image/jpeg")
    response = login(coordinator).post(edit_url(municipality), form_data(image=upload, image_alt="Das Rathaus"))
    assert response.status_code == 302
    portrait = Portrait.objects.get(municipality=municipality)
    with portrait.image.open("rb") as stored:
        data = stored.read()
    assert b"GeheimeKamera" not in data
    with Image.open(portrait.image.open("rb")) as image:
        assert not image.getexif()
    client.logout()
    served = client.get(reverse("network:portrait_image", kwargs={"municipality_slug": municipality.slug}))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert 'alt="Das Rathaus"' in client.get(public_url(municipality)).content.decode()


def test_disguised_image_is_refused_nothing_written(login, coordinator, municipality):
    upload = SimpleUploadedFile("logo.png", b"<html>kein Bild</html>", content_type="image/png")
    response = login(coordinator).post(edit_url(municipality), form_data(image=upload, image_alt="Logo"))
    assert response.status_code == 422
    assert de(
        "The content of the file does not match its name: it is not a real %(type)s file.", type=de("PNG image")
    ) in (response.content.decode())
    assert not Portrait.objects.exists()


def test_public_image_needs_a_description(login, coordinator, municipality):
    upload = SimpleUploadedFile("rathaus.png", image_bytes("PNG"), content_type="image/png")
    response = login(coordinator).post(edit_url(municipality), form_data(image=upload))
    assert response.status_code == 422
    assert de("Please describe the image for people who cannot see it.") in response.content.decode()
    assert not Portrait.objects.exists()


def test_image_of_private_portrait_is_not_served(client, municipality):
    PortraitFactory(municipality=municipality, is_public=False)
    assert (
        client.get(reverse("network:portrait_image", kwargs={"municipality_slug": municipality.slug})).status_code
        == 404
    )


# --- Contact persons and consent --------------------------------------------------------------------------------


def test_only_consenting_members_can_be_chosen(login, coordinator, contributor, municipality):
    client = login(coordinator)
    response = client.post(edit_url(municipality), form_data(contacts=[contributor.pk]))
    assert response.status_code == 422  # not offered as a choice at all
    assert not Portrait.objects.exists()
    ContactConsent.objects.create(municipality=municipality, user=contributor)
    assert client.post(edit_url(municipality), form_data(contacts=[contributor.pk])).status_code == 302
    assert list(Portrait.objects.get().contacts.all()) == [contributor]


def test_member_of_another_municipality_cannot_be_contact(
    login, coordinator, outsider, other_municipality, municipality
):
    ContactConsent.objects.create(municipality=other_municipality, user=outsider)
    response = login(coordinator).post(edit_url(municipality), form_data(contacts=[outsider.pk]))
    assert response.status_code == 422
    assert not Portrait.objects.exists()


def test_member_gives_and_withdraws_own_consent(login, reader, municipality):
    url = reverse("network_municipality:consent", kwargs={"municipality_slug": municipality.slug})
    client = login(reader)
    assert client.get(url).status_code == 200
    client.post(url, {"consent": "yes"})
    assert ContactConsent.objects.filter(municipality=municipality, user=reader).exists()
    portrait = PortraitFactory(municipality=municipality)
    portrait.contacts.add(reader)
    client.post(url, {"consent": "no"})
    assert not ContactConsent.objects.filter(municipality=municipality, user=reader).exists()
    assert not portrait.contacts.exists()


def test_consent_page_is_for_members_only(client, login, outsider, municipality):
    url = reverse("network_municipality:consent", kwargs={"municipality_slug": municipality.slug})
    assert client.post(url, {"consent": "yes"}).status_code == 404
    assert login(outsider).post(url, {"consent": "yes"}).status_code == 404
    assert not ContactConsent.objects.exists()


def test_contact_names_shown_addresses_never(client, municipality):
    contact = consenting_contact(municipality, user__name="Karla Kontakt", user__email="karla.geheim@example.org")
    portrait = PortraitFactory(municipality=municipality)
    portrait.contacts.add(contact)
    for url in (public_url(municipality), reverse("network:contact", kwargs={"municipality_slug": municipality.slug})):
        html = client.get(url).content.decode()
        assert "Karla Kontakt" in html
        assert "karla.geheim" not in html and "mailto:" not in html


def test_withdrawn_or_former_member_is_no_longer_shown(client, municipality):
    contact = consenting_contact(municipality, user__name="Karla Kontakt")
    portrait = PortraitFactory(municipality=municipality)
    portrait.contacts.add(contact)
    contact.memberships.all().delete()
    assert "Karla Kontakt" not in client.get(public_url(municipality)).content.decode()
