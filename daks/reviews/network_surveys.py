"""Network-wide surveys: the network office asks all Kommunen the same questions, each Kommune that takes part
runs its own copy in its Zwischenbilanz (distribution, reminders, anonymity as for any survey), and the network
office sees every question aggregated across the Kommunen.

The questionnaire: a ``Survey`` without Kommune and process (``network_survey.template``), started from the
default questionnaire on barriers and enablers and edited by the editorial office with the builder of step 5 (the
same forms, templates and services in ``surveys.py``). Its rules after answers exist are those of step 5: questions
can be reworded and options added, but no kind changed, no option removed and no question deleted once any copy has
responses. A Kommune takes a copy when it joins; later changes apply to Kommunen that join afterwards.

Matching: questions are matched across copies by a stable key (``network_key``): the default questions' own keys,
``network-<id>`` for questions the editorial office added. Answers of a copy whose question has another kind than
the network question (the Kommune changed it) are left out; option indexes are labelled with the network options.

Data protection (the rules of step 5): a Kommune's copy counts only with at least ``MIN_GROUP`` responses; free
texts hidden by the Kommune's moderation are left out; nothing names or dates a respondent. Per Kommune the network
office sees counts, means and the free texts of evaluated copies, never a single response.
"""

from __future__ import annotations

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
from .models import Answer, NetworkSurvey, Question, QuestionKind, Survey
from .results import MIN_GROUP, QuestionStats, fmt, question_stats, survey_questions
from .surveys import questionnaire_apply, questionnaire_export, survey_create


def is_open(network_survey: NetworkSurvey, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return network_survey.closed_at is None and (network_survey.closes_at is None or network_survey.closes_at > now)


def network_key(question: Question) -> str:
    """The key that matches a question of the network questionnaire with its copies."""
    return question.key or f"network-{question.pk}"


def template_of(network_survey: NetworkSurvey) -> Survey:
    """The questionnaire of the network survey (created on the fly for a survey that has none)."""
    try:
        return network_survey.template
    except Survey.DoesNotExist:
        return _template_create(network_survey, with_default_questionnaire=False)


def _template_create(network_survey: NetworkSurvey, *, with_default_questionnaire: bool) -> Survey:
    template = Survey.objects.create(
        questionnaire_of=network_survey,
        title=network_survey.title,
        introduction=network_survey.introduction,
        anonymous=True,
        created_by=network_survey.created_by,
    )
    if with_default_questionnaire:
        questionnaire_apply(survey=template, sections=default_questionnaire())
    network_survey.template = template
    return template


@transaction.atomic
def network_survey_create(
    *,
    actor,
    title: str,
    introduction: str = "",
    closes_at: datetime | None = None,
    with_default_questionnaire: bool = True,
) -> NetworkSurvey:
    """A network survey whose questionnaire starts as the default one on barriers and enablers (stable question
    keys) or empty; the editorial office edits it with the survey builder."""
    if not is_network_editor(actor):
        raise DomainError(_("Only the editorial office of the network can start network surveys."))
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the survey."), field="title")
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError(_("The end must be in the future."), field="closes_at")
    survey = NetworkSurvey.objects.create(
        title=title, introduction=(introduction or "").strip(), closes_at=closes_at, created_by=actor
    )
    _template_create(survey, with_default_questionnaire=with_default_questionnaire)
    log_action(
        "reviews.network_survey.created", actor=actor, obj=survey, default_questionnaire=with_default_questionnaire
    )
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
    template = template_of(network_survey)
    if not template.questions.exists():
        raise DomainError(_("The questionnaire of this network survey has no questions yet."))
    survey = survey_create(
        actor=actor,
        process=process,
        title=network_survey.title,
        introduction=network_survey.introduction,
        anonymous=True,
        closes_at=network_survey.closes_at,
    )
    questionnaire_apply(survey=survey, sections=questionnaire_export(template, key=network_key))
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
class MunicipalityStats:
    """One Kommune's (evaluated) answers to one network question."""

    municipality: str
    stats: QuestionStats


@dataclass
class AggregatedQuestion:
    """One question of the network questionnaire: pooled over the evaluated copies (``overall``) and per Kommune."""

    key: str
    section: str
    overall: QuestionStats
    per_municipality: list[MunicipalityStats] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.overall.text

    @property
    def kind(self) -> str:
        return self.overall.kind

    @property
    def n(self) -> int:
        return self.overall.n

    @property
    def counts(self) -> dict[int, int]:
        return {bucket.value: bucket.count for bucket in self.overall.buckets}

    @property
    def mean(self) -> float | None:
        return self.overall.mean

    @property
    def median(self) -> float | None:
        return self.overall.median

    @property
    def municipalities(self) -> int:
        """Kommunen whose answers to this question are counted."""
        return sum(1 for entry in self.per_municipality if entry.stats.n)

    @property
    def mean_display(self) -> str:
        return fmt(self.mean, 2)

    @property
    def median_display(self) -> str:
        return fmt(self.median, 1)

    @property
    def texts(self) -> list[MunicipalityStats]:
        """Free text: the Kommunen with at least one shown answer."""
        return [entry for entry in self.per_municipality if entry.stats.texts]


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

    @property
    def likert(self) -> list[AggregatedQuestion]:
        return [question for question in self.questions if question.kind == QuestionKind.LIKERT]


def likert_questions(network_survey: NetworkSurvey) -> list[tuple[str, str]]:
    """(key, text) of the Likert questions of the network questionnaire, in questionnaire order."""
    return [
        (network_key(question), question.text)
        for question in survey_questions(template_of(network_survey))
        if question.kind == QuestionKind.LIKERT
    ]


def network_results(network_survey: NetworkSurvey) -> NetworkResults:
    """Every question pooled across the copies with at least ``MIN_GROUP`` responses and per Kommune (four
    queries): Likert distribution, mean and median; choices counts; free texts (not hidden, never a name)."""
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
    evaluated = [copy.pk for copy in copies if participants[copy.pk].evaluated]
    questions = survey_questions(template_of(network_survey))
    by_key = {network_key(question): question for question in questions}
    answers: dict[tuple[str, int], list[dict]] = defaultdict(list)
    rows = (
        Answer.objects.filter(response__survey_id__in=evaluated, question__key__in=list(by_key))
        .order_by("-response__submitted_at", "-response_id")
        .values("id", "number", "choices", "text", "hidden", "question__key", "question__kind", "response__survey_id")
    )
    for row in rows:
        question = by_key[row["question__key"]]
        if row["question__kind"] == question.kind:  # a Kommune may have changed the kind in its copy
            answers[(row["question__key"], row["response__survey_id"])].append(row)
    aggregated = []
    for number, question in enumerate(questions, start=1):
        key = network_key(question)
        pooled = [row for copy_pk in evaluated for row in answers.get((key, copy_pk), [])]
        total = sum(participants[copy_pk].responses for copy_pk in evaluated)
        overall = question_stats(question, number, total, pooled, anonymous=True, include_hidden=False)
        entry = AggregatedQuestion(
            key=key, section=question.section.title if question.section_id else "", overall=overall
        )
        for copy_pk in evaluated:
            stats = question_stats(
                question,
                number,
                participants[copy_pk].responses,
                answers.get((key, copy_pk), []),
                anonymous=True,
                include_hidden=False,
            )
            entry.per_municipality.append(MunicipalityStats(participants[copy_pk].municipality, stats))
            if stats.mean is not None:
                participants[copy_pk].means[key] = stats.mean
        aggregated.append(entry)
    return NetworkResults(network_survey=network_survey, participants=list(participants.values()), questions=aggregated)
