"""Private file storage: uploads that only members may read (inventory documents, …).

Files live under ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``, so the web server that serves ``/media/``
(public logos) can never hand them out; they are delivered only by views that check permissions.
"""

import contextlib
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .faults import DISK_FULL_ERRNOS, StorageFull


class DiskFullAwareMixin:
    """A full disk (ENOSPC/EDQUOT) while writing becomes ``StorageFull`` (a DomainError with a German message) and
    the partly written file is removed; the service's transaction then leaves no row either."""

    def _save(self, name, content):
        existed = os.path.lexists(self.path(name))
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno not in DISK_FULL_ERRNOS:
                raise
            if not existed:  # the name was free, so a file there now is our partly written one
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            raise StorageFull() from error


class PublicStorage(DiskFullAwareMixin, FileSystemStorage):
    """The default storage (``MEDIA_ROOT``)."""


class PrivateStorage(DiskFullAwareMixin, FileSystemStorage):
    # Read the setting on every access (not cached at import) so tests and deployments can move it.
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")


def private_storage():
    """Callable for ``FileField(storage=…)``: keeps migrations free of paths."""
    return PrivateStorage()
