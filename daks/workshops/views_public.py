"""Public participation pages ``/mitmachen/<token>/`` (no login): take part, add ideas, +1, dot voting.

Every page works without JavaScript (POST, then a redirect back). Unknown tokens answer 404; a link that is not
open answers with a German page (403 before the start, 410 after the end or once closed) and accepts nothing.
The participant is recognised by a signed, HttpOnly, SameSite=Lax cookie that is only sent to this link's path.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error

from . import participation
from .forms_participation import JoinForm, PublicIdeaForm
from .models import IdeaStatus, Phase
from .participation import COOKIE_NAME, COOKIE_SALT, LinkUnavailable, RateLimited


def _link(token: str):
    link = participation.link_for_token(token)
    if link is None:
        raise Http404("Unknown participation link")
    return link


def _participant(request, link):
    token = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    return participation.participant_for_token(link, token)


def _private(response):
    """Keep the token away from other sites and search engines; never cache a participant's page."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _fields_of_action(link):
    from daks.profile.models import FieldOfAction

    return FieldOfAction.objects.filter(process_id=link.workshop.process_id).order_by("priority", "id")


def _unavailable(request, link, error: LinkUnavailable):
    response = render(
        request,
        "workshops/public/unavailable.html",
        {"link": link, "workshop": link.workshop, "message": error.message, "state": error.state},
        status=error.status,
    )
    return _private(response)


def _board_url(token: str, anchor: str = "") -> str:
    return participation.link_path(token) + (f"#{anchor}" if anchor else "")


def _phases(ideas, workshop, budget):
    """The ideas grouped by phase (in the order of the phases), each with the participant's points."""
    groups = {value: {"key": value, "label": label, "ideas": []} for value, label in Phase.choices}
    for idea in ideas:
        idea.my_points = budget.mine.get(idea.pk, 0) if budget else 0
        idea.votable = bool(
            budget and workshop.voting_open and idea.status == IdeaStatus.VISIBLE
            and participation.in_voting_scope(workshop, idea)
        )  # fmt: skip
        groups[idea.phase]["ideas"].append(idea)
    return [group for group in groups.values() if group["ideas"]]


def _render(request, link, token, participant, *, status=200, join_form=None, idea_form=None, error=""):
    workshop = link.workshop
    context = {
        "link": link,
        "token": token,
        "workshop": workshop,
        "municipality": workshop.municipality,
        "participant": participant,
        "error": error,
        "current_phase_label": Phase(workshop.current_phase).label,
    }
    if participant is None:
        context["join_form"] = join_form or JoinForm(needs_pin=bool(link.pin))
    else:
        budget = None
        if workshop.voting_open:
            budget = participation.voter_budget(workshop, participant=participant)
        ideas = list(participation.public_ideas(link, participant))
        context.update(
            budget=budget,
            phases=_phases(ideas, workshop, budget),
            voting_phase_label=(Phase(budget.phase).label if budget and budget.phase else _("all phases")),
            idea_form=idea_form or PublicIdeaForm(fields_of_action=_fields_of_action(link)),
        )
    return _private(render(request, "workshops/public/board.html", context, status=status))


@require_GET
def board(request, token):
    link = _link(token)
    try:
        participation.check_link_open(link)
    except LinkUnavailable as error:
        return _unavailable(request, link, error)
    return _render(request, link, token, _participant(request, link))


def _set_cookie(response, link, token: str, participant_token: str):
    max_age = max(int((link.closes_at - timezone.now() + timedelta(days=1)).total_seconds()), 3600)
    response.set_signed_cookie(
        COOKIE_NAME,
        participant_token,
        salt=COOKIE_SALT,
        max_age=max_age,
        path=participation.link_path(token),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def join(request, token):
    link = _link(token)
    form = JoinForm(request.POST, needs_pin=bool(link.pin))
    try:
        participation.check_link_open(link)
        if not form.is_valid():
            return _render(request, link, token, None, join_form=form, status=400)
        _participant_obj, participant_token = participation.participant_join(
            link=link, pin=form.cleaned_data.get("pin", ""), address=participation.address_key(request)
        )
    except LinkUnavailable as error:
        return _unavailable(request, link, error)
    except RateLimited as error:
        return _render(request, link, token, None, join_form=form, status=429, error=error.message)
    except DomainError as error:
        apply_domain_error(form, error)
        return _render(request, link, token, None, join_form=form, status=400)
    messages.success(request, _("Welcome! You can now add ideas."))
    response = redirect(_board_url(token))
    _set_cookie(response, link, token, participant_token)
    return _private(response)


def _post_context(request, token):
    """Link (open) and participant of a POST; a ready response instead when the request cannot go on."""
    link = _link(token)
    try:
        participation.check_link_open(link)
    except LinkUnavailable as error:
        return link, None, _unavailable(request, link, error)
    participant = _participant(request, link)
    if participant is None:
        response = _render(
            request, link, token, None, status=403, error=_("Please take part first: press “Take part”.")
        )
        return link, None, response
    return link, participant, None


@require_POST
def idea_add(request, token):
    link, participant, response = _post_context(request, token)
    if response:
        return response
    form = PublicIdeaForm(request.POST, fields_of_action=_fields_of_action(link))
    if form.is_spam:
        return _render(
            request, link, token, participant, idea_form=form, status=400,
            error=_("Your idea was not saved. Please leave the last field empty."),
        )  # fmt: skip
    if not form.is_valid():
        return _render(request, link, token, participant, idea_form=form, status=400)
    try:
        idea = participation.public_idea_add(
            link=link,
            participant=participant,
            text=form.cleaned_data["text"],
            field_of_action=form.cleaned_data.get("field_of_action"),
            author_name=form.cleaned_data["author_name"],
            address=participation.address_key(request),
        )
    except LinkUnavailable as error:
        return _unavailable(request, link, error)
    except RateLimited as error:
        return _render(request, link, token, participant, idea_form=form, status=429, error=error.message)
    except DomainError as error:
        apply_domain_error(form, error)
        return _render(request, link, token, participant, idea_form=form, status=400)
    if idea.status == IdeaStatus.PENDING:
        messages.success(request, _("Thank you! Your idea will be shown after it has been checked."))
    else:
        messages.success(request, _("Thank you! Your idea is on the board."))
    return _private(redirect(_board_url(token, f"idea-{idea.pk}")))


def _idea_action(request, token, idea_pk, action):
    link, participant, response = _post_context(request, token)
    if response:
        return response
    idea = get_object_or_404(link.workshop.ideas.select_related("workshop"), pk=idea_pk)
    try:
        message = action(link, participant, idea)
    except LinkUnavailable as error:
        return _unavailable(request, link, error)
    except RateLimited as error:
        return _render(request, link, token, participant, status=429, error=error.message)
    except DomainError as error:
        return _render(request, link, token, participant, status=409, error=error.message)
    messages.success(request, message)
    return _private(redirect(_board_url(token, f"idea-{idea.pk}")))


@require_POST
def support(request, token, idea_pk):
    def action(link, participant, idea):
        given = participation.public_support_toggle(link=link, participant=participant, idea=idea)
        return _("You support this idea.") if given else _("You no longer support this idea.")

    return _idea_action(request, token, idea_pk, action)


@require_POST
def vote_add(request, token, idea_pk):
    def action(link, participant, idea):
        participation.vote_add(idea=idea, participant=participant, link=link)
        return _("Your point has been given.")

    return _idea_action(request, token, idea_pk, action)


@require_POST
def vote_remove(request, token, idea_pk):
    def action(link, participant, idea):
        participation.vote_remove(idea=idea, participant=participant, link=link)
        return _("Your point has been taken back.")

    return _idea_action(request, token, idea_pk, action)
