import datetime

import pytest

from daks.strategy import services as strategy_services


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
def urls(process):
    def url(name, **extra):
        from django.urls import reverse

        kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "kommunalprofil"}
        return reverse(f"profile:{name}", kwargs={**kwargs, **extra})

    return url
