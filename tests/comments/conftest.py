import datetime

import pytest
from django.urls import reverse

from daks.strategy import services as strategy_services

from . import factories


@pytest.fixture
def process(municipality, coordinator):
    return strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )


@pytest.fixture
def other_process(other_municipality, outsider):
    return strategy_services.process_create(
        actor=outsider, municipality=other_municipality, title="Anderdorf 2040", start_date=datetime.date(2026, 3, 1)
    )


@pytest.fixture
def swot(process):
    return factories.swot_item(process)


@pytest.fixture
def thread_url():
    def url(obj, name="thread"):
        return reverse(
            f"comments:{name}",
            kwargs={
                "municipality_slug": obj.municipality.slug,
                "model": obj._meta.label_lower,
                "object_pk": obj.pk,
            },
        )

    return url
