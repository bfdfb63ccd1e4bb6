"""Deleting a Kommune's workspace with a grace period: summary, request, status and cancel (docs/deletion.md).

The Koordination (``municipalities.delete_municipality``) sees what will be removed, is pointed to the data export
first and confirms with the Kommune's name and the password; the logic lives in ``deletion.py``.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import deletion
from .forms import DeletionRequestForm


@municipality_view("municipalities.delete_municipality")
@require_http_methods(["GET", "POST"])
def deletion_request(request):
    municipality = request.municipality
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and not municipality.deletion_pending and form.is_valid():
        try:
            updated = deletion.municipality_deletion_request(
                actor=request.user,
                municipality=municipality,
                confirm_name=form.cleaned_data["confirm_name"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s will be deleted on %(date)s. All members have been informed by e-mail; the "
                    "coordination can cancel the deletion until then."
                )
                % {
                    "name": updated.name,
                    "date": formats.date_format(timezone.localtime(updated.deletion_scheduled_for), "DATE_FORMAT"),
                },
            )
            return redirect(updated)
    return render(
        request,
        "municipalities/deletion.html",
        {
            "municipality": municipality,
            "form": form,
            "summary": deletion.deletion_summary(municipality),
            "grace_days": deletion.grace_days(),
        },
    )


@municipality_view("municipalities.delete_municipality")
@require_POST
def deletion_cancel(request):
    municipality = request.municipality
    try:
        deletion.municipality_deletion_cancel(actor=request.user, municipality=municipality)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The deletion of %(name)s has been cancelled.") % {"name": municipality.name})
    return redirect(municipality)
