import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.meetings.models import Meeting
from daks.profile.models import FieldOfAction
from daks.workshops import services
from daks.workshops.models import Cluster, Idea, IdeaStatus, Phase, Support, Vote, VotingScope, Workshop

from .factories import ClusterFactory, IdeaFactory, ParticipantFactory, ParticipationLinkFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(process):
    return FieldOfAction.objects.create(process=process, municipality=process.municipality, title="Mobilität")


@pytest.fixture
def other_field(other_process):
    return FieldOfAction.objects.create(process=other_process, municipality=other_process.municipality, title="Wohnen")


def _start():
    return (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)


# --- Workshops -------------------------------------------------------------------------------------


def test_workshop_create_creates_meeting_of_the_step(coordinator, municipality, process):
    starts = _start()
    workshop = services.workshop_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        title="Zukunftswerkstatt Musterstadt",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        place="Bürgerhaus",
        critique_minutes=30,
        votes_per_participant=3,
    )
    meeting = workshop.meeting
    assert (meeting.step, meeting.process, meeting.place) == ("workshop", process, "Bürgerhaus")
    assert (workshop.critique_minutes, workshop.votes_per_participant) == (30, 3)
    entry = AuditLogEntry.objects.get(action="workshops.workshop.created")
    assert entry.data["process"] == process.pk


def test_workshop_create_refuses_bad_input(coordinator, municipality, process, other_process):
    starts = _start()
    kwargs = {"actor": coordinator, "municipality": municipality, "title": "W", "starts_at": starts}
    with pytest.raises(DomainError) as error:
        services.workshop_create(**kwargs, process=process, ends_at=starts - datetime.timedelta(hours=1))
    assert "endet" in str(error.value.message) or error.value.field == "ends_at"
    with pytest.raises(DomainError):
        services.workshop_create(**kwargs, process=other_process, ends_at=starts + datetime.timedelta(hours=1))
    with pytest.raises(DomainError) as error:
        services.workshop_create(
            **kwargs, process=process, ends_at=starts + datetime.timedelta(hours=1), fantasy_minutes=2
        )
    assert error.value.field == "fantasy_minutes"
    assert not Workshop.objects.exists() and not Meeting.objects.exists()


def test_workshop_update_settings_and_meeting(coordinator, workshop):
    updated = services.workshop_update(
        actor=coordinator,
        workshop=workshop,
        expected_version=workshop.version,
        meeting_version=workshop.meeting.version,
        title="Neu",
        current_phase=Phase.FANTASY,
        voting_open=True,
        voting_scope=VotingScope.ALL,
    )
    updated.refresh_from_db()
    assert (updated.meeting.title, updated.current_phase, updated.voting_open) == ("Neu", "fantasy", True)
    assert AuditLogEntry.objects.filter(action="workshops.workshop.updated", data__process=workshop.process_id)


def test_workshop_update_conflict(coordinator, workshop):
    old = workshop.version
    services.workshop_update(actor=coordinator, workshop=workshop, current_phase=Phase.FANTASY)
    with pytest.raises(services.WorkshopEditConflict) as error:
        services.workshop_update(actor=coordinator, workshop=workshop, expected_version=old, fantasy_minutes=20)
    assert error.value.current.current_phase == Phase.FANTASY
    workshop.refresh_from_db()
    assert workshop.fantasy_minutes == 60


def test_voting_settings_frozen_after_votes(coordinator, workshop):
    idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION)
    Vote.objects.create(workshop=workshop, idea=idea, user=coordinator)
    with pytest.raises(DomainError) as error:
        services.workshop_update(actor=coordinator, workshop=workshop, votes_per_participant=9)
    assert error.value.field == "votes_per_participant"
    # Unchanged values are fine.
    services.workshop_update(actor=coordinator, workshop=workshop, votes_per_participant=5, voting_open=True)


def test_workshop_delete_removes_meeting(coordinator, workshop):
    IdeaFactory(workshop=workshop)
    services.workshop_delete(actor=coordinator, workshop=workshop)
    assert not Workshop.objects.exists() and not Meeting.objects.exists() and not Idea.objects.exists()


# --- Ideas -------------------------------------------------------------------------------------------


def test_idea_create_strips_and_positions(coordinator, workshop, field):
    first = services.idea_create(workshop=workshop, phase=Phase.CRITIQUE, text="  Zu wenig Busse  ", author=coordinator)
    second = services.idea_create(
        workshop=workshop, phase=Phase.CRITIQUE, text="Kein Café", field_of_action=field, author=coordinator
    )
    assert first.text == "Zu wenig Busse"
    assert second.position > first.position
    assert (second.municipality, second.author, second.status) == (workshop.municipality, coordinator, "visible")
    entry = AuditLogEntry.objects.filter(action="workshops.idea.created").first()
    assert entry.data["process"] == workshop.process_id and entry.actor == coordinator


@pytest.mark.parametrize(
    ("text", "phase", "field"),
    [("   ", "critique", "text"), ("x" * 1001, "critique", "text"), ("Gut", "dreaming", "phase")],
)
def test_idea_create_bad_input(workshop, text, phase, field):
    with pytest.raises(DomainError) as error:
        services.idea_create(workshop=workshop, phase=phase, text=text)
    assert error.value.field == field
    assert not Idea.objects.exists()


def test_idea_create_refuses_foreign_field_and_cluster(workshop, other_field, other_workshop):
    with pytest.raises(DomainError):
        services.idea_create(workshop=workshop, phase=Phase.CRITIQUE, text="A", field_of_action=other_field)
    with pytest.raises(DomainError):
        services.idea_create(
            workshop=workshop, phase=Phase.CRITIQUE, text="A", cluster=ClusterFactory(workshop=other_workshop)
        )
    with pytest.raises(DomainError):
        services.idea_create(
            workshop=workshop, phase=Phase.FANTASY, text="A", cluster=ClusterFactory(workshop=workshop)
        )
    assert not Idea.objects.exists()


def test_idea_create_by_participant(workshop, other_workshop):
    link = ParticipationLinkFactory(workshop=workshop)
    participant = ParticipantFactory(link=link)
    idea = services.idea_create(
        workshop=workshop,
        phase=Phase.FANTASY,
        text="Ein Dorfladen",
        participant=participant,
        author_name=" Erika ",
        status=IdeaStatus.PENDING,
    )
    assert (idea.participant, idea.author_name, idea.status, idea.author) == (participant, "Erika", "pending", None)
    foreign = ParticipantFactory(link=ParticipationLinkFactory(workshop=other_workshop))
    with pytest.raises(DomainError):
        services.idea_create(workshop=workshop, phase=Phase.FANTASY, text="X", participant=foreign)


def test_idea_update_and_conflict(contributor, workshop, field):
    idea = IdeaFactory(workshop=workshop, cluster=ClusterFactory(workshop=workshop))
    version = idea.version
    updated = services.idea_update(
        actor=contributor, idea=idea, text="Neu", phase=Phase.FANTASY, field_of_action=field, expected_version=version
    )
    assert (updated.text, updated.phase, updated.field_of_action, updated.cluster) == ("Neu", "fantasy", field, None)
    with pytest.raises(services.IdeaEditConflict) as error:
        services.idea_update(actor=contributor, idea=idea, text="Alt", expected_version=version)
    assert error.value.current.text == "Neu"
    idea.refresh_from_db()
    assert idea.text == "Neu"


def test_idea_delete(contributor, workshop):
    idea = IdeaFactory(workshop=workshop)
    services.idea_delete(actor=contributor, idea=idea)
    assert not Idea.objects.exists()
    with pytest.raises(DomainError):
        services.idea_delete(actor=contributor, idea=idea)


def test_idea_move_within_phase_and_field(contributor, workshop, field):
    a, b, c = (IdeaFactory(workshop=workshop) for _ in range(3))
    other = IdeaFactory(workshop=workshop, field_of_action=field)
    version = b.version
    assert services.idea_move(actor=contributor, idea=b, direction="up")
    order = list(Idea.objects.filter(field_of_action=None).order_by("position").values_list("pk", flat=True))
    assert order == [b.pk, a.pk, c.pk]
    assert not services.idea_move(actor=contributor, idea=b, direction="up")
    assert not services.idea_move(actor=contributor, idea=other, direction="down")
    b.refresh_from_db()
    assert b.version == version  # reordering keeps the version: no conflict with an open edit form
    with pytest.raises(DomainError):
        services.idea_move(actor=contributor, idea=a, direction="sideways")


def test_idea_set_cluster(contributor, workshop, other_workshop):
    idea = IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE)
    cluster = ClusterFactory(workshop=workshop, phase=Phase.CRITIQUE)
    services.idea_set_cluster(actor=contributor, idea=idea, cluster=cluster)
    idea.refresh_from_db()
    assert idea.cluster == cluster
    for wrong in (ClusterFactory(workshop=workshop, phase=Phase.FANTASY), ClusterFactory(workshop=other_workshop)):
        with pytest.raises(DomainError):
            services.idea_set_cluster(actor=contributor, idea=idea, cluster=wrong)
    services.idea_set_cluster(actor=contributor, idea=idea, cluster=None)
    idea.refresh_from_db()
    assert idea.cluster is None


# --- Moderation --------------------------------------------------------------------------------------


def test_idea_moderate(coordinator, workshop):
    idea = IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING)
    with pytest.raises(DomainError) as error:
        services.idea_moderate(idea=idea, actor=coordinator, status=IdeaStatus.HIDDEN, reason="  ")
    assert error.value.field == "reason"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING
    services.idea_moderate(idea=idea, actor=coordinator, status=IdeaStatus.HIDDEN, reason="Werbung")
    idea.refresh_from_db()
    assert (idea.status, idea.moderation_reason, idea.moderated_by) == ("hidden", "Werbung", coordinator)
    services.idea_moderate(idea=idea, actor=coordinator, status=IdeaStatus.VISIBLE)
    idea.refresh_from_db()
    assert (idea.status, idea.moderation_reason) == ("visible", "")
    with pytest.raises(DomainError):
        services.idea_moderate(idea=idea, actor=coordinator, status=IdeaStatus.PENDING)
    with pytest.raises(DomainError):
        services.idea_moderate(idea=idea, actor=coordinator, status=IdeaStatus.HIDDEN, reason="x" * 301)
    assert AuditLogEntry.objects.filter(action="workshops.idea.moderated").count() == 2


# --- Supports ------------------------------------------------------------------------------------------


def test_support_toggle_once_per_user(contributor, reader, workshop):
    idea = IdeaFactory(workshop=workshop)
    assert services.support_toggle(idea=idea, user=contributor) is True
    assert services.support_toggle(idea=idea, user=reader) is True
    assert Support.objects.filter(idea=idea).count() == 2
    assert services.support_toggle(idea=idea, user=contributor) is False
    assert Support.objects.filter(idea=idea).count() == 1


def test_support_toggle_participant(workshop, other_workshop):
    idea = IdeaFactory(workshop=workshop)
    participant = ParticipantFactory(link=ParticipationLinkFactory(workshop=workshop))
    assert services.support_toggle(idea=idea, participant=participant) is True
    assert Support.objects.get(idea=idea).participant == participant
    foreign = ParticipantFactory(link=ParticipationLinkFactory(workshop=other_workshop))
    with pytest.raises(DomainError):
        services.support_toggle(idea=idea, participant=foreign)


def test_support_refused_for_hidden_and_pending(contributor, workshop):
    for status in (IdeaStatus.PENDING, IdeaStatus.HIDDEN):
        idea = IdeaFactory(workshop=workshop, status=status)
        with pytest.raises(DomainError):
            services.support_toggle(idea=idea, user=contributor)
    assert not Support.objects.exists()


def test_support_database_constraint(contributor, workshop):
    idea = IdeaFactory(workshop=workshop)
    Support.objects.create(idea=idea, user=contributor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=contributor)


def test_support_concurrent_duplicate_gives_message(contributor, workshop, monkeypatch):
    """Two clicks at once: the second create hits the constraint and becomes a German message."""
    idea = IdeaFactory(workshop=workshop)
    Support.objects.create(idea=idea, user=contributor)
    real_filter = Support.objects.filter

    class NothingDeleted:
        def delete(self):
            return 0, {}

    monkeypatch.setattr(Support.objects, "filter", lambda **kwargs: NothingDeleted())
    with pytest.raises(DomainError) as error:
        services.support_toggle(idea=idea, user=contributor)
    monkeypatch.setattr(Support.objects, "filter", real_filter)
    assert "bereits" in str(error.value.message)
    assert Support.objects.filter(idea=idea).count() == 1


# --- Clusters -------------------------------------------------------------------------------------------


def test_cluster_crud(contributor, workshop):
    cluster = services.cluster_create(actor=contributor, workshop=workshop, phase=Phase.CRITIQUE, title=" Mobilität ")
    assert cluster.title == "Mobilität"
    with pytest.raises(DomainError):
        services.cluster_create(actor=contributor, workshop=workshop, phase=Phase.CRITIQUE, title="mobilität")
    with pytest.raises(DomainError):
        services.cluster_create(actor=contributor, workshop=workshop, phase=Phase.CRITIQUE, title="   ")
    services.cluster_create(actor=contributor, workshop=workshop, phase=Phase.FANTASY, title="Mobilität")
    version = cluster.version
    services.cluster_update(actor=contributor, cluster=cluster, title="Verkehr", expected_version=version)
    with pytest.raises(services.ClusterEditConflict):
        services.cluster_update(actor=contributor, cluster=cluster, title="Bus", expected_version=version)
    idea = IdeaFactory(workshop=workshop, cluster=cluster)
    services.cluster_delete(actor=contributor, cluster=cluster)
    idea.refresh_from_db()
    assert idea.cluster is None and not Cluster.objects.filter(pk=cluster.pk).exists()
    assert AuditLogEntry.objects.filter(action__startswith="workshops.cluster.", data__process=workshop.process_id)


def test_workshop_factory_builds_a_workshop_meeting(process):
    workshop = WorkshopFactory(process=process)
    assert workshop.meeting.step == "workshop" and workshop.meeting.municipality == process.municipality
