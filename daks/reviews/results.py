"""Results of the Zwischenbilanz surveys (selectors: reads only).

``survey_summary(survey)`` aggregates one survey in a constant number of queries (questions, two counts, one
query for all answers): the response rate, per question the distribution (Likert 1–5 or the options), n and the
"no answer" count, mean and median of Likert questions, the free-text answers (newest first) and — for surveys
that are not anonymous — a breakdown of Likert questions by group of respondents. ``compare_surveys(a, b)``
matches the questions of two rounds by their stable ``key`` (falling back to identical text) and compares the
Likert questions.

Anonymity
    * Nothing derived from an anonymous survey says who answered: no names, no per-answer timestamps.
    * With fewer than ``MIN_GROUP`` responses a survey is not evaluated at all (``summary.suppressed``); a group
      of a breakdown with fewer than ``MIN_GROUP`` responses is not shown either (``group.suppressed``).
    * Free-text answers hidden by the moderation are left out unless ``include_hidden=True`` (moderators only);
      exports never contain them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.demography.charts import localised

from .models import Answer, Question, QuestionKind, Survey

#: Groups (and whole surveys) with fewer responses are not evaluated, for data protection.
MIN_GROUP = 3

LIKERT_VALUES = (1, 2, 3, 4, 5)
LIKERT_LABELS = {
    1: gettext_lazy("1 – does not apply at all"),
    2: gettext_lazy("2 – rather does not apply"),
    3: gettext_lazy("3 – partly applies"),
    4: gettext_lazy("4 – rather applies"),
    5: gettext_lazy("5 – fully applies"),
}

GROUP_LABELS = {
    "member": gettext_lazy("Team members"),
    "actor": gettext_lazy("Actors"),
    "invited": gettext_lazy("Other invited persons"),
    "open": gettext_lazy("Open link"),
}


def too_few_message() -> str:
    return _("too few responses (fewer than 3) – not evaluated for data protection reasons")


def fmt(value: float | None, decimals: int = 1) -> str:
    """``3,5`` in German (the active language), ``–`` for no value."""
    return "–" if value is None else localised(value, decimals)


def likert_labels(question) -> dict[int, str]:
    """The labels of the scale: the question's own five options if it has them, else the standard labels."""
    options = [str(option) for option in (question.options or [])]
    if len(options) == 5:
        return {value: f"{value} – {options[value - 1]}" for value in LIKERT_VALUES}
    return {value: str(label) for value, label in LIKERT_LABELS.items()}


# --- data -------------------------------------------------------------------------------------


@dataclass
class Bucket:
    """One bar of a distribution: a scale value or an option."""

    value: int
    label: str
    count: int
    share: float  # 0..1 of the persons who answered the question

    @property
    def percent(self) -> float:
        return self.share * 100

    @property
    def percent_display(self) -> str:
        return fmt(self.percent, 1)


@dataclass
class TextAnswer:
    pk: int
    text: str
    hidden: bool = False
    respondent: str = ""  # only for surveys that are not anonymous
    submitted_at: object = None  # only for surveys that are not anonymous


@dataclass
class GroupStats:
    key: str
    label: str
    n: int
    mean: float | None = None
    median: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP

    @property
    def mean_display(self) -> str:
        return fmt(self.mean)

    @property
    def median_display(self) -> str:
        return fmt(self.median)


@dataclass
class QuestionStats:
    question: Question
    number: int  # 1-based position in the questionnaire
    responses: int  # responses of the whole survey
    n: int = 0  # responses that answered this question
    buckets: list[Bucket] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    hidden_count: int = 0
    groups: list[GroupStats] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def is_likert(self) -> bool:
        return self.kind == QuestionKind.LIKERT

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    @property
    def missing(self) -> int:
        """ "keine Angabe": responses that left the question out."""
        return max(self.responses - self.n, 0)

    @property
    def mean_display(self) -> str:
        return fmt(self.mean)

    @property
    def median_display(self) -> str:
        return fmt(self.median)

    @property
    def max_count(self) -> int:
        return max((bucket.count for bucket in self.buckets), default=0)

    @property
    def shown_groups(self) -> bool:
        return len(self.groups) > 1


@dataclass
class SectionStats:
    title: str
    questions: list[QuestionStats]


@dataclass
class SurveySummary:
    survey: Survey
    responses: int
    open_link_responses: int
    invited: int
    answered_invitations: int = 0
    sections: list[SectionStats] = field(default_factory=list)

    @property
    def personal_responses(self) -> int:
        """Invited persons who answered (their links are used up)."""
        return self.answered_invitations

    @property
    def response_rate(self) -> float | None:
        """Invited persons who answered / invited persons (0..1); None without invitations."""
        if not self.invited:
            return None
        return min(self.answered_invitations / self.invited, 1.0)

    @property
    def response_rate_display(self) -> str:
        rate = self.response_rate
        return "–" if rate is None else fmt(rate * 100, 1)

    @property
    def suppressed(self) -> bool:
        """Fewer than three responses: nothing is evaluated."""
        return self.responses < MIN_GROUP

    @property
    def questions(self) -> list[QuestionStats]:
        return [stats for section in self.sections for stats in section.questions]

    def by_key(self) -> dict[str, QuestionStats]:
        return {stats.key: stats for stats in self.questions if stats.key}


# --- computing --------------------------------------------------------------------------------


def survey_questions(survey) -> list[Question]:
    """The questions in questionnaire order (sections by position; questions without a section first)."""
    return list(
        Question.objects.filter(survey=survey)
        .select_related("section")
        .order_by(F("section__position").asc(nulls_first=True), "section_id", "position", "id")
    )


def _option_index(value, options: list[str]) -> int | None:
    """A stored option reference (index or label) as an index into ``options``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < len(options) else None
    if isinstance(value, str):
        if value in options:
            return options.index(value)
        if value.isdigit() and int(value) < len(options):
            return int(value)
    return None


def answer_values(question, answer: dict) -> list[int]:
    """The values of one answer: ``[3]`` for a Likert answer, option indexes for choices, ``[]`` if empty."""
    if question.kind == QuestionKind.LIKERT:
        number = answer["number"]
        return [number] if number in LIKERT_VALUES else []
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [str(option) for option in question.options or []]
        raw = list(answer["choices"] or [])
        if not raw and answer["number"] is not None:
            raw = [answer["number"]]
        indexes = []
        for value in raw:
            index = _option_index(value, options)
            if index is not None and index not in indexes:
                indexes.append(index)
        return sorted(indexes[:1] if question.kind == QuestionKind.SINGLE else indexes)
    return []


def _group_of(answer: dict) -> str:
    if answer.get("response__via_open_link"):
        return "open"
    if answer.get("response__invitation__member_id"):
        return "member"
    if answer.get("response__invitation__actor_id"):
        return "actor"
    return "invited"


def _likert_stats(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), float(statistics.median(values))


def question_stats(question, number, responses, answers, *, anonymous, include_hidden) -> QuestionStats:
    stats = QuestionStats(question=question, number=number, responses=responses)
    if question.kind == QuestionKind.TEXT:
        for answer in answers:  # newest first
            text = (answer["text"] or "").strip()
            if not text:
                continue
            stats.n += 1
            if answer["hidden"]:
                stats.hidden_count += 1
                if not include_hidden:
                    continue
            stats.texts.append(
                TextAnswer(
                    pk=answer["id"],
                    text=text,
                    hidden=answer["hidden"],
                    respondent="" if anonymous else (answer.get("response__invitation__name") or ""),
                    submitted_at=None if anonymous else answer.get("response__submitted_at"),
                )
            )
        return stats
    if question.kind == QuestionKind.LIKERT:
        labels = likert_labels(question)
        keys = list(LIKERT_VALUES)
    else:
        options = [str(option) for option in question.options or []]
        labels = dict(enumerate(options))
        keys = list(range(len(options)))
    counts = dict.fromkeys(keys, 0)
    likert_values: list[int] = []
    by_group: dict[str, list[int]] = defaultdict(list)
    for answer in answers:
        values = answer_values(question, answer)
        if not values:
            continue
        stats.n += 1
        for value in values:
            counts[value] += 1
        if question.kind == QuestionKind.LIKERT:
            likert_values.append(values[0])
            if not anonymous:
                by_group[_group_of(answer)].append(values[0])
    stats.buckets = [
        Bucket(value=key, label=labels[key], count=counts[key], share=(counts[key] / stats.n) if stats.n else 0.0)
        for key in keys
    ]
    if question.kind == QuestionKind.LIKERT:
        stats.mean, stats.median = _likert_stats(likert_values)
        for key in GROUP_LABELS:
            if key in by_group:
                values = by_group[key]
                group = GroupStats(key=key, label=str(GROUP_LABELS[key]), n=len(values))
                if not group.suppressed:  # small groups: not even computed
                    group.mean, group.median = _likert_stats(values)
                stats.groups.append(group)
    return stats


def survey_summary(survey, *, include_hidden: bool = False) -> SurveySummary:
    """Per-question statistics of ``survey`` (see the module docstring); also used by the review report.

    ``include_hidden`` adds the free texts hidden by the moderation (marked ``hidden``) — for moderators only.
    """
    counts = survey.responses.aggregate(total=Count("id"), open=Count("id", filter=Q(via_open_link=True)))
    invitations = survey.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(responded_at__isnull=False))
    )
    summary = SurveySummary(
        survey=survey,
        responses=counts["total"],
        open_link_responses=counts["open"],
        invited=invitations["invited"],
        answered_invitations=invitations["answered"],
    )
    if summary.suppressed:
        return summary
    questions = survey_questions(survey)
    fields = ["id", "question_id", "number", "choices", "text", "hidden"]
    if not survey.anonymous:
        fields += [
            "response__via_open_link",
            "response__submitted_at",
            "response__invitation__name",
            "response__invitation__member_id",
            "response__invitation__actor_id",
        ]
    answers_by_question: dict[int, list[dict]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey=survey).order_by("-response__submitted_at", "-response_id")
    for row in rows.values(*fields):
        answers_by_question[row["question_id"]].append(row)
    sections: list[SectionStats] = []
    for number, question in enumerate(questions, start=1):
        stats = question_stats(
            question,
            number,
            summary.responses,
            answers_by_question.get(question.pk, []),
            anonymous=survey.anonymous,
            include_hidden=include_hidden,
        )
        title = question.section.title if question.section else ""
        if not sections or sections[-1].title != title:
            sections.append(SectionStats(title=title, questions=[]))
        sections[-1].questions.append(stats)
    summary.sections = sections
    return summary


# --- comparison of two rounds -------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def match_questions(questions_a, questions_b) -> list[tuple]:
    """Pairs ``(a, b)`` of questions in the order of ``questions_a``: same ``key``, else identical text."""
    by_key = {question.key: question for question in questions_b if question.key}
    by_text = {}
    for question in questions_b:
        by_text.setdefault(_normalised(question.text), question)
    used, pairs = set(), []
    for question in questions_a:
        partner = by_key.get(question.key) if question.key else None
        if partner is None:
            partner = by_text.get(_normalised(question.text))
        if partner is not None and partner.pk not in used and partner.kind == question.kind:
            used.add(partner.pk)
            pairs.append((question, partner))
    return pairs


@dataclass
class ComparedQuestion:
    a: QuestionStats
    b: QuestionStats

    @property
    def text(self) -> str:
        return self.b.text

    @cached_property
    def delta(self) -> float | None:
        """Change of the mean from round A to round B, rounded to one decimal."""
        if self.a.mean is None or self.b.mean is None:
            return None
        return round(self.b.mean - self.a.mean + 0.0, 1)

    @property
    def direction(self) -> str:
        """``"up"``, ``"down"``, ``"same"`` or ``""`` (not comparable)."""
        if self.delta is None:
            return ""
        if abs(self.delta) < 0.05:
            return "same"
        return "up" if self.delta > 0 else "down"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.direction, "")

    @property
    def change_label(self) -> str:
        """The change in words (never colour or arrow alone)."""
        if self.direction == "up":
            return _("higher by %(delta)s") % {"delta": fmt(abs(self.delta))}
        if self.direction == "down":
            return _("lower by %(delta)s") % {"delta": fmt(abs(self.delta))}
        if self.direction == "same":
            return _("unchanged")
        return _("not comparable")

    @property
    def delta_display(self) -> str:
        if self.delta is None:
            return "–"
        sign = "+" if self.delta > 0 else ("−" if self.delta < 0 else "±")
        return f"{sign}{fmt(abs(self.delta))}"

    @property
    def rows(self) -> list[tuple[Bucket, Bucket]]:
        """The distributions of both rounds side by side."""
        return list(zip(self.a.buckets, self.b.buckets, strict=False))


@dataclass
class Comparison:
    a: SurveySummary
    b: SurveySummary
    likert: list[ComparedQuestion] = field(default_factory=list)
    other_matched: int = 0
    unmatched_a: list[Question] = field(default_factory=list)
    unmatched_b: list[Question] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.a.suppressed or self.b.suppressed


def compare_surveys(survey_a, survey_b) -> Comparison:
    """Round A (earlier) against round B (later): matched Likert questions with both rounds' statistics."""
    a, b = survey_summary(survey_a), survey_summary(survey_b)
    comparison = Comparison(a=a, b=b)
    if comparison.suppressed:
        return comparison
    stats_a = {stats.question.pk: stats for stats in a.questions}
    stats_b = {stats.question.pk: stats for stats in b.questions}
    questions_a = [stats.question for stats in a.questions]
    questions_b = [stats.question for stats in b.questions]
    pairs = match_questions(questions_a, questions_b)
    matched_a = {qa.pk for qa, _qb in pairs}
    matched_b = {qb.pk for _qa, qb in pairs}
    for qa, qb in pairs:
        if qa.kind == QuestionKind.LIKERT:
            comparison.likert.append(ComparedQuestion(a=stats_a[qa.pk], b=stats_b[qb.pk]))
        else:
            comparison.other_matched += 1
    comparison.unmatched_a = [question for question in questions_a if question.pk not in matched_a]
    comparison.unmatched_b = [question for question in questions_b if question.pk not in matched_b]
    return comparison


def comparable_surveys(municipality):
    """Surveys of the Kommune that can be compared (all processes, newest first)."""
    return Survey.objects.filter(municipality=municipality).select_related("process").order_by("-created_at", "-id")
