"""Private file storage: uploads that only members may read (inventory documents, …).

Files live under ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``, so the web server that serves ``/media/``
(public logos) can never hand them out; they are delivered only by views that check permissions.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
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
