"""The demo survey rounds: two closed anonymous rounds with ≥ 25 example responses, deterministic, idempotent."""

import pytest

from daks.reviews import results
from daks.reviews.demo_surveys import seed_survey_rounds
from daks.reviews.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db


def test_seed_survey_rounds(municipality, process, coordinator):
    first, second = seed_survey_rounds(municipality, process, coordinator)
    assert "2025 (Beispieldaten)" in first.title and "2026 (Beispieldaten)" in second.title
    for survey in (first, second):
        assert survey.anonymous and survey.closed_at is not None
        assert survey.responses.count() >= 25
        assert not survey.responses.filter(invitation__isnull=False).exists()
    summary = results.survey_summary(first)
    assert not summary.suppressed and summary.response_rate is not None
    assert any(stats.texts for stats in summary.questions if stats.is_text)
    comparison = results.compare_surveys(first, second)
    assert len(comparison.likert) == 18
    assert not comparison.unmatched_a and not comparison.unmatched_b

    def numbers_of(survey):
        return list(Answer.objects.filter(response__survey=survey).order_by("id").values_list("number", flat=True))

    numbers = numbers_of(first)
    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    assert seed_survey_rounds(municipality, process, coordinator) == [first, second]
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == counts
    Survey.objects.all().delete()
    again, _second = seed_survey_rounds(municipality, process, coordinator)
    assert (
        list(Answer.objects.filter(response__survey=again).order_by("id").values_list("number", flat=True)) == numbers
    )
