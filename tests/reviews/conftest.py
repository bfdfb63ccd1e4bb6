import datetime

import pytest

from daks.reviews.models import QuestionKind
from daks.strategy import services as strategy_services

from .factories import QuestionFactory, SurveyFactory, SurveySectionFactory


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
def survey(process, coordinator):
    """An open anonymous survey with two sections: two Likert statements (one required), a single choice,
    a multiple choice and a free text."""
    survey = SurveyFactory(process=process, title="Zwischenbilanz 2026", created_by=coordinator)
    first = SurveySectionFactory(survey=survey, title="Zusammenarbeit", position=0)
    second = SurveySectionFactory(survey=survey, title="Ressourcen", position=1)
    QuestionFactory(
        survey=survey,
        section=first,
        kind=QuestionKind.LIKERT,
        text="Wir arbeiten gut zusammen.",
        required=True,
        position=0,
        key="coop",
    )
    QuestionFactory(
        survey=survey, section=first, kind=QuestionKind.LIKERT, text="Informationen fließen.", position=1, key="info"
    )
    QuestionFactory(
        survey=survey,
        section=second,
        kind=QuestionKind.SINGLE,
        text="Reicht das Personal?",
        options=["Ja", "Nein"],
        position=2,
    )
    QuestionFactory(
        survey=survey,
        section=second,
        kind=QuestionKind.MULTIPLE,
        text="Was fehlt?",
        options=["Zeit", "Geld", "Wissen"],
        position=3,
    )
    QuestionFactory(survey=survey, section=second, kind=QuestionKind.TEXT, text="Was hilft? Was hindert?", position=4)
    return survey


@pytest.fixture
def survey_url(process):
    """``survey_url("reviews:survey_detail", survey_pk=3)`` — reverse a review page of ``process``."""

    def url(name, **extra):
        from django.urls import reverse

        kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "zwischenbilanz"}
        return reverse(name, kwargs={**kwargs, **extra})

    return url
