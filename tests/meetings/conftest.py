import datetime

import pytest
from django.utils import timezone

from daks.meetings import services
from daks.strategy.models import Actor


@pytest.fixture
def starts_at():
    return (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0, second=0)


@pytest.fixture
def meeting(municipality, coordinator, starts_at):
    return services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Auftaktgespräch",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="Rathaus, Saal 1",
        description="Erstes Treffen der Steuerungsgruppe",
    )


@pytest.fixture
def stakeholder(municipality):
    return Actor.objects.create(
        municipality=municipality,
        name="Seniorenbeirat",
        email="beirat@example.org",
        contact_consent=True,
        consent_date=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def actor_without_consent(municipality):
    return Actor.objects.create(municipality=municipality, name="Sportverein")
