"""Downloads of a meeting's minutes (PDF, ODT). Every member may download them."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from daks.core.tenancy import municipality_view
from daks.exports.base import download_response, exporter_for

from .exports import EXPORTERS, minutes_data

VIEW = "municipalities.view_municipality"


@municipality_view(VIEW)
@require_GET
def minutes_export(request, pk, format):
    exporter = exporter_for(EXPORTERS, format)
    if exporter is None:
        raise Http404("No such format")
    meeting = get_object_or_404(request.municipality.meetings.select_related("process", "municipality"), pk=pk)
    return download_response(exporter.render(minutes_data(meeting)))
