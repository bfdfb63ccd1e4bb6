"""The demo as a user sees it after ``make run``: every page of the interim review (surveys, results,
progress review, barriers and enablers, adjustments, consolidation) on the seeded demo content, axe-checked,
plus the public survey page reached through an open link."""

import pytest
from django.core.management import call_command

from .helpers import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_interim_review_pages_of_the_demo(new_session):
    from daks.accounts.models import User
    from daks.plans.models import Measure
    from daks.reviews.models import Survey
    from daks.reviews.surveys import open_link_create
    from daks.strategy.models import StrategyProcess

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    coordinator = User.objects.get(email="koordination@beispielstadt.example")
    process = StrategyProcess.objects.get(municipality__slug="beispielstadt")
    review = process.reviews.get()
    first, second = process.surveys.filter(network_survey__isnull=True).order_by("title")
    question = first.questions.order_by("position").first()
    section = first.sections.order_by("position").first()
    goal = process.plan.goals.order_by("id").first()
    measure = Measure.objects.filter(plan=process.plan).order_by("id").first()
    factor = review.factors.order_by("id").first()
    draft = Survey.objects.create(municipality=process.municipality, process=process, title="Neue Umfrage")
    token = open_link_create(actor=coordinator, survey=draft)

    session = new_session()
    session.login(coordinator)
    base = f"/kommunen/beispielstadt/prozesse/{process.pk}/zwischenbilanz"
    for path in [
        "umfragen/",
        "umfragen/neu/",
        f"umfragen/{first.pk}/",
        f"umfragen/{first.pk}/bearbeiten/",
        f"umfragen/{first.pk}/abschnitte/{section.pk}/bearbeiten/",
        f"umfragen/{first.pk}/fragen/neu/",
        f"umfragen/{first.pk}/fragen/{question.pk}/bearbeiten/",
        f"umfragen/{first.pk}/verteilen/",
        f"umfragen/{first.pk}/ergebnisse/",
        f"umfragen/vergleich/?a={first.pk}&b={second.pk}",
        "bilanzen/",
        "bilanzen/neuer-zyklus/",
        f"bilanzen/{review.pk}/",
        f"bilanzen/{review.pk}/bearbeiten/",
        f"bilanzen/{review.pk}/fortschritt/",
        f"bilanzen/{review.pk}/fortschritt/ziele/{goal.pk}/",
        f"bilanzen/{review.pk}/fortschritt/massnahmen/{measure.pk}/",
        f"bilanzen/{review.pk}/faktoren/",
        f"bilanzen/{review.pk}/faktoren/{factor.pk}/",
        f"bilanzen/{review.pk}/anpassungen/",
        f"bilanzen/{review.pk}/verstetigung/",
    ]:
        visit(session.page, f"{base}/{path}")

    guest = new_session()
    visit(guest.page, f"/umfrage/{token}/")
