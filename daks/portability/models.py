"""Workspace exports (DSGVO Art. 20): one ZIP per request, built in the background and kept for a limited time."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.core.storage import private_storage


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
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

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
