"""Demo content: two closed, anonymous rounds of the default questionnaire with generated example answers.

``seed_survey_rounds(town, process, coordinator)`` is called by ``seed_demo``. The answers are generated with a
fixed seed (the same data on every run), the titles say "(Beispieldaten)", and calling it again changes nothing.
"""

import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from .defaults import DEFAULT_INTRODUCTION, default_questionnaire
from .models import Answer, QuestionKind, Response, Survey, SurveyInvitation
from .surveys import questionnaire_apply

TITLE = "Befragung Hemmnisse und Gelingensfaktoren {year} (Beispieldaten)"

#: Mean score per question key in the first round; the second round adds ``CHANGE`` (what improved, what not).
BASE = {
    "administration.cooperation": 3.1,
    "administration.information": 2.6,
    "administration.responsibility": 2.9,
    "actors.involved": 3.4,
    "actors.reliable": 3.2,
    "actors.benefit": 3.0,
    "resources.staff": 2.0,
    "resources.budget": 2.3,
    "resources.funding": 2.8,
    "politics.leadership": 3.7,
    "politics.council": 3.3,
    "citizens.opportunities": 3.5,
    "citizens.groups": 2.2,
    "citizens.feedback": 2.5,
    "communication.public": 2.9,
    "communication.understandable": 3.4,
    "data.available": 3.0,
    "data.used": 2.4,
}
CHANGE = {
    "administration.information": 0.7,
    "administration.responsibility": 0.6,
    "resources.staff": -0.3,
    "citizens.groups": 0.5,
    "citizens.feedback": 0.8,
    "communication.public": 0.5,
    "data.used": 0.9,
    "politics.council": -0.2,
}

TEXTS = {
    "administration": [
        "Die Steuerungsgruppe trifft sich regelmäßig, das hilft sehr.",
        "Zwischen Bauamt und Sozialamt läuft der Austausch noch zu selten.",
        "Seit es feste Ansprechpersonen in jedem Fachbereich gibt, geht vieles schneller.",
        "Informationen bleiben oft in einzelnen Ämtern hängen.",
        "Die gemeinsame Ablage für Protokolle ist eine echte Erleichterung.",
    ],
    "actors": [
        "Die Vereine machen engagiert mit, brauchen aber mehr Vorlauf bei Terminen.",
        "Die Zusammenarbeit mit dem Seniorenbeirat ist sehr gut.",
        "Die Wirtschaft ist bisher kaum eingebunden.",
        "Der runde Tisch Pflege hat neue Kontakte gebracht.",
        "Manche Träger sehen noch nicht, was sie von der Strategie haben.",
    ],
    "resources": [
        "Für die Koordination fehlt schlicht die Zeit neben dem Tagesgeschäft.",
        "Die Förderung über das Landesprogramm hat uns den Einstieg ermöglicht.",
        "Eine halbe Stelle für die Demografiearbeit wäre dringend nötig.",
        "Die Haushaltsmittel sind knapp, kleine Maßnahmen klappen trotzdem.",
        "Anträge für Fördermittel sind sehr aufwendig.",
    ],
    "politics": [
        "Der Bürgermeister spricht das Thema in jeder Sitzung an – das wirkt.",
        "Im Gemeinderat wird die Strategie noch als Zusatzaufgabe gesehen.",
        "Der Grundsatzbeschluss gibt uns Rückenwind.",
        "Mehr Rückmeldung aus den Fraktionen wäre hilfreich.",
    ],
    "citizens": [
        "Die Zukunftswerkstatt war gut besucht, Jüngere fehlten aber.",
        "Über die Schule haben wir endlich Jugendliche erreicht.",
        "Es fehlt eine Rückmeldung, was aus den Ideen geworden ist.",
        "Die Beteiligung online hat neue Gruppen angesprochen.",
        "Ältere Menschen ohne Internet erreichen wir nur über persönliche Ansprache.",
    ],
    "communication": [
        "Die Artikel im Amtsblatt werden gelesen.",
        "Wir sollten häufiger über kleine Erfolge berichten.",
        "Die Ziele sind für Außenstehende zu abstrakt formuliert.",
        "Die Projektseite im Internet ist nicht aktuell.",
    ],
    "data": [
        "Die Bevölkerungsvorausberechnung hat die Diskussion versachlicht.",
        "Kleinräumige Daten für die Ortsteile fehlen uns.",
        "Das Monitoring der Maßnahmen ist bisher Handarbeit.",
        "Die Kennzahlen im Kommunalprofil helfen bei Förderanträgen.",
    ],
}

ROUNDS = [
    # year, opens, closes, invited, answered personally, via the open link
    (2025, datetime.date(2025, 3, 3), datetime.date(2025, 3, 28), 36, 24, 4),
    (2026, datetime.date(2026, 3, 2), datetime.date(2026, 3, 27), 38, 27, 5),
]


def _aware(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


@transaction.atomic
def _seed_round(town, process, coordinator, year, opens, closes, invited, answered, open_link) -> Survey:
    rng = random.Random(f"daks-demo-survey-{year}")
    survey = Survey.objects.create(
        municipality=town,
        process=process,
        title=TITLE.format(year=year),
        introduction=DEFAULT_INTRODUCTION,
        anonymous=True,
        opens_at=_aware(opens, 8),
        closes_at=_aware(closes, 23, 59),
        closed_at=_aware(closes, 23, 59),
        created_by=coordinator,
    )
    questionnaire_apply(survey=survey, sections=default_questionnaire())
    questions = list(survey.questions.all())
    days = (closes - opens).days

    def day() -> datetime.date:
        return opens + datetime.timedelta(days=rng.randint(0, days))

    for index in range(invited):
        SurveyInvitation.objects.create(
            survey=survey,
            name=f"Beispielperson {index + 1}",
            email=f"befragung{year}-{index + 1}@example.org",
            token_hash=hashlib.sha256(f"demo-{town.slug}-{year}-{index}".encode()).hexdigest(),
            sent_at=_aware(opens, 9),
            responded_at=_aware(opens + datetime.timedelta(days=rng.randint(0, days)), 10)
            if index < answered
            else None,
        )
    shift = 0 if year == ROUNDS[0][0] else 1
    answers = []
    for number in range(answered + open_link):
        submitted = _aware(
            opens + datetime.timedelta(days=rng.randint(0, days)), rng.randint(7, 21), rng.randint(0, 59)
        )
        response = Response.objects.create(survey=survey, via_open_link=number >= answered, submitted_at=submitted)
        for question in questions:
            if question.kind == QuestionKind.LIKERT:
                if rng.random() < 0.05:  # "keine Angabe"
                    continue
                mean = BASE.get(question.key, 3.0) + shift * CHANGE.get(question.key, 0.1)
                answers.append(Answer(response=response, question=question, number=_score(rng, mean)))
            elif question.kind == QuestionKind.TEXT and rng.random() < 0.3:
                section = question.key.split(".")[0]
                text = rng.choice(TEXTS.get(section) or TEXTS["administration"])
                answers.append(Answer(response=response, question=question, text=text))
    Answer.objects.bulk_create(answers)
    return survey


def seed_survey_rounds(town, process, coordinator) -> list[Survey]:
    """Two closed anonymous rounds (2025 and 2026) with 28 and 32 example responses; idempotent."""
    surveys = []
    for year, opens, closes, invited, answered, open_link in ROUNDS:
        existing = Survey.objects.filter(municipality=town, process=process, title=TITLE.format(year=year)).first()
        surveys.append(
            existing or _seed_round(town, process, coordinator, year, opens, closes, invited, answered, open_link)
        )
    return surveys
