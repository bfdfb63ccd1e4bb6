import datetime

import pytest

from daks.strategy import services as strategy_services

from .factories import WorkshopFactory


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
def workshop(process):
    """A Zukunftswerkstatt of ``process`` with its meeting (step "workshop")."""
    return WorkshopFactory(process=process)


@pytest.fixture
def other_workshop(other_process):
    return WorkshopFactory(process=other_process)


@pytest.fixture
def ws_url(process):
    """``ws_url("workshops:board", workshop_pk=3)`` — reverse a page of the Zukunftswerkstatt step of ``process``."""

    def url(name, **extra):
        from django.urls import reverse

        kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "zukunftswerkstatt"}
        return reverse(name, kwargs={**kwargs, **extra})

    return url
