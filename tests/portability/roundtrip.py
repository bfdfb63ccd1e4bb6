"""Helpers of the round-trip tests: take a workspace apart before it is deleted, compare it with the import."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models

from daks.accounts.models import User
from daks.municipalities.models import Municipality
from daks.portability import exporter, registry

#: Fields the import changes on purpose (each is checked by its own test).
CHANGED_BY_DESIGN = {
    "toolbox.Tool": {"status", "published_at", "is_editorial", "review_requested_by"},
    "news.NewsItem": {"status", "published_at", "reviewed_by"},
    "workshops.ParticipationLink": {"closed_at"},
    "demography.ProjectionScenario": {"status", "progress", "error"},
    "core.AuditLogEntry": {"data"},
    "plans.PlanVersion": {"snapshot"},
    "comments.Comment": {"object_id"},
    "workshops.Support": {"user", "participant"},
    "workshops.Vote": {"user", "participant"},
}
DROPPED_M2M = {("network.Portrait", "contacts")}


@dataclass
class Snapshot:
    """Everything of a workspace, held in memory (the Django objects stay readable after their deletion)."""

    objects: dict[str, dict[int, models.Model]] = field(default_factory=dict)
    m2m: dict[tuple[str, int, str], set[int]] = field(default_factory=dict)
    files: dict[tuple[str, int, str], bytes] = field(default_factory=dict)

    def count(self, label: str) -> int:
        return len(self.objects.get(label, {}))


def queryset(label: str, municipality_pk: int):
    spec = registry.INCLUDED[label]
    return registry.get_model(label)._base_manager.filter(**{spec.scope: municipality_pk}).order_by("pk")


def capture(municipality) -> Snapshot:
    snapshot = Snapshot()
    for label in registry.INCLUDED:
        objects = {obj.pk: obj for obj in queryset(label, municipality.pk)}
        snapshot.objects[label] = objects
        model = registry.get_model(label)
        for obj in objects.values():
            for many in model._meta.many_to_many:
                snapshot.m2m[(label, obj.pk, many.name)] = set(getattr(obj, many.name).values_list("pk", flat=True))
            for file_field in model._meta.concrete_fields:
                if isinstance(file_field, models.FileField) and getattr(obj, file_field.name).name:
                    with file_field.storage.open(getattr(obj, file_field.name).name, "rb") as handle:
                        snapshot.files[(label, obj.pk, file_field.name)] = handle.read()
    return snapshot


def export_bytes(municipality, *, exported_by=None) -> bytes:
    buffer = io.BytesIO()
    exporter.write_archive(municipality, buffer, exported_by=exported_by)
    return buffer.getvalue()


def wipe_instance(*, keep: User, tools=()) -> None:
    """As good as a fresh database: no Kommune, nobody but ``keep``, none of the exported tools, no files."""
    Municipality.objects.all().delete()
    User.objects.exclude(pk=keep.pk).delete()
    registry.get_model("toolbox.Tool").objects.filter(pk__in=list(tools)).delete()
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root, ignore_errors=True)


def stored_files() -> list[str]:
    found = []
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        found += [str(path) for path in Path(root).rglob("*") if path.is_file()]
    return sorted(found)


def expected_relation(model_field, old_value, ids: dict, importer_pk: int):
    if old_value is None:
        return None
    target = registry.label_of(model_field.related_model)
    if target == registry.PEOPLE:
        return importer_pk if old_value == importer_pk else None
    if old_value in ids.get(target, {}):
        return ids[target][old_value]
    if target in registry.REFERENCES:
        return old_value if registry.REFERENCES[target] else None  # global objects keep their ids
    raise AssertionError(f"{model_field}: {old_value} was not imported")


def compare(snapshot: Snapshot, ids: dict, importer_pk: int) -> int:
    """Compare every imported object field by field with its original; returns the number compared."""
    compared = 0
    for label, objects in snapshot.objects.items():
        spec = registry.INCLUDED[label]
        if spec.mode != registry.GENERIC:
            continue
        model = registry.get_model(label)
        new_objects = model._base_manager.in_bulk([ids[label][pk] for pk in objects])
        for old_pk, old in objects.items():
            new = new_objects[ids[label][old_pk]]
            for model_field in model._meta.concrete_fields:
                name = model_field.name
                if model_field.primary_key or name in spec.omit or name in CHANGED_BY_DESIGN.get(label, ()):
                    continue
                old_value, new_value = getattr(old, model_field.attname), getattr(new, model_field.attname)
                if isinstance(model_field, models.FileField):
                    old_value, new_value = old_value.name, new_value.name
                if name in spec.regenerate:
                    assert new_value and new_value != old_value, (label, old_pk, name)
                elif name in spec.unique_slugs:
                    assert new_value.startswith(old_value), (label, old_pk, name)
                elif model_field.is_relation:
                    expected = expected_relation(model_field, old_value, ids, importer_pk)
                    assert new_value == expected, (label, old_pk, name, old_value, new_value)
                elif isinstance(model_field, models.FileField):
                    if old_value:
                        with model_field.storage.open(new_value, "rb") as handle:
                            assert handle.read() == snapshot.files[(label, old_pk, name)], (label, old_pk, name)
                    else:
                        assert not new_value, (label, old_pk, name)
                else:
                    assert new_value == old_value, (label, old_pk, name, old_value, new_value)
            for many in model._meta.many_to_many:
                if many.name in spec.omit:
                    continue
                expected = set()
                if (label, many.name) not in DROPPED_M2M:
                    expected = {
                        expected_relation(many, value, ids, importer_pk)
                        for value in snapshot.m2m[(label, old_pk, many.name)]
                    } - {None}
                actual = set(getattr(new, many.name).values_list("pk", flat=True))
                assert actual == expected, (label, old_pk, many.name)
            compared += 1
    return compared
