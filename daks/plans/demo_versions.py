"""Demo content: two versions (Fassungen) of the demo plan with a realistic difference between them.

``seed_plan_versions(town, process, coordinator)`` is called by ``seed_demo`` after the demo plan exists
(``seed_plan``). It freezes the draft for the council, then changes a few measures through the services (as the
council's decision would) and freezes the decided version. Idempotent: a version that exists is left alone, and
the measures are only changed when the decided version is created.
"""

import datetime
from decimal import Decimal

from . import services, versions
from .models import Measure, MeasureStatus, PlanVersion, Priority

DRAFT = ("Entwurf für den Stadtrat 03/2026", datetime.date(2026, 3, 17))
DECIDED = ("Beschluss Stadtrat 06/2026", datetime.date(2026, 6, 24))
ADDED_TITLE = "Digitale Ehrenamtsbörse"


def _council_changes(plan, coordinator) -> None:
    """What the council changed between draft and decision: three measures changed, one added."""
    measures = list(
        Measure.objects.filter(plan=plan)
        .exclude(status__in=[MeasureStatus.DONE, MeasureStatus.DROPPED])
        .select_related("field_of_action")
        .order_by("field_of_action__priority", "position", "id")[:3]
    )
    if measures:
        first = measures[0]
        total = first.budget_own + first.budget_third_party
        services.measure_update(
            measure=first,
            user=coordinator,
            data={"status": MeasureStatus.IN_PROGRESS, "progress": max(first.progress, 20), "budget_secured": total},
            version=None,
        )
    if len(measures) > 1:
        second = measures[1]
        end = (second.end_date or datetime.date(2027, 12, 31)) + datetime.timedelta(days=183)
        services.measure_update(
            measure=second,
            user=coordinator,
            data={
                "end_date": end,
                "budget_third_party": second.budget_third_party + Decimal("15000"),
                "funding_programme": "Städtebauförderung – Lebendige Zentren",
            },
            version=None,
        )
    if len(measures) > 2:
        services.measure_update(
            measure=measures[2],
            user=coordinator,
            data={"priority": Priority.HIGH, "responsible_unit": "Seniorenbüro"},
            version=None,
        )
    if measures and not Measure.objects.filter(plan=plan, title=ADDED_TITLE).exists():
        services.measure_create(
            plan=plan,
            user=coordinator,
            data={
                "field_of_action": measures[0].field_of_action,
                "title": ADDED_TITLE,
                "description": "Eine Online-Plattform bringt Vereine und Freiwillige zusammen "
                "(Antrag der Fraktionen im Stadtrat).",
                "responsible_unit": "Ehrenamtskoordination",
                "status": MeasureStatus.PLANNED,
                "priority": Priority.MEDIUM,
                "start_date": datetime.date(2026, 9, 1),
                "end_date": datetime.date(2027, 6, 30),
                "budget_own": Decimal("8000"),
                "target_groups": ["all"],
            },
        )


def seed_plan_versions(town, process, coordinator) -> list[PlanVersion]:
    """Create the two demo versions of ``process``'s plan (see the module docstring); returns them."""
    plan = services.plan_get_or_create(process=process)
    result = []
    for (name, date), changes in ((DRAFT, None), (DECIDED, _council_changes)):
        version = PlanVersion.objects.filter(plan=plan, name=name).first()
        if version is None:
            if changes is not None:
                changes(plan, coordinator)
            version = versions.version_create(plan=plan, actor=coordinator, name=name, date=date)
        result.append(version)
    return result
