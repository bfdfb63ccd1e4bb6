"""Generate the open-data files (regions, indicators, projections as CSV and JSON, plus LIZENZ.txt).

``build_open_data()`` writes every file of :data:`dictionary.FILES` into :func:`open_data_dir` and then
``manifest.json`` (sizes, row counts, checksums, sources, dates) that the page reads. Each file is written to a
temporary file in the same directory and renamed over the old one (``os.replace``, atomic on POSIX), so a download
never sees a half-written file; a failed build leaves the previous files in place.

Formats (see docs/opendata.md):

* CSV: RFC 4180 — comma separator, ``.`` decimal point, header row, CRLF line ends, UTF-8 **without** BOM, values
  quoted only where needed. Numbers are written at full precision (shortest exact representation), missing values
  are empty.
* JSON: ``{"meta": {...}, "data": [...]}``; ``meta`` carries the title, source, licence, attribution and
  ``generated_at``. Regions and indicators are flat records with the CSV's columns; projections are one record per
  region and scenario with the totals per year and the population by sex and age group (as the engine stores it).

Only official results are published: projections of the presets (scenarios without a Kommune), never a Kommune's
own scenario; a Kommune's own statistics are never part of the indicators (the pipeline uses official data only).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone, translation

from daks.demography.models import (
    LEVEL_ORDER,
    PYRAMID_GROUPS,
    Dataset,
    IndicatorValue,
    Projection,
    ProjectionScenario,
    Region,
)

from . import dictionary as d

Progress = Callable[[str], None] | None

MANIFEST = "manifest.json"
PROGRESS_EVERY = 100_000
CHUNK = 5000
FORMAT_VERSION = 1


def open_data_dir() -> Path:
    """Where the files live: ``settings.OPEN_DATA_DIR`` or ``<VAR_DIR>/opendata``."""
    configured = getattr(settings, "OPEN_DATA_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "opendata"


# --- writing ------------------------------------------------------------------------------------------------------


class _HashingWriter:
    """A text sink for csv.writer / json chunks: encodes UTF-8, counts bytes and computes the SHA-256."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.sha256.update(data)
        self.bytes += len(data)
        return len(text)


@dataclass
class FileResult:
    name: str
    dataset: str
    format: str
    rows: int
    bytes: int
    sha256: str
    generated_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dataset": self.dataset,
            "format": self.format,
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "generated_at": self.generated_at,
        }


def atomic_write(path: Path, produce: Callable[[_HashingWriter], int]) -> tuple[int, int, str]:
    """Write ``path`` through ``produce(writer) -> rows`` into a temporary file and rename it into place.

    Returns ``(rows, bytes, sha256)``. On any error the temporary file is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        mode="wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            writer = _HashingWriter(handle)
            rows = produce(writer)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)  # readable by the web server (mkstemp creates 0600)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return rows, writer.bytes, writer.sha256.hexdigest()


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _csv_cell(value: Any) -> Any:
    """Values for csv.writer: None → empty, floats at full precision with a dot, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _write_csv(columns: list[d.Column], rows: Iterable[tuple], say: Callable[[int], None]) -> Callable:
    def produce(out: _HashingWriter) -> int:
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: comma, double quotes, CRLF
        writer.writerow([column.name for column in columns])
        count = 0
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
            if count % PROGRESS_EVERY == 0:
                say(count)
        return count

    return produce


def _write_json(meta: dict[str, Any], records: Iterable[dict[str, Any]], say: Callable[[int], None]) -> Callable:
    def produce(out: _HashingWriter) -> int:
        out.write('{"meta": ')
        out.write(json.dumps(meta, ensure_ascii=False, indent=2, default=_json_default))
        out.write(',\n"data": [')
        count = 0
        for record in records:
            out.write("\n" if count == 0 else ",\n")
            out.write(json.dumps(record, ensure_ascii=False, allow_nan=False, default=_json_default))
            count += 1
            if count % PROGRESS_EVERY == 0:
                say(count)
        out.write("\n]}\n")
        return count

    return produce


def _write_text(text: str) -> Callable:
    def produce(out: _HashingWriter) -> int:
        out.write(text)
        return 0  # not a table

    return produce


# --- sources ------------------------------------------------------------------------------------------------------


@dataclass
class Sources:
    """What the files are built from: the official tables, example data, the dates of the data."""

    tables: list[dict[str, Any]] = field(default_factory=list)
    contains_example_data: bool = False
    regions_reference_date: str | None = None
    regions_source: list[str] = field(default_factory=list)
    indicator_years: tuple[int, int] | None = None
    indicators_computed_at: str | None = None
    projection_years: tuple[int, int] | None = None
    projections_computed_at: str | None = None

    @property
    def table_codes(self) -> list[str]:
        return sorted({table["table_code"] for table in self.tables if table["table_code"]})


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def collect_sources() -> Sources:
    official = Dataset.objects.filter(municipality__isnull=True)
    tables = [
        {
            "table_code": table_code,
            "title": title,
            "data_as_of": data_as_of,
            "downloaded_on": _iso(downloaded_on),
            "source": source,
        }
        for table_code, title, data_as_of, downloaded_on, source in official.filter(is_example=False)
        .order_by("table_code", "title")
        .values_list("table_code", "title", "data_as_of", "downloaded_on", "source")
    ]
    regions = Region.objects.aggregate(ref=Max("reference_date"))
    indicators = IndicatorValue.objects.aggregate(lo=Min("year"), hi=Max("year"), at=Max("computed_at"))
    presets = Projection.objects.filter(scenario__municipality__isnull=True)
    projections = presets.aggregate(lo=Min("base_year"), hi=Max("horizon_year"), at=Max("computed_at"))
    return Sources(
        tables=tables,
        contains_example_data=official.filter(is_example=True).exists(),
        regions_reference_date=_iso(regions["ref"]),
        regions_source=sorted(set(Region.objects.exclude(source="").values_list("source", flat=True).distinct())),
        indicator_years=(indicators["lo"], indicators["hi"]) if indicators["lo"] is not None else None,
        indicators_computed_at=_iso(indicators["at"]),
        projection_years=(projections["lo"], projections["hi"]) if projections["lo"] is not None else None,
        projections_computed_at=_iso(projections["at"]),
    )


def _meta(dataset: d.DatasetSpec, sources: Sources, generated_at: str, **extra) -> dict[str, Any]:
    """The ``meta`` object of a JSON file (texts in the site's language)."""
    meta = {
        "title": str(dataset.title),
        "description": str(dataset.description),
        "source": d.OFFICIAL_SOURCE,
        "tables": sources.tables,
        "licence": {"id": d.LICENCE_ID, "title": d.LICENCE_TITLE, "url": d.LICENCE_URL},
        "attribution": d.attribution(sources.table_codes),
        "contains_example_data": sources.contains_example_data,
        "generated_at": generated_at,
        "format_version": FORMAT_VERSION,
        "fields": [
            {"name": column.name, "type": column.type, "description": str(column.description)}
            | ({"unit": column.unit} if column.unit else {})
            for column in dataset.columns
        ],
    }
    if sources.contains_example_data:
        meta["note"] = d.EXAMPLE_NOTE
    meta.update(extra)
    return meta


# --- rows ---------------------------------------------------------------------------------------------------------


def region_names() -> dict[str, tuple[str, str]]:
    """``key → (name, level)``; where several levels share a key, the highest level wins."""
    names: dict[str, tuple[str, str]] = {}
    for key, level, name in Region.objects.values_list("key", "level", "name").iterator(chunk_size=CHUNK):
        current = names.get(key)
        if current is None or LEVEL_ORDER[level] < LEVEL_ORDER[current[1]]:
            names[key] = (name, level)
    return names


def level_from_key(key: str) -> str:
    """The level of a key no longer in the register, from its length (as the pipeline does)."""
    from daks.demography.pipeline import level_of

    return level_of(key)


def region_rows() -> Iterator[tuple]:
    regions = Region.objects.order_by("key", "level").values_list(
        "key",
        "ars",
        "name",
        "level",
        "parent__key",
        "kind",
        "area_km2",
        "population",
        "population_date",
        "reference_date",
        "lat",
        "lon",
        "active",
    )
    for key, ars, name, level, parent, kind, area, population, pdate, rdate, lat, lon, active in regions.iterator(
        chunk_size=CHUNK
    ):
        yield (
            key,
            ars,
            name,
            level,
            parent or "",
            kind,
            _number(area),
            population,
            pdate,
            rdate,
            _number(lat),
            _number(lon),
            active,
        )


def indicator_rows(names: dict[str, tuple[str, str]] | None = None) -> Iterator[tuple]:
    names = region_names() if names is None else names
    units = d.indicator_units()
    values = IndicatorValue.objects.order_by("region_key", "indicator", "year").values_list(
        "region_key", "indicator", "year", "value", "basis"
    )
    for key, indicator, year, value, basis in values.iterator(chunk_size=CHUNK):
        name, level = names.get(key) or ("", level_from_key(key))
        yield (key, name, level, indicator, year, _number(value), units.get(indicator, ""), basis)


def _projections() -> Iterator[tuple]:
    rows = (
        Projection.objects.filter(scenario__municipality__isnull=True)
        .order_by("region_key", "scenario__code")
        .values_list("region_key", "scenario__code", "base_year", "horizon_year", "totals", "pyramids", "basis")
    )
    yield from rows.iterator(chunk_size=500)


def _age_labels() -> list[str]:
    return list(d.AGE_GROUPS)


def projection_rows() -> Iterator[tuple]:
    """Long format: the totals of every year, then by sex and age group for the years the engine keeps."""
    labels = _age_labels()
    for key, scenario, base_year, _horizon, totals, pyramids, _basis in _projections():
        for offset, total in enumerate(totals or []):
            yield (key, scenario, base_year + offset, "total", "total", _number(total))
        for year in sorted(pyramids or {}, key=int):
            groups = pyramids[year]
            for sex in ("male", "female"):
                for label, value in zip(labels, groups.get(sex) or [], strict=False):
                    yield (key, scenario, int(year), sex, label, _number(value))


def projection_records() -> Iterator[dict[str, Any]]:
    """Nested: one record per region and scenario, as stored by the engine."""
    for key, scenario, base_year, horizon_year, totals, pyramids, basis in _projections():
        yield {
            "region_key": key,
            "scenario": scenario,
            "base_year": base_year,
            "horizon_year": horizon_year,
            "totals": {str(base_year + offset): _number(total) for offset, total in enumerate(totals or [])},
            "by_sex_and_age": {
                str(year): {sex: [_number(v) for v in pyramids[year].get(sex) or []] for sex in ("male", "female")}
                for year in sorted(pyramids or {}, key=int)
            },
            "basis": basis,
        }


def scenarios() -> list[dict[str, Any]]:
    """The preset scenarios (the only ones published)."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "description": s.description,
            "fertility_factor": s.fertility_factor,
            "life_expectancy_shift_years": s.life_expectancy_shift,
            "migration_factor": s.migration_factor,
        }
        for s in ProjectionScenario.objects.filter(municipality__isnull=True).order_by("code")
    ]


# --- the licence file ---------------------------------------------------------------------------------------------


def licence_text(sources: Sources, generated_at: str, results: list[FileResult], base_url: str = "") -> str:
    """LIZENZ.txt (German): licence, attribution, sources, files; the CSV files' licence notice."""
    lines = [
        "DAKS – Offene Daten: Regionen, Kennzahlen und Bevölkerungsvorausberechnungen",
        "",
        f"Lizenz: {d.LICENCE_TITLE} ({d.LICENCE_ID})",
        f"Lizenztext: {d.LICENCE_URL}",
        "",
        "Namensnennung (bitte bei jeder Verwendung angeben):",
        f"  {d.attribution(sources.table_codes)}",
        "",
        f"Datenquelle: {d.OFFICIAL_SOURCE}",
    ]
    if sources.tables:
        lines.append("Verwendete amtliche Tabellen:")
        for table in sources.tables:
            parts = [table["table_code"] or "ohne Code", table["title"]]
            if table["data_as_of"]:
                parts.append(table["data_as_of"])
            lines.append("  - " + " – ".join(parts))
    if sources.regions_reference_date:
        lines.append(f"Gebietsstand der Regionen: {sources.regions_reference_date}")
    if sources.contains_example_data:
        lines += ["", f"Hinweis: {d.EXAMPLE_NOTE}"]
    lines += [
        "",
        "Die Kennzahlen und Vorausberechnungen sind eigene Berechnungen von DAKS auf Grundlage der amtlichen Daten "
        "(verändert im Sinne der Lizenz); die Methoden beschreibt das Datenlexikon.",
        "",
        "Dateien:",
    ]
    for result in results:
        lines.append(f"  {result.name}: {result.rows} Zeilen, {result.bytes} Bytes, SHA-256 {result.sha256}")
    lines += [
        "",
        "CSV: RFC 4180 – Komma als Trennzeichen, Punkt als Dezimalzeichen, Kopfzeile, UTF-8 ohne BOM.",
        "JSON: Objekt mit „meta“ (Quelle, Lizenz, Namensnennung, Erzeugungszeit) und „data“.",
    ]
    if base_url:
        lines.append(f"Datenlexikon: {base_url}/offene-daten/datenlexikon/")
    lines += ["", f"Erzeugt: {generated_at}", ""]
    return "\n".join(lines)


# --- entry point --------------------------------------------------------------------------------------------------


@dataclass
class BuildSummary:
    directory: Path
    generated_at: str
    files: list[FileResult]

    def as_line(self) -> str:
        parts = ", ".join(f"{f.name} ({f.rows:,} rows, {f.bytes:,} bytes)" for f in self.files)
        return f"open data written to {self.directory}: {parts}"


def build_open_data(*, directory: Path | None = None, progress: Progress = None) -> BuildSummary:
    """Write all open-data files and the manifest (see the module docstring). Texts are in the site's language."""
    directory = Path(directory) if directory else open_data_dir()
    say = progress or (lambda _message: None)
    with translation.override(settings.LANGUAGE_CODE):
        return _build(directory, say)


def _build(directory: Path, say: Callable[[str], None]) -> BuildSummary:
    generated_at = timezone.now().replace(microsecond=0).isoformat()
    sources = collect_sources()
    names = region_names()
    results: list[FileResult] = []

    def write(name: str, produce: Callable) -> None:
        spec = d.FILES_BY_NAME[name]
        say(f"{name} …")
        rows, size, digest = atomic_write(directory / name, produce)
        results.append(FileResult(name, spec.dataset, spec.format, rows, size, digest, generated_at))
        say(f"{name}: {rows:,} rows, {size:,} bytes")

    def ticker(name: str) -> Callable[[int], None]:
        return lambda count: say(f"{name}: {count:,} rows …")

    regions = d.DATASETS_BY_CODE["regions"]
    write("regionen.csv", _write_csv(regions.columns, region_rows(), ticker("regionen.csv")))
    columns = [column.name for column in regions.columns]
    write(
        "regionen.json",
        _write_json(
            _meta(regions, sources, generated_at, reference_date=sources.regions_reference_date),
            (dict(zip(columns, row, strict=True)) for row in region_rows()),
            ticker("regionen.json"),
        ),
    )

    indicators = d.DATASETS_BY_CODE["indicators"]
    write("indikatoren.csv", _write_csv(indicators.columns, indicator_rows(names), ticker("indikatoren.csv")))
    columns = [column.name for column in indicators.columns]
    write(
        "indikatoren.json",
        _write_json(
            _meta(
                indicators,
                sources,
                generated_at,
                units={unit.code: str(unit.label) for unit in d.UNITS},
                indicators=[
                    {"code": i.code, "label": str(i.label), "unit": i.unit, "definition": str(i.definition)}
                    for i in d.indicators()
                ],
            ),
            (dict(zip(columns, row, strict=True)) for row in indicator_rows(names)),
            ticker("indikatoren.json"),
        ),
    )

    projections = d.DATASETS_BY_CODE["projections"]
    write("prognosen.csv", _write_csv(projections.columns, projection_rows(), ticker("prognosen.csv")))
    write(
        "prognosen.json",
        _write_json(
            _meta(
                projections,
                sources,
                generated_at,
                fields=[
                    {"name": "region_key", "type": "string", "description": str(d.REGION_KEY.description)},
                    {"name": "scenario", "type": "string"},
                    {"name": "base_year", "type": "integer"},
                    {"name": "horizon_year", "type": "integer"},
                    {"name": "totals", "type": "object", "description": "Jahr → Bevölkerung insgesamt"},
                    {
                        "name": "by_sex_and_age",
                        "type": "object",
                        "description": "Jahr → {male, female} → Bevölkerung je Altersgruppe (Reihenfolge: age_groups)",
                    },
                    {"name": "basis", "type": "string"},
                ],
                age_groups=list(d.AGE_GROUPS),
                age_group_bounds=[[lo, hi] for lo, hi in PYRAMID_GROUPS],
                scenarios=scenarios(),
            ),
            projection_records(),
            ticker("prognosen.json"),
        ),
    )

    data_files = list(results)
    base_url = getattr(settings, "DAKS_BASE_URL", "")
    write("LIZENZ.txt", _write_text(licence_text(sources, generated_at, data_files, base_url)))

    manifest = {
        "format_version": FORMAT_VERSION,
        "generated_at": generated_at,
        "sources": {
            "tables": sources.tables,
            "contains_example_data": sources.contains_example_data,
            "regions_reference_date": sources.regions_reference_date,
            "regions_source": sources.regions_source,
            "indicator_years": sources.indicator_years,
            "indicators_computed_at": sources.indicators_computed_at,
            "projection_years": sources.projection_years,
            "projections_computed_at": sources.projections_computed_at,
        },
        "files": {result.name: result.as_dict() for result in results},
    }
    atomic_write(directory / MANIFEST, _write_text(json.dumps(manifest, indent=2, ensure_ascii=False)))
    say(f"{MANIFEST} written")
    return BuildSummary(directory, generated_at, results)
