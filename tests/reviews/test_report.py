"""The report of a Zwischenbilanz as PDF and ODT: survey results (with the rule of three), progress review,
barriers/enablers, adjustments with their version, consolidation, next steps, licence of official figures."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation

from daks.demography.models import IndicatorValue
from daks.plans.models import Plan, PlanVersion
from daks.reviews import report
from daks.reviews.models import Adjustment, Assessment, ConsolidationItem, Factor, GoalReview, MeasureCheck
from tests.plans.factories import FieldOfActionFactory, GoalFactory, MeasureFactory

from .factories import AnswerFactory, ResponseFactory, ReviewFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_review(process, survey, coordinator):
    plan = Plan.objects.create(process=process, municipality=process.municipality)
    IndicatorValue.objects.create(region_key="09162999", indicator="share_65_plus", year=2024, value=23.4)
    field = FieldOfActionFactory(process=process, title="Wohnen im Alter", priority=1)
    goal = GoalFactory(
        plan=plan, field_of_action=field, title="Weniger Ältere", indicator_code="share_65_plus",
        baseline_value=Decimal("25"), baseline_year=2020, target_value=Decimal("22"), target_year=2030,
    )  # fmt: skip
    manual = GoalFactory(
        plan=plan, field_of_action=field, title="Mehr Tagespflege", indicator_name="Plätze", unit="Plätze"
    )
    measure = MeasureFactory(plan=plan, field_of_action=field, title="Wohnberatung")
    review = ReviewFactory(process=process, title="Bilanz Herbst", next_steps="- Lenkungsgruppe einberufen\n- Bericht")
    GoalReview.objects.create(review=review, goal=goal, assessment=Assessment.ON_TRACK, comment="Gut unterwegs")
    GoalReview.objects.create(
        review=review, goal=manual, latest_value=Decimal("14"), latest_year=2026, source="Eigene Zählung",
        assessment=Assessment.AT_RISK,
    )  # fmt: skip
    MeasureCheck.objects.create(review=review, measure=measure, status="in_progress", assessment=Assessment.OFF_TRACK)
    Factor.objects.create(review=review, kind="barrier", text="Personalmangel im Bauamt").measures.set([measure])
    Factor.objects.create(review=review, kind="enabler", text="Engagierter Seniorenbeirat")
    version = PlanVersion.objects.create(plan=plan, name="Anpassung 10/2026", date=datetime.date(2026, 10, 20))
    Adjustment.objects.create(
        review=review, kind="pause", measure=measure, description="Ruht ein Jahr", reason="Kein Personal",
        decided_on=datetime.date(2026, 10, 15), plan_version=version,
    )  # fmt: skip
    ConsolidationItem.objects.create(review=review, key="budget", done=True, note="Haushaltsstelle Demografie")
    # Three answers to the first Likert question: 2, 4, 5 → mean 3,7, median 4.
    question = survey.questions.get(key="coop")
    text_question = survey.questions.get(kind="text")
    for value in (2, 4, 5):
        response = ResponseFactory(survey=survey)
        AnswerFactory(response=response, question=question, number=value)
    AnswerFactory(response=response, question=text_question, text="Mehr Zeit für Abstimmung")
    small = SurveyFactory(process=process, title="Kleine Runde")
    for value in (1, 5):
        AnswerFactory(
            response=ResponseFactory(survey=small),
            question=small.questions.create(kind="likert", text=f"Frage {value}"),
            number=value,
        )
    review.surveys.set([survey, small])
    return review


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _odt_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode()


@pytest.mark.parametrize("exporter", report.EXPORTERS, ids=lambda exporter: exporter.identifier)
def test_report_content(full_review, exporter):
    with translation.override("de"):
        data = report.report_data(full_review, today=datetime.date(2026, 10, 30))
        filename, mimetype, content = exporter.render(data)
    text = _pdf_text(content) if exporter.identifier == "pdf" else _odt_text(content)
    assert filename.startswith("zwischenbilanz-bilanz-herbst") and filename.endswith(exporter.extension)
    assert mimetype == exporter.mimetype
    flat = " ".join(text.split())
    for expected in (
        "Bilanz Herbst",
        "Zwischenbilanz 2026",  # the survey
        "Wir arbeiten gut zusammen.",
        "3,7",  # mean
        "Mehr Zeit für Abstimmung",
        "Kleine Runde",
        "Weniger Ältere",
        "23,4",  # engine value
        "Eigene Zählung",
        "Wohnberatung",
        "Personalmangel im Bauamt",
        "Engagierter Seniorenbeirat",
        "Ruht ein Jahr",
        "Anpassung 10/2026",
        "Haushaltsstelle Demografie",
        "Lenkungsgruppe einberufen",
        "dl-de/by-2-0",
    ):
        assert expected in flat, expected
    assert "Frage 1" not in flat  # fewer than three responses: not evaluated


def test_small_survey_is_suppressed_in_the_data(full_review):
    data = report.report_data(full_review)
    blocks = {block.title: block for block in data.surveys}
    assert blocks["Kleine Runde"].suppressed_message
    assert not blocks["Zwischenbilanz 2026"].suppressed_message


def test_report_download(login, reader, process, full_review):
    from django.urls import reverse

    client = login(reader)
    target = reverse(
        "reviews:review_report", args=[process.municipality.slug, process.pk, "zwischenbilanz", full_review.pk, "odt"]
    )
    response = client.get(target)
    assert response.status_code == 200 and response["Content-Type"] == report.ReviewOdt.mimetype
    assert client.get(target.replace("bericht.odt", "bericht.exe")).status_code == 404
