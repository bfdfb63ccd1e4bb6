"""Rate limits of the public participation not covered in tests/workshops (joining, +1), and that the limits count
per visitor behind the own reverse proxies (DAKS_TRUSTED_PROXY_COUNT). The other public forms are covered in
tests/workshops/test_public.py (ideas, PIN), tests/network/test_contact.py, tests/events/test_registration.py,
tests/news/test_newsletter.py, tests/exchange/test_services.py and tests/reviews/test_public.py (open survey link)."""

import datetime

import pytest
from django.utils import timezone

from daks.strategy import services as strategy_services
from daks.workshops import participation
from daks.workshops.models import Participant, Support
from tests.workshops.factories import IdeaFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(municipality, coordinator):
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    return WorkshopFactory(process=process)


@pytest.fixture
def token(workshop, coordinator):
    now = timezone.now()
    _link, raw = participation.link_create(
        actor=coordinator,
        workshop=workshop,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=3),
        use_pin=False,
        moderate_ideas=False,
    )
    return raw


def join(client, token, **extra):
    return client.post(f"/mitmachen/{token}/teilnehmen/", **extra)


def assert_refused_in_german(response):
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()


def test_joining_is_limited_per_address(client, token, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"join_ip": (2, 600)}
    for _attempt in range(2):
        assert join(client, token).status_code == 302
        client.cookies.clear()
    assert_refused_in_german(join(client, token))
    assert Participant.objects.count() == 2
    # Another address may still join.
    assert join(client, token, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_support_is_limited_per_participant(client, token, workshop, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"support_participant": (3, 60)}
    idea = IdeaFactory(workshop=workshop)
    assert join(client, token).status_code == 302
    support = f"/mitmachen/{token}/ideen/{idea.pk}/unterstuetzen/"
    for _toggle in range(3):
        assert client.post(support).status_code == 302
    assert Support.objects.filter(idea=idea).count() == 1  # +1, back, +1
    assert_refused_in_german(client.post(support))
    assert Support.objects.filter(idea=idea).count() == 1


def test_behind_the_proxy_the_limits_count_per_visitor(client, token, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"join_ip": (1, 600)}
    settings.DAKS_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert join(client, token, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code == 302
    client.cookies.clear()
    assert join(client, token, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code == 302
    client.cookies.clear()
    # A forged left-hand entry does not help: the proxy appended the real address.
    assert_refused_in_german(join(client, token, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.1", **proxy))


def test_without_trusted_proxies_a_forged_header_is_ignored(client, token, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"join_ip": (1, 600)}
    assert join(client, token, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    client.cookies.clear()
    assert_refused_in_german(join(client, token, HTTP_X_FORWARDED_FOR="203.0.113.2"))
