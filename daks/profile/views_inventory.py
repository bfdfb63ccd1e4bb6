"""Views of the inventory (Bestandsaufnahme) and the qualitative interviews of step 2 (thin: parse, call one
service, render).

Uploaded documents are never linked under /media/: members download them through ``inventory_document``,
which looks the entry up through the Kommune and sends the file as an attachment.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import selectors, services
from .forms import InterviewForm, InventoryFilterForm, InventoryItemForm
from .views import EDIT, VIEW, _base_context, _kwargs, _process

# --- Inventory --------------------------------------------------------------------------------------------------


def _inventory_url(process) -> str:
    return reverse("profile:inventory", kwargs=_kwargs(process))


def _detail_url(process, item) -> str:
    return reverse("profile:inventory_detail", kwargs={**_kwargs(process), "item_pk": item.pk})


def _inventory_item(request, process, item_pk):
    queryset = request.municipality.inventory_items.filter(process=process).select_related("field_of_action")
    return get_object_or_404(queryset, pk=item_pk)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def inventory(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    filter_form = InventoryFilterForm(request.GET or None, process=process)
    context = _base_context(request, process)
    context.update(
        {
            "filter_form": filter_form,
            "filtered": any(request.GET.get(key) for key in ("handlungsfeld", "art", "status")),
            "items": selectors.inventory_items(process=process, **filter_form.selector_kwargs()),
        }
    )
    return render(request, "profile/inventory_list.html", context)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def inventory_detail(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _inventory_item(request, process, item_pk)
    context = _base_context(request, process)
    context.update({"item": item, "citing": selectors.citing_swot_items(item)})
    return render(request, "profile/inventory_detail.html", context)


def _render_inventory_form(request, process, form, item=None):
    context = _base_context(request, process)
    context.update({"form": form, "item": item})
    return render(request, "profile/inventory_form.html", context)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def inventory_create(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    if request.method == "GET":
        return _render_inventory_form(request, process, InventoryItemForm(process=process))
    form = InventoryItemForm(request.POST, request.FILES, process=process)
    if form.is_valid():
        try:
            item = services.inventory_item_create(
                actor=request.user, municipality=request.municipality, process=process, **form.service_kwargs()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The inventory entry has been added."))
            return redirect(_detail_url(process, item))
    return _render_inventory_form(request, process, form)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def inventory_edit(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _inventory_item(request, process, item_pk)
    if request.method == "GET":
        form = InventoryItemForm(process=process, item=item, initial=InventoryItemForm.initial_for(item))
        return _render_inventory_form(request, process, form, item)
    form = InventoryItemForm(request.POST, request.FILES, process=process, item=item)
    if form.is_valid():
        try:
            services.inventory_item_update(
                actor=request.user,
                municipality=request.municipality,
                item=item,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.EditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The inventory entry has been saved."))
            return redirect(_detail_url(process, item))
    return _render_inventory_form(request, process, form, item)


@municipality_view(EDIT)
@require_POST
def inventory_delete(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _inventory_item(request, process, item_pk)
    services.inventory_item_delete(actor=request.user, municipality=request.municipality, item=item)
    messages.success(request, _("The inventory entry has been deleted."))
    return redirect(_inventory_url(process))


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def inventory_document(request, pk, step_slug, item_pk):
    """The entry's document for members only: an attachment, never rendered by the browser."""
    process = _process(request, pk, step_slug)
    item = _inventory_item(request, process, item_pk)
    if not item.document:
        raise Http404("No document")
    try:
        handle = item.document.storage.open(item.document.name, "rb")
    except FileNotFoundError:
        raise Http404("Document missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.document_name or item.document.name.rsplit("/", 1)[-1],
        content_type=item.document_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Interviews -------------------------------------------------------------------------------------------------


def _interviews_url(process, interview=None) -> str:
    url = reverse("profile:interviews", kwargs=_kwargs(process))
    return f"{url}#interview-{interview.pk}" if interview is not None else url


def _interview(request, process, interview_pk):
    return get_object_or_404(request.municipality.interviews.filter(process=process), pk=interview_pk)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def interviews(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    context["interviews"] = selectors.interviews(process=process)
    return render(request, "profile/interview_list.html", context)


def _render_interview_form(request, process, form, interview=None):
    context = _base_context(request, process)
    context.update({"form": form, "interview": interview})
    return render(request, "profile/interview_form.html", context)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def interview_create(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    municipality = request.municipality
    if request.method == "GET":
        initial = {"interviewer": request.user.pk}
        actor_pk = request.GET.get("akteur", "")
        if actor_pk.isdigit() and municipality.actors.filter(pk=actor_pk).exists():
            initial["actor"] = int(actor_pk)
        return _render_interview_form(request, process, InterviewForm(municipality=municipality, initial=initial))
    form = InterviewForm(request.POST, municipality=municipality)
    if form.is_valid():
        try:
            interview = services.interview_create(
                actor=request.user, municipality=municipality, process=process, **form.service_kwargs()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The interview has been saved."))
            return redirect(_interviews_url(process, interview))
    return _render_interview_form(request, process, form)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk, step_slug, interview_pk):
    process = _process(request, pk, step_slug)
    interview = _interview(request, process, interview_pk)
    municipality = request.municipality
    if request.method == "GET":
        form = InterviewForm(municipality=municipality, initial=InterviewForm.initial_for(interview))
        return _render_interview_form(request, process, form, interview)
    form = InterviewForm(request.POST, municipality=municipality)
    if form.is_valid():
        try:
            services.interview_update(
                actor=request.user,
                municipality=municipality,
                interview=interview,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.EditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The interview has been saved."))
            return redirect(_interviews_url(process, interview))
    return _render_interview_form(request, process, form, interview)


@municipality_view(EDIT)
@require_POST
def interview_delete(request, pk, step_slug, interview_pk):
    process = _process(request, pk, step_slug)
    interview = _interview(request, process, interview_pk)
    services.interview_delete(actor=request.user, municipality=request.municipality, interview=interview)
    messages.success(request, _("The interview has been deleted."))
    return redirect(_interviews_url(process))
