"""Writes of the Zukunftswerkstatt: workshops (a meeting plus the method), ideas, clusters, supports, moderation.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message when a rule is
violated (nothing is written then) and records an audit log entry carrying ``data["process"]``, so the writes
appear in the process activity feed. Ideas come from members (``author``) or from participants without an
account (``participant``, see the participation app part); both go through ``idea_create`` and ``support_toggle``.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.meetings import services as meeting_services
from daks.strategy.models import Step

from .models import Cluster, Idea, IdeaStatus, Phase, Support, VotingScope, Workshop

IDEA_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 300
MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "description")
SETTINGS_FIELDS = (
    "current_phase",
    "critique_minutes",
    "fantasy_minutes",
    "realisation_minutes",
    "votes_per_participant",
    "voting_scope",
    "voting_open",
    "moderator_notes",
)
PHASE_MINUTES = {
    Phase.CRITIQUE: "critique_minutes",
    Phase.FANTASY: "fantasy_minutes",
    Phase.REALISATION: "realisation_minutes",
}


class WorkshopEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this workshop in the meantime. Please check the current values and save again."
    )


class IdeaEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this idea in the meantime. The saved version is shown next to your input; "
        "check it and save again to keep your version."
    )


class ClusterEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has renamed this cluster in the meantime. Please check the title and save again."
    )


# --- Workshops ----------------------------------------------------------------------------------------


def _check_settings(workshop: Workshop, fields: dict) -> dict:
    fields = dict(fields)
    if "current_phase" in fields and fields["current_phase"] not in Phase.values:
        raise DomainError(_("Please choose a valid phase."), field="current_phase")
    for name in PHASE_MINUTES.values():
        if name in fields:
            value = fields[name]
            if value is None or not 5 <= int(value) <= 600:
                raise DomainError(_("A phase takes between 5 and 600 minutes."), field=name)
            fields[name] = int(value)
    if "votes_per_participant" in fields:
        value = fields["votes_per_participant"]
        if value is None or not 1 <= int(value) <= 50:
            raise DomainError(_("Each participant has between 1 and 50 points."), field="votes_per_participant")
        fields["votes_per_participant"] = int(value)
    if "voting_scope" in fields and fields["voting_scope"] not in VotingScope.values:
        raise DomainError(_("Please choose what is voted on."), field="voting_scope")
    if "moderator_notes" in fields:
        fields["moderator_notes"] = (fields["moderator_notes"] or "").strip()
        if len(fields["moderator_notes"]) > 5000:
            raise DomainError(_("The notes may have at most 5000 characters."), field="moderator_notes")
    if "voting_open" in fields:
        fields["voting_open"] = bool(fields["voting_open"])
    if workshop.pk and workshop.votes.exists():
        for name in ("votes_per_participant", "voting_scope"):
            if name in fields and fields[name] != getattr(workshop, name):
                raise DomainError(
                    _("Votes have been cast already: the points and what is voted on can no longer be changed."),
                    field=name,
                )
    return fields


def _check_process(municipality, process) -> None:
    if process is None or process.municipality_id != municipality.pk:
        raise DomainError(_("This strategy process does not belong to this municipality."))


@transaction.atomic
def workshop_create(
    *,
    actor,
    municipality,
    process,
    title: str,
    starts_at,
    ends_at,
    place: str = "",
    online_url: str = "",
    description: str = "",
    **settings,
) -> Workshop:
    """Create the meeting (step "workshop" of ``process``) and the workshop with its method settings."""
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"workshop_create() got unexpected fields: {sorted(unknown)}")
    _check_process(municipality, process)
    workshop = Workshop(municipality=municipality, process=process)
    settings = _check_settings(workshop, settings)
    meeting = meeting_services.meeting_create(
        actor=actor,
        municipality=municipality,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        description=description,
        process=process,
        step=Step.WORKSHOP,
    )
    for name, value in settings.items():
        setattr(workshop, name, value)
    workshop.meeting = meeting
    workshop.save()
    log_action("workshops.workshop.created", actor=actor, municipality=municipality, obj=workshop, workshop=workshop.pk)
    return workshop


@transaction.atomic
def workshop_update(
    *, actor, workshop: Workshop, expected_version: str | None = None, meeting_version: str | None = None, **fields
) -> Workshop:
    """Change the method settings (phase timing, current phase, voting) and/or the meeting fields.

    ``expected_version`` is the workshop's version the form carried, ``meeting_version`` the meeting's; a
    change by somebody else raises ``WorkshopEditConflict`` (or the meeting's conflict) and nothing is written.
    """
    unknown = set(fields) - set(SETTINGS_FIELDS) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"workshop_update() got unexpected fields: {sorted(unknown)}")
    current = Workshop.objects.select_for_update().select_related("meeting", "municipality").get(pk=workshop.pk)
    if expected_version and expected_version != current.version:
        raise WorkshopEditConflict(current)
    settings = _check_settings(current, {k: v for k, v in fields.items() if k in SETTINGS_FIELDS})
    meeting_fields = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    if meeting_fields:
        current.meeting = meeting_services.meeting_update(
            actor=actor, meeting=current.meeting, expected_version=meeting_version, **meeting_fields
        )
    changed = sorted(name for name, value in settings.items() if getattr(current, name) != value)
    for name, value in settings.items():
        setattr(current, name, value)
    current.save()
    log_action(
        "workshops.workshop.updated",
        actor=actor,
        municipality=current.municipality,
        obj=current,
        workshop=current.pk,
        fields=changed + sorted(meeting_fields),
    )
    return current


@transaction.atomic
def workshop_delete(*, actor, workshop: Workshop) -> None:
    """Delete the workshop together with its meeting, ideas, clusters, votes and participation links."""
    log_action(
        "workshops.workshop.deleted",
        actor=actor,
        municipality=workshop.municipality,
        obj=workshop,
        workshop=workshop.pk,
    )
    workshop.meeting.delete()


# --- Ideas ----------------------------------------------------------------------------------------------


def _clean_idea_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please write down the idea."), field="text")
    if len(text) > IDEA_MAX_LENGTH:
        raise DomainError(_("An idea may have at most %(max)d characters.") % {"max": IDEA_MAX_LENGTH}, field="text")
    return text


def _check_phase(phase: str) -> str:
    if phase not in Phase.values:
        raise DomainError(_("Please choose a valid phase."), field="phase")
    return phase


def _check_field(workshop: Workshop, field_of_action):
    if field_of_action is not None and field_of_action.process_id != workshop.process_id:
        raise DomainError(_("Please choose a field of action of this process."), field="field_of_action")
    return field_of_action


def _check_cluster(workshop: Workshop, cluster, phase: str):
    if cluster is None:
        return None
    if cluster.workshop_id != workshop.pk:
        raise DomainError(_("Please choose a cluster of this workshop."), field="cluster")
    if cluster.phase != phase:
        raise DomainError(_("Please choose a cluster of the same phase."), field="cluster")
    return cluster


def _actor(idea: Idea):
    return idea.author if idea.author_id else None


def _log_idea(action: str, *, actor, idea: Idea, **data) -> None:
    log_action(
        action,
        actor=actor,
        municipality=idea.workshop.municipality,
        obj=idea,
        process=idea.workshop.process_id,
        workshop=idea.workshop_id,
        idea=idea.pk,
        **data,
    )


@transaction.atomic
def idea_create(
    *,
    workshop: Workshop,
    phase: str,
    text: str,
    field_of_action=None,
    cluster=None,
    author=None,
    participant=None,
    author_name: str = "",
    status: str = IdeaStatus.VISIBLE,
) -> Idea:
    """Add an idea (card) to the board. ``author`` is a member; ``participant`` somebody without an account
    (``author_name`` optional). The text is stored as plain text (at most 1000 characters) and always escaped."""
    phase = _check_phase(phase)
    text = _clean_idea_text(text)
    _check_field(workshop, field_of_action)
    _check_cluster(workshop, cluster, phase)
    if status not in IdeaStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    if participant is not None and participant.link.workshop_id != workshop.pk:
        raise DomainError(_("This participation link belongs to another workshop."))
    author_name = " ".join((author_name or "").split())
    if len(author_name) > 100:
        raise DomainError(_("The name may have at most 100 characters."), field="author_name")
    last = Idea.objects.filter(workshop=workshop, phase=phase).aggregate(m=Max("position"))["m"] or 0
    idea = Idea.objects.create(
        workshop=workshop,
        municipality_id=workshop.municipality_id,
        phase=phase,
        text=text,
        field_of_action=field_of_action,
        cluster=cluster,
        author=author if author is not None and author.is_authenticated else None,
        participant=participant,
        author_name=author_name,
        status=status,
        position=last + 1,
    )
    idea.workshop = workshop
    _log_idea("workshops.idea.created", actor=author, idea=idea, phase=phase, status=status)
    return idea


def _lock_idea(idea: Idea) -> Idea:
    current = (
        Idea.objects.select_for_update(of=("self",)).select_related("workshop__municipality").filter(pk=idea.pk).first()
    )
    if current is None:
        raise DomainError(_("This idea has been deleted in the meantime."))
    return current


@transaction.atomic
def idea_update(
    *,
    actor,
    idea: Idea,
    text: str,
    phase: str | None = None,
    field_of_action=None,
    expected_version: str | None = None,
) -> Idea:
    """Change the text, the phase and the field of action. Moving to another phase removes the cluster."""
    current = _lock_idea(idea)
    if expected_version and expected_version != current.version:
        raise IdeaEditConflict(current)
    current.text = _clean_idea_text(text)
    phase = _check_phase(phase or current.phase)
    current.field_of_action = _check_field(current.workshop, field_of_action)
    if phase != current.phase:
        current.phase = phase
        current.cluster = None
        current.position = (
            Idea.objects.filter(workshop_id=current.workshop_id, phase=phase).aggregate(m=Max("position"))["m"] or 0
        ) + 1
    current.save()
    _log_idea("workshops.idea.updated", actor=actor, idea=current)
    return current


@transaction.atomic
def idea_delete(*, actor, idea: Idea) -> None:
    current = _lock_idea(idea)
    _log_idea("workshops.idea.deleted", actor=actor, idea=current)
    current.delete()


@transaction.atomic
def idea_move(*, actor, idea: Idea, direction: str) -> bool:
    """Swap the idea with its neighbour among the visible ideas of the same phase and field of action."""
    if direction not in ("up", "down"):
        raise DomainError(_("Please choose a valid direction."))
    current = _lock_idea(idea)
    siblings = Idea.objects.filter(
        workshop_id=current.workshop_id,
        phase=current.phase,
        field_of_action_id=current.field_of_action_id,
        status=IdeaStatus.VISIBLE,
    )
    ids = list(siblings.select_for_update().order_by("position", "id").values_list("id", flat=True))
    if current.pk not in ids:
        return False
    index = ids.index(current.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ids):
        return False
    positions = sorted(siblings.order_by("position", "id").values_list("position", flat=True))
    if len(set(positions)) != len(positions):
        positions = list(range(positions[0], positions[0] + len(positions)))
    ids[index], ids[other] = ids[other], ids[index]
    for position, pk in zip(positions, ids, strict=True):
        # .update() keeps updated_at (the version): reordering does not conflict with an open edit form.
        Idea.objects.filter(pk=pk).update(position=position)
    _log_idea("workshops.idea.moved", actor=actor, idea=current, direction=direction)
    return True


@transaction.atomic
def idea_set_cluster(*, actor, idea: Idea, cluster: Cluster | None) -> Idea:
    current = _lock_idea(idea)
    _check_cluster(current.workshop, cluster, current.phase)
    # .update(): grouping does not conflict with an open edit form of the text.
    Idea.objects.filter(pk=current.pk).update(cluster=cluster)
    current.cluster = cluster
    _log_idea(
        "workshops.idea.clustered", actor=actor, idea=current, cluster=cluster.title if cluster is not None else ""
    )
    return current


@transaction.atomic
def idea_moderate(*, idea: Idea, actor, status: str, reason: str = "") -> Idea:
    """Approve (``visible``) or hide (``hidden``, a reason is required) an idea, e.g. from the moderation queue."""
    current = _lock_idea(idea)
    if status not in (IdeaStatus.VISIBLE, IdeaStatus.HIDDEN):
        raise DomainError(_("Please choose whether to show or to hide the idea."), field="status")
    reason = " ".join((reason or "").split())
    if status == IdeaStatus.HIDDEN and not reason:
        raise DomainError(_("Please give a reason for hiding the idea."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("The reason may have at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}, field="reason"
        )
    Idea.objects.filter(pk=current.pk).update(status=status, moderation_reason=reason, moderated_by=actor)
    current.status, current.moderation_reason, current.moderated_by = status, reason, actor
    _log_idea("workshops.idea.moderated", actor=actor, idea=current, status=status, reason=reason)
    return current


# --- Supports (+1) ----------------------------------------------------------------------------------------


@transaction.atomic
def support_toggle(*, idea: Idea, user=None, participant=None) -> bool:
    """Give (or take back) the +1 of a member (``user``) or a participant; returns whether it is given now.

    Each voter supports an idea once (database constraint); a concurrent second +1 is refused with a message.
    """
    if (user is None) == (participant is None):
        raise TypeError("support_toggle() needs exactly one of user and participant")
    if idea.status != IdeaStatus.VISIBLE:
        raise DomainError(_("Only visible ideas can be supported."))
    if participant is not None and participant.link.workshop_id != idea.workshop_id:
        raise DomainError(_("This participation link belongs to another workshop."))
    voter = {"user": user} if user is not None else {"participant": participant}
    deleted, _rows = Support.objects.filter(idea=idea, **voter).delete()
    if deleted:
        given = False
    else:
        try:
            with transaction.atomic():
                Support.objects.create(idea=idea, **voter)
        except IntegrityError as error:
            raise DomainError(_("You support this idea already.")) from error
        given = True
    log_action(
        "workshops.idea.supported" if given else "workshops.idea.unsupported",
        actor=user,
        municipality=idea.municipality,
        obj=idea,
        process=idea.workshop.process_id,
        workshop=idea.workshop_id,
        idea=idea.pk,
    )
    return given


# --- Clusters -----------------------------------------------------------------------------------------------


def _clean_cluster_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the cluster."), field="title")
    if len(title) > 200:
        raise DomainError(_("The title may have at most 200 characters."), field="title")
    return title


def _log_cluster(action: str, *, actor, cluster: Cluster, workshop: Workshop) -> None:
    log_action(
        action,
        actor=actor,
        municipality=workshop.municipality,
        obj=cluster,
        process=workshop.process_id,
        workshop=workshop.pk,
    )


@transaction.atomic
def cluster_create(*, actor, workshop: Workshop, phase: str, title: str) -> Cluster:
    phase = _check_phase(phase)
    title = _clean_cluster_title(title)
    siblings = Cluster.objects.select_for_update().filter(workshop=workshop, phase=phase)
    if siblings.filter(title__iexact=title).exists():
        raise DomainError(_("A cluster with this title exists already in this phase."), field="title")
    last = siblings.aggregate(m=Max("position"))["m"] or 0
    cluster = Cluster.objects.create(workshop=workshop, phase=phase, title=title, position=last + 1)
    _log_cluster("workshops.cluster.created", actor=actor, cluster=cluster, workshop=workshop)
    return cluster


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, title: str, expected_version: str | None = None) -> Cluster:
    current = (
        Cluster.objects.select_for_update(of=("self",))
        .select_related("workshop__municipality")
        .filter(pk=cluster.pk)
        .first()
    )
    if current is None:
        raise DomainError(_("This cluster has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise ClusterEditConflict(current)
    title = _clean_cluster_title(title)
    others = Cluster.objects.filter(workshop_id=current.workshop_id, phase=current.phase).exclude(pk=current.pk)
    if others.filter(title__iexact=title).exists():
        raise DomainError(_("A cluster with this title exists already in this phase."), field="title")
    current.title = title
    current.save()
    _log_cluster("workshops.cluster.updated", actor=actor, cluster=current, workshop=current.workshop)
    return current


@transaction.atomic
def cluster_delete(*, actor, cluster: Cluster) -> None:
    """Delete a cluster; its ideas stay on the board without a cluster."""
    workshop = cluster.workshop
    _log_cluster("workshops.cluster.deleted", actor=actor, cluster=cluster, workshop=workshop)
    cluster.delete()
