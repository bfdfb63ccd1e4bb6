"""Registration, waiting list and cancellation (services and the public pages)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from daks.core.errors import DomainError
from daks.events import services
from daks.events.models import EventStatus, Registration, RegistrationStatus

from .factories import EventFactory, RegistrationFactory
from .helpers import german, ics_attachment, token_from

pytestmark = pytest.mark.django_db


def register(event, email, name="Anna Beispiel", **kwargs):
    return services.registration_create(event=event, name=name, email=email, consent=True, **kwargs)


def post(client, event, **overrides):
    data = {
        "name": "Anna Beispiel",
        "email": "anna@example.org",
        "organisation": "Musterstadt",
        "consent": "on",
        "homepage": "",
        **overrides,
    }
    return client.post(reverse("events:detail", kwargs={"slug": event.slug}), data)


def test_registration_is_confirmed_while_places_are_free(event, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration, token = register(event, "Anna@Example.org", organisation="Musterstadt")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "anna@example.org"
    # Only the hash is stored.
    assert registration.token_hash != token and token not in registration.token_hash
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["anna@example.org"]
    assert token_from(mail) == token
    assert event.online_url in mail.body
    calendar = Calendar.from_ical(ics_attachment(mail))
    (component,) = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == event.title
    assert event.online_url in str(component["LOCATION"])


def test_full_event_puts_people_on_the_waiting_list(event, mailoutbox, django_capture_on_commit_callbacks):
    for index in range(3):
        register(event, f"person{index}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first, _token = register(event, "wait1@example.org")
        second, _token = register(event, "wait2@example.org")
    assert first.status == second.status == RegistrationStatus.WAITING
    assert services.waiting_position(first) == 1 and services.waiting_position(second) == 2
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    waiting_mail = mailoutbox[0]
    assert event.online_url not in waiting_mail.body  # the link only for confirmed participants
    assert ics_attachment(waiting_mail) == ""


def test_cancellation_moves_the_first_of_the_waiting_list_up(event, mailoutbox, django_capture_on_commit_callbacks):
    tokens = [register(event, f"person{index}@example.org")[1] for index in range(3)]
    first, first_token = register(event, "wait1@example.org")
    second, _second_token = register(event, "wait2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.registration_cancel(token=tokens[1])
    assert cancelled.status == RegistrationStatus.CANCELLED and cancelled.cancelled_at
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED and first.promoted_at
    assert services.waiting_position(second) == 1
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    (mail,) = mailoutbox
    assert mail.to == ["wait1@example.org"] and event.online_url in mail.body
    assert ics_attachment(mail)
    # The promotion mail carries a new link; the one of the waiting-list mail stops working.
    new_token = token_from(mail)
    assert new_token != first_token
    assert services.registration_for_token(first_token) is None
    assert services.registration_for_token(new_token) == first


def test_cancelling_a_waiting_registration_promotes_nobody(event, mailoutbox, django_capture_on_commit_callbacks):
    for index in range(3):
        register(event, f"person{index}@example.org")
    _waiting, token = register(event, "wait1@example.org")
    second, _token = register(event, "wait2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(token=token)
    assert mailoutbox == []
    second.refresh_from_db()
    assert second.status == RegistrationStatus.WAITING and services.waiting_position(second) == 1


def test_without_capacity_everybody_is_confirmed():
    event = EventFactory(capacity=None)
    for index in range(10):
        assert register(event, f"p{index}@example.org")[0].status == RegistrationStatus.CONFIRMED


def test_registering_again_after_cancelling_is_possible(event):
    _registration, token = register(event, "anna@example.org")
    services.registration_cancel(token=token)
    again, _token = register(event, "anna@example.org")
    assert again.status == RegistrationStatus.CONFIRMED
    assert event.registrations.count() == 2


def test_higher_capacity_moves_people_up(event, editor, mailoutbox, django_capture_on_commit_callbacks):
    for index in range(4):
        register(event, f"person{index}@example.org")
    event.refresh_from_db()
    data = {field: getattr(event, field) for field in services.EVENT_FIELDS} | {"capacity": 5}
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=editor, event=event, data=data, version=event.version)
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 4
    assert [mail.to for mail in mailoutbox] == [["person3@example.org"]]


def test_capacity_below_confirmed_is_refused(event, editor):
    for index in range(3):
        register(event, f"person{index}@example.org")
    event.refresh_from_db()
    data = {field: getattr(event, field) for field in services.EVENT_FIELDS} | {"capacity": 2}
    with pytest.raises(DomainError) as error:
        services.event_update(actor=editor, event=event, data=data, version=event.version)
    assert error.value.field == "capacity"
    event.refresh_from_db()
    assert event.capacity == 3


# --- The public page ------------------------------------------------------------------------------------------


def test_detail_page_shows_the_form_but_never_the_online_link(client, event):
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert event.online_url not in content
    assert 'name="consent"' in content and 'name="homepage"' in content and "csrfmiddlewaretoken" in content
    assert "<strong>Seminar</strong>" in content  # Markdown rendered


def test_register_through_the_page(client, event, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == "Musterstadt" and registration.language == "de"
    assert len(mailoutbox) == 1
    page = client.get(response["Location"])
    assert "anna@example.org" in page.content.decode()


def test_double_registration_shows_a_german_message_and_writes_nothing(client, event, mailoutbox):
    RegistrationFactory(event=event, email="anna@example.org")
    response = post(client, event, email="ANNA@example.org")
    assert response.status_code == 400
    assert german("This e-mail address is already registered for this event.")[:40] in response.content.decode()
    assert event.registrations.count() == 1
    assert mailoutbox == []


def test_missing_consent_is_refused(client, event):
    response = post(client, event, consent="")
    assert response.status_code == 400
    assert german("Please agree to the processing of your data.") in response.content.decode()
    assert not Registration.objects.exists()


def test_honeypot_writes_nothing(client, event):
    response = post(client, event, homepage="http://spam.example")
    assert response.status_code == 400
    assert german("Your registration was not saved. Please leave the last field empty.") in response.content.decode()
    assert not Registration.objects.exists()


def test_rate_limit(client, event, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"event_registration_ip": (2, 3600)}
    assert post(client, event, email="a@example.org").status_code == 302
    assert post(client, event, email="b@example.org").status_code == 302
    response = post(client, event, email="c@example.org")
    assert response.status_code == 429
    assert german("Too many requests. Please wait a few minutes and try again.") in response.content.decode()
    assert Registration.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"registration_deadline": timezone.now() - timedelta(hours=1)},
            "The registration deadline has passed.",
        ),
        (
            {"status": EventStatus.CANCELLED},
            "This event has been cancelled. Registration is not possible.",
        ),
        (
            {"starts_at": timezone.now() - timedelta(days=2), "ends_at": timezone.now() - timedelta(days=2, hours=-2)},
            "This event has already started or is over. Registration is not possible any more.",
        ),
    ],
    ids=["deadline", "cancelled", "past"],
)
def test_closed_registration(client, overrides, message):
    event = EventFactory(**overrides)
    page = client.get(event.get_absolute_url())
    assert german(message) in page.content.decode()
    assert 'name="consent"' not in page.content.decode()
    response = post(client, event)
    assert response.status_code == 400
    assert german(message) in response.content.decode()
    assert not Registration.objects.exists()


def test_drafts_are_not_public(client):
    event = EventFactory(status=EventStatus.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert post(client, event).status_code == 404
    assert client.get(reverse("events:ics", kwargs={"slug": event.slug})).status_code == 404


def test_drafts_are_visible_to_organisers_as_preview(login, editor):
    event = EventFactory(status=EventStatus.DRAFT)
    response = login(editor).get(event.get_absolute_url())
    assert response.status_code == 200
    assert german("Preview: this event is a draft and not public yet.") in response.content.decode()


# --- The personal page --------------------------------------------------------------------------------------------


def test_personal_page_shows_the_online_link_to_confirmed_participants(client, event):
    _registration, token = register(event, "anna@example.org")
    response = client.get(reverse("events:registration", kwargs={"token": token}))
    assert response.status_code == 200
    assert event.online_url in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_personal_page_of_the_waiting_list_shows_the_position_not_the_link(client, event):
    for index in range(3):
        register(event, f"p{index}@example.org")
    _registration, token = register(event, "wait@example.org")
    content = client.get(reverse("events:registration", kwargs={"token": token})).content.decode()
    assert event.online_url not in content
    assert german("waiting list") in content


def test_cancel_through_the_personal_page(client, event, mailoutbox, django_capture_on_commit_callbacks):
    for index in range(3):
        register(event, f"p{index}@example.org")
    waiting, _wait_token = register(event, "wait@example.org")
    registration = Registration.objects.get(email="p0@example.org")
    token = "known-token"
    registration.token_hash = services.hash_token(token)
    registration.save()
    url = reverse("events:registration", kwargs={"token": token})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [mail.to for mail in mailoutbox] == [["wait@example.org"]]
    # A second cancellation changes nothing and says so in German.
    response = client.post(url)
    assert response.status_code == 400  # the page no longer offers the form; a replayed POST gets the message
    assert german("This registration has already been cancelled.") in response.content.decode()


@pytest.mark.parametrize("token", ["forged-token", "x" * 43, "a" * 150])
def test_unknown_or_forged_tokens_change_nothing(client, event, token):
    registration = RegistrationFactory(event=event)
    for method in (client.get, client.post):
        response = method(reverse("events:registration", kwargs={"token": token}))
        assert response.status_code == 404
        assert german("This registration link is unknown or no longer valid. Nothing has been changed.") in (
            response.content.decode()
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_public_list_query_count(client, django_assert_num_queries):
    for index in range(5):
        EventFactory(title=f"Kommend {index}")
        EventFactory(
            title=f"Vergangen {index}",
            starts_at=timezone.now() - timedelta(days=30 + index),
            ends_at=timezone.now() - timedelta(days=30 + index, hours=-2),
        )
    EventFactory(title="Entwurf", status=EventStatus.DRAFT)
    with django_assert_num_queries(4):  # upcoming, past count, past page, groups of the filter
        response = client.get(reverse("events:list"))
    content = response.content.decode()
    assert "Kommend 4" in content and "Vergangen 4" in content and "Entwurf" not in content
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_list_filter_by_kind(client):
    EventFactory(title="Seminar A")
    EventFactory(title="Treffen B", kind="regional_meeting", online_url="", place="Rathaus")
    content = client.get(reverse("events:list") + "?kind=regional_meeting").content.decode()
    assert "Treffen B" in content and "Seminar A" not in content
