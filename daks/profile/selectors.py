"""Reads of the municipal profile (SWOT board, fields of action)."""

from .models import FieldOfAction, InterpretationSection, ProfileInterpretation, Quadrant, SwotItem


def swot_items(*, process) -> dict[str, list[SwotItem]]:
    """All SWOT entries of ``process`` by quadrant, in order (one query)."""
    board = {quadrant: [] for quadrant in Quadrant.values}
    for item in SwotItem.objects.filter(process=process).order_by("quadrant", "position", "id"):
        board[item.quadrant].append(item)
    return board


def swot_quadrant(*, process, quadrant: str) -> list[SwotItem]:
    return list(SwotItem.objects.filter(process=process, quadrant=quadrant).order_by("position", "id"))


def fields_of_action(*, process) -> list[FieldOfAction]:
    """Fields of action of ``process`` by priority, with their supporting SWOT entries (two queries)."""
    return list(FieldOfAction.objects.filter(process=process).order_by("priority", "id").prefetch_related("swot_items"))


def profile_criterion(process) -> tuple[int, int]:
    """Progress of step 2: every SWOT quadrant has an entry; at least one field of action exists."""
    quadrants = set(SwotItem.objects.filter(process=process).values_list("quadrant", flat=True).distinct())
    swot_done = int(quadrants >= set(Quadrant.values))
    fields_done = int(FieldOfAction.objects.filter(process=process).exists())
    return swot_done + fields_done, 2


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
