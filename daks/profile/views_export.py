"""The export page of the Kommunalprofil and its downloads (PDF, ODT, XLSX). Readers may export."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from daks.core.tenancy import municipality_view
from daks.exports.base import download_response, exporter_for

from . import selectors
from .export_data import profile_export
from .exports import EXPORTERS
from .views import VIEW, _base_context, _kwargs, _process


@municipality_view(VIEW)
@require_GET
def export(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    context["downloads"] = [
        {
            "exporter": exporter,
            "url": reverse("profile:export_download", kwargs={**_kwargs(process), "format": exporter.identifier}),
        }
        for exporter in EXPORTERS
    ]
    context["statistics_key"] = selectors.statistics_key(process)
    context["region"] = selectors.statistics_region(process)
    return render(request, "profile/export/export.html", context)


@municipality_view(VIEW)
@require_GET
def export_download(request, pk, step_slug, format):
    process = _process(request, pk, step_slug)
    exporter = exporter_for(EXPORTERS, format)
    if exporter is None:
        raise Http404("No such format")
    return download_response(exporter.render(profile_export(process=process)))
