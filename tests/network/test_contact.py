"""The public contact form: mails to the contact persons, addresses never shown, spam protection."""

import pytest
from django.core import mail
from django.urls import reverse

from daks.core.models import AuditLogEntry

from .factories import PortraitFactory, consenting_contact, de

pytestmark = pytest.mark.django_db

MESSAGE = "Guten Tag, wie haben Sie Ihren Seniorenbeirat eingebunden? Viele Grüße"


@pytest.fixture
def portrait(municipality):
    portrait = PortraitFactory(municipality=municipality)
    portrait.contacts.add(
        consenting_contact(municipality, user__name="Karla Kontakt", user__email="karla.geheim@example.org"),
        consenting_contact(municipality, user__name="Otto Ansprech", user__email="otto.geheim@example.org"),
    )
    return portrait


def url(municipality):
    return reverse("network:contact", kwargs={"municipality_slug": municipality.slug})


def data(**overrides):
    return {
        "name": "Petra Peer",
        "email": "petra@andere-kommune.example",
        "message": MESSAGE,
        "privacy": "on",
    } | overrides


def test_message_goes_to_each_contact_by_mail(client, django_capture_on_commit_callbacks, portrait, municipality):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(municipality), data())
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["karla.geheim@example.org", "otto.geheim@example.org"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)  # nobody sees the other addresses
    body = mail.outbox[0].body
    assert MESSAGE in body and "petra@andere-kommune.example" in body and "Petra Peer" in body
    # Nothing of the message is stored: the audit entry only counts the recipients.
    entry = AuditLogEntry.objects.get(action="network.contact.sent")
    assert entry.data == {"recipients": 2}
    assert MESSAGE not in str(entry.__dict__) and "petra" not in str(entry.__dict__)
    page = client.get(response["Location"]).content.decode()
    assert "karla.geheim" not in page and "otto.geheim" not in page


def test_addresses_never_rendered_even_after_errors(client, portrait, municipality):
    html = client.post(url(municipality), data(email="keine-adresse")).content.decode()
    assert "karla.geheim" not in html and "otto.geheim" not in html and "mailto:" not in html


def test_honeypot_refuses_with_german_message(client, django_capture_on_commit_callbacks, portrait, municipality):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(municipality), data(homepage="http://spam.example"))
    assert response.status_code == 422
    assert de("Your message could not be sent. Please leave the last field empty.") in response.content.decode()
    assert not mail.outbox and not AuditLogEntry.objects.filter(action="network.contact.sent").exists()


def test_rate_limit(client, settings, django_capture_on_commit_callbacks, portrait, municipality):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"contact_ip": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            assert client.post(url(municipality), data()).status_code == 302
        response = client.post(url(municipality), data())
    assert response.status_code == 429
    assert de("Too many requests. Please wait a few minutes and try again.") in response.content.decode()
    assert len(mail.outbox) == 4  # two messages to two contacts; the third sent nothing
    assert AuditLogEntry.objects.filter(action="network.contact.sent").count() == 2


def test_invalid_input_sends_nothing(client, django_capture_on_commit_callbacks, portrait, municipality):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(municipality), data(message="kurz", privacy=""))
    assert response.status_code == 422
    assert not mail.outbox


def test_too_many_links_are_refused(client, django_capture_on_commit_callbacks, portrait, municipality):
    spam = "Billig! http://a.example http://b.example http://c.example http://d.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(municipality), data(message=spam))
    assert response.status_code == 422
    assert de("Please send at most three links.") in response.content.decode()
    assert not mail.outbox


def test_no_contact_form_for_private_portraits(client, portrait, municipality):
    portrait.is_public = False
    portrait.save()
    assert client.get(url(municipality)).status_code == 404
    assert client.post(url(municipality), data()).status_code == 404
    assert not mail.outbox


def test_without_contacts_nothing_is_sent(client, django_capture_on_commit_callbacks, municipality):
    PortraitFactory(municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(municipality), data())
    assert response.status_code in (200, 422)
    assert not mail.outbox
