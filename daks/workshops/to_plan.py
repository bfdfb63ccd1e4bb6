"""Into the plan: ideas of the realisation phase become draft measures of the Werkstattplan.

``ideas_to_plan`` creates one measure per chosen idea — status "idea", the title a sensibly shortened idea text,
the description quoting the idea and its votes, the field of action of the idea — and links the idea to it
(``Idea.measure``), all in one transaction: one refused idea and nothing is written. An idea that was carried
over already keeps its measure (it is never duplicated). ``ideas_of_measure`` is the way back: the ideas a
measure came from, with their votes (the measure page of the plan shows them).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.profile.models import FieldOfAction

from .models import Idea, IdeaStatus, Phase, Workshop

TITLE_MAX_LENGTH = 120
WORKSHOP_STEP_SLUG = "zukunftswerkstatt"


def shorten_title(text: str, max_length: int = TITLE_MAX_LENGTH) -> str:
    """A measure title from an idea: its first sentence (or line), cut at a word boundary with "…" if needed."""
    text = " ".join(str(text or "").split())
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0].rstrip(" .")
    if len(first) >= 12:  # a very short first sentence ("Ja!") is not a title: keep going
        text = first
    if len(text) <= max_length:
        return text.rstrip(" .") or text
    cut = text[: max_length - 1]
    if " " in cut[max_length // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in str(text).strip().splitlines())


def measure_description(idea: Idea, votes: int) -> str:
    """The measure's description (Markdown): where the idea came from, the idea quoted, its votes."""
    meeting = idea.workshop.meeting
    date = formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
    votes_text = ngettext("%(count)d point in the dot voting", "%(count)d points in the dot voting", votes) % {
        "count": votes
    }
    return "\n\n".join(
        [
            _("Idea from the future workshop “%(title)s” on %(date)s (%(votes)s):")
            % {"title": meeting.title, "date": date, "votes": votes_text},
            _quote(idea.text),
        ]
    )


def _vote_counts(ideas) -> dict[int, int]:
    return dict(
        Idea.objects.filter(pk__in=[idea.pk for idea in ideas])
        .annotate(vote_count=Count("votes"))
        .values_list("pk", "vote_count")
    )


@transaction.atomic
def ideas_to_plan(
    *, actor, workshop: Workshop, ideas, fields_of_action: dict[int, FieldOfAction] | None = None
) -> list:
    """Create a draft measure for each of ``ideas`` (visible realisation ideas of ``workshop``) and link them.

    ``fields_of_action`` maps idea ids to a field of action for ideas that have none yet (the idea gets it too).
    Returns the new measures; ideas already in the plan are skipped. Raises ``DomainError`` (nothing written)
    when no idea is chosen, an idea is not a visible realisation idea of the workshop or has no field of action.
    """
    from daks.plans import services as plan_services

    fields_of_action = fields_of_action or {}
    ids = sorted({idea.pk if isinstance(idea, Idea) else int(idea) for idea in ideas})
    if not ids:
        raise DomainError(_("Please choose at least one idea of the realisation phase."), field="ideas")
    locked = list(
        Idea.objects.select_for_update(of=("self",))
        .filter(workshop=workshop, pk__in=ids)
        .select_related("field_of_action", "workshop__meeting")
        .order_by("position", "id")
    )
    if len(locked) != len(ids) or any(
        idea.phase != Phase.REALISATION or idea.status != IdeaStatus.VISIBLE for idea in locked
    ):
        raise DomainError(
            _("Only visible ideas of the realisation phase of this workshop can be carried into the plan."),
            field="ideas",
        )
    new = [idea for idea in locked if idea.measure_id is None]
    if not new:
        raise DomainError(_("The chosen ideas are already in the plan."), field="ideas")
    for idea in new:
        chosen = fields_of_action.get(idea.pk)
        if idea.field_of_action_id is None and chosen is not None:
            if chosen.process_id != workshop.process_id or chosen.municipality_id != workshop.municipality_id:
                raise DomainError(_("Please choose a field of action of this strategy process."), field="ideas")
            idea.field_of_action = chosen
        if idea.field_of_action_id is None:
            raise DomainError(
                _("Please choose a field of action for the idea “%(idea)s”; every measure belongs to one.")
                % {"idea": shorten_title(idea.text, 60)},
                field="ideas",
            )

    plan = plan_services.plan_get_or_create(process=workshop.process)
    votes = _vote_counts(new)
    measures = []
    for idea in new:
        measure = plan_services.measure_create(
            plan=plan,
            user=actor,
            data={
                "field_of_action": idea.field_of_action,
                "title": shorten_title(idea.text),
                "description": measure_description(idea, votes.get(idea.pk, 0)),
                "status": "idea",
            },
        )
        idea.measure = measure
        idea.save(update_fields=["measure", "field_of_action", "updated_at"])
        measures.append(measure)
    log_action(
        "workshops.ideas.carried_into_plan",
        actor=actor,
        municipality=workshop.municipality,
        obj=workshop,
        process=workshop.process_id,
        workshop=workshop.pk,
        ideas=[idea.pk for idea in new],
        measures=[measure.pk for measure in measures],
    )
    return measures


# --- Reads ------------------------------------------------------------------------------------------------------


def board_url(workshop: Workshop) -> str:
    """The workshop's idea board."""
    return reverse(
        "workshops:board",
        kwargs={
            "municipality_slug": workshop.municipality.slug,
            "pk": workshop.process_id,
            "step_slug": WORKSHOP_STEP_SLUG,
            "workshop_pk": workshop.pk,
        },
    )


def realisation_ideas(workshop: Workshop) -> list[Idea]:
    """Visible ideas of the realisation phase with vote counts and their measure, most votes first."""
    return list(
        workshop.ideas.filter(phase=Phase.REALISATION, status=IdeaStatus.VISIBLE)
        .select_related("field_of_action", "measure")
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "position", "id")
    )


def ideas_of_measure(measure) -> list[Idea]:
    """The ideas ``measure`` was developed from, with ``vote_count``, ``workshop`` and ``board_url`` (2 queries)."""
    ideas = list(
        Idea.objects.filter(measure=measure, municipality_id=measure.municipality_id)
        .select_related("workshop__meeting", "workshop__municipality")
        .annotate(vote_count=Count("votes"))
        .order_by("workshop__meeting__starts_at", "position", "id")
    )
    urls: dict[int, str] = {}
    for idea in ideas:
        if idea.workshop_id not in urls:
            urls[idea.workshop_id] = board_url(idea.workshop)
        idea.board_url = f"{urls[idea.workshop_id]}#idea-{idea.pk}"
    return ideas
