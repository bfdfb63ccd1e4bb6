"""The full activity feed of a strategy process (who did what, from the audit trail), paginated and filterable."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from daks.core.tenancy import municipality_view

from . import activity

PER_PAGE = 50


@municipality_view("municipalities.view_municipality")
@require_http_methods(["GET", "HEAD"])
def process_activity(request, pk):
    process = get_object_or_404(request.municipality.processes.all(), pk=pk)
    kind = request.GET.get("art", "")
    if kind not in activity.KINDS:
        kind = ""
    page = Paginator(activity.process_entries(process, kind=kind or None), PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "strategy/process_activity.html",
        {
            "municipality": request.municipality,
            "process": process,
            "page": page,
            "entries": page.object_list,
            "kinds": activity.kind_choices(),
            "kind": kind,
        },
    )
