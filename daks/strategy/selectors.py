"""Reads of the strategy app."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from daks.core.models import AuditLogEntry

from .models import ChecklistItem, StepGuidance, StepStatus, StrategyProcess


@dataclass
class ProcessSnapshot:
    items: dict  # step -> [ChecklistItem] (active, ordered)
    ticks: dict  # item id -> ChecklistTick
    statuses: dict  # step -> status


def process_list(*, municipality) -> QuerySet[StrategyProcess]:
    return municipality.processes.annotate(
        steps_done=Count("step_states", filter=Q(step_states__status=StepStatus.DONE), distinct=True)
    ).order_by("-start_date", "title")


def process_snapshot(process: StrategyProcess) -> ProcessSnapshot:
    """Checklist items, ticks and step statuses of ``process``: three queries, cached on the object."""
    cached = getattr(process, "_strategy_snapshot", None)
    if cached is not None:
        return cached
    items: dict = {}
    for item in _checklist_items():
        items.setdefault(item.step, []).append(item)
    ticks = {tick.item_id: tick for tick in process.checklist_ticks.select_related("ticked_by")}
    statuses = dict(process.step_states.values_list("step", "status"))
    snapshot = ProcessSnapshot(items=items, ticks=ticks, statuses=statuses)
    process._strategy_snapshot = snapshot
    return snapshot


def forget_snapshot(process: StrategyProcess) -> None:
    process.__dict__.pop("_strategy_snapshot", None)


def _checklist_items() -> list[ChecklistItem]:
    items = list(ChecklistItem.objects.filter(active=True).order_by("order", "id"))
    if not items and not ChecklistItem.objects.exists():  # defaults gone (e.g. a flushed database): recreate
        from .defaults import ensure_default_guidance

        ensure_default_guidance()
        items = list(ChecklistItem.objects.filter(active=True).order_by("order", "id"))
    return items


def step_guidance(step: str) -> StepGuidance | None:
    guidance = StepGuidance.objects.filter(step=step).first()
    if guidance is None:
        from .defaults import ensure_default_guidance

        ensure_default_guidance()
        guidance = StepGuidance.objects.filter(step=step).first()
    return guidance


def process_activity(process: StrategyProcess, *, limit: int = 10) -> list[AuditLogEntry]:
    """The latest audit log entries about ``process`` (see ``activity.process_entries``)."""
    from .activity import process_entries

    return list(process_entries(process)[:limit])
