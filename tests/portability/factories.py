"""A small but complete workspace: at least one object of every kind the export includes, with files."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from daks.comments.models import Comment
from daks.core.audit import log_action
from daks.demography.models import Dataset, Observation, Projection, ProjectionScenario
from daks.meetings.models import AgendaItem, Meeting, MeetingInvitation
from daks.municipalities.models import Invitation, JoinRequest, Role, hash_token
from daks.network.models import ContactConsent, Portrait
from daks.news.models import NewsItem, NewsStatus
from daks.plans import versions
from daks.plans.models import Goal, Measure, Milestone, Plan, SavedFilter
from daks.profile.models import FieldOfAction, Interview, InventoryItem, ProfileInterpretation, SwotItem
from daks.reviews.models import (
    Adjustment,
    Answer,
    ConsolidationItem,
    Factor,
    GoalReview,
    MeasureCheck,
    Question,
    Response,
    Review,
    Survey,
    SurveyInvitation,
    SurveySection,
)
from daks.strategy.models import Actor, ChecklistItem, ChecklistTick, StepState, StrategyProcess, Task, WorkingGroup
from daks.toolbox.models import (
    MeasureTool,
    Tool,
    ToolAttachment,
    ToolRevision,
    ToolSize,
    ToolStatus,
    ToolStep,
    TopicField,
)
from daks.workshops.models import Cluster, Idea, Participant, ParticipationLink, Photo, Support, Vote, Workshop
from tests.factories import MembershipFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (30, 200, 30)).save(out, format="JPEG")
    return out.getvalue()


def topic(slug="wohnen", name="Wohnen") -> TopicField:
    return TopicField.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def editorial_tool(slug="zukunftswerkstatt-methode") -> Tool:
    """A tool of the editorial office (not of the Kommune): the export refers to it by its slug."""
    tool = Tool.objects.create(
        slug=slug, title="Zukunftswerkstatt", teaser="Methode", body="Text", tool_type="method", status="published"
    )
    tool.topics.add(topic())
    return tool


def build_workspace(municipality, coordinator) -> dict:
    """Objects of every included kind for ``municipality``; returns the important ones by name."""
    now = timezone.now().replace(microsecond=123456)
    contributor = MembershipFactory(municipality=municipality, role=Role.CONTRIBUTOR).user
    reader = MembershipFactory(municipality=municipality, role=Role.READER).user
    applicant = UserFactory()
    municipality.logo.save("wappen.png", ContentFile(png_bytes()), save=True)

    Invitation.objects.create(
        municipality=municipality,
        email="neu@musterstadt.example",
        role=Role.CONTRIBUTOR,
        message="Willkommen!",
        token_hash=hash_token("secret-invitation-token"),
        invited_by=coordinator,
        expires_at=now + datetime.timedelta(days=5),
    )
    Invitation.objects.create(
        municipality=municipality,
        email="alt@musterstadt.example",
        role=Role.READER,
        token_hash=hash_token("expired-invitation-token"),
        expires_at=now - datetime.timedelta(days=5),
    )
    JoinRequest.objects.create(municipality=municipality, user=applicant, message="Darf ich?")
    ContactConsent.objects.create(municipality=municipality, user=contributor)

    dataset = Dataset.objects.create(
        municipality=municipality, title="Melderegister", source="Einwohnermeldeamt", format="own", sha256="a" * 64
    )
    Observation.objects.create(
        dataset=dataset, region_key="09162999", variable="population", year=2025, sex="total", value=Decimal("1234")
    )
    scenario = ProjectionScenario.objects.create(
        municipality=municipality, code="eigen", name="Eigene Annahmen", status="running", created_by=coordinator
    )
    Projection.objects.create(
        region_key="09162999", scenario=scenario, base_year=2024, horizon_year=2026, totals=[100.0, 101.5, 102.0]
    )

    process = StrategyProcess.objects.create(
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        created_by=coordinator,
    )
    process.coordinators.set([coordinator, contributor])
    StepState.objects.create(process=process, step="kickoff", status="done", done_at=now, done_by=contributor)
    item = ChecklistItem.objects.order_by("pk").first() or ChecklistItem.objects.create(
        step="kickoff", code="team", text="Team steht"
    )
    ChecklistTick.objects.create(process=process, item=item, ticked_by=contributor)
    actor = Actor.objects.create(
        municipality=municipality,
        name="Seniorenbeirat",
        email="beirat@example.org",
        contact_consent=True,
        influence=4,
        interest=5,
        created_by=coordinator,
    )

    field = FieldOfAction.objects.create(
        process=process, municipality=municipality, title="Wohnen im Alter", priority=1, author=contributor
    )
    group = WorkingGroup.objects.create(
        municipality=municipality, process=process, title="AG Wohnen", field_of_action=field, lead=contributor
    )
    group.members.set([coordinator, contributor])
    group.actors.set([actor])
    Task.objects.create(
        municipality=municipality,
        process=process,
        step="profile",
        title="Zahlen prüfen",
        assignee=contributor,
        working_group=group,
        due_date=datetime.date(2026, 5, 1),
    )
    inventory = InventoryItem.objects.create(
        process=process, municipality=municipality, title="Seniorenkonzept 2019", field_of_action=field
    )
    inventory.document.save("konzept.pdf", ContentFile(PDF), save=True)
    interview = Interview.objects.create(
        process=process, municipality=municipality, actor=actor, interviewee="Frau Beispiel", summary="Viel Bedarf"
    )
    swot = SwotItem.objects.create(
        process=process,
        municipality=municipality,
        quadrant="strength",
        text="Viele Ehrenamtliche",
        evidence_inventory=inventory,
        evidence_interview=interview,
        author=contributor,
    )
    field.swot_items.set([swot])
    ProfileInterpretation.objects.create(
        process=process, municipality=municipality, section="figures", text="Wir altern.", updated_by=coordinator
    )

    meeting = Meeting.objects.create(
        municipality=municipality,
        process=process,
        step="workshop",
        working_group=group,
        title="Zukunftswerkstatt",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=4),
    )
    AgendaItem.objects.create(meeting=meeting, title="Begrüßung", position=1)
    MeetingInvitation.objects.create(
        meeting=meeting, member=contributor, name="Max", email="max@example.org", token_hash=hash_token("meeting")
    )

    plan = Plan.objects.create(process=process, municipality=municipality, vision="Gut alt werden")
    goal = Goal.objects.create(
        plan=plan, municipality=municipality, field_of_action=field, title="Mehr Plätze", baseline_value=Decimal("120")
    )
    measure = Measure.objects.create(
        plan=plan,
        municipality=municipality,
        field_of_action=field,
        title="Wohnberatung",
        responsible_person=contributor,
        budget_own=Decimal("1500.50"),
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
        target_groups=["seniors"],
        progress=30,
        created_by=coordinator,
    )
    measure.goals.set([goal])
    measure.partners.set([actor])
    Milestone.objects.create(measure=measure, title="Beratungsstelle eröffnet", due_date=datetime.date(2026, 9, 30))
    version = versions.version_create(plan=plan, actor=coordinator, name="Beschluss", date=datetime.date(2026, 6, 1))
    Plan.objects.filter(pk=plan.pk).update(published_version=version, published_at=now)
    Measure.objects.filter(pk=measure.pk).update(title="Wohnberatung für alle")  # differs from the version now
    SavedFilter.objects.create(plan=plan, name="Offene", query="status=planned", created_by=coordinator)

    workshop = Workshop.objects.create(municipality=municipality, process=process, meeting=meeting)
    cluster = Cluster.objects.create(workshop=workshop, phase="critique", title="Wohnen")
    link = ParticipationLink.objects.create(
        workshop=workshop,
        token_hash=hash_token("participation"),
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=3),
        created_by=coordinator,
    )
    participant = Participant.objects.create(link=link, token_hash=hash_token("participant"), name="Anna")
    idea = Idea.objects.create(
        workshop=workshop,
        municipality=municipality,
        phase="critique",
        cluster=cluster,
        text="Mehr Bänke",
        author=contributor,
        measure=measure,
        field_of_action=field,
    )
    other_idea = Idea.objects.create(
        workshop=workshop, municipality=municipality, phase="fantasy", text="Seilbahn", participant=participant
    )
    Support.objects.create(idea=idea, user=contributor)
    Support.objects.create(idea=idea, user=coordinator)
    Support.objects.create(idea=idea, participant=participant)
    Vote.objects.create(workshop=workshop, idea=idea, user=contributor)
    Vote.objects.create(workshop=workshop, idea=other_idea, user=reader)
    Vote.objects.create(workshop=workshop, idea=other_idea, participant=participant)
    photo = Photo(workshop=workshop, caption="Pinnwand", phase="critique", uploaded_by=coordinator)
    photo.image.save("pinnwand.png", ContentFile(png_bytes()), save=False)
    photo.thumbnail.save("pinnwand-vorschau.jpg", ContentFile(jpeg_bytes()), save=False)
    photo.save()

    survey = Survey.objects.create(
        municipality=municipality,
        process=process,
        title="Umfrage",
        open_link_token_hash=hash_token("open-link"),
        created_by=coordinator,
    )
    section = SurveySection.objects.create(survey=survey, title="Allgemein", position=1)
    question = Question.objects.create(
        survey=survey, section=section, kind="single", text="Wie zufrieden?", options=["gut", "schlecht"], position=1
    )
    invitation = SurveyInvitation.objects.create(
        survey=survey, name="Max", email="max@example.org", member=contributor, token_hash=hash_token("survey")
    )
    response = Response.objects.create(survey=survey, invitation=invitation, submitted_at=now)
    Answer.objects.create(response=response, question=question, choices=["gut"], text="")
    review = Review.objects.create(
        municipality=municipality, process=process, title="Zwischenbilanz 2027", date=datetime.date(2027, 1, 15)
    )
    review.surveys.set([survey])
    GoalReview.objects.create(review=review, goal=goal, latest_value=Decimal("130"), latest_year=2026)
    MeasureCheck.objects.create(review=review, measure=measure, status="on_track", comment="läuft")
    factor = Factor.objects.create(review=review, kind="enabler", text="Engagierte Menschen")
    factor.measures.set([measure])
    Adjustment.objects.create(
        review=review,
        kind="change",
        measure=measure,
        goal=goal,
        description="Mehr Budget",
        reason="Nachfrage",
        decided_on=datetime.date(2027, 2, 1),
        plan_version=version,
    )
    ConsolidationItem.objects.create(review=review, key="budget", done=True, note="im Haushalt")

    own_tool = Tool.objects.create(
        slug="seniorenlotsen",
        title="Seniorenlotsen",
        teaser="Ehrenamtliche begleiten",
        body="So geht es.",
        tool_type="best_practice",
        origin_municipality=municipality,
        status=ToolStatus.PUBLISHED,
        published_at=now,
        submitted_by=contributor,
        credit="Musterstadt",
    )
    own_tool.topics.add(topic())
    other = editorial_tool()
    own_tool.related.add(other)
    ToolStep.objects.create(tool=own_tool, step="plan")
    ToolSize.objects.create(tool=own_tool, size="small")
    attachment = ToolAttachment(tool=own_tool, title="Leitfaden", size=len(PDF), content_type="application/pdf")
    attachment.file.save("leitfaden.pdf", ContentFile(PDF), save=False)
    attachment.save()
    ToolRevision.objects.create(tool=own_tool, author=contributor, action="submitted", status="review")
    MeasureTool.objects.create(municipality=municipality, measure=measure, tool=other, created_by=coordinator)
    MeasureTool.objects.create(municipality=municipality, measure=measure, tool=own_tool, created_by=coordinator)

    portrait = Portrait.objects.create(municipality=municipality, is_public=True, description="Schön hier")
    portrait.image.save("rathaus.png", ContentFile(png_bytes((10, 10, 200))), save=True)
    portrait.topics.set([topic()])
    portrait.contacts.set([contributor])
    news = NewsItem.objects.create(
        title="Neue Beratung",
        slug="neue-beratung",
        teaser="Ab sofort",
        municipality=municipality,
        status=NewsStatus.PUBLISHED,
        published_at=now,
        author=coordinator,
    )
    news.image.save("beratung.png", ContentFile(png_bytes()), save=True)

    log_action("plans.measure.updated", actor=contributor, municipality=municipality, obj=measure, measure=measure.pk)
    log_action("strategy.process.note", actor=coordinator, municipality=municipality, process=process.pk, item=999)
    comment = Comment.objects.create(
        municipality=municipality,
        content_type=ContentType.objects.get_for_model(Measure),
        object_id=measure.pk,
        author=contributor,
        body="Wer übernimmt das?",
    )
    comment.mentioned.set([coordinator])

    return {
        "contributor": contributor,
        "reader": reader,
        "process": process,
        "plan": plan,
        "measure": measure,
        "goal": goal,
        "idea": idea,
        "other_idea": other_idea,
        "version": version,
        "survey": survey,
        "own_tool": own_tool,
        "editorial_tool": other,
        "swot": swot,
        "comment": comment,
        "news": news,
        "link": link,
        "scenario": scenario,
    }


def zip_with(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def de(msgid, plural=None, n=1, **values):
    """The German text (works before and after the catalogues are compiled)."""
    from django.utils.translation import gettext, ngettext, override

    with override("de"):
        text = ngettext(msgid, plural, n) if plural else gettext(msgid)
    return text % values if values else text


def damaged(msgid, **values):
    """The German message of an archive that cannot be imported."""
    return de("The archive cannot be imported: %(detail)s Nothing has been imported.", detail=de(msgid, **values))
