import datetime

import pytest

from daks.plans.models import Plan
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
def plan(process):
    plan, _ = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    return plan


@pytest.fixture
def other_plan(other_process):
    plan, _ = Plan.objects.get_or_create(process=other_process, defaults={"municipality": other_process.municipality})
    return plan


@pytest.fixture
def plan_url(process):
    """``plan_url("plans:measures", measure_pk=3)`` — reverse a plan page of ``process``."""

    def url(name, **extra):
        from django.urls import reverse

        kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "werkstattplan"}
        return reverse(name, kwargs={**kwargs, **extra})

    return url
