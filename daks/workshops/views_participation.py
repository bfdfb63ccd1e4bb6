"""Workspace pages of the participation link and the dot voting of a workshop (thin: parse, call, render).

Under /kommunen/<municipality_slug>/prozesse/<pk>/zukunftswerkstatt/werkstaetten/<workshop_pk>/…: the links
(create, show with QR code and PIN, projector view, close), the vote (open/close, members' own points) and the
live results with CSV/XLSX export. Non-members get 404, members without editing rights 403 on writes.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.exports.base import download_response
from daks.strategy.models import Step
from daks.strategy.steps import STEPS, step_process
from daks.workshops.selectors import workshop_of_process

from . import participation
from .forms_participation import LinkForm
from .models import Phase, Workshop

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _workshop(request, pk, step_slug, workshop_pk) -> Workshop:
    return workshop_of_process(request, step_process(request, pk, step_slug, Step.WORKSHOP), workshop_pk)


def _require_edit(request) -> None:
    if not request.user.has_perm(EDIT, request.municipality):
        raise PermissionDenied


def _kwargs(workshop) -> dict:
    return {
        "municipality_slug": workshop.municipality.slug,
        "pk": workshop.process_id,
        "step_slug": STEPS[Step.WORKSHOP].slug,
        "workshop_pk": workshop.pk,
    }


def _url(name: str, workshop, **extra) -> str:
    return reverse(f"workshops:{name}", kwargs={**_kwargs(workshop), **extra})


def _context(request, workshop, **extra) -> dict:
    definition = STEPS[Step.WORKSHOP]
    return {
        "municipality": request.municipality,
        "process": workshop.process,
        "workshop": workshop,
        "step": definition,
        "step_pages": definition.page_links(workshop.process)[1:],
        "step_url": definition.url(workshop.process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
        **extra,
    }


def _link(workshop, link_pk):
    link = get_object_or_404(workshop.participation_links.all(), pk=link_pk)
    link.workshop = workshop
    return link


# --- Participation links ------------------------------------------------------------------------------


def _initial_window(workshop) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    ends = timezone.localtime(workshop.meeting.ends_at)
    return {"opens_at": now, "closes_at": ends if ends > now + timedelta(minutes=30) else now + timedelta(hours=4)}


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def links(request, pk, step_slug, workshop_pk):
    """The participation links of a workshop (state, participants, ideas) and — for editors — a new one."""
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    form = LinkForm(initial=_initial_window(workshop))
    if request.method == "POST":
        _require_edit(request)
        form = LinkForm(request.POST)
        if form.is_valid():
            try:
                link, _token = participation.link_create(
                    actor=request.user,
                    workshop=workshop,
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    use_pin=form.cleaned_data["use_pin"],
                    moderate_ideas=form.cleaned_data["moderate_ideas"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The participation link has been created."))
                return redirect(_url("participation_link", workshop, link_pk=link.pk))
    now = timezone.now()
    rows = [
        {"link": link, "state": participation.link_state(link, now=now)} for link in participation.links_of(workshop)
    ]
    for row in rows:
        row["state_label"] = participation.LinkState.LABELS[row["state"]]
    context = _context(request, workshop, rows=rows, form=form)
    return render(request, "workshops/participation/links.html", context, status=400 if form.errors else 200)


def _link_context(request, workshop, link) -> dict:
    url = participation.link_url(link)
    title = _("QR code of the participation link")
    state = participation.link_state(link)
    return _context(
        request,
        workshop,
        link=link,
        link_url=url,
        qr=participation.qr_svg(url, title=title) if url else "",
        state=state,
        state_label=participation.LinkState.LABELS[state],
        participant_count=link.participants.count(),
    )


@municipality_view(EDIT)
@require_GET
def link_detail(request, pk, step_slug, workshop_pk, link_pk):
    """The link for the room: address, QR code, PIN; close it from here."""
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    link = _link(workshop, link_pk)
    return render(request, "workshops/participation/link_detail.html", _link_context(request, workshop, link))


@municipality_view(EDIT)
@require_GET
def link_present(request, pk, step_slug, workshop_pk, link_pk):
    """For the projector: a large QR code, the PIN and the address, nothing else."""
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    link = _link(workshop, link_pk)
    return render(request, "workshops/participation/link_present.html", _link_context(request, workshop, link))


@municipality_view(EDIT)
@require_POST
def link_close(request, pk, step_slug, workshop_pk, link_pk):
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    link = _link(workshop, link_pk)
    participation.link_close(actor=request.user, link=link)
    messages.success(request, _("The participation link has been closed. It accepts nothing any more."))
    return redirect(_url("participation_link", workshop, link_pk=link.pk))


# --- Dot voting ---------------------------------------------------------------------------------------


def _phase(request) -> str | None:
    phase = request.GET.get("phase", "")
    return phase if phase in Phase.values else None


@municipality_view(VIEW)
@require_GET
def voting(request, pk, step_slug, workshop_pk):
    """Open/close the vote, the member's own points, the live results and their export."""
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    context = _context(request, workshop)
    phase = _phase(request)
    context["results"] = participation.vote_results(workshop, phase)
    context["phase_choices"] = Phase.choices
    context["selected_phase"] = phase or ""
    if context["can_edit"]:
        budget = participation.voter_budget(workshop, user=request.user)
        ideas = list(participation.votable_ideas(workshop))
        for idea in ideas:
            idea.my_points = budget.mine.get(idea.pk, 0)
        voting_phase = participation.voting_phase(workshop)
        context.update(
            budget=budget,
            ideas=ideas,
            voting_phase_label=Phase(voting_phase).label if voting_phase else _("all phases"),
        )
    return render(request, "workshops/participation/voting.html", context)


@municipality_view(EDIT)
@require_POST
def voting_toggle(request, pk, step_slug, workshop_pk):
    from .services import workshop_update

    workshop = _workshop(request, pk, step_slug, workshop_pk)
    want_open = request.POST.get("voting_open") == "1"
    try:
        workshop_update(
            actor=request.user,
            workshop=workshop,
            expected_version=request.POST.get("version") or None,
            voting_open=want_open,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Voting is open.") if want_open else _("Voting is closed."))
    return redirect(_url("voting", workshop))


def _member_vote(request, pk, step_slug, workshop_pk, idea_pk, service, success):
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    idea = get_object_or_404(workshop.ideas.all(), pk=idea_pk)
    try:
        service(idea=idea, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_url("voting", workshop) + f"#vote-idea-{idea.pk}")


@municipality_view(EDIT)
@require_POST
def member_vote_add(request, pk, step_slug, workshop_pk, idea_pk):
    return _member_vote(
        request, pk, step_slug, workshop_pk, idea_pk, participation.vote_add, _("Your point has been given.")
    )


@municipality_view(EDIT)
@require_POST
def member_vote_remove(request, pk, step_slug, workshop_pk, idea_pk):
    return _member_vote(
        request, pk, step_slug, workshop_pk, idea_pk, participation.vote_remove, _("Your point has been taken back.")
    )


@municipality_view(VIEW)
@require_GET
def results_fragment(request, pk, step_slug, workshop_pk):
    """The live results (table and chart) for htmx polling — also included by the presentation mode."""
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    results = participation.vote_results(workshop, _phase(request))
    response = render(request, "workshops/participation/results_fragment.html", {"results": results})
    response["Cache-Control"] = "no-store"
    return response


@municipality_view(VIEW)
@require_GET
def results_export(request, pk, step_slug, workshop_pk, fmt):
    workshop = _workshop(request, pk, step_slug, workshop_pk)
    results = participation.vote_results(workshop, _phase(request))
    if fmt == "csv":
        return download_response(participation.results_csv(results))
    if fmt == "xlsx":
        return download_response(participation.results_xlsx(results))
    raise Http404("Unknown format")
