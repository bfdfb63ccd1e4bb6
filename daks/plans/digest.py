"""The weekly digest: one e-mail per responsible person and Kommune about what is due or overdue.

A person responsible for open measures (neither done nor dropped) receives, in their own language, a list of

- milestones due in the next 7 days (today included),
- overdue milestones (due before today, not reached) and
- overdue measures (end date before today).

Only current members of the Kommune are written to. The digest is sent at most once per ISO week and person
and Kommune: each mail is recorded in the audit log (``plans.digest.sent`` with ``recipient`` and ``week``),
and the recipient's user row is locked while checking, so a second run in the same week — even at the same
time — sends nothing. Run it daily or weekly: ``python manage.py send_plan_digest`` or the background task
``daks.plans.tasks.send_plan_digest`` (see docs/operations.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse

from daks.core.audit import log_action
from daks.core.mail import send_templated_mail
from daks.core.models import AuditLogEntry

from .models import Measure, Milestone
from .selectors import CLOSED_STATUSES

DIGEST_ACTION = "plans.digest.sent"
HORIZON_DAYS = 7


def iso_week(today: datetime.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def measure_url(measure: Measure) -> str:
    """Absolute link to the measure (its page in the Werkstattplan, else the plan)."""
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    process = measure.plan.process
    kwargs = {"municipality_slug": measure.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.PLAN].slug}
    for name, extra in (("plans:measure_detail", {"measure_pk": measure.pk}), ("plans:document", {})):
        try:
            return settings.DAKS_BASE_URL + reverse(name, kwargs={**kwargs, **extra})
        except NoReverseMatch:
            continue
    return settings.DAKS_BASE_URL + reverse("strategy:step", kwargs=kwargs)


@dataclass
class DigestItem:
    measure: Measure
    date: datetime.date
    title: str  # the milestone's title, or the measure's for an overdue measure
    url: str


@dataclass
class Digest:
    user: object
    municipality: object
    due_milestones: list[DigestItem] = field(default_factory=list)
    overdue_milestones: list[DigestItem] = field(default_factory=list)
    overdue_measures: list[DigestItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.due_milestones) + len(self.overdue_milestones) + len(self.overdue_measures)


def _open_measures():
    """Open measures whose responsible person is an active member of the measure's Kommune."""
    return (
        Measure.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(
            responsible_person__isnull=False,
            responsible_person__is_active=True,
            municipality__memberships__user=F("responsible_person"),
        )
        .exclude(responsible_person__email="")
    )


def collect_digests(*, today: datetime.date) -> list[Digest]:
    """The digests to send on ``today``, one per (person, Kommune), items sorted by date (two queries)."""
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    related = ("measure__plan__process", "measure__municipality", "measure__responsible_person")
    milestones = (
        Milestone.objects.filter(done_on__isnull=True, due_date__lt=horizon, measure__in=_open_measures())
        .select_related(*related)
        .order_by("due_date", "id")
    )
    measures = (
        _open_measures()
        .filter(end_date__lt=today)
        .select_related("plan__process", "municipality", "responsible_person")
        .order_by("end_date", "id")
    )
    digests: dict[tuple[int, int], Digest] = {}

    def digest_for(measure) -> Digest:
        key = (measure.responsible_person_id, measure.municipality_id)
        if key not in digests:
            digests[key] = Digest(user=measure.responsible_person, municipality=measure.municipality)
        return digests[key]

    for milestone in milestones:
        measure = milestone.measure
        item = DigestItem(measure=measure, date=milestone.due_date, title=milestone.title, url=measure_url(measure))
        target = digest_for(measure)
        (target.overdue_milestones if milestone.due_date < today else target.due_milestones).append(item)
    for measure in measures:
        digest_for(measure).overdue_measures.append(
            DigestItem(measure=measure, date=measure.end_date, title=measure.title, url=measure_url(measure))
        )
    return sorted(digests.values(), key=lambda digest: (digest.user.email, digest.municipality.name))


def _my_measures_url(digest: Digest) -> str:
    """The "my measures" page of the plan of the first item (a Kommune usually has one plan)."""
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    first = (digest.overdue_measures or digest.overdue_milestones or digest.due_milestones)[0].measure
    kwargs = {
        "municipality_slug": first.municipality.slug,
        "pk": first.plan.process_id,
        "step_slug": STEPS[Step.PLAN].slug,
    }
    try:
        return settings.DAKS_BASE_URL + reverse("plans:my_measures", kwargs=kwargs)
    except NoReverseMatch:
        return settings.DAKS_BASE_URL + reverse("strategy:step", kwargs=kwargs)


def send_plan_digests(*, today: datetime.date) -> int:
    """Queue the digest mails for ``today``'s ISO week (each person and Kommune once); returns how many."""
    from daks.accounts.models import User

    week = iso_week(today)
    sent = 0
    for digest in collect_digests(today=today):
        user, municipality = digest.user, digest.municipality
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
            already = AuditLogEntry.objects.filter(
                action=DIGEST_ACTION, municipality=municipality, data__recipient=user.pk, data__week=week
            ).exists()
            if already:
                continue
            context = {
                "user": user,
                "municipality": municipality,
                "today": today,
                "horizon": today + datetime.timedelta(days=HORIZON_DAYS - 1),
                "due_milestones": digest.due_milestones,
                "overdue_milestones": digest.overdue_milestones,
                "overdue_measures": digest.overdue_measures,
                "my_measures_url": _my_measures_url(digest),
            }
            transaction.on_commit(
                partial(
                    send_templated_mail,
                    "plans/email/digest",
                    context,
                    [user.email],
                    language=user.language or "de",
                )
            )
            log_action(
                DIGEST_ACTION,
                municipality=municipality,
                obj=user,
                recipient=user.pk,
                week=week,
                due_milestones=len(digest.due_milestones),
                overdue_milestones=len(digest.overdue_milestones),
                overdue_measures=len(digest.overdue_measures),
            )
            sent += 1
    return sent
