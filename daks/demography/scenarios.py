"""Services for a Kommune's own projection scenarios: create, change, delete (writes, keyword-only).

A Kommune's scenario is projected for its own region (Gemeinde or Kreis, from ``Municipality.official_key``) and,
for comparison, for its Kreis and Land. The computation runs as a background task after the transaction commits
(``tasks.compute_scenario_task``); the scenario's ``status`` shows how far it got. The results are the Kommune's
non-public data: the public region pages only show the presets.
"""

from __future__ import annotations

import math

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError

from .models import ProjectionScenario, Region

#: Allowed ranges of the assumptions (inclusive).
FERTILITY_RANGE = (0.5, 1.5)
LIFE_EXPECTANCY_RANGE = (-2.0, 6.0)
MIGRATION_RANGE = (-1.0, 3.0)
NAME_MAX_LENGTH = ProjectionScenario._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = 2000
CODE_MAX_LENGTH = ProjectionScenario._meta.get_field("code").max_length


def _number(value, low: float, high: float, field: str, message: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(message, field=field) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise DomainError(message, field=field)
    return number


def _clean(*, municipality, scenario, name, description, fertility_factor, life_expectancy_shift, migration_factor):
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please enter a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("The name may have at most 100 characters."), field="name")
    same_name = ProjectionScenario.objects.filter(
        Q(municipality=municipality) | Q(municipality__isnull=True), name__iexact=name
    )
    if scenario is not None:
        same_name = same_name.exclude(pk=scenario.pk)
    if same_name.exists():
        raise DomainError(_("A scenario with this name already exists."), field="name")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(_("The description may have at most 2,000 characters."), field="description")
    return {
        "name": name,
        "description": description,
        "fertility_factor": _number(
            fertility_factor,
            *FERTILITY_RANGE,
            "fertility_factor",
            _("The fertility factor must be between 0.5 and 1.5."),
        ),
        "life_expectancy_shift": _number(
            life_expectancy_shift,
            *LIFE_EXPECTANCY_RANGE,
            "life_expectancy_shift",
            _("The gain in life expectancy must be between −2 and +6 years."),
        ),
        "migration_factor": _number(
            migration_factor,
            *MIGRATION_RANGE,
            "migration_factor",
            _("The migration factor must be between −1 and 3."),
        ),
    }


def check_region(municipality) -> None:
    """Own scenarios need the Kommune's official key, and a region with that key."""
    key = (municipality.official_key or "").strip()
    if not key or not Region.objects.filter(key=key).exists():
        raise DomainError(_("For own scenarios the municipality needs an official key for which data is available."))


def _unique_code(municipality, name: str, scenario=None) -> str:
    base = slugify(name)[:CODE_MAX_LENGTH].strip("-") or "variante"
    taken = set(
        municipality.projection_scenarios.exclude(pk=getattr(scenario, "pk", None)).values_list("code", flat=True)
    )
    code, number = base, 2
    while code in taken:
        suffix = f"-{number}"
        code = f"{base[: CODE_MAX_LENGTH - len(suffix)].rstrip('-')}{suffix}"
        number += 1
    return code


def _own(municipality, scenario) -> None:
    if scenario.municipality_id is None or scenario.municipality_id != municipality.pk:
        raise DomainError(_("Only the municipality's own scenarios can be changed."))


def _enqueue(scenario: ProjectionScenario) -> None:
    from .tasks import compute_scenario_task

    pk = scenario.pk
    transaction.on_commit(lambda: compute_scenario_task.enqueue(pk))


def _assumptions(values) -> dict:
    keys = ("fertility_factor", "life_expectancy_shift", "migration_factor")
    if isinstance(values, dict):
        return {key: values[key] for key in keys}
    return {key: getattr(values, key) for key in keys}


@transaction.atomic
def scenario_create(
    *,
    actor,
    municipality,
    name: str,
    fertility_factor,
    life_expectancy_shift,
    migration_factor,
    description: str = "",
) -> ProjectionScenario:
    """Create a Kommune's own scenario and queue its computation."""
    data = _clean(
        municipality=municipality,
        scenario=None,
        name=name,
        description=description,
        fertility_factor=fertility_factor,
        life_expectancy_shift=life_expectancy_shift,
        migration_factor=migration_factor,
    )
    check_region(municipality)
    scenario = ProjectionScenario.objects.create(
        municipality=municipality,
        code=_unique_code(municipality, data["name"]),
        status=ProjectionScenario.Status.QUEUED,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **data,
    )
    log_action(
        "demography.scenario.created",
        actor=actor,
        municipality=municipality,
        obj=scenario,
        scenario_id=scenario.pk,
        **_assumptions(data),
    )
    _enqueue(scenario)
    return scenario


@transaction.atomic
def scenario_update(
    *,
    actor,
    municipality,
    scenario: ProjectionScenario,
    name: str,
    fertility_factor,
    life_expectancy_shift,
    migration_factor,
    description: str = "",
) -> ProjectionScenario:
    """Change a Kommune's own scenario; new assumptions (or a failed last run) queue a new computation."""
    _own(municipality, scenario)
    data = _clean(
        municipality=municipality,
        scenario=scenario,
        name=name,
        description=description,
        fertility_factor=fertility_factor,
        life_expectancy_shift=life_expectancy_shift,
        migration_factor=migration_factor,
    )
    check_region(municipality)
    # Re-read under a lock: the background task writes the status fields of the same row.
    current = ProjectionScenario.objects.select_for_update().get(pk=scenario.pk)
    before = _assumptions(current)
    recompute = before != _assumptions(data) or current.status in ("", ProjectionScenario.Status.FAILED)
    fields = list(data)
    if data["name"] != current.name:
        scenario.code = _unique_code(municipality, data["name"], scenario)
        fields.append("code")
    for field, value in data.items():
        setattr(scenario, field, value)
    if recompute:
        scenario.status, scenario.progress, scenario.error = ProjectionScenario.Status.QUEUED, "", ""
        fields += ["status", "progress", "error"]
    scenario.save(update_fields=fields)
    scenario.refresh_from_db(fields=["status", "progress", "error", "computed_at"])
    log_action(
        "demography.scenario.updated",
        actor=actor,
        municipality=municipality,
        obj=scenario,
        scenario_id=scenario.pk,
        before=before,
        recomputed=recompute,
        **_assumptions(data),
    )
    if recompute:
        _enqueue(scenario)
    return scenario


@transaction.atomic
def scenario_delete(*, actor, municipality, scenario: ProjectionScenario) -> None:
    """Delete a Kommune's own scenario with its projections (presets cannot be deleted)."""
    _own(municipality, scenario)
    name, pk = scenario.name, scenario.pk
    scenario.delete()
    log_action("demography.scenario.deleted", actor=actor, municipality=municipality, obj=name, scenario_id=pk)
