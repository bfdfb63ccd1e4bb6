"""Writes of the demography app: the import of the Gemeindeverzeichnis (GV100AD or GV-ISys workbook)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from os import PathLike

from django.db import transaction

from daks.core.errors import DomainError

from .importers import gv100, gvisys
from .models import BUND_KEY, Level, Region, RegionKeyChange

SOURCE_TEMPLATE = (
    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand {date:%d.%m.%Y}, dl-de/by-2-0"
)
SOURCE_TEMPLATE_GVISYS = (
    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, Gebietsstand "
    "{date:%d.%m.%Y}, dl-de/by-2-0"
)
#: Written only for Gemeinden whose record has coordinates (GV-ISys), so other imports never clear them.
COORDINATE_FIELDS = ["lat", "lon"]
PROGRESS_EVERY = 2000
BATCH_SIZE = 500
#: How many errors the message of :class:`ImportValidationError` lists (``errors`` holds all of them).
REPORT_LIMIT = 50
#: The largest values the columns hold (PostgreSQL refuses more, SQLite would store them silently); a file
#: whose figures (or the sums of the upper levels) exceed them is refused as implausible.
MAX_POPULATION = 2_147_483_647
MAX_AREA_KM2 = Decimal("9999999999.99")

SATZART_LEVEL = {
    gv100.SATZART_LAND: Level.LAND,
    gv100.SATZART_REGIERUNGSBEZIRK: Level.REGIERUNGSBEZIRK,
    gv100.SATZART_KREIS: Level.KREIS,
    gv100.SATZART_GEMEINDEVERBAND: Level.GEMEINDEVERBAND,
    gv100.SATZART_GEMEINDE: Level.GEMEINDE,
    # Satzart 30 (Region, Baden-Württemberg only) is skipped: a statistical grouping of Kreise whose key
    # does not appear in the Kreis/Gemeinde keys, so it is not part of the parent chain.
}
LEVEL_KIND = {Level.BUND: "Bund", Level.LAND: "Land", Level.REGIERUNGSBEZIRK: "Regierungsbezirk"}
#: The fields an import writes (besides ``level``/``key``); compared to decide if a row changed.
DATA_FIELDS = [
    "ars",
    "name",
    "search_name",
    "kind_code",
    "kind",
    "seat",
    "parent_id",
    "area_km2",
    "population",
    "population_male",
    "population_female",
    "reference_date",
    "population_date",
    "active",
    "source",
]


class ImportValidationError(DomainError):
    """The file is invalid; nothing was written. ``errors`` lists every problem (German, with line numbers)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:REPORT_LIMIT]
        lines = [f"Die Datei ist ungültig ({len(errors)} Fehler), es wurde nichts importiert:", *shown]
        if len(errors) > len(shown):
            lines.append(f"… und {len(errors) - len(shown)} weitere Fehler")
        super().__init__("\n".join(lines), field="path")


@dataclass
class ImportSummary:
    reference_date: dt.date
    population_date: dt.date | None
    source: str
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)  # regions in the file per level (without the Bund)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    changes: Counter = field(default_factory=Counter)  # RegionKeyChange rows per kind

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_line(self) -> str:
        c = self.counts
        return (
            f"imported {self.total} regions ({c[Level.LAND]} Länder, {c[Level.KREIS]} Kreise, "
            f"{c[Level.GEMEINDEVERBAND]} Gemeindeverbände, {c[Level.GEMEINDE]} Gemeinden)"
        )

    def details(self) -> str:
        changes = ", ".join(f"{count} {kind}" for kind, count in sorted(self.changes.items())) or "none"
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deactivated} deactivated; key changes: {changes}"
        )


def _default_population_date(reference_date: dt.date) -> dt.date:
    # GV100AD carries no population date. The population is that of 31.12. of the year before the
    # Gebietsstand (Gebietsstand 31.08.2025 → 31.12.2024, see the Hinweise of the edition).
    return dt.date(reference_date.year - 1, 12, 31)


def _desired_rows(records: list[gv100.Record], *, population_date, source) -> dict[tuple[str, str], dict]:
    """(level, key) → field values (with ``parent`` as (level, key)), ordered from the top level down."""
    reference_date = records[0].reference_date
    present = {(r.satzart, r.key): r for r in records}
    rows: dict[tuple[str, str], dict] = {}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # area ha, population, male

    def kreis_or_land(key):
        # A few gemeindefreie Gebiete (07000999, 13000999) belong directly to a Land (Kreis digits 000).
        return (Level.KREIS, key[:5]) if (gv100.SATZART_KREIS, key[:5]) in present else (Level.LAND, key[:2])

    def common(**values):
        return {
            "area_km2": None,
            "population": None,
            "population_male": None,
            "population_female": None,
            "reference_date": reference_date,
            "population_date": population_date,
            "active": True,
            "source": source,
            **values,
        }

    rows[(Level.BUND, BUND_KEY)] = common(
        ars="", name="Deutschland", search_name="deutschland", kind_code="", kind="Bund", seat="Berlin", parent=None
    )
    for record in sorted(records, key=lambda r: (r.satzart, r.key)):
        level = SATZART_LEVEL.get(record.satzart)
        if level is None:
            continue
        key = record.key
        if level == Level.LAND:
            parent = (Level.BUND, BUND_KEY)
        elif level == Level.REGIERUNGSBEZIRK:
            parent = (Level.LAND, key[:2])
        elif level == Level.KREIS:
            has_rb = (gv100.SATZART_REGIERUNGSBEZIRK, key[:3]) in present
            parent = (Level.REGIERUNGSBEZIRK, key[:3]) if has_rb else (Level.LAND, key[:2])
        elif level == Level.GEMEINDEVERBAND:
            parent = kreis_or_land(key)
        else:
            verband = present.get((gv100.SATZART_GEMEINDEVERBAND, record.verband_key))
            if verband is not None and verband.kind_code != gv100.VERBANDSFREI:
                parent = (Level.GEMEINDEVERBAND, record.verband_key)
            else:
                parent = kreis_or_land(key)
            # Upper levels get the sums of their Gemeinden.
            targets = [(Level.BUND, BUND_KEY), (Level.LAND, key[:2]), (Level.GEMEINDEVERBAND, record.verband_key)]
            if (gv100.SATZART_KREIS, key[:5]) in present:
                targets.append((Level.KREIS, key[:5]))
            if (gv100.SATZART_REGIERUNGSBEZIRK, key[:3]) in present:
                targets.append((Level.REGIERUNGSBEZIRK, key[:3]))
            for target in targets:
                total = sums[target]
                total[0] += record.area_ha
                total[1] += record.population
                total[2] += record.population_male
        rows[(level, key)] = common(
            ars=record.ars,
            name=record.name,
            search_name=record.name.lower(),
            kind_code=record.kind_code,
            kind=record.kind or LEVEL_KIND.get(level, ""),
            seat=record.seat,
            parent=parent,
        )
        if level == Level.GEMEINDE:
            rows[(level, key)].update(
                area_km2=record.area_km2,
                population=record.population,
                population_male=record.population_male,
                population_female=record.population_female,
            )
            if getattr(record, "lat", None) is not None:
                rows[(level, key)].update(lat=record.lat, lon=record.lon)
    for target, (area_ha, population, male) in sums.items():
        if target in rows:
            rows[target].update(
                area_km2=Decimal(area_ha) / 100,
                population=population,
                population_male=male,
                population_female=population - male,
            )
    return rows


def _implausible(rows: dict[tuple[str, str], dict]) -> list[str]:
    """German messages for figures that do not fit the columns (checked before anything is written)."""
    errors = []
    for (_level, key), values in rows.items():
        population, area = values.get("population"), values.get("area_km2")
        if population is not None and population > MAX_POPULATION:
            errors.append(f"{values['name']} ({key}): Einwohnerzahl {population} ist unplausibel groß")
        if area is not None and area > MAX_AREA_KM2:
            errors.append(f"{values['name']} ({key}): Fläche {area} km² ist unplausibel groß")
    return errors


def regions_import(
    *,
    path: str | PathLike,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    population_date: dt.date | None = None,
    format: str = "auto",
) -> ImportSummary:
    """Import (upsert) all regions of a GV100AD file or a GV-ISys workbook (``AuszugGV<n>QAktuell.xlsx``).

    ``format`` is ``"gv100ad"``, ``"gvisys"`` or ``"auto"`` (detected from the content, see
    :func:`gvisys.detect_format`). A GV-ISys import also sets ``lat``/``lon`` of the Gemeinden that have
    coordinates in the workbook.

    The whole file is validated first; if anything is wrong, :class:`ImportValidationError` lists every
    problem and nothing is written. Otherwise, in one transaction: new and changed regions are upserted
    level by level (top down, so parents get their ids first), regions missing from the file are set
    inactive (never deleted), and :class:`RegionKeyChange` rows record dissolved, renamed, moved and
    reactivated regions. Unchanged regions are not written, so importing the same file twice changes
    nothing. ``progress(done, total)`` is called every ``progress_every`` regions and at the end.
    With ``dry_run`` nothing is written; the summary says what would have changed.
    """
    if format == "auto":
        format = gvisys.detect_format(path)
    if format == gvisys.FORMAT_GVISYS:
        records, errors = gvisys.load_gvisys(path)
        template = SOURCE_TEMPLATE_GVISYS
    elif format == gvisys.FORMAT_GV100AD:
        records, errors = gv100.load_gv100ad(path)
        template = SOURCE_TEMPLATE
    else:
        raise ValueError(f"Unknown format {format!r}")
    if errors:
        raise ImportValidationError([str(error) for error in errors])
    reference_date = records[0].reference_date
    population_date = population_date or _default_population_date(reference_date)
    source = template.format(date=reference_date)
    summary = ImportSummary(
        reference_date=reference_date, population_date=population_date, source=source, dry_run=dry_run
    )
    rows = _desired_rows(records, population_date=population_date, source=source)
    implausible = _implausible(rows)
    if implausible:
        raise ImportValidationError(implausible)
    summary.counts.update(level for level, _key in rows if level != Level.BUND)

    with transaction.atomic():
        _apply(rows, summary, progress, progress_every, write=not dry_run)
    return summary


def _apply(rows, summary: ImportSummary, progress, progress_every: int, *, write: bool) -> None:
    existing = {
        (row["level"], row["key"]): row
        for row in Region.objects.values("id", "level", "key", *DATA_FIELDS, *COORDINATE_FIELDS).select_for_update()
    }
    key_by_id = {row["id"]: (level, key) for (level, key), row in existing.items()}
    ids = {level_key: row["id"] for level_key, row in existing.items()}
    history: list[RegionKeyChange] = []
    total = len(rows)
    done = 0
    change_date = summary.reference_date

    def log(kind, level, key, *, new_key=None, **values):
        summary.changes[kind] += 1
        history.append(
            RegionKeyChange(
                kind=kind,
                level=level,
                old_key=key,
                new_key=new_key,
                change_date=change_date,
                source=summary.source,
                **values,
            )
        )

    for level in Level.values:
        to_write: list[Region] = []
        fields = list(DATA_FIELDS)
        for (row_level, key), values in rows.items():
            if row_level != level:
                continue
            values = dict(values)
            parent = values.pop("parent")
            # In a dry run new parents have no id; a placeholder keeps the comparison meaningful.
            values["parent_id"] = ids.get(parent, -1) if parent else None
            old = existing.get((level, key))
            row_fields = DATA_FIELDS + [name for name in COORDINATE_FIELDS if name in values]
            if len(row_fields) > len(fields):
                fields = row_fields
            if old is not None:
                for name in COORDINATE_FIELDS:  # keep coordinates the file does not have
                    values.setdefault(name, old[name])
            if old is None:
                summary.created += 1
                to_write.append(Region(level=level, key=key, **values))
            elif any(old[name] != values[name] for name in row_fields):
                summary.updated += 1
                to_write.append(Region(level=level, key=key, **values))
                if not old["active"]:
                    log(RegionKeyChange.Kind.REACTIVATED, level, key, new_key=key, new_name=values["name"])
                if old["name"] != values["name"]:
                    log(
                        RegionKeyChange.Kind.RENAMED,
                        level,
                        key,
                        new_key=key,
                        old_name=old["name"],
                        new_name=values["name"],
                    )
                old_parent = key_by_id.get(old["parent_id"])
                if old["parent_id"] != values["parent_id"] and old_parent != parent:
                    log(
                        RegionKeyChange.Kind.REPARENTED,
                        level,
                        key,
                        new_key=key,
                        old_name=old["name"],
                        new_name=values["name"],
                        old_parent_key=old_parent[1] if old_parent else "",
                        new_parent_key=parent[1] if parent else "",
                    )
            else:
                summary.unchanged += 1
            done += 1
            if progress and done % progress_every == 0:
                progress(done, total)
        if write and to_write:
            Region.objects.bulk_create(
                to_write,
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["level", "key"],
                update_fields=fields,
            )
            ids.update(((level, key), pk) for key, pk in Region.objects.filter(level=level).values_list("key", "id"))

    # Example regions (Beispieldaten) are not part of any official directory: an import leaves them alone.
    gone = [
        row
        for level_key, row in existing.items()
        if level_key not in rows
        and row["active"]
        and row["level"] != "bund"
        and not row["source"].startswith("Beispieldaten")
    ]
    for row in gone:
        log(RegionKeyChange.Kind.DISSOLVED, row["level"], row["key"], old_name=row["name"])
    summary.deactivated = len(gone)
    if write:
        gone_ids = [row["id"] for row in gone]
        for start in range(0, len(gone_ids), BATCH_SIZE):
            Region.objects.filter(id__in=gone_ids[start : start + BATCH_SIZE]).update(active=False)
        RegionKeyChange.objects.bulk_create(history, batch_size=BATCH_SIZE)
    if progress and done % progress_every:
        progress(done, total)
