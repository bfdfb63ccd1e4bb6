"""Demo of the network surveys: a survey of the network office that Beispielstadt takes part in, with example
responses so that the aggregated results show (labelled as example data)."""

import random

from django.utils import timezone

from . import network_surveys
from .models import Answer, NetworkSurvey, Response

TITLE = "Netzwerkumfrage Hemmnisse und Erfolgsfaktoren 2026 (Beispieldaten)"


def seed_network_survey(*, staff, process, coordinator) -> NetworkSurvey:
    survey = NetworkSurvey.objects.filter(title=TITLE).first()
    if survey is None:
        survey = network_surveys.network_survey_create(
            actor=staff,
            title=TITLE,
            introduction="Wie steht es um die Umsetzung der Demografiestrategien im Netzwerk? (Beispieldaten)",
        )
    copy = survey.copies.filter(municipality=process.municipality).first()
    if copy is None:
        copy = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=survey)
    if not copy.responses.exists():
        rng = random.Random(9)
        questions = [question for question in copy.questions.all() if question.kind == "likert"]
        for _ in range(6):
            response = Response.objects.create(survey=copy, submitted_at=timezone.now(), via_open_link=True)
            Answer.objects.bulk_create(
                [Answer(response=response, question=question, number=rng.randint(2, 5)) for question in questions]
            )
    return survey
