"""Views of the working groups (Arbeitsgruppen): thin — forms parse, services write, selectors read."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import group_selectors, group_services
from .group_forms import GroupFilterForm, WorkingGroupForm
from .models import TaskStatus

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _list_url(municipality, process=None) -> str:
    url = reverse("strategy:groups", kwargs={"municipality_slug": municipality.slug})
    return f"{url}?process={process.pk}" if process is not None else url


def _detail_url(group) -> str:
    return reverse("strategy:group_detail", kwargs={"municipality_slug": group.municipality.slug, "pk": group.pk})


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.municipality)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def group_list(request):
    municipality = request.municipality
    filter_form = GroupFilterForm(request.GET or None, municipality=municipality)
    process = filter_form.selected_process()
    groups = list(group_selectors.groups_for_municipality(municipality, process=process))
    return render(
        request,
        "strategy/groups/group_list.html",
        {
            "municipality": municipality,
            "process": process,
            "filter_form": filter_form,
            "by_process": group_selectors.groups_by_process(groups),
            "can_edit": _can_edit(request),
        },
    )


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def group_detail(request, pk):
    municipality = request.municipality
    group = get_object_or_404(group_selectors.group_queryset(municipality), pk=pk)
    return render(
        request,
        "strategy/groups/group_detail.html",
        {
            "municipality": municipality,
            "process": group.process,
            "group": group,
            "members": group.members.order_by("name", "email"),
            "actors": group.actors.order_by("name", "pk"),
            "meetings": group_selectors.group_meetings(group),
            "tasks": group_selectors.group_tasks(group, today=timezone.localdate()),
            "statuses": TaskStatus.choices,
            "can_edit": _can_edit(request),
        },
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def group_create(request):
    municipality = request.municipality
    initial = {}
    process_pk = request.GET.get("process", "")
    if process_pk.isdigit():
        initial["process"] = municipality.processes.filter(pk=process_pk).first()
    form = WorkingGroupForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.group_create(actor=request.user, municipality=municipality, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The working group “%(title)s” has been created.") % {"title": group.title})
            return redirect(_detail_url(group))
    return render(
        request,
        "strategy/groups/group_form.html",
        {"municipality": municipality, "process": initial.get("process"), "form": form},
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    municipality = request.municipality
    group = get_object_or_404(group_selectors.group_queryset(municipality), pk=pk)
    form = WorkingGroupForm(
        request.POST or None, municipality=municipality, initial=WorkingGroupForm.initial_for(group)
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.group_update(
                actor=request.user,
                group=group,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except group_services.WorkingGroupEditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The working group has been saved."))
            return redirect(_detail_url(group))
    return render(
        request,
        "strategy/groups/group_form.html",
        {"municipality": municipality, "process": group.process, "form": form, "group": group},
    )


@municipality_view(EDIT)
@require_POST
def group_delete(request, pk):
    group = get_object_or_404(request.municipality.working_groups.select_related("process"), pk=pk)
    title, process = group.title, group.process
    group_services.group_delete(actor=request.user, group=group)
    messages.success(request, _("The working group “%(title)s” has been deleted.") % {"title": title})
    return redirect(_list_url(request.municipality, process))
