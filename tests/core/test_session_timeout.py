"""Session timeout (docs/security.md): idle after DAKS_SESSION_IDLE_MINUTES, absolute after SESSION_COOKIE_AGE."""

import datetime

import pytest
from django.urls import reverse

from daks.core.security import LAST_ACTIVITY_KEY, STARTED_KEY, expiry_message

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
DASHBOARD = "/uebersicht/"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def signed_in(client, clock, user, password):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_starts_both_clocks(signed_in):
    start = int(START.timestamp())
    assert signed_in.session[STARTED_KEY] == start
    assert signed_in.session[LAST_ACTIVITY_KEY] == start


def test_idle_session_ends_with_a_german_message_on_the_login_page(signed_in, clock, settings):
    settings.DAKS_SESSION_IDLE_MINUTES = 60
    clock.shift(datetime.timedelta(minutes=59))
    assert signed_in.get(DASHBOARD).status_code == 200
    clock.shift(datetime.timedelta(minutes=61))
    response = signed_in.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not is_signed_in(signed_in)
    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert '<html lang="de"' in html
    assert expiry_message("idle") in html.replace("&#x27;", "'")
    assert "60" in expiry_message("idle")


def test_activity_keeps_the_session_until_the_absolute_limit(signed_in, clock, settings):
    settings.DAKS_SESSION_IDLE_MINUTES = 60
    settings.SESSION_COOKIE_AGE = 12 * 3600
    for _hour in range(14):  # a request every 50 minutes: never idle, 11 h 40 min in total
        clock.shift(datetime.timedelta(minutes=50))
        assert signed_in.get(DASHBOARD).status_code == 200
    clock.shift(datetime.timedelta(minutes=21))  # 12 h 01 min after signing in
    response = signed_in.get(DASHBOARD, follow=True)
    assert not is_signed_in(signed_in)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert expiry_message("absolute") in response.content.decode().replace("&#x27;", "'")


def test_last_activity_is_written_at_most_once_a_minute(signed_in, clock):
    start = int(START.timestamp())
    clock.shift(datetime.timedelta(seconds=30))
    signed_in.get(DASHBOARD)
    assert signed_in.session[LAST_ACTIVITY_KEY] == start
    clock.shift(datetime.timedelta(seconds=40))
    signed_in.get(DASHBOARD)
    assert signed_in.session[LAST_ACTIVITY_KEY] == start + 70


def test_htmx_request_after_expiry_sends_the_whole_page_to_the_login(signed_in, clock):
    clock.shift(datetime.timedelta(hours=2))
    response = signed_in.get(
        DASHBOARD, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/kommunen/musterstadt/?a=1"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login") + "?next=/kommunen/musterstadt/%3Fa%3D1"
    assert not is_signed_in(signed_in)


def test_idle_timeout_can_be_switched_off(signed_in, clock, settings):
    settings.DAKS_SESSION_IDLE_MINUTES = 0
    clock.shift(datetime.timedelta(hours=5))
    assert signed_in.get(DASHBOARD).status_code == 200
    assert is_signed_in(signed_in)


def test_sessions_from_before_the_update_get_their_clocks_on_the_next_request(client, clock, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    del session[STARTED_KEY], session[LAST_ACTIVITY_KEY]
    session.save()
    assert client.get(DASHBOARD).status_code == 200
    assert client.session[STARTED_KEY] == client.session[LAST_ACTIVITY_KEY] == int(START.timestamp())


def test_anonymous_visitors_get_no_session(client, clock):
    response = client.get("/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
