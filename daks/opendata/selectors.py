"""Reads of the open data: which files exist, with their size, rows and dates (from ``manifest.json``).

The manifest is written last by the build, so a file counts as available only when the manifest lists it *and* the
file is there. Nothing is invented: without a build the page says that the files have not been generated yet.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils.dateparse import parse_date, parse_datetime

from daks.demography.models import IndicatorValue, Projection

from . import dictionary as d
from .build import MANIFEST, open_data_dir

logger = logging.getLogger(__name__)


@dataclass
class FileInfo:
    spec: d.FileSpec
    available: bool = False
    rows: int | None = None
    bytes: int | None = None
    sha256: str = ""
    generated_at: dt.datetime | None = None
    modified: dt.datetime | None = None  # of the file on disk (the download's Last-Modified)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def format_label(self) -> str:
        return self.spec.format.upper()


@dataclass
class DatasetInfo:
    spec: d.DatasetSpec
    files: list[FileInfo]
    data_years: tuple[int, int] | None = None  # years the rows cover

    @property
    def available(self) -> bool:
        return any(file.available for file in self.files)

    @property
    def rows(self) -> int | None:
        """Rows of the CSV file (the JSON may nest them)."""
        return next((f.rows for f in self.files if f.available and f.spec.format == "csv"), None)


@dataclass
class OpenDataStatus:
    generated_at: dt.datetime | None
    datasets: list[DatasetInfo]
    licence: FileInfo
    sources: dict[str, Any] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.generated_at is not None and any(dataset.available for dataset in self.datasets)

    @property
    def tables(self) -> list[dict[str, Any]]:
        return self.sources.get("tables") or []

    @property
    def table_codes(self) -> list[str]:
        return sorted({t["table_code"] for t in self.tables if t.get("table_code")})

    @property
    def contains_example_data(self) -> bool:
        return bool(self.sources.get("contains_example_data"))

    @property
    def attribution(self) -> str:
        return d.attribution(self.table_codes)

    @property
    def regions_reference_date(self) -> dt.date | None:
        return parse_date(self.sources.get("regions_reference_date") or "")

    @property
    def projection_years(self) -> tuple[int, int] | None:
        span = self.sources.get("projection_years")
        return tuple(span) if span else None


def read_manifest(directory: Path | None = None) -> dict[str, Any] | None:
    """The manifest of the last build, or None (never built, or unreadable)."""
    path = (directory or open_data_dir()) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        logger.exception("Unreadable open-data manifest %s", path)
        return None


def file_path(name: str, directory: Path | None = None) -> Path | None:
    """The path of a published file by its name, or None for any name not in the list (no path from user input)."""
    spec = d.FILES_BY_NAME.get(name)
    if spec is None:
        return None
    return (directory or open_data_dir()) / spec.name


def _file_info(spec: d.FileSpec, entry: dict[str, Any] | None, directory: Path) -> FileInfo:
    info = FileInfo(spec)
    if not entry:
        return info
    try:
        stat = (directory / spec.name).stat()
    except OSError:
        return info
    info.available = True
    info.rows = entry.get("rows")
    info.bytes = stat.st_size
    info.sha256 = entry.get("sha256", "") if entry.get("bytes") == stat.st_size else ""
    info.generated_at = parse_datetime(entry.get("generated_at") or "")
    info.modified = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
    return info


def open_data_status(directory: Path | None = None) -> OpenDataStatus:
    """Every dataset with its files as the last build left them (no database query)."""
    directory = directory or open_data_dir()
    manifest = read_manifest(directory) or {}
    entries = manifest.get("files") or {}
    sources = manifest.get("sources") or {}
    years = {
        "indicators": sources.get("indicator_years"),
        "projections": sources.get("projection_years"),
    }
    datasets = []
    for spec in d.DATASETS:
        files = [_file_info(f, entries.get(f.name), directory) for f in d.FILES if f.dataset == spec.code]
        span = years.get(spec.code)
        datasets.append(DatasetInfo(spec, files, tuple(span) if span else None))
    licence = _file_info(d.FILES_BY_NAME["LIZENZ.txt"], entries.get("LIZENZ.txt"), directory)
    return OpenDataStatus(
        generated_at=parse_datetime(manifest.get("generated_at") or "") if manifest else None,
        datasets=datasets,
        licence=licence,
        sources=sources,
    )


def data_changed_at() -> dt.datetime | None:
    """When the published results were last computed (indicators or preset projections)."""
    times = [
        IndicatorValue.objects.aggregate(at=Max("computed_at"))["at"],
        Projection.objects.filter(scenario__municipality__isnull=True).aggregate(at=Max("computed_at"))["at"],
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


def is_stale(directory: Path | None = None) -> bool:
    """True when the files are missing or older than the computed results."""
    status = open_data_status(directory)
    if not status.available or status.generated_at is None:
        return True
    changed = data_changed_at()
    return changed is not None and changed.replace(microsecond=0) > status.generated_at
