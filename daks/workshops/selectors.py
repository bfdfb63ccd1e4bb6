"""Reads of the Zukunftswerkstatt: workshop lists, the idea board, the moderation queue, the presentation.

Each function costs a constant number of queries, independent of the number of ideas (tests pin them).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .models import Cluster, Idea, IdeaStatus, Phase, Support, Vote, VotingScope, Workshop


def workshops_of(process):
    """The workshops of a process with their meetings and idea counts (one query)."""
    return (
        Workshop.objects.filter(process=process)
        .select_related("meeting")
        .annotate(
            idea_count=Count("ideas", filter=Q(ideas__status=IdeaStatus.VISIBLE), distinct=True),
            pending_count=Count("ideas", filter=Q(ideas__status=IdeaStatus.PENDING), distinct=True),
        )
        .order_by("meeting__starts_at", "id")
    )


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(idea=OuterRef("pk"), **filters)
            .order_by()
            .values("idea")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def ideas_annotated(workshop, *, user=None):
    """Ideas of ``workshop`` with ``support_count``, ``vote_count`` and ``supported`` (by ``user``)."""
    queryset = (
        Idea.objects.filter(workshop=workshop)
        .select_related("field_of_action", "cluster")
        .annotate(support_count=_count(Support), vote_count=_count(Vote))
    )
    if user is not None and user.is_authenticated:
        queryset = queryset.annotate(supported=Exists(Support.objects.filter(idea=OuterRef("pk"), user=user)))
    else:
        queryset = queryset.annotate(supported=Value(False))
    return queryset


@dataclass
class Group:
    key: str
    title: str
    ideas: list = field(default_factory=list)


@dataclass
class PhaseBoard:
    phase: str
    label: str
    minutes: int
    ideas: list
    groups: list[Group]
    clusters: list


NO_FIELD = "none"


def _group_by_field(ideas, fields, *, no_field_title) -> list[Group]:
    groups = {f.pk: Group(key=f"field-{f.pk}", title=f.title) for f in fields}
    rest = Group(key=NO_FIELD, title=no_field_title)
    for idea in ideas:
        groups.get(idea.field_of_action_id, rest).ideas.append(idea)
    result = list(groups.values())
    result.append(rest)
    return result


def _group_by_cluster(ideas, clusters, *, no_cluster_title) -> list[Group]:
    groups = {c.pk: Group(key=f"cluster-{c.pk}", title=c.title) for c in clusters}
    rest = Group(key="no-cluster", title=no_cluster_title)
    for idea in ideas:
        groups.get(idea.cluster_id, rest).ideas.append(idea)
    return [group for group in groups.values() if group.ideas] + ([rest] if rest.ideas else [])


def fields_of_action(workshop):
    from daks.profile.models import FieldOfAction

    return list(FieldOfAction.objects.filter(process_id=workshop.process_id).order_by("priority", "id"))


def board(workshop, *, user=None, phases=None, fields=None, no_field_title="") -> list[PhaseBoard]:
    """The board: per phase the visible ideas grouped by field of action (every field of the process, then
    ideas without one), with counts annotated, and the phase's clusters. Three queries."""
    phases = phases or Phase.values
    fields = fields if fields is not None else fields_of_action(workshop)
    ideas = list(
        ideas_annotated(workshop, user=user)
        .filter(status=IdeaStatus.VISIBLE, phase__in=phases)
        .order_by("phase", "position", "id")
    )
    clusters = list(Cluster.objects.filter(workshop=workshop, phase__in=phases).order_by("position", "id"))
    result = []
    for phase in phases:
        phase_ideas = [idea for idea in ideas if idea.phase == phase]
        groups = _group_by_field(phase_ideas, fields, no_field_title=no_field_title)
        for group in groups:
            for index, idea in enumerate(group.ideas):
                idea.first, idea.last = index == 0, index == len(group.ideas) - 1
        result.append(
            PhaseBoard(
                phase=phase,
                label=Phase(phase).label,
                minutes=getattr(workshop, f"{phase}_minutes"),
                ideas=phase_ideas,
                groups=groups,
                clusters=[cluster for cluster in clusters if cluster.phase == phase],
            )
        )
    return result


def pending_count(workshop) -> int:
    return Idea.objects.filter(workshop=workshop, status=IdeaStatus.PENDING).count()


def moderation_queue(workshop) -> dict:
    """Ideas waiting for moderation (oldest first) and hidden ideas with their reasons (two queries)."""
    base = Idea.objects.filter(workshop=workshop).select_related("field_of_action", "moderated_by", "participant")
    return {
        "pending": list(base.filter(status=IdeaStatus.PENDING).order_by("created_at", "id")),
        "hidden": list(base.filter(status=IdeaStatus.HIDDEN).order_by("-updated_at", "-id")),
    }


@dataclass
class RankedIdea:
    rank: int
    idea: Idea
    votes: int
    tied: bool


def voting_ideas(workshop):
    """The ideas that can receive dots under the workshop's voting scope (visible ideas only)."""
    queryset = Idea.objects.filter(workshop=workshop, status=IdeaStatus.VISIBLE)
    if workshop.voting_scope == VotingScope.REALISATION:
        queryset = queryset.filter(phase=Phase.REALISATION)
    elif workshop.voting_scope == VotingScope.PER_PHASE:
        queryset = queryset.filter(phase=workshop.current_phase)
    return queryset


def vote_ranking(workshop, *, limit: int | None = None) -> list[RankedIdea]:
    """Ideas ranked by dots (one query); equal counts share a rank and are marked as tied."""
    ideas = list(
        voting_ideas(workshop)
        .select_related("field_of_action")
        .annotate(n=_count(Vote))
        .order_by("-n", "position", "id")
    )
    counts: dict[int, int] = {}
    for idea in ideas:
        counts[idea.n] = counts.get(idea.n, 0) + 1
    ranked, rank = [], 0
    for index, idea in enumerate(ideas):
        if index == 0 or idea.n != ideas[index - 1].n:
            rank = index + 1
        ranked.append(RankedIdea(rank=rank, idea=idea, votes=idea.n, tied=counts[idea.n] > 1))
    return ranked[:limit] if limit else ranked


@dataclass
class Presentation:
    phase: str
    label: str
    groups: list[Group]
    idea_count: int
    ranking: list[RankedIdea]
    grouping: str


def presentation(workshop, *, grouping: str = "field", no_field_title="", no_cluster_title="") -> Presentation:
    """What the projector shows: the visible ideas of the current phase grouped by field of action (or by
    cluster), and the vote ranking while voting is open. Three queries (four with the ranking)."""
    phase = workshop.current_phase
    ideas = list(
        Idea.objects.filter(workshop=workshop, phase=phase, status=IdeaStatus.VISIBLE)
        .select_related("field_of_action", "cluster")
        .order_by("position", "id")
    )
    if grouping == "cluster":
        clusters = list(Cluster.objects.filter(workshop=workshop, phase=phase).order_by("position", "id"))
        groups = _group_by_cluster(ideas, clusters, no_cluster_title=no_cluster_title)
    else:
        groups = [
            g for g in _group_by_field(ideas, fields_of_action(workshop), no_field_title=no_field_title) if g.ideas
        ]
    return Presentation(
        phase=phase,
        label=Phase(phase).label,
        groups=groups,
        idea_count=len(ideas),
        ranking=vote_ranking(workshop, limit=10) if workshop.voting_open else [],
        grouping="cluster" if grouping == "cluster" else "field",
    )


def workshop_of_process(request, process, workshop_pk: int) -> Workshop:
    """The workshop ``workshop_pk`` of ``process`` in the request's Kommune (404 otherwise), with its meeting."""
    workshop = get_object_or_404(
        Workshop.objects.filter(municipality=request.municipality, process=process).select_related("meeting"),
        pk=workshop_pk,
    )
    workshop.process = process
    workshop.municipality = request.municipality
    return workshop
