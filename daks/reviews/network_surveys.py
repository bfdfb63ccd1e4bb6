"""Network-wide surveys: the network office asks all Kommunen the same questions, each Kommune that takes part
runs its own copy in its Zwischenbilanz (distribution, reminders, anonymity as for any survey), and the network
office sees the Likert questions aggregated across the Kommunen.

Data protection: a Kommune's copy counts only with at least ``MIN_GROUP`` responses (the rule of every survey);
the network office sees per Kommune only the number of responses and means of evaluated copies, never answers.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.network.rules import is_network_editor

from .defaults import default_questionnaire
from .models import Answer, NetworkSurvey, QuestionKind, Survey
from .results import LIKERT_VALUES, MIN_GROUP, fmt
from .surveys import questionnaire_apply, survey_create


def is_open(network_survey: NetworkSurvey, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return network_survey.closed_at is None and (network_survey.closes_at is None or network_survey.closes_at > now)


@transaction.atomic
def network_survey_create(
    *, actor, title: str, introduction: str = "", closes_at: datetime | None = None
) -> NetworkSurvey:
    """A network survey with the default questionnaire on barriers and enablers (stable question keys)."""
    if not is_network_editor(actor):
        raise DomainError(_("Only the editorial office of the network can start network surveys."))
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the survey."), field="title")
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError(_("The end must be in the future."), field="closes_at")
    survey = NetworkSurvey.objects.create(
        title=title,
        introduction=(introduction or "").strip(),
        closes_at=closes_at,
        questionnaire=default_questionnaire(),
        created_by=actor,
    )
    log_action("reviews.network_survey.created", actor=actor, obj=survey)
    return survey


@transaction.atomic
def network_survey_close(*, actor, network_survey: NetworkSurvey) -> NetworkSurvey:
    if not is_network_editor(actor):
        raise DomainError(_("Only the editorial office of the network can close network surveys."))
    if network_survey.closed_at is None:
        network_survey.closed_at = timezone.now()
        network_survey.save(update_fields=["closed_at", "updated_at"])
        log_action("reviews.network_survey.closed", actor=actor, obj=network_survey)
    return network_survey


@transaction.atomic
def network_survey_join(*, actor, process, network_survey: NetworkSurvey) -> Survey:
    """The Kommune of ``process`` takes part: a copy of the questionnaire becomes a survey of its Zwischenbilanz."""
    municipality = process.municipality
    if not actor.has_perm("municipalities.edit_content", municipality):
        raise DomainError(_("Only members who may edit the content of this municipality can take part."))
    if not is_open(network_survey):
        raise DomainError(_("This network survey is closed."))
    if Survey.objects.filter(municipality=municipality, network_survey=network_survey).exists():
        raise DomainError(_("Your municipality already takes part in this network survey."))
    survey = survey_create(
        actor=actor,
        process=process,
        title=network_survey.title,
        introduction=network_survey.introduction,
        anonymous=True,
        closes_at=network_survey.closes_at,
    )
    questionnaire_apply(survey=survey, sections=network_survey.questionnaire)
    survey.network_survey = network_survey
    try:
        with transaction.atomic():
            survey.save(update_fields=["network_survey"])
    except IntegrityError as error:  # a colleague joined at the same moment
        raise DomainError(_("Your municipality already takes part in this network survey.")) from error
    log_action("reviews.network_survey.joined", actor=actor, municipality=municipality, obj=survey)
    return survey


# --- Reads ------------------------------------------------------------------------------------------------


def open_network_surveys(municipality) -> list[NetworkSurvey]:
    """Open network surveys, each with ``copy`` = the Kommune's own survey or None (two queries)."""
    copies = {
        survey.network_survey_id: survey
        for survey in Survey.objects.filter(municipality=municipality, network_survey__isnull=False).select_related(
            "process__municipality"
        )
    }
    now = timezone.now()
    result = []
    for network_survey in NetworkSurvey.objects.filter(closed_at__isnull=True):
        network_survey.copy = copies.get(network_survey.pk)
        if is_open(network_survey, now=now) or network_survey.copy is not None:
            result.append(network_survey)
    return result


@dataclass
class Participant:
    municipality: str
    responses: int
    evaluated: bool
    means: dict[str, float] = field(default_factory=dict)


@dataclass
class AggregatedQuestion:
    key: str
    text: str
    n: int
    counts: dict[int, int]
    mean: float | None
    median: float | None
    municipalities: int

    @property
    def mean_display(self) -> str:
        return fmt(self.mean, 2)

    @property
    def median_display(self) -> str:
        return fmt(self.median, 1)


@dataclass
class NetworkResults:
    network_survey: NetworkSurvey
    participants: list[Participant]
    questions: list[AggregatedQuestion]

    @property
    def evaluated(self) -> list[Participant]:
        return [participant for participant in self.participants if participant.evaluated]

    @property
    def responses(self) -> int:
        return sum(participant.responses for participant in self.evaluated)


def likert_questions(network_survey: NetworkSurvey) -> list[tuple[str, str]]:
    return [
        (question["key"], question["text"])
        for section in network_survey.questionnaire
        for question in section["questions"]
        if question.get("kind") == QuestionKind.LIKERT and question.get("key")
    ]


def network_results(network_survey: NetworkSurvey) -> NetworkResults:
    """Likert questions pooled across the copies with at least ``MIN_GROUP`` responses (three queries)."""
    copies = list(
        Survey.objects.filter(network_survey=network_survey)
        .select_related("municipality")
        .annotate(response_count=Count("responses"))
        .order_by("municipality__name")
    )
    participants = {
        copy.pk: Participant(
            municipality=copy.municipality.name,
            responses=copy.response_count,
            evaluated=copy.response_count >= MIN_GROUP,
        )
        for copy in copies
    }
    evaluated = [copy_pk for copy_pk, participant in participants.items() if participant.evaluated]
    questions = likert_questions(network_survey)
    values: dict[str, list[int]] = defaultdict(list)
    per_copy: dict[tuple[int, str], list[int]] = defaultdict(list)
    rows = Answer.objects.filter(
        response__survey_id__in=evaluated,
        question__key__in=[key for key, _text in questions],
        question__kind=QuestionKind.LIKERT,
        number__in=LIKERT_VALUES,
    ).values_list("response__survey_id", "question__key", "number")
    for copy_pk, key, number in rows:
        values[key].append(number)
        per_copy[(copy_pk, key)].append(number)
    for (copy_pk, key), numbers in per_copy.items():
        participants[copy_pk].means[key] = statistics.fmean(numbers)
    aggregated = []
    for key, text in questions:
        numbers = values.get(key, [])
        aggregated.append(
            AggregatedQuestion(
                key=key,
                text=text,
                n=len(numbers),
                counts={value: numbers.count(value) for value in LIKERT_VALUES},
                mean=statistics.fmean(numbers) if numbers else None,
                median=float(statistics.median(numbers)) if numbers else None,
                municipalities=sum(1 for copy_pk in evaluated if (copy_pk, key) in per_copy),
            )
        )
    return NetworkResults(network_survey=network_survey, participants=list(participants.values()), questions=aggregated)
