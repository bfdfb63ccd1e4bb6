"""Reads of the municipal profile (SWOT board, fields of action)."""

from .models import FieldOfAction, Quadrant, SwotItem


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
