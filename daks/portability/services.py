"""Writes of the data portability: requesting and building exports, removing expired ones, importing."""

from __future__ import annotations

import datetime
import logging
import secrets
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError

from . import exporter, importer
from .models import INTERRUPTED, STALE_AFTER, WorkspaceExport

logger = logging.getLogger(__name__)

Status = WorkspaceExport.Status


def retention() -> datetime.timedelta:
    """How long a finished export can be downloaded (``DAKS_PORTABILITY_EXPORT_DAYS``, 7 days by default)."""
    return datetime.timedelta(days=int(getattr(settings, "DAKS_PORTABILITY_EXPORT_DAYS", 7)))


@transaction.atomic
def export_request(*, actor, municipality, now=None) -> WorkspaceExport:
    """The Koordination asks for an export; the archive is built in the background (``export_workspace_task``)."""
    from daks.municipalities.models import Municipality

    from .tasks import export_workspace_task

    if not actor.has_perm("portability.export_workspace", municipality):
        raise DomainError(_("Only the coordination can export the workspace."))
    now = now or timezone.now()
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()  # one request at a time
    exports_fail_stale(now=now, municipality=municipality)
    running = municipality.workspace_exports.filter(
        status__in=[Status.QUEUED, Status.RUNNING], created_at__gt=now - STALE_AFTER
    )
    if running.exists():
        raise DomainError(_("An export of this workspace is already being prepared. Please wait until it is ready."))
    exports_purge_expired(now=now, municipality=municipality)
    export = WorkspaceExport.objects.create(municipality=municipality, requested_by=actor)
    log_action(
        "portability.export.requested", actor=actor, municipality=municipality, obj=municipality, export=export.pk
    )
    transaction.on_commit(lambda: export_workspace_task.enqueue(export.pk))
    return export


def _set(export_id: int, **fields) -> None:
    # Written outside any transaction, so that the status page sees each step at once.
    WorkspaceExport.objects.filter(pk=export_id).update(**fields)


def export_run(*, export_id: int) -> int:
    """Build the archive of a queued export (called by the task); returns the number of exported objects."""
    export = WorkspaceExport.objects.select_related("municipality", "requested_by").filter(pk=export_id).first()
    if export is None or export.status != Status.QUEUED:
        return 0
    started = timezone.now()
    _set(export_id, status=Status.RUNNING, started_at=started, progress=1, step="", error="")
    shown = {"percent": 1, "step": ""}

    def progress(percent: int, step: str) -> None:
        percent = max(1, min(percent, 99))
        if percent >= shown["percent"] + 2 or (step and step != shown["step"]):
            shown.update(percent=percent, step=step)
            _set(export_id, progress=percent, step=step[:200])

    # The stored texts (step names, errors) are in the site's language, not in that of whoever asked.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with tempfile.TemporaryFile() as archive:
                summary = exporter.write_archive(
                    export.municipality, archive, exported_by=export.requested_by, now=started, progress=progress
                )
                archive.seek(0)
                export.file.save(f"{secrets.token_hex(16)}.zip", File(archive), save=False)
            size = export.file.size
        except Exception:
            logger.exception("Export %s of municipality %s failed", export_id, export.municipality_id)
            _set(
                export_id,
                status=Status.FAILED,
                step="",
                error=_("The export failed. Please try again later or contact the support team."),
                finished_at=timezone.now(),
            )
            raise
    finished = timezone.now()
    _set(
        export_id,
        status=Status.DONE,
        progress=100,
        step="",
        file=export.file.name,
        size=size,
        object_count=summary.object_count,
        file_count=summary.file_count,
        finished_at=finished,
        expires_at=finished + retention(),
    )
    return summary.object_count


def exports_fail_stale(*, now=None, municipality=None) -> int:
    """Mark exports that were interrupted (queued or running longer than ``STALE_AFTER``: their worker was killed)
    as failed, so that a late worker does not pick them up any more. Returns how many."""
    now = now or timezone.now()
    stale = WorkspaceExport.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], created_at__lte=now - STALE_AFTER
    )
    if municipality is not None:
        stale = stale.filter(municipality=municipality)
    with translation.override(settings.LANGUAGE_CODE):
        return stale.update(status=Status.FAILED, step="", error=str(INTERRUPTED), finished_at=now)


def exports_purge_expired(*, now=None, municipality=None) -> int:
    """Delete exports whose time is up (finished ones after the retention period, failed or stuck ones after the
    same time), with their files. Returns how many were deleted."""
    now = now or timezone.now()
    expired = WorkspaceExport.objects.filter(status=Status.DONE, expires_at__lte=now) | WorkspaceExport.objects.filter(
        created_at__lte=now - retention()
    ).exclude(status=Status.DONE)
    if municipality is not None:
        expired = expired.filter(municipality=municipality)
    count = 0
    for export in expired:
        export.delete()  # its file goes with it (see apps.py)
        count += 1
    if municipality is None:
        count += _sweep_orphans(now=now)
    return count


def _sweep_orphans(*, now) -> int:
    """Archives without their row (left by a crash) are deleted too, once they are a day old (a running export
    writes its file a moment before its row names it)."""
    storage = WorkspaceExport._meta.get_field("file").storage
    try:
        folders, _files = storage.listdir("portability")
    except FileNotFoundError:
        return 0
    known = set(WorkspaceExport.objects.exclude(file="").values_list("file", flat=True))
    count = 0
    for folder in folders:
        for name in storage.listdir(f"portability/{folder}")[1]:
            path = f"portability/{folder}/{name}"
            if path not in known and storage.get_modified_time(path) < now - datetime.timedelta(days=1):
                storage.delete(path)
                count += 1
    return count


def export_downloaded(*, actor, export: WorkspaceExport) -> None:
    municipality = export.municipality
    log_action(
        "portability.export.downloaded", actor=actor, municipality=municipality, obj=municipality, export=export.pk
    )


def workspace_import(*, user, fileobj, now=None) -> importer.ImportResult:
    """Import a workspace archive as a new Kommune with ``user`` as its Koordination (all or nothing)."""
    if not user.has_perm("portability.import_workspace"):
        raise DomainError(_("Please sign in to import a workspace."))
    return importer.import_workspace(user=user, fileobj=fileobj, now=now)
