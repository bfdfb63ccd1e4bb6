"""Writing a Kommune's workspace into one ZIP: ``data.json``, ``files/…`` and a German ``README.txt``.

``data.json`` (schema version ``SCHEMA_VERSION``)::

    {
      "format": "daks-workspace",
      "schema_version": 1,
      "exported_at": "2026-03-12T09:30:00.123456+00:00",
      "source": {"instance": "https://daks.example", "municipality": 7, "slug": "musterstadt"},
      "exported_by": 3,                                  # a person id (see "people") or null
      "counts": {"plans.Measure": 40, …},
      "models": {
        "plans.Measure": {
          "name": "Maßnahmen",
          "fields": {"title": "CharField", "plan": "ForeignKey → plans.Plan", …},
          "objects": [{"id": 12, "title": "…", "plan": 3, "goals": [7, 8], "responsible_person": 5, …}, …]
        }, …
      },
      "people": [{"id": 5, "name": "Erika Muster", "email": "erika@…"}],
      "files": [{"path": "files/plans/…", "size": 1234, "sha256": "…"}],
      "excluded": {"api.ApiToken": "reason …"}
    }

Relations are written as the original id of the related object (of the model named in "fields"), as a person id
for people, or as ``{"ref": {"slug": "…"}}`` for objects outside the workspace that every instance has
(``registry.REFERENCES``). File fields are ``{"path": "files/…", "name": "original/name.pdf", "size": …,
"sha256": …}`` (``{"name": …, "missing": true}`` when the file was no longer on disk).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from . import registry

FORMAT = "daks-workspace"
SCHEMA_VERSION = 1
CHUNK = 1000
COPY_BUFFER = 1024 * 1024

Progress = Callable[[int, str], None]


class ExportFailed(Exception):
    """The workspace could not be exported (a broken relation); the message is for the log."""


@dataclass
class ExportSummary:
    counts: dict[str, int] = field(default_factory=dict)
    file_count: int = 0
    missing_files: list[str] = field(default_factory=list)

    @property
    def object_count(self) -> int:
        return sum(self.counts.values())


def to_json(model_field, value):
    """A field's Python value as JSON (dates and times in ISO 8601 with full precision, decimals as strings)."""
    if value is None or isinstance(model_field, models.JSONField):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise ExportFailed(f"Binary field {model_field} cannot be exported")
    return value


def field_description(model_field) -> str:
    kind = type(model_field).__name__
    if model_field.is_relation and model_field.related_model is not None:
        return f"{kind} → {registry.label_of(model_field.related_model)}"
    return kind


def exported_fields(model, spec: registry.Included) -> list:
    """The concrete fields written for each object (primary key first), then the many-to-many relations."""
    concrete = [f for f in model._meta.concrete_fields if f.name not in spec.omit]
    many = [f for f in model._meta.many_to_many if f.name not in spec.omit]
    return concrete + many


def file_entry_path(label: str, pk: int, field_name: str, name: str) -> str:
    app_label, model_name = label.lower().split(".")
    base = os.path.basename(name.replace("\\", "/"))
    try:
        base = get_valid_filename(base)[:120]
    except Exception:  # "", "." and ".." raise SuspiciousFileOperation
        base = "datei"
    return f"files/{app_label}/{model_name}/{pk}/{field_name}/{base or 'datei'}"


class _Exporter:
    def __init__(self, municipality, *, exported_by=None, now=None, progress: Progress | None = None):
        self.municipality = municipality
        self.exported_by = exported_by
        self.now = now or timezone.now()
        self.progress = progress or (lambda percent, step: None)
        self.ids: dict[str, set[int]] = {}
        self.people: set[int] = set()
        self.refs: dict[tuple[str, int], dict | None] = {}
        self.files: dict[tuple[str, int, str], dict] = {}
        self.summary = ExportSummary()

    def queryset(self, label: str):
        spec = registry.INCLUDED[label]
        model = registry.get_model(label)
        return model._base_manager.filter(**{spec.scope: self.municipality.pk}).order_by("pk")

    # --- the three passes --------------------------------------------------------------------------------------

    def write(self, target) -> ExportSummary:
        order = registry.export_order()
        for label in order:
            self.ids[label] = set(self.queryset(label).values_list("pk", flat=True))
            self.summary.counts[label] = len(self.ids[label])
        self.progress(5, "")
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            self._write_files(archive, order)
            self._write_data(archive, order)
            archive.writestr(self._info("README.txt", zipfile.ZIP_DEFLATED), self._readme())
        self.progress(100, "")
        return self.summary

    def _info(self, name: str, compression: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=timezone.localtime(self.now).timetuple()[:6])
        info.compress_type = compression
        info.external_attr = 0o644 << 16
        return info

    def _file_fields(self, model):
        return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]

    def _write_files(self, archive, order) -> None:
        jobs = []
        for label in order:
            model = registry.get_model(label)
            spec = registry.INCLUDED[label]
            fields = [f for f in self._file_fields(model) if f.name not in spec.omit]
            if not fields:
                continue
            for row in self.queryset(label).values_list("pk", *[f.attname for f in fields]):
                for model_field, name in zip(fields, row[1:], strict=True):
                    if name:
                        jobs.append((label, row[0], model_field, name))
        for index, (label, pk, model_field, name) in enumerate(jobs):
            self.progress(5 + int(40 * index / max(len(jobs), 1)), str(model_field.model._meta.verbose_name_plural))
            storage = model_field.storage
            path = file_entry_path(label, pk, model_field.name, name)
            try:
                source = storage.open(name, "rb")
            except (OSError, ValueError):
                self.summary.missing_files.append(name)
                self.files[(label, pk, model_field.name)] = {"name": name, "missing": True}
                continue
            digest, size = hashlib.sha256(), 0
            info = self._info(path, zipfile.ZIP_STORED)  # images, PDFs and office files are compressed already
            with source, archive.open(info, "w", force_zip64=True) as out:
                while chunk := source.read(COPY_BUFFER):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            self.files[(label, pk, model_field.name)] = {
                "path": path,
                "name": name,
                "size": size,
                "sha256": digest.hexdigest(),
            }
            self.summary.file_count += 1

    def _write_data(self, archive, order) -> None:
        total = max(sum(self.summary.counts.values()), 1)
        done = 0
        with archive.open(self._info("data.json", zipfile.ZIP_DEFLATED), "w", force_zip64=True) as raw:

            def out(text: str) -> None:
                raw.write(text.encode("utf-8"))

            def dump(value) -> str:
                return json.dumps(value, ensure_ascii=False, separators=(",", ": "))

            out("{\n")
            out(f'"format": {dump(FORMAT)},\n"schema_version": {SCHEMA_VERSION},\n')
            out(f'"exported_at": {dump(self.now.isoformat())},\n')
            source = {
                "instance": settings.DAKS_BASE_URL,
                "municipality": self.municipality.pk,
                "slug": self.municipality.slug,
                "name": self.municipality.name,
            }
            out(f'"source": {dump(source)},\n')
            exported_by = self.exported_by.pk if self.exported_by is not None else None
            if exported_by is not None:
                self.people.add(exported_by)
            out(f'"exported_by": {dump(exported_by)},\n')
            out(f'"counts": {dump(self.summary.counts)},\n')
            out('"models": {')
            for index, label in enumerate(order):
                model = registry.get_model(label)
                spec = registry.INCLUDED[label]
                fields = exported_fields(model, spec)
                header = {
                    "name": str(model._meta.verbose_name_plural),
                    "fields": {f.name: field_description(f) for f in fields if not f.primary_key},
                }
                out(("," if index else "") + f"\n{dump(label)}: " + dump(header)[:-1] + ', "objects": [')
                first = True
                for obj_dict in self._objects(label, model, fields):
                    out(("," if not first else "") + "\n  " + dump(obj_dict))
                    first = False
                    done += 1
                    if done % CHUNK == 0:
                        self.progress(45 + int(50 * done / total), str(model._meta.verbose_name_plural))
                out("\n]}")
            out("\n},\n")
            out(f'"people": {self._people_json(dump)},\n')
            files = [entry for entry in self.files.values() if not entry.get("missing")]
            out(f'"files": {dump([{k: e[k] for k in ("path", "size", "sha256")} for e in files])},\n')
            excluded = {label: str(reason) for label, reason in registry.EXCLUDED.items()}
            out(f'"excluded": {dump(excluded)}\n')
            out("}\n")

    def _people_json(self, dump) -> str:
        from daks.accounts.models import User

        people = User.objects.filter(pk__in=self.people).order_by("pk").values("pk", "name", "email")
        return dump([{"id": p["pk"], "name": p["name"], "email": p["email"]} for p in people])

    def _objects(self, label, model, fields):
        m2m_fields = [f for f in fields if f.many_to_many]
        ids = sorted(self.ids[label])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            m2m = {f.name: self._m2m_values(f, chunk) for f in m2m_fields}
            for obj in model._base_manager.filter(pk__in=chunk).order_by("pk"):
                data = {}
                for model_field in fields:
                    if model_field.many_to_many:
                        targets = m2m[model_field.name].get(obj.pk, [])
                        encoded = [self._relation(model_field, target) for target in targets]
                        data[model_field.name] = sorted(
                            (value for value in encoded if value is not None), key=json.dumps
                        )
                    elif model_field.primary_key:
                        data["id"] = obj.pk
                    elif model_field.is_relation:
                        value = self._relation(model_field, getattr(obj, model_field.attname))
                        if value is None and getattr(obj, model_field.attname) is not None and not model_field.null:
                            raise ExportFailed(f"{label} {obj.pk}: {model_field.name} points outside the workspace")
                        data[model_field.name] = value
                    elif isinstance(model_field, models.FileField):
                        entry = self.files.get((label, obj.pk, model_field.name))
                        data[model_field.name] = dict(entry) if entry else None
                    else:
                        data[model_field.name] = to_json(model_field, model_field.value_from_object(obj))
                yield data

    def _m2m_values(self, model_field, ids) -> dict[int, list[int]]:
        through = model_field.remote_field.through
        source = model_field.m2m_field_name()
        target = model_field.m2m_reverse_field_name()
        result: dict[int, list[int]] = {}
        rows = through._base_manager.filter(**{f"{source}__in": ids}).values_list(f"{source}_id", f"{target}_id")
        for source_id, target_id in rows:
            result.setdefault(source_id, []).append(target_id)
        return result

    def _relation(self, model_field, value):
        """The JSON form of a relation to the object with primary key ``value`` (None when it cannot be kept)."""
        if value is None:
            return None
        target = registry.label_of(model_field.related_model)
        if target == registry.PEOPLE:
            self.people.add(value)
            return value
        if value in self.ids.get(target, ()):
            return value
        if target in registry.REFERENCES:
            return {"ref": self._reference(target, value)}
        return None

    def _reference(self, target: str, pk: int) -> dict:
        key = (target, pk)
        if key not in self.refs:
            names = registry.REFERENCES[target]
            model = registry.get_model(target)
            row = model._base_manager.filter(pk=pk).values(*names).first() if names else {}
            self.refs[key] = row or {}
        return self.refs[key]

    def _readme(self) -> str:
        rows = []
        for label, count in self.summary.counts.items():
            model = registry.get_model(label)
            rows.append(
                {
                    "label": label,
                    "name": model._meta.verbose_name_plural,
                    "count": count,
                    "mode": registry.INCLUDED[label].mode,
                }
            )
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string(
                "portability/export_readme.txt",
                {
                    "municipality": self.municipality,
                    "exported_at": self.now,
                    "schema_version": SCHEMA_VERSION,
                    "rows": rows,
                    "excluded": [{"label": label, "reason": reason} for label, reason in registry.EXCLUDED.items()],
                    "people_count": len(self.people),
                    "file_count": self.summary.file_count,
                    "missing_files": self.summary.missing_files,
                    "instance": settings.DAKS_BASE_URL,
                },
            )


def write_archive(municipality, target, *, exported_by=None, now=None, progress: Progress | None = None):
    """Write the workspace of ``municipality`` as a ZIP into the binary file object ``target``."""
    return _Exporter(municipality, exported_by=exported_by, now=now, progress=progress).write(target)
