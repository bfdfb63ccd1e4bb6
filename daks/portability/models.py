"""Workspace exports (DSGVO Art. 20): one ZIP per request, built in the background and kept for a limited time."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.core.storage import private_storage

#: An export still queued or running this long after it was requested was interrupted (its worker was killed or
#: restarted): it is shown as failed, with a button to start it again, and a new one may be started.
STALE_AFTER = datetime.timedelta(hours=6)
INTERRUPTED = _("The export was interrupted because the background process stopped. Please start it again.")


def export_upload_to(instance, filename):
    return f"portability/{instance.municipality_id}/{filename}"


class WorkspaceExport(models.Model):
    """A request of the Koordination to export the whole workspace; the task fills in progress and the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being exported")
        DONE = "done", _("ready for download")
        FAILED = "failed", _("failed")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="workspace_exports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    file = models.FileField(
        _("archive"), upload_to=export_upload_to, storage=private_storage, blank=True, max_length=300
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    object_count = models.PositiveIntegerField(_("number of objects"), default=0)
    file_count = models.PositiveIntegerField(_("number of files"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workspace export")
        verbose_name_plural = _("workspace exports")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_stale(self) -> bool:
        """Queued or running for longer than ``STALE_AFTER``: the worker died, the export will not finish."""
        return (
            self.status in (self.Status.QUEUED, self.Status.RUNNING)
            and self.created_at is not None
            and self.created_at <= timezone.now() - STALE_AFTER
        )

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.is_stale

    @property
    def state(self) -> str:
        """The status the pages show: "failed" for an interrupted export."""
        return self.Status.FAILED if self.is_stale else self.status

    @property
    def state_label(self) -> str:
        return self.Status(self.state).label

    @property
    def error_message(self) -> str:
        if self.is_stale:
            return str(INTERRUPTED)
        return self.error

    def is_available(self, *, now=None) -> bool:
        """Done, not yet expired and its file still there."""
        now = now or timezone.now()
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > now
        )

    @property
    def status_token(self) -> str:
        """What the status display shows; a polling request sends it back and gets 204 if nothing changed."""
        return f"{self.status}-{self.progress}"

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.finished_at or self.created_at).strftime("%Y-%m-%d")
        return f"daks-{self.municipality.slug}-{stamp}.zip"
