"""Participation without an account and dot voting of a Zukunftswerkstatt: links, participants, votes, results.

Services (writes, keyword-only, ``DomainError`` with a German message) and selectors (reads) of the public side
of a workshop; the idea board itself (``idea_create``, ``support_toggle``, moderation) lives in ``services.py``.

The participation link token
    The link ``/mitmachen/<token>/`` must stay unguessable *and* displayable: the coordination shows it (and its
    QR code) on the projector, maybe hours after creating it, maybe from another account. Storing the raw token
    would make every database backup a list of open doors; showing it only once would force a new link (and
    lose every participant's cookie) whenever somebody closes the browser tab. So the token is *derived*:
    ``token = HMAC-SHA256(SECRET_KEY, "link:<id>:<created µs>")`` (43 URL-safe characters, 256 bits), and the
    database keeps only ``sha256(token)`` for the lookup, like every other token of DAKS. Editors can display
    it at any time (it is recomputed), a stolen database alone reveals no token, and rotating ``SECRET_KEY``
    keeps existing links working (the lookup uses the stored hash) — only their display then fails visibly
    (``link_token`` returns ``""`` when the derived token no longer matches) and a new link is needed.

Participants
    A participant is identified by a random token in a signed, HttpOnly, SameSite=Lax cookie scoped to the link's
    path; the database keeps its SHA-256 hash. No IP address is stored: rate limits count per participant and
    per keyed hash of the address in the cache, for a few minutes only.

Dot voting
    Each voter (member or participant) has ``workshop.votes_per_participant`` points — over the ideas of the
    realisation phase, over all ideas, or in each phase separately (``VotingScope``) — and may put several on one
    idea. ``vote_add`` locks the voter's row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction
    starts with ``BEGIN IMMEDIATE``, see ``config/settings.py``), so concurrent requests of one voter are
    serialised and the budget can never be exceeded.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from daks.core.audit import log_action
from daks.core.errors import DomainError

from .models import Idea, IdeaStatus, Participant, ParticipationLink, Phase, Vote, VotingScope, Workshop

PIN_LENGTH = (4, 6)
COOKIE_NAME = "daks_mitmachen"
COOKIE_SALT = "daks.workshops.participant"

#: Rate limits as (count, seconds); a setting ``DAKS_PARTICIPATION_RATE_LIMITS`` may override single entries.
DEFAULT_RATE_LIMITS = {
    "idea_participant": (10, 600),  # ideas per participant in 10 minutes
    "idea_ip": (30, 60),  # ideas per (hashed) address per minute — a whole room may share one address
    "join_ip": (600, 600),  # joins per address in 10 minutes
    "pin_ip": (10, 600),  # wrong PINs per address and link in 10 minutes
    "support_participant": (60, 60),  # +1 toggles per participant per minute
    # The network (issue 9): public forms
    "contact_ip": (5, 3600),  # contact-form messages to a Kommune per address per hour
    "event_registration_ip": (20, 3600),  # event registrations per address per hour
    "newsletter_ip": (10, 3600),  # newsletter subscriptions per address per hour
    "exchange_post_user": (30, 3600),  # questions and answers per member per hour
    "barrier_report_ip": (5, 3600),  # reports of barriers (accessibility statement) per address per hour
}


# --- Errors -----------------------------------------------------------------------------------------


class LinkUnavailable(DomainError):
    """The link is not open (yet / any more); ``status`` is the HTTP status the public page answers with."""

    def __init__(self, message, *, state: str, status: int):
        super().__init__(message)
        self.state = state
        self.status = status


class RateLimited(DomainError):
    status = 429


# --- Tokens and links -------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _derived_token(link: ParticipationLink) -> str:
    stamp = int(link.created_at.timestamp() * 1_000_000)
    digest = salted_hmac("daks.workshops.participation-link", f"link:{link.pk}:{stamp}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def link_token(link: ParticipationLink) -> str:
    """The token of ``link`` (recomputed, see the module docstring); ``""`` when it cannot be shown any more."""
    token = _derived_token(link)
    return token if constant_time_compare(hash_token(token), link.token_hash) else ""


def link_path(token: str) -> str:
    return reverse("participate:board", kwargs={"token": token})


def link_url(link: ParticipationLink) -> str:
    """The absolute public URL of ``link`` (``""`` when its token cannot be shown)."""
    token = link_token(link)
    return f"{settings.DAKS_BASE_URL}{link_path(token)}" if token else ""


def link_for_token(token: str) -> ParticipationLink | None:
    """The link with this token (any state), with workshop, Kommune and process; None for unknown tokens."""
    if not token or len(token) > 100:
        return None
    return (
        ParticipationLink.objects.select_related("workshop__municipality", "workshop__process", "workshop__meeting")
        .filter(token_hash=hash_token(token))
        .first()
    )


class LinkState:
    SCHEDULED = "scheduled"
    OPEN = "open"
    ENDED = "ended"
    CLOSED = "closed"
    LABELS = {
        SCHEDULED: gettext_lazy("not open yet"),
        OPEN: gettext_lazy("open"),
        ENDED: gettext_lazy("ended"),
        CLOSED: gettext_lazy("closed"),
    }


def link_state(link: ParticipationLink, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if link.closed_at:
        return LinkState.CLOSED
    if now < link.opens_at:
        return LinkState.SCHEDULED
    if now >= link.closes_at:
        return LinkState.ENDED
    return LinkState.OPEN


def check_link_open(link: ParticipationLink, *, now: datetime | None = None) -> None:
    """Raise ``LinkUnavailable`` (German message, HTTP status) unless ``link`` accepts input now."""
    now = now or timezone.now()
    state = link_state(link, now=now)
    if state == LinkState.SCHEDULED:
        opens = timezone.localtime(link.opens_at)
        raise LinkUnavailable(
            _("This participation link opens on %(date)s at %(time)s.")
            % {"date": opens.strftime("%d.%m.%Y"), "time": opens.strftime("%H:%M")},
            state=state,
            status=403,
        )
    if state == LinkState.ENDED:
        raise LinkUnavailable(_("This participation link has expired."), state=state, status=410)
    if state == LinkState.CLOSED:
        raise LinkUnavailable(_("This participation link has been closed."), state=state, status=410)


def _random_pin() -> str:
    length = secrets.choice(range(PIN_LENGTH[0], PIN_LENGTH[1] + 1))
    return "".join(secrets.choice("0123456789") for _digit in range(length))


@transaction.atomic
def link_create(
    *,
    actor,
    workshop: Workshop,
    opens_at: datetime,
    closes_at: datetime,
    use_pin: bool = True,
    moderate_ideas: bool = True,
    now: datetime | None = None,
) -> tuple[ParticipationLink, str]:
    """A new participation link; returns it and its token (a PIN of 4–6 random digits when ``use_pin``)."""
    now = now or timezone.now()
    if closes_at <= opens_at:
        raise DomainError(_("The end must be after the start."), field="closes_at")
    if closes_at <= now:
        raise DomainError(_("The end must lie in the future."), field="closes_at")
    if closes_at - opens_at > timedelta(days=62):
        raise DomainError(_("A participation link can be open for at most two months."), field="closes_at")
    link = ParticipationLink.objects.create(
        workshop=workshop,
        token_hash="pending:" + secrets.token_hex(24),
        opens_at=opens_at,
        closes_at=closes_at,
        pin=_random_pin() if use_pin else "",
        moderate_ideas=moderate_ideas,
        created_by=actor,
    )
    token = _derived_token(link)
    link.token_hash = hash_token(token)
    link.save(update_fields=["token_hash"])
    log_action(
        "workshops.participation_link.created",
        actor=actor,
        municipality=workshop.municipality,
        obj=workshop,
        link=link.pk,
        workshop=workshop.pk,
    )
    return link, token


@transaction.atomic
def link_close(*, actor, link: ParticipationLink, now: datetime | None = None) -> ParticipationLink:
    """Close ``link`` at once: from now on it accepts nothing (idempotent)."""
    link = ParticipationLink.objects.select_for_update().select_related("workshop__municipality").get(pk=link.pk)
    if link.closed_at is None:
        link.closed_at = now or timezone.now()
        link.save(update_fields=["closed_at", "updated_at"])
        log_action(
            "workshops.participation_link.closed",
            actor=actor,
            municipality=link.workshop.municipality,
            obj=link.workshop,
            link=link.pk,
            workshop=link.workshop_id,
        )
    return link


def links_of(workshop: Workshop):
    """The participation links of ``workshop`` with the number of participants and their ideas (newest first)."""
    return (
        workshop.participation_links.annotate(
            participant_count=Count("participants", distinct=True),
            idea_count=Count("participants__ideas", distinct=True),
        )
        .select_related("created_by")
        .order_by("-opens_at", "-id")
    )


def qr_svg(url: str, *, title: str) -> str:
    """The QR code of ``url`` as inline SVG (generated locally by segno), with a title for screen readers."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        light="#fff",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
    )
    svg = buffer.getvalue().decode()
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-title" ', 1).replace(
        "<title>", '<title id="qr-title">', 1
    )


# --- Rate limits ------------------------------------------------------------------------------------


def _limit(name: str) -> tuple[int, int]:
    return getattr(settings, "DAKS_PARTICIPATION_RATE_LIMITS", {}).get(name, DEFAULT_RATE_LIMITS[name])


def address_key(request) -> str:
    """A keyed hash of the client's address (the address itself is neither stored nor logged)."""
    return salted_hmac("daks.workshops.address", request.META.get("REMOTE_ADDR", "")).hexdigest()[:32]


def _count(name: str, ident: str, *, peek: bool = False) -> int:
    """Fixed-window counter in the shared cache (approximate under races, which is enough for spam protection)."""
    _count_limit, seconds = _limit(name)
    key = f"daks:participation:{name}:{ident}:{int(time.time() // seconds)}"
    if peek:
        return cache.get(key, 0)
    if cache.add(key, 1, timeout=seconds + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, timeout=seconds + 5)
        return 1


def rate_limit(name: str, ident: str) -> None:
    """Count one attempt; raise ``RateLimited`` when more than the allowed number fall into the window."""
    limit, _seconds = _limit(name)
    if _count(name, ident) > limit:
        raise RateLimited(_("Too many requests. Please wait a few minutes and try again."))


# --- Participants -----------------------------------------------------------------------------------


def participant_for_token(link: ParticipationLink, token: str | None) -> Participant | None:
    if not token:
        return None
    return link.participants.filter(token_hash=hash_token(token)).first()


@transaction.atomic
def participant_join(
    *, link: ParticipationLink, pin: str = "", name: str = "", address: str = "", now: datetime | None = None
) -> tuple[Participant, str]:
    """Take part through ``link`` (PIN checked when the link has one); returns the participant and its token."""
    check_link_open(link, now=now)
    if link.pin:
        pin_key = f"{link.pk}:{address}"
        limit, _seconds = _limit("pin_ip")
        if _count("pin_ip", pin_key, peek=True) >= limit:
            raise RateLimited(_("Too many wrong PINs. Please wait a few minutes and try again."))
        if not constant_time_compare((pin or "").strip(), link.pin):
            _count("pin_ip", pin_key)
            raise DomainError(_("The PIN is not correct. It is shown in the room."), field="pin")
    rate_limit("join_ip", address)
    token = secrets.token_urlsafe(24)
    participant = Participant.objects.create(link=link, token_hash=hash_token(token), name=(name or "").strip()[:100])
    return participant, token


# --- Ideas and +1 of participants -------------------------------------------------------------------


def public_idea_add(
    *,
    link: ParticipationLink,
    participant: Participant,
    text: str,
    field_of_action=None,
    author_name: str = "",
    address: str = "",
    now: datetime | None = None,
) -> Idea:
    """An idea of a participant in the workshop's current phase (waiting for moderation if the link says so)."""
    from .services import idea_create

    check_link_open(link, now=now)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please write down your idea."), field="text")
    if len(text) > 1000:
        raise DomainError(_("An idea may have at most 1000 characters."), field="text")
    workshop = link.workshop
    if field_of_action is not None and field_of_action.process_id != workshop.process_id:
        raise DomainError(_("Please choose a field of action from the list."), field="field_of_action")
    rate_limit("idea_participant", str(participant.pk))
    rate_limit("idea_ip", address)
    return idea_create(
        workshop=workshop,
        phase=workshop.current_phase,
        text=text,
        field_of_action=field_of_action,
        participant=participant,
        author_name=(author_name or "").strip()[:100],
        status=IdeaStatus.PENDING if link.moderate_ideas else IdeaStatus.VISIBLE,
    )


def public_support_toggle(
    *, link: ParticipationLink, participant: Participant, idea: Idea, now: datetime | None = None
) -> bool:
    """+1 of a participant for a visible idea of the link's workshop (or take it back)."""
    from .services import support_toggle

    check_link_open(link, now=now)
    if idea.workshop_id != link.workshop_id or idea.status != IdeaStatus.VISIBLE:
        raise DomainError(_("This idea cannot be supported."))
    rate_limit("support_participant", str(participant.pk))
    return support_toggle(idea=idea, participant=participant)


def public_ideas(link: ParticipationLink, participant: Participant | None):
    """Visible ideas of the link's workshop, plus the participant's own ideas still waiting for moderation."""
    own = Q(participant=participant) if participant is not None else Q(pk__in=[])
    queryset = (
        Idea.objects.filter(workshop_id=link.workshop_id)
        .filter(Q(status=IdeaStatus.VISIBLE) | (own & Q(status=IdeaStatus.PENDING)))
        .select_related("field_of_action")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("phase", "position", "id")
    )
    if participant is not None:
        queryset = queryset.annotate(
            supported=Count("supports", filter=Q(supports__participant=participant), distinct=True)
        )
    return queryset


# --- Dot voting -------------------------------------------------------------------------------------


def voting_phase(workshop: Workshop) -> str | None:
    """The phase whose ideas are voted on (None: all phases together)."""
    if workshop.voting_scope == VotingScope.REALISATION:
        return Phase.REALISATION
    if workshop.voting_scope == VotingScope.PER_PHASE:
        return workshop.current_phase
    return None


def in_voting_scope(workshop: Workshop, idea: Idea) -> bool:
    phase = voting_phase(workshop)
    return phase is None or idea.phase == phase


def _voter_filter(*, user=None, participant=None) -> Q:
    if (user is None) == (participant is None):
        raise ValueError("exactly one of user and participant")
    return Q(participant=participant) if participant is not None else Q(user=user)


@dataclass
class Budget:
    """The points of one voter in the current vote: used, total, and the own points per idea."""

    workshop: Workshop
    phase: str | None  # the phase voted on (None: all ideas)
    used: int
    total: int
    mine: dict[int, int] = field(default_factory=dict)  # idea id → own points

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)


def _scope_filter(workshop: Workshop) -> Q:
    phase = voting_phase(workshop)
    return Q(idea__status=IdeaStatus.VISIBLE) & (Q(idea__phase=phase) if phase else Q())


def voter_budget(workshop: Workshop, *, user=None, participant=None) -> Budget:
    """How many points the voter has used and has left in the current vote (one query)."""
    voter = _voter_filter(user=user, participant=participant)
    rows = (
        Vote.objects.filter(voter, _scope_filter(workshop), workshop=workshop)
        .values("idea_id")
        .annotate(dots=Count("id"))
        .order_by()
    )
    mine = {row["idea_id"]: row["dots"] for row in rows}
    return Budget(
        workshop=workshop,
        phase=voting_phase(workshop),
        used=sum(mine.values()),
        total=workshop.votes_per_participant,
        mine=mine,
    )


def _lock_voter(*, user=None, participant=None) -> None:
    """Serialise the votes of one voter: a row lock on PostgreSQL. SQLite needs none — every transaction starts
    with BEGIN IMMEDIATE there (config/settings.py), which serialises all writers."""
    if not connection.features.has_select_for_update:
        return
    model, pk = (Participant, participant.pk) if participant is not None else (get_user_model(), user.pk)
    if not list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True)):
        raise DomainError(_("Please open the participation link again."))


def _voting_checks(idea: Idea, *, link: ParticipationLink | None, now) -> tuple[Workshop, Idea]:
    idea = Idea.objects.select_related("workshop").get(pk=idea.pk)
    workshop = idea.workshop
    if link is not None:
        link = ParticipationLink.objects.get(pk=link.pk)
        check_link_open(link, now=now)
        if link.workshop_id != workshop.pk:
            raise DomainError(_("This idea is not part of the vote."))
    if not workshop.voting_open:
        raise DomainError(_("Voting is not open."))
    if idea.status != IdeaStatus.VISIBLE or not in_voting_scope(workshop, idea):
        raise DomainError(_("This idea is not part of the vote."))
    return workshop, idea


def vote_add(
    *, idea: Idea, user=None, participant=None, link: ParticipationLink | None = None, now: datetime | None = None
) -> Vote:
    """Put one point on ``idea`` — refused when the voter's points (of this phase) are used up.

    The checks of link, vote and idea read fresh rows first; the write transaction itself is kept short (lock the
    voter, count, insert), because on SQLite it holds the database's single write lock.
    """
    voter = _voter_filter(user=user, participant=participant)
    workshop, idea = _voting_checks(idea, link=link, now=now)
    with transaction.atomic():
        _lock_voter(user=user, participant=participant)
        used = Vote.objects.filter(voter, _scope_filter(workshop), workshop=workshop).count()
        if used >= workshop.votes_per_participant:
            if workshop.voting_scope == VotingScope.PER_PHASE:
                raise DomainError(_("You have already used all your points in this phase."))
            raise DomainError(_("You have already used all your points."))
        return Vote.objects.create(workshop=workshop, idea=idea, user=user, participant=participant)


def vote_remove(
    *, idea: Idea, user=None, participant=None, link: ParticipationLink | None = None, now: datetime | None = None
) -> None:
    """Take one of the voter's own points back from ``idea``."""
    voter = _voter_filter(user=user, participant=participant)
    workshop, idea = _voting_checks(idea, link=link, now=now)
    with transaction.atomic():
        _lock_voter(user=user, participant=participant)
        vote = Vote.objects.filter(voter, workshop=workshop, idea=idea).order_by("-id").first()
        if vote is None:
            raise DomainError(_("You have no point on this idea."))
        vote.delete()


def votable_ideas(workshop: Workshop):
    """The visible ideas that receive points under the workshop's voting scope, in board order."""
    queryset = Idea.objects.filter(workshop=workshop, status=IdeaStatus.VISIBLE).select_related("field_of_action")
    if workshop.voting_scope == VotingScope.REALISATION:
        queryset = queryset.filter(phase=Phase.REALISATION)
    elif workshop.voting_scope == VotingScope.PER_PHASE:
        queryset = queryset.filter(phase=workshop.current_phase)
    return queryset.order_by("phase", "position", "id")


# --- Results ----------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    rank: int
    tied: bool
    idea: Idea
    points: int
    voters: int
    share: float  # of the leading idea's points, 0–1 (bar length)


@dataclass
class Results:
    workshop: Workshop
    phase: str | None
    rows: list[ResultRow]
    requested_phase: str | None = None  # the phase asked for (None: the current vote, which may change)

    @property
    def total_points(self) -> int:
        return sum(row.points for row in self.rows)

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label) if self.phase else ""

    @cached_property
    def chart(self):
        return results_chart_svg(self)

    @cached_property
    def poll_url(self) -> str:
        """The URL of the live fragment (for htmx polling on the workspace and in the presentation mode)."""
        from daks.strategy.models import Step
        from daks.strategy.steps import STEPS

        url = reverse(
            "workshops:vote_results_fragment",
            kwargs={
                "municipality_slug": self.workshop.municipality.slug,
                "pk": self.workshop.process_id,
                "step_slug": STEPS[Step.WORKSHOP].slug,
                "workshop_pk": self.workshop.pk,
            },
        )
        return f"{url}?phase={self.requested_phase}" if self.requested_phase else url


def vote_results(workshop: Workshop, phase: str | None = None) -> Results:
    """The visible ideas that are voted on (of ``phase``, if given), ranked by points; equal points share a rank.

    Ranks are "1, 1, 3" (standard competition ranking); ``tied`` marks every row sharing its rank. Ideas without a
    point are listed too (at the end). Without ``phase``: the ideas of the current vote (``voting_phase``).
    """
    requested = phase or None
    if phase is None:
        phase = voting_phase(workshop)
    queryset = Idea.objects.filter(workshop=workshop, status=IdeaStatus.VISIBLE)
    if phase:
        queryset = queryset.filter(phase=phase)
    ideas = list(
        queryset.select_related("field_of_action")
        .annotate(
            points=Count("votes", distinct=True),
            participant_voters=Count("votes__participant", distinct=True),
            user_voters=Count("votes__user", distinct=True),
        )
        .order_by("-points", "phase", "position", "id")
    )
    counts: dict[int, int] = {}
    for idea in ideas:
        counts[idea.points] = counts.get(idea.points, 0) + 1
    top = ideas[0].points if ideas else 0
    rows, rank = [], 0
    for index, idea in enumerate(ideas):
        if index == 0 or idea.points != ideas[index - 1].points:
            rank = index + 1
        rows.append(
            ResultRow(
                rank=rank,
                tied=counts[idea.points] > 1,
                idea=idea,
                points=idea.points,
                voters=idea.participant_voters + idea.user_voters,
                share=(idea.points / top) if top else 0.0,
            )
        )
    return Results(workshop=workshop, phase=phase or None, rows=rows, requested_phase=requested)


CHART_WIDTH = 720
CHART_LABEL_WIDTH = 300
CHART_BAR = 20
CHART_COLOUR = "#0b5a7a"


def _short(text: str, limit: int = 42) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def results_chart_svg(results: Results, *, chart_id: str = "vote-chart"):
    """Horizontal bars of the points per idea (rank, shortened idea text, points next to each bar).

    Built like the other DAKS charts: ``role="img"`` with ``<title>`` and ``<desc>``; the page shows the same
    figures in the results table.
    """
    from django.utils.safestring import mark_safe

    from daks.demography.charts import AXIS, _attrs, _open_svg, _text

    rows = results.rows
    row_height = CHART_BAR + 12
    top = 8
    height = top + row_height * max(len(rows), 1) + 8
    x0, x1 = CHART_LABEL_WIDTH, CHART_WIDTH - 50
    title = _("Dot voting: points per idea (%(total)d points in total)") % {"total": results.total_points}
    desc = "; ".join(
        ngettext("Rank %(rank)d: %(idea)s – %(points)d point", "Rank %(rank)d: %(idea)s – %(points)d points", r.points)
        % {"rank": r.rank, "idea": _short(r.idea.text), "points": r.points}
        for r in rows
    )
    parts = _open_svg(chart_id, CHART_WIDTH, height, title, desc or _("No ideas yet."))
    for index, row in enumerate(rows):
        y = top + index * row_height + 6
        label = f"{row.rank}. {_short(row.idea.text)}"
        parts.append(_text(x0 - 10, y + CHART_BAR - 5, label, anchor="end"))
        width = (x1 - x0) * row.share
        if width:
            parts.append(f"<rect {_attrs(x=x0, y=y, width=width, height=CHART_BAR, fill=CHART_COLOUR)}/>")
        parts.append(_text(x0 + width + 6, y + CHART_BAR - 5, str(row.points), weight="700"))
    parts.append(f"<line {_attrs(x1=x0, y1=top, x2=x0, y2=height - 8, stroke=AXIS)}/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped by _text/_attrs/_open_svg


def _safe_cell(value):
    """Defuse spreadsheet formulas (CSV injection): text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _result_table(results: Results) -> tuple[list[str], list[list]]:
    headers = [_("Rank"), _("Tied"), _("Idea"), _("Phase"), _("Field of action"), _("Points"), _("Persons")]
    rows = [
        [
            row.rank,
            _("yes") if row.tied else "",
            _safe_cell(row.idea.text),
            str(row.idea.get_phase_display()),
            _safe_cell(row.idea.field_of_action.title) if row.idea.field_of_action else "",
            row.points,
            row.voters,
        ]
        for row in results.rows
    ]
    return headers, rows


def _export_name(results: Results, extension: str) -> str:
    from daks.core.text import german_slugify

    parts = ["abstimmung", results.workshop.municipality.name, results.workshop.meeting.title]
    if results.phase:
        parts.append(str(results.phase_label))
    stem = "-".join(slug for slug in (german_slugify(part) for part in parts) if slug)
    return f"{stem}.{extension}"


def results_csv(results: Results) -> tuple[str, str, bytes]:
    """The results as CSV: semicolon-separated UTF-8 with BOM (opens directly in German Excel)."""
    headers, rows = _result_table(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return _export_name(results, "csv"), "text/csv; charset=utf-8", ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_xlsx(results: Results) -> tuple[str, str, bytes]:
    from daks.exports.base import XLSX
    from daks.exports.xlsx import Workbook

    headers, rows = _result_table(results)
    title = _("Dot voting: %(title)s") % {"title": results.workshop.meeting.title}
    workbook = Workbook(title=title)
    caption = f"{title} – {results.phase_label}" if results.phase else title
    workbook.sheet(_("Results"), headers, rows, caption=caption, widths={2: 60})
    return _export_name(results, "xlsx"), XLSX, workbook.to_bytes()
