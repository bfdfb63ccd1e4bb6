"""Documentation of a workshop: photos, the report (PDF/ODT) and carrying ideas into the plan (thin views).

Every member may look at the photos and download the report; uploading, deleting and carrying ideas into the plan
need ``edit_content`` (coordination and contributors). Photos are delivered only here, never by the web server.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.core.uploads import accept_attribute, allowed_help_text
from daks.exports.base import download_response, exporter_for
from daks.profile.models import FieldOfAction
from daks.strategy.models import Step
from daks.strategy.steps import STEPS, step_process
from daks.workshops.selectors import workshop_of_process

from . import photos as photo_services
from . import to_plan
from .models import Phase, Photo
from .report import EXPORTERS, report_data

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"
PREVIEW_PHOTOS = 6


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Photo"), error_messages={"required": gettext_lazy("Please choose a photo to upload.")}
    )
    caption = forms.CharField(
        label=gettext_lazy("What does the photo show?"),
        max_length=photo_services.CAPTION_MAX_LENGTH,
        help_text=gettext_lazy(
            "Required. Shown under the photo and read out to blind users, e.g. “Pin board of the fantasy phase”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Please describe what the photo shows (the description is read out to blind users)."
            )
        },
    )
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase (optional)"), required=False, choices=[("", "–"), *Phase.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = photo_services.PHOTO_KINDS
        self.fields["image"].widget.attrs["accept"] = accept_attribute(kinds)
        self.fields["image"].help_text = allowed_help_text(allowed=kinds, max_bytes=photo_services.max_bytes())


def _workshop(request, pk, step_slug, workshop_pk):
    process = step_process(request, pk, step_slug, Step.WORKSHOP)
    return process, workshop_of_process(request, process, workshop_pk)


def _kwargs(workshop, **extra) -> dict:
    return {
        "municipality_slug": workshop.municipality.slug,
        "pk": workshop.process_id,
        "step_slug": STEPS[Step.WORKSHOP].slug,
        "workshop_pk": workshop.pk,
        **extra,
    }


def _url(name: str, workshop, **extra) -> str:
    return reverse(f"workshops:{name}", kwargs=_kwargs(workshop, **extra))


def _base_context(request, process, workshop) -> dict:
    definition = STEPS[Step.WORKSHOP]
    return {
        "municipality": request.municipality,
        "process": process,
        "workshop": workshop,
        "meeting": workshop.meeting,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }


# --- Documentation page -------------------------------------------------------------------------------------------


def _plan_context(process, workshop, *, error: str = "", chosen=(), chosen_fields=None) -> dict:
    ideas = to_plan.realisation_ideas(workshop)
    chosen = {int(pk) for pk in chosen}
    chosen_fields = chosen_fields or {}
    plan_kwargs = {
        "municipality_slug": workshop.municipality.slug,
        "pk": process.pk,
        "step_slug": STEPS[Step.PLAN].slug,
    }
    for idea in ideas:
        idea.chosen = idea.pk in chosen
        idea.chosen_field = chosen_fields.get(idea.pk)
        idea.measure_url = (
            reverse("plans:measure_detail", kwargs={**plan_kwargs, "measure_pk": idea.measure_id})
            if idea.measure_id
            else ""
        )
    return {
        "ideas": ideas,
        "open_ideas": [idea for idea in ideas if not idea.measure_id],
        "carried_ideas": [idea for idea in ideas if idea.measure_id],
        "fields_of_action": list(FieldOfAction.objects.filter(process=process).order_by("priority", "title")),
        "plan_error": error,
    }


def _render_documentation(request, process, workshop, **plan_kwargs):
    photos = photo_services.photos_of(workshop)
    context = _base_context(request, process, workshop)
    context.update(
        {
            "photos": photos[:PREVIEW_PHOTOS],
            "photo_count": len(photos),
            "exporters": [(exporter, _url("report", workshop, format=exporter.identifier)) for exporter in EXPORTERS],
            **_plan_context(process, workshop, **plan_kwargs),
        }
    )
    return render(request, "workshops/docs/documentation.html", context)


@municipality_view(VIEW)
@require_GET
def documentation(request, pk, step_slug, workshop_pk):
    process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    return _render_documentation(request, process, workshop)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def into_plan(request, pk, step_slug, workshop_pk):
    process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    if request.method == "GET":
        return redirect(_url("documentation", workshop) + "#in-den-plan")
    chosen = [value for value in request.POST.getlist("ideas") if value.isdigit()]
    fields = {field.pk: field for field in FieldOfAction.objects.filter(process=process)}
    chosen_fields = {}
    for value in chosen:
        field_pk = request.POST.get(f"field-{value}", "")
        if field_pk.isdigit() and int(field_pk) in fields:
            chosen_fields[int(value)] = fields[int(field_pk)]
    try:
        measures = to_plan.ideas_to_plan(
            actor=request.user,
            workshop=workshop,
            ideas=[int(value) for value in chosen],
            fields_of_action=chosen_fields,
        )
    except DomainError as error:
        return _render_documentation(
            request,
            process,
            workshop,
            error=error.message,
            chosen=chosen,
            chosen_fields={key: field.pk for key, field in chosen_fields.items()},
        )
    messages.success(
        request,
        ngettext(
            "%(count)d measure draft has been added to the workshop plan.",
            "%(count)d measure drafts have been added to the workshop plan.",
            len(measures),
        )
        % {"count": len(measures)},
    )
    return redirect(_url("documentation", workshop) + "#in-den-plan")


# --- Report ---------------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def report(request, pk, step_slug, workshop_pk, format):
    exporter = exporter_for(EXPORTERS, format)
    if exporter is None:
        raise Http404("No such format")
    _process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    return download_response(exporter.render(report_data(workshop)))


# --- Photos ---------------------------------------------------------------------------------------------------------


def _render_photos(request, process, workshop, form):
    context = _base_context(request, process, workshop)
    context.update({"photos": photo_services.photos_of(workshop), "form": form})
    return render(request, "workshops/docs/photos.html", context)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def photos(request, pk, step_slug, workshop_pk):
    process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    if request.method == "GET":
        return _render_photos(request, process, workshop, PhotoForm())
    if not request.user.has_perm(EDIT, request.municipality):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo_services.photo_add(
                actor=request.user,
                workshop=workshop,
                file=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                phase=form.cleaned_data["phase"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The photo has been uploaded."))
            return redirect(_url("photos", workshop))
    return _render_photos(request, process, workshop, form)


def _photo(workshop, photo_pk) -> Photo:
    return get_object_or_404(Photo, workshop=workshop, pk=photo_pk)


def _serve(field) -> FileResponse:
    if not field or not field.name:
        raise Http404("No file")
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError:
        raise Http404("File missing") from None
    response = FileResponse(handle, content_type=photo_services.mimetype_of(field.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def photo_image(request, pk, step_slug, workshop_pk, photo_pk):
    _process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    return _serve(_photo(workshop, photo_pk).image)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def photo_thumbnail(request, pk, step_slug, workshop_pk, photo_pk):
    _process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    photo = _photo(workshop, photo_pk)
    return _serve(photo.thumbnail or photo.image)


@municipality_view(EDIT)
@require_POST
def photo_delete(request, pk, step_slug, workshop_pk, photo_pk):
    _process, workshop = _workshop(request, pk, step_slug, workshop_pk)
    photo_services.photo_delete(actor=request.user, photo=_photo(workshop, photo_pk))
    messages.success(request, _("The photo has been deleted."))
    return redirect(_url("photos", workshop))
