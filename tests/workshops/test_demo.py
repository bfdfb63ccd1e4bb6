import datetime

from django.db.models import Count

from daks.municipalities.models import Role
from daks.plans.demo import seed_plan
from daks.plans.models import Measure, MeasureStatus
from daks.workshops import report
from daks.workshops.demo import DEMO_TITLE, POINTS_PER_PARTICIPANT, seed_workshop
from daks.workshops.models import Idea, Participant, Phase, Photo, Vote, Workshop
from tests.factories import MembershipFactory, UserFactory


def test_seed_workshop_is_complete_and_idempotent(process, coordinator, municipality):
    for email, role in (("mitarbeit@beispielstadt.example", Role.CONTRIBUTOR), ("lesen@b.example", Role.READER)):
        MembershipFactory(municipality=municipality, user=UserFactory(email=email), role=role)
    today = datetime.date(2026, 6, 1)
    seed_plan(municipality, process, coordinator, today=today)
    measures_before = Measure.objects.count()

    workshop = seed_workshop(municipality, process, coordinator, today=today)
    assert seed_workshop(municipality, process, coordinator, today=today) == workshop
    assert Workshop.objects.count() == 1

    meeting = workshop.meeting
    meeting.refresh_from_db()
    assert meeting.title == DEMO_TITLE and meeting.ends_at.date() < today and meeting.step == "workshop"
    assert meeting.agenda.count() >= 5 and meeting.decisions
    ideas = Idea.objects.filter(workshop=workshop)
    assert 38 <= ideas.count() <= 45
    assert set(ideas.values_list("phase", flat=True)) == set(Phase.values)
    assert ideas.filter(participant__isnull=False, author__isnull=True).count() >= 10
    assert ideas.filter(field_of_action__isnull=False).count() >= 35
    link = workshop.participation_links.get()
    assert link.closed_at is not None and len(link.token_hash) == 64

    # dot voting on realisation ideas, nobody above the budget
    assert Vote.objects.filter(workshop=workshop).exclude(idea__phase=Phase.REALISATION).count() == 0
    per_voter = Vote.objects.filter(workshop=workshop, participant__isnull=False).values("participant")
    assert max(row["n"] for row in per_voter.annotate(n=Count("id"))) <= POINTS_PER_PARTICIPANT
    per_member = Vote.objects.filter(workshop=workshop, user__isnull=False).values("user").annotate(n=Count("id"))
    assert per_member and max(row["n"] for row in per_member) <= POINTS_PER_PARTICIPANT

    carried = ideas.filter(measure__isnull=False)
    assert carried.count() == 3
    assert Measure.objects.count() == measures_before + 3
    assert set(Measure.objects.filter(ideas__in=carried).values_list("status", flat=True)) == {MeasureStatus.IDEA}
    assert Photo.objects.filter(workshop=workshop).count() == 1

    data = report.report_data(workshop)
    assert data.link_participants == Participant.objects.filter(link=link).count() >= 10
    assert data.attended >= 2 and data.results[0].rows
    assert "Anna (Beispiel)" not in report.ReportPdf().html(data)
