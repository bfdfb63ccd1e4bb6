"""Reads of the municipal profile (SWOT board, fields of action, inventory, interviews)."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from .models import (
    FieldOfAction,
    InterpretationSection,
    Interview,
    InventoryItem,
    ProfileInterpretation,
    Quadrant,
    SwotItem,
)

#: The evidence a SWOT entry cites, fetched with the entry (no extra queries per entry).
SWOT_EVIDENCE = ("evidence_inventory", "evidence_interview", "evidence_interview__actor")


def _swot_queryset(process):
    return SwotItem.objects.filter(process=process).select_related(*SWOT_EVIDENCE)


def swot_items(*, process) -> dict[str, list[SwotItem]]:
    """All SWOT entries of ``process`` by quadrant, in order, with their evidence (one query)."""
    board = {quadrant: [] for quadrant in Quadrant.values}
    for item in _swot_queryset(process).order_by("quadrant", "position", "id"):
        board[item.quadrant].append(item)
    return board


def swot_quadrant(*, process, quadrant: str) -> list[SwotItem]:
    return list(_swot_queryset(process).filter(quadrant=quadrant).order_by("position", "id"))


# --- Evidence of SWOT entries -------------------------------------------------------------------------------------


def evidence_indicators() -> list[tuple[str, str]]:
    """``(code, label)`` of the indicators the statistics section shows (the key figures of the engine).

    The code is the engine's indicator name (``share_65_plus``, ``net_migration_per_1000`` …).
    """
    from daks.demography.views import KEY_FIGURES

    return [(spec.indicators[0], str(spec.label)) for spec in KEY_FIGURES]


def indicator_label(code: str) -> str:
    return dict(evidence_indicators()).get(code, code)


@dataclass
class EvidenceOptions:
    """What a SWOT entry of one process may cite: indicators, inventory entries, interviews (two queries)."""

    indicators: list[tuple[str, str]] = field(default_factory=list)
    inventory: dict[int, InventoryItem] = field(default_factory=dict)
    interviews: dict[int, Interview] = field(default_factory=dict)


def evidence_options(*, process) -> EvidenceOptions:
    return EvidenceOptions(
        indicators=evidence_indicators(),
        inventory={item.pk: item for item in InventoryItem.objects.filter(process=process).order_by("title", "id")},
        interviews={
            interview.pk: interview
            for interview in Interview.objects.filter(process=process).select_related("actor").order_by("date", "id")
        },
    )


def with_indicator_labels(items) -> None:
    """Set ``indicator_label`` on SWOT entries (no query)."""
    labels = dict(evidence_indicators())
    for item in items:
        item.indicator_label = labels.get(item.evidence_indicator, item.evidence_indicator)


# --- Inventory (Bestandsaufnahme) ---------------------------------------------------------------------------------


def inventory_items(*, process, field_of_action=None, kind: str = "", status: str = "") -> list[InventoryItem]:
    """Inventory entries of ``process`` (optionally filtered) with their field of action and the number of SWOT
    entries citing them (one query)."""
    queryset = (
        InventoryItem.objects.filter(process=process)
        .select_related("field_of_action")
        .annotate(swot_count=Count("swot_items"))
        .order_by("title", "id")
    )
    if field_of_action is not None:
        queryset = queryset.filter(field_of_action=field_of_action)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset)


def citing_swot_items(obj) -> list[SwotItem]:
    """The SWOT entries that cite ``obj`` (an inventory entry or an interview), in board order."""
    return list(obj.swot_items.order_by("quadrant", "position", "id"))


# --- Interviews ---------------------------------------------------------------------------------------------------


def interviews(*, process) -> list[Interview]:
    """Interviews of ``process``: planned ones first, then by date, with actor, interviewer and the number of
    SWOT entries citing them (one query)."""
    return list(
        Interview.objects.filter(process=process)
        .select_related("actor", "interviewer")
        .annotate(swot_count=Count("swot_items"))
        .order_by("-status", "date", "id")
    )


def fields_of_action(*, process) -> list[FieldOfAction]:
    """Fields of action of ``process`` by priority, with their supporting SWOT entries (two queries)."""
    return list(FieldOfAction.objects.filter(process=process).order_by("priority", "id").prefetch_related("swot_items"))


def profile_criterion(process) -> tuple[int, int]:
    """Progress of step 2: every SWOT quadrant has an entry; at least one field of action exists; the inventory
    (Bestandsaufnahme) has at least one entry (two queries)."""
    from daks.strategy.models import StrategyProcess

    quadrants = set(SwotItem.objects.filter(process=process).values_list("quadrant", flat=True).distinct())
    swot_done = int(quadrants >= set(Quadrant.values))
    fields_done, inventory_done = StrategyProcess.objects.filter(pk=process.pk).values_list(
        Exists(FieldOfAction.objects.filter(process=OuterRef("pk"))),
        Exists(InventoryItem.objects.filter(process=OuterRef("pk"))),
    ).first() or (False, False)
    return swot_done + int(fields_done) + int(inventory_done), 3


def statistics_key(process) -> str:
    """The official key the statistics of ``process`` are about: its own region key, else the Kommune's key.

    A Landkreis registers the 8-digit form xxxxx000 of its key; the statistics know the Kreis by key[:5].
    """
    key = (process.region_key or "").strip()
    if key:
        return key
    municipality = process.municipality
    key = (municipality.official_key or "").strip()
    if municipality.kind == "landkreis" and len(key) == 8 and key.endswith("000"):
        return key[:5]
    return key


def statistics_region(process):
    """The demography region of ``process`` (see ``statistics_key``), or None."""
    from daks.demography.selectors import region_by_key

    key = statistics_key(process)
    return region_by_key(key) if key else None


def interpretations(*, process) -> dict[str, ProfileInterpretation]:
    """The interpretations of ``process`` by section (one query)."""
    return {
        item.section: item
        for item in ProfileInterpretation.objects.filter(process=process, section__in=InterpretationSection.values)
    }
