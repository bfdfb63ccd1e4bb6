"""Reads of the data portability."""

from django.utils import timezone

from .models import WorkspaceExport


def exports_for(municipality, *, now=None):
    """The Kommune's exports that can still be shown: pending, failed or not yet expired (newest first)."""
    now = now or timezone.now()
    return (
        WorkspaceExport.objects.filter(municipality=municipality)
        .exclude(status=WorkspaceExport.Status.DONE, expires_at__lte=now)
        .select_related("requested_by", "municipality")
        .order_by("-created_at", "-id")
    )
