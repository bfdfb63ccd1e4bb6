"""Public pages of the network (directory + map, portraits, contact form, groups) and the pages of its editorial
office (groups, network office view)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daks.core.caching import public_page
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.demography.models import OFFICIAL_LICENCE_URL
from daks.demography.views import ATTRIBUTION
from daks.municipalities.models import MunicipalityKind
from daks.municipalities.regions import GERMAN_STATES
from daks.municipalities.rules import membership_of
from daks.news.selectors import news_of_municipality
from daks.toolbox.models import SizeClass, Tool, ToolStatus, TopicField

from . import exports, mapdata, selectors, services
from .forms import ContactForm, GroupForm
from .models import MunicipalityGroup, Portrait

EDIT_NETWORK = "network.edit_network"


# --- Directory and map --------------------------------------------------------------------------------------------


def _filter_options() -> dict:
    return {
        "states": [(code, name) for code, (_number, name) in GERMAN_STATES.items()],
        "kinds": MunicipalityKind.choices,
        "sizes": SizeClass.choices,
        "topics": list(TopicField.objects.order_by("position", "name").values_list("slug", "name")),
        "types": selectors.demographic_types(),
        "sorts": list(selectors.SORTS.items()),
    }


@public_page(max_age=300)
@require_GET
def directory(request):
    params = selectors.directory_params(request.GET)
    entries = selectors.directory(params)
    germany = mapdata.germany_map()
    context = {
        "params": params,
        "entries": entries,
        "options": _filter_options(),
        "germany": germany,
        "map_entries": [entry for entry in entries if entry.x is not None],
        "approximate_count": sum(entry.approximate for entry in entries),
        "map_attribution": mapdata.ATTRIBUTION,
        "map_attribution_url": mapdata.ATTRIBUTION_URL,
    }
    return render(request, "network/directory.html", context)


# --- Portrait -----------------------------------------------------------------------------------------------------


def _portrait_or_404(request, municipality_slug: str) -> tuple[Portrait, bool]:
    """The visible portrait, or — for members of the Kommune — its preview; 404 for everybody else."""
    portrait = selectors.visible_portrait(municipality_slug)
    if portrait is not None:
        return portrait, False
    portrait = (
        Portrait.objects.select_related("municipality")
        .prefetch_related("topics")
        .filter(municipality__slug=municipality_slug)
        .first()
    )
    if portrait is None or membership_of(request.user, portrait.municipality) is None:
        raise Http404("No public portrait")
    return portrait, True


@public_page(max_age=600)
@require_GET
def portrait(request, municipality_slug):
    portrait, preview = _portrait_or_404(request, municipality_slug)
    municipality = portrait.municipality
    process = selectors.newest_processes([municipality.pk]).get(municipality.pk)
    key = selectors.statistics_key(municipality, process)
    figures = selectors.portrait_figures(key)
    plan = getattr(process, "plan", None) if process is not None else None
    from daks.plans.models import Plan

    published_plans = list(
        Plan.objects.filter(municipality=municipality, published_version__isnull=False)
        .select_related("process", "published_version")
        .order_by("-published_at")
    )
    fields_of_action = []
    if process is not None:
        fields_of_action = list(process.fields_of_action.order_by("priority", "title").values_list("title", flat=True))
    context = {
        "portrait": portrait,
        "municipality": municipality,
        "preview": preview,
        "description": render_markdown(portrait.description),
        "figures": figures,
        "licence_url": OFFICIAL_LICENCE_URL,
        "statistics_key": key,
        "no_figures_reason": selectors.no_figures_reason(municipality, key) if figures is None else "",
        "figures_of_other_region": figures is not None and _other_region(municipality, figures.region.key),
        "fields_of_action": fields_of_action,
        "published_plans": published_plans,
        "plan": plan,
        "tools": list(
            Tool.objects.filter(origin_municipality=municipality, status=ToolStatus.PUBLISHED).order_by("title")
        ),
        "contacts": selectors.contact_persons(portrait),
        "similar": selectors.similar_portraits(portrait, key=figures.region.key if figures else ""),
        "groups": list(municipality.network_groups.order_by("name")),
        "news": news_of_municipality(municipality, limit=5),
    }
    return render(request, "network/portrait.html", context)


def _other_region(municipality, region_key: str) -> bool:
    """The figures are those of another region than the Kommune's own key (the region of its strategy process,
    e.g. the real town whose statistics an invented demo Kommune shows)."""
    return selectors.statistics_key(municipality) != region_key


@public_page(max_age=3600)
@require_GET
def portrait_image(request, municipality_slug):
    portrait, _preview = _portrait_or_404(request, municipality_slug)
    if not portrait.image:
        raise Http404("No image")
    extension = portrait.image.name.rsplit(".", 1)[-1].lower()
    content_type = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}.get(
        extension, "application/octet-stream"
    )
    response = FileResponse(portrait.image.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def contact(request, municipality_slug):
    """The contact form (not cookie-free: it needs CSRF). The contact persons' addresses never appear."""
    portrait = selectors.visible_portrait(municipality_slug)
    if portrait is None:
        raise Http404("No public portrait")
    contacts = selectors.contact_persons(portrait)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            from daks.workshops.participation import RateLimited, address_key

            try:
                services.contact_send(
                    portrait=portrait,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                    honeypot=form.cleaned_data["homepage"],
                    address=address_key(request),
                )
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you! Your message has been sent to the contact persons of %(name)s.")
                    % {"name": portrait.municipality.name},
                )
                return redirect("network:portrait", municipality_slug=municipality_slug)
    response = render(
        request,
        "network/contact.html",
        {"portrait": portrait, "municipality": portrait.municipality, "contacts": contacts, "form": form},
        status=status,
    )
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


# --- Groups (public) ----------------------------------------------------------------------------------------------


@public_page(max_age=600)
@require_GET
def group_list(request):
    return render(
        request,
        "network/group_list.html",
        {"groups": list(selectors.groups()), "can_edit": request.user.has_perm(EDIT_NETWORK)},
    )


@public_page(max_age=600)
@require_GET
def group_detail(request, slug):
    group = get_object_or_404(MunicipalityGroup, slug=slug)
    synopsis = selectors.synopsis(group)
    from daks.events.selectors import group_meetings

    context = {
        "group": group,
        "description": render_markdown(group.description),
        "synopsis": synopsis,
        "rows": list(synopsis.rows()),
        "attribution": ATTRIBUTION,
        "licence_url": OFFICIAL_LICENCE_URL,
        "meetings": group_meetings(group),
        "can_edit": request.user.has_perm(EDIT_NETWORK),
    }
    return render(request, "network/group_detail.html", context)


@public_page(max_age=600)
@require_GET
def group_export(request, slug, format):
    group = get_object_or_404(MunicipalityGroup, slug=slug)
    synopsis = selectors.synopsis(group)
    render_export = {"csv": exports.synopsis_csv, "xlsx": exports.synopsis_xlsx}.get(format)
    if render_export is None:
        raise Http404("Unknown format")
    filename, mimetype, content = render_export(synopsis)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Editorial office ---------------------------------------------------------------------------------------------


def network_editor_view(view):
    """Anonymous → login; signed in without ``network.edit_network`` → 403; never cached."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(EDIT_NETWORK):
            response = render(request, "network/forbidden.html", status=403)
        else:
            response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response

    return wrapper


@network_editor_view
@require_GET
def office(request):
    rows, total = selectors.stage_overview()
    return render(request, "network/office.html", {"rows": rows, "total": total})


def _group_initial(group: MunicipalityGroup) -> dict:
    return {
        "version": group.version,
        "name": group.name,
        "kind": group.kind,
        "description": group.description,
        "members": list(group.members.all()),
    }


def _group_form(request, group: MunicipalityGroup | None):
    form = GroupForm(request.POST or None, initial=_group_initial(group) if group else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.group_save(
                user=request.user,
                group=group,
                version=data["version"],
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                members=data["members"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The group “%(name)s” has been saved.") % {"name": saved.name})
            return redirect(saved.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(request, "network/group_form.html", {"form": form, "group": group}, status=status)


@network_editor_view
@require_http_methods(["GET", "POST"])
def group_create(request):
    return _group_form(request, None)


@network_editor_view
@require_http_methods(["GET", "POST"])
def group_edit(request, slug):
    return _group_form(request, get_object_or_404(MunicipalityGroup, slug=slug))


@network_editor_view
@require_http_methods(["GET", "POST"])
def group_delete(request, slug):
    group = get_object_or_404(MunicipalityGroup, slug=slug)
    if request.method == "POST":
        services.group_delete(user=request.user, group=group)
        messages.success(request, _("The group “%(name)s” has been deleted.") % {"name": group.name})
        return redirect("network:groups")
    return render(request, "network/group_delete.html", {"group": group})
