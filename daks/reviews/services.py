"""Writes of the Zwischenbilanz (review): the review itself, goal reviews, measure checks, barriers and enablers,
adjustments (with their link to a new plan version) and the consolidation checklist.

Every function is keyword-only, runs in one transaction, raises ``DomainError`` with a German message when a rule
is violated (nothing is written then) and records an audit log entry ``reviews.<entity>.<verb>`` whose data carries
``process`` (the activity feed of the process) and ``review``. Surveys are written by ``surveys.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.plans.models import Goal, Measure, MeasureStatus, Plan

from .models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    ConsolidationItem,
    ConsolidationKey,
    Factor,
    FactorKind,
    FactorSource,
    GoalReview,
    MeasureCheck,
    Review,
    Survey,
)

MAX_AMOUNT = Decimal("99999999999.999")
MIN_YEAR, MAX_YEAR = 1950, 2100


class ReviewEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this interim review in the meantime. Please check the current values and save again."
    )


class GoalReviewEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has assessed this goal in the meantime. Please check the current values and save again."
    )


class MeasureCheckEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has checked this measure in the meantime. Please check the current values and save again."
    )


class FactorEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this entry in the meantime. Please check the current values and save again."
    )


class ConsolidationEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed the consolidation checklist in the meantime. Please check it and save again."
    )


def _log(action: str, *, user, review: Review, obj=None, **data) -> None:
    log_action(
        action,
        actor=user,
        municipality=review.municipality,
        obj=obj if obj is not None else review,
        process=review.process_id,
        review=review.pk,
        **data,
    )


def _text(value, *, field: str, max_length: int, required_message=None) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > max_length:
        raise DomainError(
            _("Please use at most %(max)s characters.") % {"max": formats.number_format(max_length)}, field=field
        )
    return value


def _date(value, *, field: str, required_message=None) -> datetime.date | None:
    if value in (None, ""):
        if required_message:
            raise DomainError(required_message, field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Please enter a valid date."), field=field) from None


def _check_process(municipality, process) -> None:
    if process is None or process.municipality_id != municipality.pk:
        raise DomainError(_("This strategy process does not belong to this municipality."))


def _check_surveys(process, surveys) -> list[Survey]:
    surveys = list(surveys or [])
    if any(survey.process_id != process.pk for survey in surveys):
        raise DomainError(_("Please choose surveys of this strategy process."), field="surveys")
    return surveys


def plan_of(process) -> Plan:
    from daks.plans.services import plan_get_or_create

    return plan_get_or_create(process=process)


# --- Review --------------------------------------------------------------------------------------------------------


@transaction.atomic
def review_create(*, actor, municipality, process, title: str, date, surveys=(), summary: str = "") -> Review:
    """A new Zwischenbilanz of ``process``; the consolidation checklist gets its five items at once."""
    _check_process(municipality, process)
    title = " ".join(_text(title, field="title", max_length=200, required_message=_("Please enter a title.")).split())
    date = _date(date, field="date", required_message=_("Please enter the date of the interim review."))
    surveys = _check_surveys(process, surveys)
    review = Review.objects.create(
        municipality=municipality,
        process=process,
        title=title,
        date=date,
        summary=_text(summary, field="summary", max_length=10000),
    )
    review.surveys.set(surveys)
    ConsolidationItem.objects.bulk_create([ConsolidationItem(review=review, key=key) for key in ConsolidationKey])
    _log("reviews.review.created", user=actor, review=review)
    return review


@transaction.atomic
def review_update(
    *,
    actor,
    review: Review,
    title: str,
    date,
    surveys=(),
    summary: str = "",
    next_steps: str = "",
    expected_version: str | None = None,
) -> Review:
    current = Review.objects.select_for_update().select_related("municipality").get(pk=review.pk)
    if expected_version and expected_version != current.version:
        raise ReviewEditConflict(current)
    current.title = " ".join(
        _text(title, field="title", max_length=200, required_message=_("Please enter a title.")).split()
    )
    current.date = _date(date, field="date", required_message=_("Please enter the date of the interim review."))
    current.summary = _text(summary, field="summary", max_length=10000)
    current.next_steps = _text(next_steps, field="next_steps", max_length=10000)
    surveys = _check_surveys(current.process, surveys)
    current.save()
    current.surveys.set(surveys)
    _log("reviews.review.updated", user=actor, review=current)
    return current


@transaction.atomic
def review_delete(*, actor, review: Review) -> None:
    _log("reviews.review.deleted", user=actor, review=review)
    review.delete()


@transaction.atomic
def review_plan_meeting(*, actor, review: Review, starts_at: datetime.datetime | None = None):
    """Create the review meeting (Bilanztreffen, step "review" of the process) and link it to ``review``.

    Defaults to 18:00–20:00 local time on the review's date; the meeting is then edited on its own page
    (agenda, invitations with .ics and RSVP, minutes).
    """
    from daks.meetings import services as meeting_services
    from daks.strategy.models import Step

    review = Review.objects.select_for_update().select_related("municipality", "process").get(pk=review.pk)
    if review.meeting_id:
        raise DomainError(_("A review meeting has already been planned for this interim review."))
    if starts_at is None:
        starts_at = timezone.make_aware(datetime.datetime.combine(review.date, datetime.time(18, 0)))
    meeting = meeting_services.meeting_create(
        actor=actor,
        municipality=review.municipality,
        title=_("Review meeting: %(title)s") % {"title": review.title},
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        process=review.process,
        step=Step.REVIEW,
    )
    Review.objects.filter(pk=review.pk).update(meeting=meeting)
    review.meeting = meeting
    _log("reviews.review.meeting_planned", user=actor, review=review, meeting=meeting.pk)
    return meeting


# --- Goal reviews --------------------------------------------------------------------------------------------------


def _decimal(value, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Please enter a number."), field=field) from None
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise DomainError(_("Please enter a smaller number."), field=field)
    return number.quantize(Decimal("0.001"))


def _year(value, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Please enter a year, e.g. 2026."), field=field) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(_("Please enter a year between 1950 and 2100."), field=field)
    return year


def _assessment(value, *, field: str = "assessment") -> str:
    if value not in Assessment.values:
        raise DomainError(_("Please choose a valid assessment."), field=field)
    return value


def suggested_assessment(goal: Goal, *, latest, latest_year) -> str:
    """The traffic-light rule of the plan's monitoring (``plans.monitoring.assess``) as a review assessment."""
    from daks.plans.monitoring import Light, assess

    light = assess(
        baseline=goal.baseline_value,
        baseline_year=goal.baseline_year,
        target=goal.target_value,
        target_year=goal.target_year,
        latest=latest,
        latest_year=latest_year,
    ).light
    return Assessment.NOT_ASSESSABLE if light == Light.UNKNOWN else light


def _review_goal(review: Review, goal) -> Goal:
    if not isinstance(goal, Goal) or goal.plan.process_id != review.process_id:
        raise DomainError(_("Please choose a goal of this process's plan."), field="goal")
    return goal


def _review_measure(review: Review, measure) -> Measure:
    if not isinstance(measure, Measure) or measure.plan.process_id != review.process_id:
        raise DomainError(_("Please choose a measure of this process's plan."), field="measure")
    return measure


@transaction.atomic
def goal_review_save(*, actor, review: Review, goal: Goal, data: dict, expected_version: str | None = None):
    """Record where ``goal`` stands: latest value (with year, source and date), assessment and comment.

    An empty ``assessment`` takes the suggestion of the traffic-light rule for the given values.
    """
    goal = _review_goal(review, goal)
    current = GoalReview.objects.select_for_update().filter(review=review, goal=goal).first()
    if current is not None and expected_version and expected_version != current.version:
        raise GoalReviewEditConflict(current)
    latest = _decimal(data.get("latest_value"), field="latest_value")
    year = _year(data.get("latest_year"), field="latest_year")
    if (latest is None) != (year is None):
        raise DomainError(_("Please give the value together with its year."), field="latest_year")
    source = _text(data.get("source"), field="source", max_length=300)
    if latest is not None and not source:
        raise DomainError(_("Please name the source of the value."), field="source")
    values = {
        "latest_value": latest,
        "latest_year": year,
        "source": source,
        "source_date": _date(data.get("source_date"), field="source_date"),
        "assessment": _assessment(
            data.get("assessment") or suggested_assessment(goal, latest=latest, latest_year=year)
        ),
        "comment": _text(data.get("comment"), field="comment", max_length=3000),
    }
    if current is None:
        current = GoalReview.objects.create(review=review, goal=goal, **values)
    else:
        for key, value in values.items():
            setattr(current, key, value)
        current.save()
    _log("reviews.goal_review.saved", user=actor, review=review, obj=goal, goal=goal.pk, assessment=current.assessment)
    return current


@transaction.atomic
def measure_check_save(*, actor, review: Review, measure: Measure, data: dict, expected_version: str | None = None):
    """Check ``measure``: its current status is recorded as a snapshot with an assessment and a comment."""
    measure = _review_measure(review, measure)
    current = MeasureCheck.objects.select_for_update().filter(review=review, measure=measure).first()
    if current is not None and expected_version and expected_version != current.version:
        raise MeasureCheckEditConflict(current)
    values = {
        "status": measure.status,
        "assessment": _assessment(data.get("assessment") or Assessment.NOT_ASSESSABLE),
        "comment": _text(data.get("comment"), field="comment", max_length=3000),
    }
    if current is None:
        current = MeasureCheck.objects.create(review=review, measure=measure, **values)
    else:
        for key, value in values.items():
            setattr(current, key, value)
        current.save()
    _log(
        "reviews.measure_check.saved",
        user=actor,
        review=review,
        obj=measure,
        measure=measure.pk,
        assessment=current.assessment,
    )
    return current


@transaction.atomic
def measure_checks_snapshot(*, actor, review: Review) -> int:
    """Add a check (current status, not yet assessed) for every measure of the plan that has none. Returns the count."""
    checked = set(MeasureCheck.objects.filter(review=review).values_list("measure_id", flat=True))
    measures = Measure.objects.filter(plan__process_id=review.process_id).exclude(pk__in=checked)
    created = MeasureCheck.objects.bulk_create(
        [MeasureCheck(review=review, measure=measure, status=measure.status) for measure in measures.only("status")]
    )
    if created:
        _log("reviews.measure_check.snapshot", user=actor, review=review, count=len(created))
    return len(created)


# --- Barriers and enablers -----------------------------------------------------------------------------------------


def _clean_factor(review: Review, data: dict) -> tuple[dict, list[Measure]]:
    kind = data.get("kind")
    if kind not in FactorKind.values:
        raise DomainError(_("Please choose barrier or enabler."), field="kind")
    source = data.get("source") or FactorSource.DISCUSSION
    if source not in FactorSource.values:
        raise DomainError(_("Please choose a valid source."), field="source")
    text = _text(data.get("text"), field="text", max_length=500, required_message=_("Please describe the factor."))
    measures = list(data.get("measures") or [])
    for measure in measures:
        _review_measure(review, measure)
    return {"kind": kind, "source": source, "text": text}, measures


@transaction.atomic
def factor_create(*, actor, review: Review, data: dict) -> Factor:
    values, measures = _clean_factor(review, data)
    last = Factor.objects.filter(review=review, kind=values["kind"]).order_by("-position").first()
    factor = Factor.objects.create(review=review, position=(last.position + 1) if last else 1, **values)
    factor.measures.set(measures)
    _log("reviews.factor.created", user=actor, review=review, obj=factor, factor=factor.pk, kind=factor.kind)
    return factor


@transaction.atomic
def factor_update(*, actor, factor: Factor, data: dict, expected_version: str | None = None) -> Factor:
    current = Factor.objects.select_for_update().select_related("review__municipality").get(pk=factor.pk)
    if expected_version and expected_version != current.version:
        raise FactorEditConflict(current)
    values, measures = _clean_factor(current.review, data)
    for key, value in values.items():
        setattr(current, key, value)
    current.save()
    current.measures.set(measures)
    _log("reviews.factor.updated", user=actor, review=current.review, obj=current, factor=current.pk)
    return current


@transaction.atomic
def factor_delete(*, actor, factor: Factor) -> None:
    _log("reviews.factor.deleted", user=actor, review=factor.review, obj=factor, factor=factor.pk)
    factor.delete()


# --- Adjustments ---------------------------------------------------------------------------------------------------


@transaction.atomic
def adjustment_create(*, actor, review: Review, data: dict) -> Adjustment:
    """Record a decision: change, add, pause or drop a measure or a goal, with its reason and date."""
    kind = data.get("kind")
    if kind not in AdjustmentKind.values:
        raise DomainError(_("Please choose the kind of decision."), field="kind")
    measure, goal = data.get("measure"), data.get("goal")
    if measure is not None:
        _review_measure(review, measure)
    if goal is not None:
        _review_goal(review, goal)
    if measure is not None and goal is not None:
        raise DomainError(_("Please choose either a measure or a goal, not both."), field="goal")
    if kind != AdjustmentKind.ADD and measure is None and goal is None:
        raise DomainError(_("Please choose the measure or goal the decision concerns."), field="measure")
    adjustment = Adjustment.objects.create(
        review=review,
        kind=kind,
        measure=measure,
        goal=goal,
        description=_text(
            data.get("description"),
            field="description",
            max_length=3000,
            required_message=_("Please describe what changes."),
        ),
        reason=_text(
            data.get("reason"), field="reason", max_length=3000, required_message=_("Please give the reason.")
        ),
        decided_on=_date(
            data.get("decided_on"), field="decided_on", required_message=_("Please enter the date of the decision.")
        ),
    )
    _log("reviews.adjustment.created", user=actor, review=review, obj=review, adjustment=adjustment.pk, kind=kind)
    return adjustment


@transaction.atomic
def adjustment_delete(*, actor, adjustment: Adjustment) -> None:
    if Adjustment.objects.filter(pk=adjustment.pk, plan_version__isnull=False).exists():
        raise DomainError(_("This decision is recorded in a plan version and can no longer be deleted."))
    _log("reviews.adjustment.deleted", user=actor, review=adjustment.review, adjustment=adjustment.pk)
    adjustment.delete()


#: The measure status an adjustment sets when it is applied.
APPLIED_STATUS = {AdjustmentKind.PAUSE: MeasureStatus.PAUSED, AdjustmentKind.DROP: MeasureStatus.DROPPED}


def can_apply(adjustment: Adjustment) -> bool:
    """Pausing or dropping a measure can be applied to the plan (the measure's status is set)."""
    return (
        adjustment.kind in APPLIED_STATUS
        and adjustment.measure_id is not None
        and (adjustment.measure.status != APPLIED_STATUS[adjustment.kind])
    )


@transaction.atomic
def adjustment_apply(*, actor, adjustment: Adjustment) -> Measure:
    """Pause or drop the adjustment's measure in the plan (via the plan's services, with their audit trail)."""
    from daks.plans.services import measure_set_status

    if adjustment.kind not in APPLIED_STATUS or adjustment.measure_id is None:
        raise DomainError(_("Only pausing or dropping a measure can be applied automatically."))
    measure = measure_set_status(measure=adjustment.measure, user=actor, status=APPLIED_STATUS[adjustment.kind])
    _log(
        "reviews.adjustment.applied",
        user=actor,
        review=adjustment.review,
        adjustment=adjustment.pk,
        measure=measure.pk,
        status=measure.status,
    )
    return measure


def default_version_name(review: Review) -> str:
    return _("Adjustment after interim review %(date)s") % {"date": review.date.strftime("%m/%Y")}


@transaction.atomic
def adjustments_link_version(*, actor, review: Review, name: str, date) -> object:
    """Freeze the current plan as a new version (``plans.versions.version_create``) and link every adjustment of
    ``review`` that is not yet linked to it. Apply the decisions to the plan first: the version records them."""
    from daks.plans.versions import version_create

    pending = list(Adjustment.objects.select_for_update().filter(review=review, plan_version__isnull=True))
    if not pending:
        raise DomainError(_("There are no decisions without a plan version."))
    version = version_create(
        plan=plan_of(review.process),
        actor=actor,
        name=name,
        date=_date(date, field="date", required_message=_("Please enter the date of the version.")),
    )
    Adjustment.objects.filter(pk__in=[item.pk for item in pending]).update(
        plan_version=version, updated_at=timezone.now()
    )
    _log(
        "reviews.adjustment.version_linked",
        user=actor,
        review=review,
        version=version.pk,
        adjustments=[item.pk for item in pending],
    )
    return version


# --- Consolidation -------------------------------------------------------------------------------------------------


@transaction.atomic
def consolidation_save(*, actor, review: Review, items: dict, expected_version: str | None = None) -> list:
    """Save the checklist: ``items`` maps each ``ConsolidationKey`` to ``{"done": bool, "note": str}``.

    ``expected_version`` is the newest ``version`` of the items when the form was opened.
    """
    existing = {item.key: item for item in ConsolidationItem.objects.select_for_update().filter(review=review)}
    newest = max((item.version for item in existing.values()), default="")
    if expected_version and newest and expected_version != newest:
        raise ConsolidationEditConflict(review)
    saved = []
    for key in ConsolidationKey.values:
        entry = items.get(key) or {}
        note = _text(entry.get("note"), field=f"{key}_note", max_length=2000)
        done = bool(entry.get("done"))
        item = existing.get(key)
        if item is None:
            item = ConsolidationItem.objects.create(review=review, key=key, done=done, note=note)
        elif item.done != done or item.note != note:
            item.done, item.note = done, note
            item.save()
        saved.append(item)
    _log(
        "reviews.consolidation.saved",
        user=actor,
        review=review,
        done=sorted(item.key for item in saved if item.done),
    )
    return saved
