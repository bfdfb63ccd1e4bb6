"""Views of the Zukunftswerkstatt board (thin: parse, call one service, render).

Every write on the board works with htmx (the changed phase column is returned as a partial, the keyboard focus
is kept by ``workshops/board.js``) and without JavaScript (normal POST, then a redirect back to the board).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from daks.comments.selectors import comment_counts
from daks.core.errors import DomainError, EditConflict
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import selectors, services
from .forms import (
    ClusterChoiceForm,
    ClusterForm,
    CurrentPhaseForm,
    IdeaForm,
    ModerationForm,
    MoveForm,
    PhaseForm,
    WorkshopForm,
)
from .models import Cluster, Idea, IdeaStatus, Phase, Workshop

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


# --- Lookups (always through the Kommune of the request) ----------------------------------------------


def _process(request, pk, step_slug) -> StrategyProcess:
    process = step_process(request, pk, step_slug, Step.WORKSHOP)
    return process


_workshop = selectors.workshop_of_process


def _idea(workshop, idea_pk) -> Idea:
    idea = get_object_or_404(
        Idea.objects.filter(workshop=workshop, municipality=workshop.municipality).select_related("field_of_action"),
        pk=idea_pk,
    )
    idea.workshop = workshop
    return idea


def _cluster(workshop, cluster_pk) -> Cluster:
    cluster = get_object_or_404(Cluster.objects.filter(workshop=workshop), pk=cluster_pk)
    cluster.workshop = workshop
    return cluster


def _kwargs(process) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.WORKSHOP].slug}


def board_url(workshop, phase: str | None = None) -> str:
    url = reverse("workshops:board", kwargs={**_kwargs(workshop.process), "workshop_pk": workshop.pk})
    return f"{url}#phase-{phase}" if phase else url


def _base_context(request, process) -> dict:
    definition = STEPS[Step.WORKSHOP]
    return {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }


# --- Workshops ----------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def workshop_list(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    context["workshops"] = selectors.workshops_of(process)
    return render(request, "workshops/workshop_list.html", context)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def workshop_create(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    if request.method == "GET":
        form = WorkshopForm(initial={"title": _("Future workshop"), **WorkshopForm.initial_create()})
    else:
        form = WorkshopForm(request.POST)
        if form.is_valid():
            try:
                workshop = services.workshop_create(
                    actor=request.user,
                    municipality=request.municipality,
                    process=process,
                    **form.meeting_kwargs(),
                    **form.settings_kwargs(),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                workshop.process = process
                messages.success(request, _("The workshop has been created. Collect the first ideas on the board."))
                return redirect(board_url(workshop))
    context = _base_context(request, process)
    context.update(form=form, workshop=None)
    return render(request, "workshops/workshop_form.html", context, status=400 if form.errors else 200)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    if request.method == "GET":
        form = WorkshopForm(initial=WorkshopForm.initial_for(workshop), editing=True)
    else:
        form = WorkshopForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.workshop_update(
                    actor=request.user,
                    workshop=workshop,
                    expected_version=form.cleaned_data["version"],
                    meeting_version=form.cleaned_data["meeting_version"],
                    **form.meeting_kwargs(),
                    **form.settings_kwargs(),
                )
            except EditConflict as conflict:
                workshop = Workshop.objects.select_related("meeting").get(pk=workshop.pk)
                form.show_conflict(workshop)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The workshop has been saved."))
                return redirect(board_url(workshop))
    context = _base_context(request, process)
    context.update(form=form, workshop=workshop)
    return render(request, "workshops/workshop_form.html", context, status=400 if form.errors else 200)


@municipality_view(EDIT)
@require_POST
def workshop_delete(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    services.workshop_delete(actor=request.user, workshop=workshop)
    messages.success(request, _("The workshop has been deleted."))
    return redirect("workshops:list", **_kwargs(process))


@municipality_view(EDIT)
@require_POST
def phase_set(request, pk, step_slug, workshop_pk):
    """Switch the current phase (what the projector and the participation page show)."""
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    form = CurrentPhaseForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    phase = form.cleaned_data["current_phase"]
    services.workshop_update(actor=request.user, workshop=workshop, current_phase=phase)
    messages.success(request, _("Current phase: %(phase)s.") % {"phase": Phase(phase).label})
    return redirect(board_url(workshop))


# --- Board --------------------------------------------------------------------------------------------


def _row_focus(focus: str, pk: int, *, first: bool, last: bool) -> str:
    """Which control of a card gets the focus after a swap: "up", "down", "link", "support", "cluster"."""
    wanted = {
        f"idea-{pk}": "link",
        f"move-up-{pk}": "up",
        f"move-down-{pk}": "down",
        f"support-{pk}": "support",
        f"cluster-{pk}": "cluster",
    }.get(focus, "")
    if wanted == "up" and first:
        wanted = "down" if not last else "link"
    if wanted == "down" and last:
        wanted = "up" if not first else "link"
    return wanted


def _column(
    request,
    workshop,
    phase_board,
    *,
    comments,
    fields,
    add_form=None,
    editing=None,
    edit_form=None,
    cluster_forms=None,
    editing_cluster=None,
    cluster_form=None,
    focus="",
    status="",
):
    """Context of one phase column: groups of cards, the add form, at most one card or cluster being edited."""
    can_edit = request.user.has_perm(EDIT, request.municipality)
    groups = []
    for group in phase_board.groups:
        rows = []
        for idea in group.ideas:
            row = {
                "idea": idea,
                "first": idea.first,
                "last": idea.last,
                "form": edit_form if editing is not None and idea.pk == editing.pk else None,
                "focus": _row_focus(focus, idea.pk, first=idea.first, last=idea.last),
                "comments": comments.get(idea.pk, 0),
            }
            if can_edit:
                row["clusters"] = phase_board.clusters
            rows.append(row)
        groups.append({"key": group.key, "title": group.title, "rows": rows})
    return {
        "key": phase_board.phase,
        "label": phase_board.label,
        "minutes": phase_board.minutes,
        "count": len(phase_board.ideas),
        "groups": groups,
        "clusters": [
            {
                "cluster": cluster,
                "form": cluster_form if editing_cluster is not None and cluster.pk == editing_cluster.pk else None,
                "count": sum(1 for idea in phase_board.ideas if idea.cluster_id == cluster.pk),
            }
            for cluster in phase_board.clusters
        ],
        "is_current": phase_board.phase == workshop.current_phase,
        "add_form": add_form or IdeaForm(prefix=f"add-{phase_board.phase}", workshop=workshop, fields=fields),
        "new_cluster_form": (cluster_forms or {}).get("new") or ClusterForm(prefix=f"cluster-{phase_board.phase}"),
        "focus": focus,
        "status": status,
    }


def _render_board(request, workshop, *, phase=None, **column_kwargs):
    """The board, or (htmx) only the column of ``phase``."""
    process = workshop.process
    context = _base_context(request, process)
    context["workshop"] = workshop
    no_field = _("Without field of action")
    fields = selectors.fields_of_action(workshop)
    if getattr(request, "htmx", False) and phase:
        (phase_board,) = selectors.board(
            workshop, user=request.user, phases=[phase], fields=fields, no_field_title=no_field
        )
        comments = comment_counts(Idea, [idea.pk for idea in phase_board.ideas])
        context["col"] = _column(request, workshop, phase_board, comments=comments, fields=fields, **column_kwargs)
        return render(request, "workshops/board.html#column", context)
    phases = selectors.board(workshop, user=request.user, fields=fields, no_field_title=no_field)
    comments = comment_counts(Idea, [idea.pk for board in phases for idea in board.ideas])
    context["columns"] = [
        _column(
            request,
            workshop,
            phase_board,
            comments=comments,
            fields=fields,
            **(column_kwargs if phase_board.phase == phase else {}),
        )
        for phase_board in phases
    ]
    context["pending_count"] = selectors.pending_count(workshop)
    context["phase_form"] = CurrentPhaseForm(initial={"current_phase": workshop.current_phase})
    return render(request, "workshops/board.html", context)


@municipality_view(VIEW)
@require_GET
def board(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    phase = request.GET.get("phase")
    return _render_board(request, workshop, phase=phase if phase in Phase.values else None)


def _after_write(request, workshop, phase, *, focus, status, message):
    if request.htmx:
        return _render_board(request, workshop, phase=phase, focus=focus, status=status)
    if message:
        messages.success(request, message)
    return redirect(board_url(workshop, phase))


@municipality_view(EDIT)
@require_POST
def idea_add(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    phase_form = PhaseForm(request.POST)
    if not phase_form.is_valid():
        return HttpResponseBadRequest()
    phase = phase_form.cleaned_data["phase"]
    form = IdeaForm(request.POST, prefix=f"add-{phase}", workshop=workshop)
    if form.is_valid():
        try:
            services.idea_create(
                workshop=workshop,
                phase=phase,
                text=form.cleaned_data["text"],
                field_of_action=form.cleaned_data["field_of_action"],
                author=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _after_write(
                request, workshop, phase, focus="add", status=_("Idea added."), message=_("The idea has been added.")
            )
    return _render_board(request, workshop, phase=phase, add_form=form, focus="add")


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def idea_edit(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    if idea.status != IdeaStatus.VISIBLE:
        raise Http404("Only ideas on the board are edited here")
    prefix = f"edit-{idea.pk}"
    if request.method == "GET":
        form = IdeaForm(prefix=prefix, initial=IdeaForm.initial_for(idea), workshop=workshop, with_phase=True)
        return _render_board(request, workshop, phase=idea.phase, editing=idea, edit_form=form, focus="edit")
    form = IdeaForm(request.POST, prefix=prefix, workshop=workshop, with_phase=True)
    if form.is_valid():
        try:
            updated = services.idea_update(
                actor=request.user,
                idea=idea,
                text=form.cleaned_data["text"],
                phase=form.cleaned_data["phase"],
                field_of_action=form.cleaned_data["field_of_action"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if request.htmx and updated.phase != idea.phase:
                # The card changed its column: show the whole board, focus on the card in its new place.
                messages.success(
                    request, _("The idea has been moved to the %(phase)s.") % {"phase": updated.get_phase_display()}
                )
                return HttpResponseClientRedirect(board_url(workshop, updated.phase))
            return _after_write(
                request,
                workshop,
                idea.phase,
                focus=f"idea-{idea.pk}",
                status=_("Idea saved."),
                message=_("The idea has been saved."),
            )
    return _render_board(request, workshop, phase=idea.phase, editing=idea, edit_form=form, focus="edit")


@municipality_view(EDIT)
@require_POST
def idea_delete(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    services.idea_delete(actor=request.user, idea=idea)
    return _after_write(
        request,
        workshop,
        idea.phase,
        focus="heading",
        status=_("Idea deleted."),
        message=_("The idea has been deleted."),
    )


@municipality_view(EDIT)
@require_POST
def idea_move(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    direction = form.cleaned_data["direction"]
    services.idea_move(actor=request.user, idea=idea, direction=direction)
    return _after_write(
        request, workshop, idea.phase, focus=f"move-{direction}-{idea.pk}", status=_("Idea moved."), message=""
    )


@municipality_view(EDIT)
@require_POST
def idea_set_cluster(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    form = ClusterChoiceForm(request.POST, idea=idea)
    if not form.is_valid():
        # A cluster of another phase, workshop or Kommune is not among the choices.
        return HttpResponseBadRequest()
    try:
        services.idea_set_cluster(actor=request.user, idea=idea, cluster=form.cleaned_data["cluster"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(board_url(workshop, idea.phase))
    return _after_write(
        request,
        workshop,
        idea.phase,
        focus=f"cluster-{idea.pk}",
        status=_("Cluster assigned."),
        message=_("The cluster has been assigned."),
    )


@municipality_view(EDIT)
@require_POST
def idea_support(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    try:
        given = services.support_toggle(idea=idea, user=request.user)
    except DomainError as error:
        if request.htmx:
            return _render_board(request, workshop, phase=idea.phase, focus=f"support-{idea.pk}", status=error.message)
        messages.error(request, error.message)
        return redirect(board_url(workshop, idea.phase))
    status = _("You support this idea.") if given else _("Your support has been withdrawn.")
    return _after_write(request, workshop, idea.phase, focus=f"support-{idea.pk}", status=status, message=status)


# --- Clusters -------------------------------------------------------------------------------------------


@municipality_view(EDIT)
@require_POST
def cluster_add(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    phase_form = PhaseForm(request.POST)
    if not phase_form.is_valid():
        return HttpResponseBadRequest()
    phase = phase_form.cleaned_data["phase"]
    form = ClusterForm(request.POST, prefix=f"cluster-{phase}")
    if form.is_valid():
        try:
            services.cluster_create(
                actor=request.user, workshop=workshop, phase=phase, title=form.cleaned_data["title"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _after_write(
                request,
                workshop,
                phase,
                focus="cluster-add",
                status=_("Cluster added."),
                message=_("The cluster has been added."),
            )
    return _render_board(request, workshop, phase=phase, cluster_forms={"new": form}, focus="cluster-add")


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk, step_slug, workshop_pk, cluster_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    cluster = _cluster(workshop, cluster_pk)
    prefix = f"cluster-edit-{cluster.pk}"
    if request.method == "GET":
        form = ClusterForm(prefix=prefix, initial={"title": cluster.title, "version": cluster.version})
    else:
        form = ClusterForm(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                services.cluster_update(
                    actor=request.user,
                    cluster=cluster,
                    title=form.cleaned_data["title"],
                    expected_version=form.cleaned_data["version"],
                )
            except EditConflict as conflict:
                data = form.data.copy()
                data[form.add_prefix("version")] = conflict.current.version
                form.data = data
                form.conflict = conflict.current
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return _after_write(
                    request,
                    workshop,
                    cluster.phase,
                    focus="cluster-heading",
                    status=_("Cluster saved."),
                    message=_("The cluster has been saved."),
                )
    return _render_board(
        request, workshop, phase=cluster.phase, editing_cluster=cluster, cluster_form=form, focus="cluster-edit"
    )


@municipality_view(EDIT)
@require_POST
def cluster_delete(request, pk, step_slug, workshop_pk, cluster_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    cluster = _cluster(workshop, cluster_pk)
    services.cluster_delete(actor=request.user, cluster=cluster)
    return _after_write(
        request,
        workshop,
        cluster.phase,
        focus="cluster-heading",
        status=_("Cluster deleted."),
        message=_("The cluster has been deleted; its ideas stay on the board."),
    )


# --- Moderation --------------------------------------------------------------------------------------------


def _render_moderation(request, workshop, *, forms=None, status=200):
    context = _base_context(request, workshop.process)
    queue = selectors.moderation_queue(workshop)
    forms = forms or {}
    context.update(
        workshop=workshop,
        pending=[
            {"idea": idea, "form": forms.get(idea.pk) or ModerationForm(prefix=f"m{idea.pk}")}
            for idea in queue["pending"]
        ],
        hidden=queue["hidden"],
    )
    return render(request, "workshops/moderation.html", context, status=status)


@municipality_view(VIEW)
@require_GET
def moderation(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    return _render_moderation(request, workshop)


@municipality_view(EDIT)
@require_POST
def idea_moderate(request, pk, step_slug, workshop_pk, idea_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    idea = _idea(workshop, idea_pk)
    form = ModerationForm(request.POST, prefix=f"m{idea.pk}")
    if form.is_valid():
        try:
            services.idea_moderate(
                idea=idea, actor=request.user, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if form.cleaned_data["status"] == IdeaStatus.VISIBLE:
                messages.success(request, _("The idea is shown on the board now."))
            else:
                messages.success(request, _("The idea has been hidden."))
            return redirect("workshops:moderation", **_kwargs(process), workshop_pk=workshop.pk)
    return _render_moderation(request, workshop, forms={idea.pk: form}, status=400)


# --- Presentation (projector) ----------------------------------------------------------------------------


def _presentation_context(request, workshop) -> dict:
    grouping = "cluster" if request.GET.get("gruppierung") == "cluster" else "field"
    return {
        "municipality": request.municipality,
        "process": workshop.process,
        "step": STEPS[Step.WORKSHOP],
        "workshop": workshop,
        "show": selectors.presentation(
            workshop,
            grouping=grouping,
            no_field_title=_("Without field of action"),
            no_cluster_title=_("Not clustered"),
        ),
        "grouping": grouping,
    }


@municipality_view(VIEW)
@require_GET
def presentation(request, pk, step_slug, workshop_pk):
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    return render(request, "workshops/presentation.html", _presentation_context(request, workshop))


@municipality_view(VIEW)
@require_GET
def presentation_live(request, pk, step_slug, workshop_pk):
    """The part of the presentation that htmx polls every few seconds."""
    process = _process(request, pk, step_slug)
    workshop = _workshop(request, process, workshop_pk)
    return render(request, "workshops/presentation.html#live", _presentation_context(request, workshop))
