"""Writes of the strategy process: keyword-only, one transaction each, German DomainErrors, audit log.

Every audit entry carries ``process=<id>`` so the process overview can show its recent activity.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict

from .models import ChecklistItem, ChecklistTick, Step, StepState, StepStatus, StrategyProcess
from .selectors import forget_snapshot

PROCESS_FIELDS = ("title", "scope", "region_key", "start_date")


class ProcessEditConflict(EditConflict):
    """The process was changed by somebody else since the form was opened; ``current`` is the stored one."""

    conflict_message = gettext_lazy(
        "Somebody else has changed this process in the meantime. The saved values are shown next to "
        "your input; check them and save again to keep your version."
    )


def _require(actor, perm: str, municipality, message: str) -> None:
    if not actor.has_perm(perm, municipality):
        raise DomainError(message)


def _clean(*, municipality, title: str, region_key: str, coordinators) -> tuple[str, str, list]:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the process."), field="title")
    region_key = (region_key or "").strip()
    if region_key:
        from daks.demography.models import Region

        if not Region.objects.filter(key=region_key).exists():
            raise DomainError(
                _("There is no region with the key %(key)s in the statistics.") % {"key": region_key},
                field="region_key",
            )
    coordinators = list(coordinators or [])
    member_ids = set(
        municipality.memberships.filter(user__in=[u.pk for u in coordinators]).values_list("user_id", flat=True)
    )
    strangers = [u for u in coordinators if u.pk not in member_ids]
    if strangers:
        raise DomainError(
            _("Only members of the municipality can belong to the coordinating team: %(names)s")
            % {"names": ", ".join(u.name or u.email for u in strangers)},
            field="coordinators",
        )
    return title, region_key, coordinators


@transaction.atomic
def process_create(
    *,
    actor,
    municipality,
    title: str,
    start_date: date,
    scope: str = "",
    region_key: str = "",
    coordinators=(),
) -> StrategyProcess:
    _require(actor, "municipalities.edit_content", municipality, _("You may not start a strategy process."))
    title, region_key, coordinators = _clean(
        municipality=municipality, title=title, region_key=region_key, coordinators=coordinators
    )
    process = StrategyProcess.objects.create(
        municipality=municipality,
        title=title,
        scope=scope or "",
        region_key=region_key,
        start_date=start_date,
        created_by=actor,
    )
    process.coordinators.set(coordinators)
    StepState.objects.bulk_create([StepState(process=process, step=step) for step in Step.values])
    log_action("strategy.process.created", actor=actor, municipality=municipality, obj=process, process=process.pk)
    return process


@transaction.atomic
def process_update(
    *, actor, process: StrategyProcess, expected_version: str | None = None, coordinators=None, **fields
) -> StrategyProcess:
    """Change title, scope, region, start date and (if given) the coordinating team.

    ``expected_version`` is the ``version`` the form was based on; if somebody saved in between,
    ProcessEditConflict is raised and nothing is written.
    """
    municipality = process.municipality
    _require(actor, "municipalities.edit_content", municipality, _("You may not edit this process."))
    process = StrategyProcess.objects.select_for_update().get(pk=process.pk, municipality=municipality)
    if expected_version and expected_version != process.version:
        raise ProcessEditConflict(process)
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    values = {name: fields.get(name, getattr(process, name)) for name in PROCESS_FIELDS}
    current_team = list(process.coordinators.all())
    values["title"], values["region_key"], team = _clean(
        municipality=municipality,
        title=values["title"],
        region_key=values["region_key"],
        coordinators=current_team if coordinators is None else coordinators,
    )
    changed = sorted(name for name in PROCESS_FIELDS if values[name] != getattr(process, name))
    for name, value in values.items():
        setattr(process, name, value)
    process.scope = process.scope or ""
    process.save()
    if {u.pk for u in team} != {u.pk for u in current_team}:
        process.coordinators.set(team)
        changed.append("coordinators")
    log_action(
        "strategy.process.updated", actor=actor, municipality=municipality, obj=process,
        process=process.pk, fields=changed,
    )  # fmt: skip
    return process


@transaction.atomic
def process_delete(*, actor, process: StrategyProcess) -> None:
    municipality = process.municipality
    _require(
        actor, "municipalities.manage_team", municipality, _("Only the coordination may delete a strategy process.")
    )
    log_action("strategy.process.deleted", actor=actor, municipality=municipality, obj=process, process=process.pk)
    process.delete()


@transaction.atomic
def step_set_status(*, actor, process: StrategyProcess, step: str, status: str) -> StepState:
    """Editors start a step (in progress); only the Koordination marks it done or reopens a done step."""
    municipality = process.municipality
    if step not in Step.values or status not in StepStatus.values:
        raise DomainError(_("Unknown step or status."))
    state, _created = StepState.objects.select_for_update().get_or_create(process=process, step=step)
    _require(actor, "municipalities.edit_content", municipality, _("You may not change the status of a step."))
    if (status == StepStatus.DONE or state.status == StepStatus.DONE) and status != state.status:
        _require(
            actor,
            "municipalities.manage_team",
            municipality,
            _("Only the coordination may mark a step as done or reopen it."),
        )
    if status == state.status:
        return state
    previous = state.status
    state.status = status
    if status == StepStatus.DONE:
        state.done_at, state.done_by = timezone.now(), actor
    else:
        state.done_at, state.done_by = None, None
    state.save()
    forget_snapshot(process)
    log_action(
        "strategy.step.status_changed", actor=actor, municipality=municipality, obj=process,
        process=process.pk, step=step, status=status, previous=previous,
    )  # fmt: skip
    return state


def _checklist_item(step: str, item_id: int) -> ChecklistItem:
    item = ChecklistItem.objects.filter(pk=item_id, step=step, active=True).first()
    if item is None:
        raise DomainError(_("This checklist item does not exist."))
    return item


@transaction.atomic
def checklist_tick(*, actor, process: StrategyProcess, step: str, item_id: int) -> ChecklistTick:
    municipality = process.municipality
    _require(actor, "municipalities.edit_content", municipality, _("You may not change the checklist."))
    item = _checklist_item(step, item_id)
    tick, created = ChecklistTick.objects.get_or_create(process=process, item=item, defaults={"ticked_by": actor})
    if created:
        forget_snapshot(process)
        log_action(
            "strategy.checklist.ticked", actor=actor, municipality=municipality, obj=process,
            process=process.pk, step=step, item=item.code, text=item.text,
        )  # fmt: skip
    return tick


@transaction.atomic
def checklist_untick(*, actor, process: StrategyProcess, step: str, item_id: int) -> None:
    municipality = process.municipality
    _require(actor, "municipalities.edit_content", municipality, _("You may not change the checklist."))
    item = _checklist_item(step, item_id)
    deleted, _details = ChecklistTick.objects.filter(process=process, item=item).delete()
    if deleted:
        forget_snapshot(process)
        log_action(
            "strategy.checklist.unticked", actor=actor, municipality=municipality, obj=process,
            process=process.pk, step=step, item=item.code, text=item.text,
        )  # fmt: skip
