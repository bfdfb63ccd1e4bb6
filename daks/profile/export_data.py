"""Everything the Kommunalprofil export shows, read once (a selector for ``daks.profile.exports``).

The statistics are the very data of the statistics page (``views._region_context``: the region page's own
functions in ``daks.demography.views``), so the export and the page never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from daks.demography import views as demography

from . import selectors
from .models import InterpretationSection, Interview, InterviewStatus, InventoryItem, Quadrant

#: Anchors of the sections in the PDF (as on the statistics page) and of the other chapters.
SECTION_IDS = {
    InterpretationSection.FIGURES: "kennzahlen",
    InterpretationSection.AGE_STRUCTURE: "altersstruktur",
    InterpretationSection.DEVELOPMENT: "entwicklung",
    InterpretationSection.PROJECTION: "vorausberechnung",
    InterpretationSection.COMPARISON: "vergleich",
}


@dataclass
class Section:
    key: str
    label: Any
    anchor: str
    interpretation: str = ""


@dataclass
class ProfileExport:
    municipality: Any
    process: Any
    today: datetime.date
    statistics_key: str
    region: Any
    statistics: dict
    sections: dict[str, Section]
    inventory: list[InventoryItem]
    interviews: list[Interview]
    swot: list[dict]
    fields: list
    last_change: datetime.datetime | None = None
    definitions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_statistics(self) -> bool:
        stats = self.statistics
        return bool(stats and (stats.get("key_figures") or stats.get("charts") or stats.get("comparison")))


def _definitions(key_figures) -> list[tuple[str, str]]:
    """``(label, definition)`` of the key figures shown that come with a definition."""
    if key_figures is None:
        return []
    shown = {row[0].text for row in key_figures.rows}
    return [
        (str(spec.label), str(spec.help)) for spec in demography.KEY_FIGURES if spec.help and str(spec.label) in shown
    ]


def profile_export(*, process, today: datetime.date | None = None) -> ProfileExport:
    """The complete Kommunalprofil of ``process`` (its ``municipality`` must be set)."""
    from .views import _region_context  # the statistics page's data, unchanged

    key = selectors.statistics_key(process)
    region = selectors.statistics_region(process)
    statistics = _region_context(region) if region is not None else {}
    stored = selectors.interpretations(process=process)
    sections = {
        section.value: Section(
            section.value,
            section.label,
            SECTION_IDS[section],
            stored[section.value].text if section.value in stored else "",
        )
        for section in InterpretationSection
    }
    inventory = list(
        InventoryItem.objects.filter(process=process).select_related("field_of_action").order_by("title", "id")
    )
    interviews = list(
        Interview.objects.filter(process=process, status=InterviewStatus.DONE)
        .select_related("actor")
        .order_by("date", "id")
    )
    board = selectors.swot_items(process=process)
    swot = [{"key": key_, "label": Quadrant(key_).label, "items": board[key_]} for key_ in Quadrant.values]
    fields = selectors.fields_of_action(process=process)
    changed = [
        obj.updated_at
        for obj in [*stored.values(), *inventory, *interviews, *fields, *(i for q in swot for i in q["items"])]
        if getattr(obj, "updated_at", None)
    ]
    return ProfileExport(
        municipality=process.municipality,
        process=process,
        today=today or timezone.localdate(),
        statistics_key=key,
        region=region,
        statistics=statistics,
        sections=sections,
        inventory=inventory,
        interviews=interviews,
        swot=swot,
        fields=fields,
        last_change=max(changed) if changed else None,
        definitions=_definitions(statistics.get("key_figures")),
    )
