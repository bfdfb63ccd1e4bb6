"""Views of the tasks (Aufgaben): thin — forms parse, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import task_selectors, task_services
from .group_forms import initial_for_group
from .models import Step, TaskStatus
from .task_forms import TaskFilterForm, TaskForm, TaskStatusForm

EDIT = "municipalities.edit_content"


def _list_url(municipality) -> str:
    return reverse("strategy:tasks", kwargs={"municipality_slug": municipality.slug})


def _next_or_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(_list_url(request.municipality))


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.municipality)


@municipality_view("municipalities.view_municipality")
@require_http_methods(["GET", "HEAD"])
def task_list(request):
    municipality = request.municipality
    filter_form = TaskFilterForm(request.GET or None, municipality=municipality)
    tasks = task_selectors.tasks_for_municipality(
        municipality, today=timezone.localdate(), **filter_form.selector_kwargs()
    )
    return render(
        request,
        "strategy/tasks/task_list.html",
        {
            "municipality": municipality,
            "filter_form": filter_form,
            "filtered": bool(request.GET),
            "tasks": tasks,
            "can_edit": _can_edit(request),
            "statuses": TaskStatus.choices,
        },
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def task_create(request):
    municipality = request.municipality
    initial = {}
    process_pk = request.GET.get("prozess", "")
    if process_pk.isdigit():
        initial["process"] = municipality.processes.filter(pk=process_pk).first()
    if request.GET.get("schritt") in Step.values:
        initial["step"] = request.GET["schritt"]
    initial.update(initial_for_group(municipality, request.GET.get("working_group")))
    form = TaskForm(request.POST or None, municipality=municipality, initial=initial, with_status=False)
    if request.method == "POST" and form.is_valid():
        try:
            task = task_services.task_create(actor=request.user, municipality=municipality, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The task “%(title)s” has been created.") % {"title": task.title})
            return redirect(_list_url(municipality))
    return render(request, "strategy/tasks/task_form.html", {"municipality": municipality, "form": form})


@municipality_view("municipalities.view_municipality")
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    """Editors edit the task here; other members (Lesen) see it read-only and get 403 when they post."""
    municipality = request.municipality
    task = get_object_or_404(
        municipality.tasks.select_related("process", "assignee", "created_by", "working_group"), pk=pk
    )
    if not _can_edit(request):
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "strategy/tasks/task_detail.html",
            {
                "municipality": municipality,
                "task": task,
                "may_set_status": task.assignee_id == request.user.pk,
                "statuses": TaskStatus.choices,
            },
        )
    form = TaskForm(request.POST or None, municipality=municipality, initial=TaskForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        try:
            task = task_services.task_update(
                actor=request.user,
                task=task,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except task_services.TaskEditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect(_list_url(municipality))
    return render(request, "strategy/tasks/task_form.html", {"municipality": municipality, "form": form, "task": task})


@municipality_view("municipalities.view_municipality")
@require_POST
def task_status(request, pk):
    """Editors and the task's assignee (whatever their role) may set the status."""
    task = get_object_or_404(request.municipality.tasks, pk=pk)
    if not (_can_edit(request) or task.assignee_id == request.user.pk):
        raise PermissionDenied
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid status."))
        return _next_or_list(request)
    task = task_services.task_set_status(actor=request.user, task=task, status=form.cleaned_data["status"])
    messages.success(
        request,
        _("The status of “%(title)s” is now: %(status)s.") % {"title": task.title, "status": task.get_status_display()},
    )
    return _next_or_list(request)


@municipality_view(EDIT)
@require_POST
def task_delete(request, pk):
    task = get_object_or_404(request.municipality.tasks, pk=pk)
    title = task.title
    task_services.task_delete(actor=request.user, task=task)
    messages.success(request, _("The task “%(title)s” has been deleted.") % {"title": title})
    return redirect(_list_url(request.municipality))
