"""Publishing a Werkstattplan (opt-in): a frozen version on a public read-only page and as open data.

Only the Koordination of a verified Kommune (``Municipality.can_publish``) publishes, and always a *version*
(``PlanVersion`` snapshot), never the live draft: later edits of the plan do not reach the public page until a new
version is published. Unpublishing takes the page and the JSON offline at once. The public page and the JSON are
404 when nothing is published or the Kommune is no longer verified.

The open data (``open_data``) has stable English keys (``schema: "daks.plan/1"``); the published content is offered
under the Datenlizenz Deutschland – Namensnennung 2.0 with the Kommune as the name to attribute, which the
Koordination is told before publishing.
"""

from __future__ import annotations

from decimal import Decimal

import rules
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.municipalities.rules import is_coordinator

from .models import Plan, PlanVersion

#: Who may publish and unpublish (the Koordination).
PUBLISH = "plans.publish_plan"
if not rules.perm_exists(PUBLISH):
    rules.add_perm(PUBLISH, is_coordinator)

OPEN_DATA_SCHEMA = "daks.plan/1"
LICENCE = {
    "id": "dl-de/by-2-0",
    "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "url": "https://www.govdata.de/dl-de/by-2-0",
}


def _check_may_publish(user, plan: Plan) -> None:
    if not user.has_perm(PUBLISH, plan.municipality):
        raise DomainError(_("Only the coordination of the municipality can publish the plan."))


@transaction.atomic
def plan_publish(*, plan: Plan, user, version: PlanVersion) -> Plan:
    """Show ``version`` of ``plan`` on the public page (replacing a version published before)."""
    _check_may_publish(user, plan)
    if not plan.municipality.can_publish:
        raise DomainError(
            _(
                "Only verified municipalities can publish. Please have your municipality verified first "
                "(see the settings of the municipality)."
            )
        )
    if version is None or version.plan_id != plan.pk:
        raise DomainError(_("Please choose a version of this plan."), field="version")
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    previous = current.published_version_id
    current.published_version = version
    current.published_at = timezone.now()
    current.save(update_fields=["published_version", "published_at", "updated_at"])
    log_action(
        "plans.plan.published",
        actor=user,
        municipality=plan.municipality,
        obj=version,
        process=plan.process_id,
        plan=plan.pk,
        version=version.pk,
        previous_version=previous,
    )
    plan.published_version, plan.published_at = current.published_version, current.published_at
    return current


@transaction.atomic
def plan_unpublish(*, plan: Plan, user) -> Plan:
    """Take the public page and the open data of ``plan`` offline."""
    _check_may_publish(user, plan)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.published_version_id is None:
        raise DomainError(_("The plan is not published."))
    version = current.published_version_id
    current.published_version = None
    current.published_at = None
    current.save(update_fields=["published_version", "published_at", "updated_at"])
    log_action(
        "plans.plan.unpublished",
        actor=user,
        municipality=plan.municipality,
        obj=plan,
        process=plan.process_id,
        plan=plan.pk,
        version=version,
    )
    plan.published_version, plan.published_at = None, None
    return current


# --- Selectors -----------------------------------------------------------------------------------------------------


def published_plan(*, municipality_slug: str, process_pk: int) -> Plan | None:
    """The published plan of the process, with its version, or None (not published / Kommune not verified)."""
    return (
        Plan.objects.filter(
            municipality__slug=municipality_slug,
            process_id=process_pk,
            published_version__isnull=False,
            municipality__verified_at__isnull=False,
        )
        .select_related("municipality", "process", "published_version")
        .first()
    )


def _number(value) -> float | int | None:
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def open_data(plan: Plan, *, request=None) -> dict:
    """The published version of ``plan`` as open data (stable keys; amounts in EUR as numbers)."""
    from .versions import load_snapshot

    version = plan.published_version
    snapshot = load_snapshot(version.snapshot)
    url = reverse(
        "plans_public:plan", kwargs={"municipality_slug": plan.municipality.slug, "process_pk": plan.process_id}
    )
    fields = []
    for entry in snapshot["fields_of_action"]:
        fields.append(
            {
                "number": entry.get("number", ""),
                "title": entry.get("title", ""),
                "description": entry.get("description", ""),
                "goals": [
                    {
                        "number": goal.get("number", ""),
                        "title": goal.get("title", ""),
                        "description": goal.get("description", ""),
                        "indicator": {
                            "code": goal.get("indicator_code", ""),
                            "name": goal.get("indicator_name", ""),
                            "unit": goal.get("unit", ""),
                        },
                        "baseline": {"value": _number(goal.get("baseline_value")), "year": goal.get("baseline_year")},
                        "target": {"value": _number(goal.get("target_value")), "year": goal.get("target_year")},
                    }
                    for goal in entry.get("goals", [])
                ],
                "measures": [
                    {
                        "number": measure.get("number", ""),
                        "title": measure.get("title", ""),
                        "description": measure.get("description", ""),
                        "responsible_unit": measure.get("responsible_unit", ""),
                        "partners": measure.get("partners", []),
                        "target_groups": measure.get("target_groups", []),
                        "start_date": measure.get("start_date"),
                        "end_date": measure.get("end_date"),
                        "status": measure.get("status", ""),
                        "progress_percent": measure.get("progress", 0),
                        "priority": measure.get("priority", ""),
                        "budget_eur": {
                            "own_funds": _number(measure.get("budget_own")) or 0,
                            "third_party_funding": _number(measure.get("budget_third_party")) or 0,
                            "secured": _number(measure.get("budget_secured")) or 0,
                        },
                        "funding_programme": {
                            "name": measure.get("funding_programme", ""),
                            "url": measure.get("funding_url", ""),
                        },
                        "goals": measure.get("goal_numbers", []),
                        "milestones": [
                            {
                                "title": milestone.get("title", ""),
                                "due_date": milestone.get("due_date"),
                                "reached_on": milestone.get("done_on"),
                            }
                            for milestone in measure.get("milestones", [])
                        ],
                    }
                    for measure in entry.get("measures", [])
                ],
            }
        )
    return {
        "schema": OPEN_DATA_SCHEMA,
        "municipality": {
            "name": plan.municipality.name,
            "official_key": plan.municipality.official_key,
            "country": plan.municipality.country,
        },
        "process": plan.process.title,
        "version": {"name": version.name, "date": version.date.isoformat()},
        "published_at": plan.published_at.isoformat() if plan.published_at else None,
        "page": request.build_absolute_uri(url) if request is not None else url,
        "licence": {
            **LICENCE,
            "attribution": _("%(municipality)s, workshop plan “%(version)s”")
            % {"municipality": plan.municipality.name, "version": version.name},
        },
        "vision": snapshot.get("vision", ""),
        "introduction": snapshot.get("introduction", ""),
        "fields_of_action": fields,
    }


def seed_demo_publication(*, plan: Plan, user) -> Plan | None:
    """Demo content: publish the newest version of ``plan`` (``user`` is a coordinator), if the Kommune may publish.

    Call it from ``seed_demo`` after the demo versions exist; does nothing without a version or verification.
    """
    version = PlanVersion.objects.filter(plan=plan).order_by("-date", "-id").first()
    if version is None or not plan.municipality.can_publish:
        return None
    return plan_publish(plan=plan, user=user, version=version)
