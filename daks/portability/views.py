"""Views of the data portability: thin — services write, selectors read.

Export pages live under ``/kommunen/<slug>/datenmitnahme/`` and are for the Koordination only (other members get
403, everybody else 404); exports are looked up through the Kommune of the URL. The import form
(``/kommunen/importieren/``) is open to everybody signed in: it creates a new Kommune.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.tenancy import municipality_view

from . import selectors, services
from .forms import ImportForm
from .models import WorkspaceExport

EXPORT = "portability.export_workspace"


def _overview_url(municipality) -> str:
    return reverse("portability:overview", kwargs={"municipality_slug": municipality.slug})


@municipality_view(EXPORT)
@require_GET
def overview(request):
    municipality = request.municipality
    now = timezone.now()
    exports = list(selectors.exports_for(municipality, now=now))
    response = render(
        request,
        "portability/overview.html",
        {
            "municipality": municipality,
            "exports": exports,
            "pending": any(export.is_pending for export in exports),
            "now": now,
            "retention_days": services.retention().days,
        },
    )
    add_never_cache_headers(response)
    return response


@municipality_view(EXPORT)
@require_POST
def start(request):
    municipality = request.municipality
    try:
        export = services.export_request(actor=request.user, municipality=municipality)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_overview_url(municipality))
    return redirect("portability:status", municipality_slug=municipality.slug, pk=export.pk)


@municipality_view(EXPORT)
@require_GET
def status(request, pk):
    """The export's status page; htmx polls its fragment every 2 s while the export is queued or running."""
    municipality = request.municipality
    export = get_object_or_404(selectors.exports_for(municipality), pk=pk)
    context = {
        "municipality": municipality,
        "export": export,
        "available": export.is_available(),
        "polled": bool(getattr(request, "htmx", False)),
    }
    if getattr(request, "htmx", False):
        if request.GET.get("seen") == export.status_token:
            response = HttpResponse(status=204)  # nothing new: no swap, no repeated announcement
        else:
            response = render(request, "portability/export_status.html#export-status", context)
    else:
        response = render(request, "portability/export_status.html", context)
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


@municipality_view(EXPORT)
@require_GET
def download(request, pk):
    export = get_object_or_404(WorkspaceExport.objects.filter(municipality=request.municipality), pk=pk)
    if not export.is_available():
        raise Http404("The export is not available")
    try:
        handle = export.file.storage.open(export.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The archive is missing") from None
    services.export_downloaded(actor=request.user, export=export)
    response = FileResponse(handle, as_attachment=True, filename=export.download_name, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_form(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        try:
            result = services.workspace_import(user=request.user, fileobj=form.cleaned_data["archive"])
        except DomainError as error:
            form.add_error("archive", error.message)
        else:
            municipality = result.municipality
            messages.success(
                request,
                ngettext(
                    "The workspace of %(name)s has been imported with %(count)d object. You are its coordination.",
                    "The workspace of %(name)s has been imported with %(count)d objects. You are its coordination.",
                    result.object_count,
                )
                % {"name": municipality.name, "count": result.object_count},
            )
            if result.invitations:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d person of the former team is listed as an open invitation. The invitation has not "
                        "been sent; send it on the team page when you are ready.",
                        "%(count)d people of the former team are listed as open invitations. The invitations have "
                        "not been sent; send them on the team page when you are ready.",
                        result.invitations,
                    )
                    % {"count": result.invitations},
                )
            if not municipality.is_verified:
                messages.info(
                    request,
                    _(
                        "The editorial office checks the municipality before anything of it is shown publicly; "
                        "imported tools and news wait for its review."
                    ),
                )
            return redirect(municipality)
    return render(request, "portability/import_form.html", {"form": form})
