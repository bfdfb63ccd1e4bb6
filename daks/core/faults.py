"""Faults of the environment turned into clear pages instead of stack traces (docs/operations.md, "Faults").

* The database is unreachable (``OperationalError``/``InterfaceError`` — server down, connection lost, timeout):
  **503** with the German page ``503.html`` ("your last action was not saved") and ``Retry-After``. A service
  runs in ``transaction.atomic``, so a write that fails half-way leaves nothing behind.
* The disk is full (``OSError`` ENOSPC/EDQUOT, or ``StorageFull`` from our storages): **507** with ``507.html``.
  Upload forms whose view catches ``DomainError`` show ``StorageFull``'s message at the file field instead.

``FaultMiddleware.process_exception`` handles what a view raises; ``daks.core.views.server_error`` (handler500)
uses the same ``fault_response`` for what other middleware raises (e.g. the session lookup). JSON endpoints under
``/api/`` get ``{"detail": …}``. Nothing here touches the database: it may be the reason we are here.
"""

from __future__ import annotations

import errno
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
RETRY_AFTER_SECONDS = 60


class StorageFull(DomainError):
    """A file could not be written because the server's disk (or quota) is full; nothing was saved."""

    def __init__(self, *, field: str | None = None):
        super().__init__(
            _(
                "The file could not be saved because the server's storage space is full. Nothing has been saved. "
                "Please try again later or contact the support team of your DAKS installation."
            ),
            field=field,
        )


def is_disk_full(exception: BaseException | None) -> bool:
    return isinstance(exception, StorageFull) or (
        isinstance(exception, OSError) and exception.errno in DISK_FULL_ERRNOS
    )


def fault_response(request, exception: BaseException | None, *, log: bool = True) -> HttpResponse | None:
    """The response for a database outage (503) or a full disk (507); None for any other exception."""
    if isinstance(exception, DATABASE_ERRORS):
        status, template, detail = 503, "503.html", "The service is temporarily unavailable. Please try again later."
        message = "Database unavailable during %s %s"
    elif is_disk_full(exception):
        status, template, detail = 507, "507.html", "The server's storage space is full. Nothing has been saved."
        message = "Disk full during %s %s"
    else:
        return None
    if log:
        logger.error(message, request.method, request.path, exc_info=exception)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=status)
    else:
        # Rendered without a request context: no context processor may query the database.
        response = HttpResponse(loader.get_template(template).render({}, None), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class FaultMiddleware:
    """Answers a view's database outage with 503 and a full disk with 507 (friendly German page, no traceback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return fault_response(request, exception)
