"""Newsletter subscription: double opt-in from the outbox end to end, bad input, forged and expired tokens."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from daks.news import services
from daks.news.models import Subscriber, SubscriberStatus

from .factories import IssueFactory, SubscriberFactory, make_network_editor

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("newsletter:subscribe")


def german(message: str) -> str:
    with translation.override("de"):
        return gettext(message)


def _subscribe(client, capture, email="neu@example.org", **extra):
    data = {"email": email, "consent": "on", "homepage": "", **extra}
    with capture(execute=True):
        return client.post(SUBSCRIBE, data)


def _link(message, name: str) -> str:
    """The path of the first link to ``/newsletter/<name>/…`` in a mail body."""
    match = re.search(rf"http://[^/\s]+(/newsletter/{name}/[^\s\"<]+/)", message)
    assert match, message
    return match.group(1)


def _state(email):
    return (
        Subscriber.objects.filter(email=email).values_list("status", "confirm_token_hash", "unsubscribe_hash").first()
    )


def test_double_opt_in_from_the_outbox_end_to_end(client, django_capture_on_commit_callbacks, staff_user):
    # 1. Subscribe: a confirmation mail, the address is pending, nothing is sent yet.
    response = _subscribe(client, django_capture_on_commit_callbacks, email="Neu@Example.org")
    assert response.status_code == 302 and response.url == reverse("newsletter:thanks")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "neu@example.org" and subscriber.status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["neu@example.org"]
    confirm_path = _link(confirmation.body, "bestaetigen")
    token = confirm_path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in subscriber.confirm_token_hash and len(subscriber.confirm_token_hash) == 64  # only the hash

    # 2. Opening the link shows a button and changes nothing (mail scanners open links) …
    response = client.get(confirm_path)
    assert response.status_code == 200 and not response.cookies
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    # … the click confirms (without a CSRF token: the token in the address is the proof).
    response = Client(enforce_csrf_checks=True).post(confirm_path)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at
    assert subscriber.confirm_token_hash == ""
    assert client.post(confirm_path).status_code == 404  # used up

    # 3. An issue reaches the confirmed subscriber, with a personal unsubscribe link and header, no pixel.
    mail.outbox.clear()
    issue = IssueFactory(body="Hallo **Netzwerk**\n\n<img src='https://tracker.example/p.gif'>")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_start(actor=staff_user, issue=issue)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    unsubscribe_path = _link(message.body, "abmelden")
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.DAKS_BASE_URL}{unsubscribe_path}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Netzwerk</strong>" in html
    assert "<img" not in html and "src=" not in html.replace("&lt;img src=", "")  # raw HTML is shown as text
    assert unsubscribe_path in html

    # 4. Unsubscribe: the page asks first, the click unsubscribes; a second click changes nothing.
    response = client.get(unsubscribe_path)
    assert response.status_code == 200 and not response.cookies
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    response = Client(enforce_csrf_checks=True).post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED
    assert client.post(unsubscribe_path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED

    # 5. Subscribing again works with a new opt-in; the old unsubscribe link no longer applies.
    mail.outbox.clear()
    _subscribe(client, django_capture_on_commit_callbacks, email="neu@example.org")
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 1
    assert client.get(unsubscribe_path).status_code == 404
    client.post(_link(mail.outbox[0].body, "bestaetigen"))
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_confirmed_address_is_not_told_apart_and_gets_no_mail(client, django_capture_on_commit_callbacks):
    SubscriberFactory(email="dabei@example.org")
    response = _subscribe(client, django_capture_on_commit_callbacks, email="dabei@example.org")
    assert response.status_code == 302 and response.url == reverse("newsletter:thanks")
    assert mail.outbox == []
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_subscribing_again_while_pending_replaces_the_link(client, django_capture_on_commit_callbacks):
    _subscribe(client, django_capture_on_commit_callbacks)
    _subscribe(client, django_capture_on_commit_callbacks)
    first, second = (_link(message.body, "bestaetigen") for message in mail.outbox)
    assert client.post(first).status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(second).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_subscribe_page_has_the_form_with_csrf(client, db):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="email"' in content and 'name="consent"' in content and 'name="homepage"' in content
    assert "csrfmiddlewaretoken" in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "neu@example.org", "homepage": "http://spam.example", "consent": "on"},
         "Your subscription was not saved. Please leave the last field empty."),
        ({"email": "neu@example.org"}, "Please agree to receive the newsletter."),
        ({"email": "keine-adresse", "consent": "on"}, "Enter a valid email address."),
    ],
)  # fmt: skip
def test_bad_input_shows_a_german_message_and_writes_nothing(client, django_capture_on_commit_callbacks, data, message):
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert german(message) in response.content.decode()
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_address(client, django_capture_on_commit_callbacks, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"newsletter_ip": (2, 3600)}
    for number in range(2):
        assert _subscribe(client, django_capture_on_commit_callbacks, email=f"a{number}@example.org").status_code == 302
    response = _subscribe(client, django_capture_on_commit_callbacks, email="zu-viel@example.org")
    assert response.status_code == 429
    assert german("Too many requests. Please wait a few minutes and try again.") in response.content.decode()
    assert not Subscriber.objects.filter(email="zu-viel@example.org").exists()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_confirm_token_shows_a_german_page_and_changes_nothing(
    client, django_capture_on_commit_callbacks, method
):
    _subscribe(client, django_capture_on_commit_callbacks)
    before = _state("neu@example.org")
    response = getattr(client, method)(reverse("newsletter:confirm", kwargs={"token": "gefaelscht-" + "x" * 30}))
    assert response.status_code == 404
    assert german("This confirmation link is not valid. It may have been used already.") in response.content.decode()
    assert _state("neu@example.org") == before


def test_expired_confirm_token_shows_a_german_page_and_changes_nothing(client, django_capture_on_commit_callbacks):
    _subscribe(client, django_capture_on_commit_callbacks)
    Subscriber.objects.update(confirm_expires_at=timezone.now() - timedelta(seconds=1))
    before = _state("neu@example.org")
    response = client.post(_link(mail.outbox[0].body, "bestaetigen"))
    assert response.status_code == 410
    assert german("This confirmation link has expired. Please subscribe again.") in response.content.decode()
    assert _state("neu@example.org") == before


def test_confirm_link_is_valid_for_seven_days(client, django_capture_on_commit_callbacks):
    _subscribe(client, django_capture_on_commit_callbacks)
    expires = Subscriber.objects.get().confirm_expires_at
    assert timedelta(days=6, hours=23) < expires - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize("token", ["gefaelscht", "x" * 43, "y" * 500])
def test_forged_unsubscribe_token_shows_a_german_page_and_changes_nothing(client, token):
    subscriber = SubscriberFactory()
    for method in (client.get, client.post):
        response = method(reverse("newsletter:unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
        assert german("This unsubscribe link is not valid.") in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_unsubscribe_token_of_one_subscriber_does_not_touch_another(client):
    first, second = SubscriberFactory(), SubscriberFactory()
    client.post(reverse("newsletter:unsubscribe", kwargs={"token": services.unsubscribe_token(first)}))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SubscriberStatus.UNSUBSCRIBED and second.status == SubscriberStatus.CONFIRMED


def test_purge_expired_pending_subscriptions(db):
    now = timezone.now()
    SubscriberFactory(status=SubscriberStatus.PENDING, confirm_expires_at=now - timedelta(days=1))
    kept = SubscriberFactory(status=SubscriberStatus.PENDING, confirm_expires_at=now + timedelta(days=1))
    SubscriberFactory()
    assert services.subscribers_purge_expired(now=now) == 1
    assert Subscriber.objects.count() == 2
    assert Subscriber.objects.filter(pk=kept.pk).exists()


def test_editor_fixture_helper_is_idempotent(db):
    from tests.factories import UserFactory

    user = UserFactory()
    make_network_editor(user)
    make_network_editor(user)
    assert user.has_perm("network.edit_network")


def test_thanks_page_is_cookie_free(client, db):
    response = client.get(reverse("newsletter:thanks"))
    assert response.status_code == 200 and not response.cookies
    assert "public" in response["Cache-Control"]
