"""Exporters: small classes that turn a domain object into a file.

An exporter has an ``identifier``, a ``label`` (shown on download pages), the file ``extension`` and its
``mimetype``; ``render(...)`` returns ``(filename, mimetype, bytes)``. A feature keeps its exporters in a tuple and
looks one up by format with ``exporter_for``; views turn the result into a download with ``download_response``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse

from daks.core.text import german_slugify

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Exporter:
    identifier = ""  # the format in URLs, e.g. "pdf"
    label = ""
    extension = ""
    mimetype = ""
    description = ""

    def filename(self, *parts: str) -> str:
        """``"kommunalprofil-musterstadt.pdf"`` from ``("kommunalprofil", "Musterstadt")`` (ASCII, slugified)."""
        stem = "-".join(slug for slug in (german_slugify(part) for part in parts if part) if slug) or "export"
        return f"{stem}.{self.extension}"

    def render(self, *args, **kwargs) -> tuple[str, str, bytes]:
        raise NotImplementedError


def exporter_for(exporters: Iterable[Exporter], identifier: str) -> Exporter | None:
    return next((exporter for exporter in exporters if exporter.identifier == identifier), None)


def download_response(rendered: tuple[str, str, bytes]) -> HttpResponse:
    """An attachment response for ``(filename, mimetype, bytes)``; never cached by shared caches."""
    filename, mimetype, content = rendered
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
