"""The world of the URL walk: two Kommunen with a complete workspace each, their members in every role, a staff
user, and the network-wide objects (tools, news, events, newsletter, exchange) that belong to Kommune A.

Every private text of Kommune A carries ``MARKER_A`` and every private text of Kommune B ``MARKER_B``: a response
that shows one of them to someone who must not see it is a leak. Nothing of A is published (plan, portrait, tool,
news, event), so the public pages must not show A's objects at all.

Objects are created directly (like tests/portability/factories.py) rather than through the services: the walk
needs one of each kind quickly, not a realistic history.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from daks.api import tokens as api_tokens
from daks.api.models import TokenScope
from daks.comments.models import Comment, Notification, NotificationKind
from daks.demography.models import Dataset, Level, Observation, Projection, ProjectionScenario, Region
from daks.events.models import Event, EventStatus, Registration, RegistrationStatus
from daks.exchange.models import Answer as ExchangeAnswer
from daks.exchange.models import Question as ExchangeQuestion
from daks.exchange.models import Report
from daks.meetings.models import AgendaItem, Meeting, MeetingInvitation
from daks.municipalities.models import Invitation, JoinRequest, Membership, Role, hash_token
from daks.network.models import MunicipalityGroup, Portrait
from daks.news.models import IssueStatus, NewsItem, NewsletterIssue, NewsStatus, Subscriber, SubscriberStatus
from daks.news.services import _renew_unsubscribe, unsubscribe_token
from daks.pages.models import Page
from daks.plans import versions
from daks.plans.models import Goal, Measure, Milestone, Plan, SavedFilter
from daks.portability.models import WorkspaceExport
from daks.profile.models import FieldOfAction, Interview, InventoryItem, SwotItem
from daks.reviews.models import (
    Adjustment,
    Factor,
    NetworkSurvey,
    Question,
    Response,
    Review,
    Survey,
    SurveyInvitation,
    SurveySection,
)
from daks.reviews.models import Answer as SurveyAnswer
from daks.strategy.models import Actor, StrategyProcess, Task, WorkingGroup
from daks.toolbox.models import Tool, ToolAttachment, ToolRevision, ToolStatus, TopicField
from daks.workshops.models import Cluster, Idea, ParticipationLink, Photo, Workshop
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

MARKER_A = "GEHEIM-A"
MARKER_B = "GEHEIM-B"
ROLES = (Role.COORDINATION, Role.CONTRIBUTOR, Role.READER, Role.ADVISOR)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty ZIP archive


def png_bytes(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), color).save(out, format="PNG")
    return out.getvalue()


def build_workspace(*, name: str, slug: str, key: str, marker: str) -> SimpleNamespace:
    """One Kommune with members in every role and at least one object of every kind its workspace pages show.

    Returns a namespace of the objects by the names that tests/security/kwargs.py refers to, plus ``tokens``
    (raw capability tokens) and ``api`` (raw API tokens per role)."""
    now = timezone.now()
    m = f"{marker} {name}"  # the secret prefix of this Kommune's private texts
    municipality = MunicipalityFactory(name=name, slug=slug, official_key=key)
    Region.objects.get_or_create(
        level=Level.GEMEINDE,
        key=key,
        defaults={"ars": key, "name": name, "search_name": name.lower(), "kind": "Gemeinde", "population": 5000},
    )
    users = {role: MembershipFactory(municipality=municipality, role=role).user for role in ROLES}
    coordinator, contributor = users[Role.COORDINATION], users[Role.CONTRIBUTOR]
    w = SimpleNamespace(municipality=municipality, slug=slug, users=users, marker=marker, tokens={}, api={})

    w.team_invitation = Invitation.objects.create(
        municipality=municipality,
        email=f"neu@{slug}.example",
        role=Role.CONTRIBUTOR,
        message=f"{m} Einladung",
        token_hash=hash_token(f"invitation-{slug}"),
        invited_by=coordinator,
        expires_at=now + datetime.timedelta(days=5),
    )
    w.tokens["invitation"] = f"invitation-{slug}"
    w.join_request = JoinRequest.objects.create(municipality=municipality, user=UserFactory(), message=f"{m} Anfrage")
    w.membership = Membership.objects.get(municipality=municipality, user=contributor)

    w.dataset = Dataset.objects.create(
        municipality=municipality, title=f"{m} Melderegister", source="Einwohnermeldeamt", format="own", sha256="a" * 64
    )
    Observation.objects.create(
        dataset=w.dataset, region_key=key, variable="population", year=2025, sex="total", value=Decimal("1234")
    )
    w.scenario = ProjectionScenario.objects.create(
        municipality=municipality, code=f"eigen-{slug}", name=f"{m} Annahmen", status="done", created_by=coordinator
    )
    Projection.objects.create(
        region_key=key, scenario=w.scenario, base_year=2024, horizon_year=2026, totals=[100.0, 101.5, 102.0]
    )

    w.process = StrategyProcess.objects.create(
        municipality=municipality, title=f"{m} Prozess", start_date=datetime.date(2026, 3, 1), created_by=coordinator
    )
    w.process.coordinators.set([coordinator])
    w.actor = Actor.objects.create(
        municipality=municipality, name=f"{m} Seniorenbeirat", influence=4, interest=5, created_by=coordinator
    )
    w.field = FieldOfAction.objects.create(
        process=w.process, municipality=municipality, title=f"{m} Wohnen", priority=1, author=contributor
    )
    w.working_group = WorkingGroup.objects.create(
        municipality=municipality, process=w.process, title=f"{m} AG", field_of_action=w.field, lead=contributor
    )
    w.task = Task.objects.create(
        municipality=municipality, process=w.process, step="profile", title=f"{m} Aufgabe", assignee=contributor
    )
    w.inventory_item = InventoryItem.objects.create(
        process=w.process, municipality=municipality, title=f"{m} Konzept", field_of_action=w.field
    )
    w.inventory_item.document.save("konzept.pdf", ContentFile(PDF), save=True)
    w.interview = Interview.objects.create(
        process=w.process, municipality=municipality, actor=w.actor, interviewee=f"{m} Frau", summary=f"{m} Bedarf"
    )
    w.swot_item = SwotItem.objects.create(
        process=w.process, municipality=municipality, quadrant="strength", text=f"{m} Ehrenamt", author=contributor
    )

    w.meeting = Meeting.objects.create(
        municipality=municipality,
        process=w.process,
        step="workshop",
        title=f"{m} Treffen",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=4),
    )
    w.agenda_item = AgendaItem.objects.create(meeting=w.meeting, title=f"{m} Punkt", position=1)
    w.meeting_invitation = MeetingInvitation.objects.create(
        meeting=w.meeting, name=f"{m} Gast", email=f"gast@{slug}.example", token_hash=hash_token(f"rsvp-{slug}")
    )
    w.tokens["rsvp"] = f"rsvp-{slug}"

    w.plan = Plan.objects.create(process=w.process, municipality=municipality, vision=f"{m} Vision")
    w.goal = Goal.objects.create(plan=w.plan, municipality=municipality, field_of_action=w.field, title=f"{m} Ziel")
    w.measure = Measure.objects.create(
        plan=w.plan,
        municipality=municipality,
        field_of_action=w.field,
        title=f"{m} Massnahme",
        responsible_person=contributor,
        created_by=coordinator,
    )
    w.measure.goals.set([w.goal])
    w.milestone = Milestone.objects.create(
        measure=w.measure, title=f"{m} Meilenstein", due_date=datetime.date(2026, 9, 30)
    )
    w.version = versions.version_create(
        plan=w.plan, actor=coordinator, name=f"{m} Fassung", date=datetime.date(2026, 6, 1)
    )
    w.saved_filter = SavedFilter.objects.create(
        plan=w.plan, name=f"{m} Filter", query="status=planned", created_by=coordinator
    )

    w.workshop = Workshop.objects.create(
        municipality=municipality, process=w.process, meeting=w.meeting, moderator_notes=f"{m} Notiz"
    )
    w.cluster = Cluster.objects.create(workshop=w.workshop, phase="critique", title=f"{m} Cluster")
    w.link = ParticipationLink.objects.create(
        workshop=w.workshop,
        token_hash=hash_token(f"participation-{slug}"),
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=3),
        created_by=coordinator,
    )
    w.tokens["participation"] = f"participation-{slug}"
    w.idea = Idea.objects.create(
        workshop=w.workshop,
        municipality=municipality,
        phase="critique",
        cluster=w.cluster,
        text=f"{m} Idee",
        author=contributor,
    )
    w.photo = Photo(workshop=w.workshop, caption=f"{m} Foto", phase="critique", uploaded_by=coordinator)
    w.photo.image.save("pinnwand.png", ContentFile(png_bytes()), save=False)
    w.photo.thumbnail.save("pinnwand-vorschau.png", ContentFile(png_bytes()), save=False)
    w.photo.save()

    w.survey = Survey.objects.create(
        municipality=municipality,
        process=w.process,
        title=f"{m} Umfrage",
        open_link_token_hash=hash_token(f"open-link-{slug}"),
        created_by=coordinator,
    )
    w.section = SurveySection.objects.create(survey=w.survey, title=f"{m} Abschnitt", position=1)
    w.question = Question.objects.create(survey=w.survey, section=w.section, kind="text", text=f"{m} Frage", position=1)
    w.survey_invitation = SurveyInvitation.objects.create(
        survey=w.survey, name=f"{m} Befragte", email=f"befragt@{slug}.example", token_hash=hash_token(f"survey-{slug}")
    )
    w.tokens["survey"] = f"survey-{slug}"
    response = Response.objects.create(survey=w.survey, submitted_at=now)
    w.survey_answer = SurveyAnswer.objects.create(
        response=response, question=w.question, choices=[], text=f"{m} Antwort"
    )
    w.review = Review.objects.create(
        municipality=municipality, process=w.process, title=f"{m} Bilanz", date=datetime.date(2027, 1, 15)
    )
    w.factor = Factor.objects.create(review=w.review, kind="enabler", text=f"{m} Faktor")
    w.adjustment = Adjustment.objects.create(
        review=w.review,
        kind="change",
        measure=w.measure,
        goal=w.goal,
        description=f"{m} Anpassung",
        reason="x",
        decided_on=datetime.date(2027, 2, 1),
    )

    w.comment = Comment.objects.create(
        municipality=municipality,
        content_type=ContentType.objects.get_for_model(SwotItem),
        object_id=w.swot_item.pk,
        author=contributor,
        body=f"{m} Kommentar",
    )
    w.notification = Notification.objects.create(
        recipient=coordinator,
        municipality=municipality,
        kind=NotificationKind.MENTION,
        actor=contributor,
        comment=w.comment,
        url="/",
        text=f"{m} Hinweis",
        target_label=f"{m} Ziel",
    )
    w.portrait = Portrait.objects.create(municipality=municipality, is_public=False, description=f"{m} Portrait")
    w.portrait.image.save("rathaus.png", ContentFile(png_bytes((10, 10, 200))), save=True)

    w.portability_export = WorkspaceExport.objects.create(
        municipality=municipality,
        requested_by=coordinator,
        status=WorkspaceExport.Status.DONE,
        progress=100,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    w.portability_export.file.save(f"{slug}.zip", ContentFile(ZIP), save=True)

    # The Kommune's contributions to the network that are not public (yet).
    w.tool = Tool.objects.create(
        slug=f"werkzeug-{slug}",
        title=f"{m} Werkzeug",
        teaser="Eingereicht",
        body=f"{m} Text",
        tool_type="best_practice",
        origin_municipality=municipality,
        status=ToolStatus.REVIEW,
        submitted_by=contributor,
    )
    w.tool_attachment = ToolAttachment(tool=w.tool, title=f"{m} Anhang", size=len(PDF), content_type="application/pdf")
    w.tool_attachment.file.save("leitfaden.pdf", ContentFile(PDF), save=False)
    w.tool_attachment.save()
    w.tool_revision = ToolRevision.objects.create(tool=w.tool, author=contributor, action="submitted", status="review")
    w.news = NewsItem.objects.create(
        title=f"{m} Meldung",
        slug=f"meldung-{slug}",
        teaser=f"{m} Anreisser",
        municipality=municipality,
        status=NewsStatus.SUBMITTED,
        author=coordinator,
    )
    w.exchange_question = ExchangeQuestion.objects.create(
        topic=TopicField.objects.order_by("pk").first(),
        title=f"{m} Frage im Austausch",
        body=f"{m} versteckt",
        author=coordinator,
        municipality=municipality,
        is_hidden=True,
    )
    w.exchange_answer = ExchangeAnswer.objects.create(
        question=w.exchange_question, body=f"{m} versteckte Antwort", author=coordinator, is_hidden=True
    )
    w.exchange_report = Report.objects.create(question=w.exchange_question, reporter=contributor, reason=f"{m} Grund")

    for role, user in users.items():
        token, w.api[role] = api_tokens.token_create(
            user=user, municipality=municipality, name=f"{m} Token", scope=TokenScope.WRITE
        )
        if role == Role.COORDINATION:
            w.api_token = token
    return w


def build_world() -> SimpleNamespace:
    """Kommune A and Kommune B (each with ``build_workspace``), a staff user without membership and the
    network-wide objects the walk needs."""
    now = timezone.now()
    a = build_workspace(name="Kommune A", slug="kommune-a", key="09162998", marker=MARKER_A)
    b = build_workspace(name="Kommune B", slug="kommune-b", key="08111998", marker=MARKER_B)
    staff = UserFactory(is_staff=True, is_superuser=True)

    # Network-wide objects: created by the network office, no Kommune's secret.
    network_survey = NetworkSurvey.objects.create(title="Netzwerkumfrage", created_by=staff)
    group = MunicipalityGroup.objects.create(name="Cluster Süd", slug="cluster-sued")
    group.members.set([a.municipality, b.municipality])
    published_tool = Tool.objects.create(
        slug="werkzeug-oeffentlich", title="Offenes Werkzeug", teaser="t", body="b", status=ToolStatus.PUBLISHED
    )
    # Objects of the network office that are private to it and to Kommune A's people.
    draft_event = Event.objects.create(
        title=f"{MARKER_A} Entwurf",
        slug="entwurf-a",
        description=f"{MARKER_A} Beschreibung",
        starts_at=now + datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(days=10, hours=2),
        status=EventStatus.DRAFT,
        created_by=staff,
    )
    open_event = Event.objects.create(
        title="Offenes Seminar",
        slug="offenes-seminar",
        description="Für alle",
        starts_at=now + datetime.timedelta(days=12),
        ends_at=now + datetime.timedelta(days=12, hours=2),
        status=EventStatus.PUBLISHED,
        capacity=10,
        created_by=staff,
    )
    registration = Registration.objects.create(
        event=open_event,
        name=f"{MARKER_A} Teilnehmerin",
        email="teilnahme@kommune-a.example",
        organisation=f"{MARKER_A} Amt",
        status=RegistrationStatus.CONFIRMED,
        token_hash=hash_token("registration-a"),
        consent_at=now,
    )
    issue = NewsletterIssue.objects.create(
        subject=f"{MARKER_A} Ausgabe", body=f"{MARKER_A} Entwurf", status=IssueStatus.DRAFT, created_by=staff
    )
    pending = Subscriber(
        email="neu@kommune-a.example",
        status=SubscriberStatus.PENDING,
        consent_at=now,
        confirm_token_hash=hash_token("newsletter-confirm-a"),
        confirm_expires_at=now + datetime.timedelta(days=2),
    )
    _renew_unsubscribe(pending)
    pending.save()
    subscriber = Subscriber.objects.create(
        email="leserin@kommune-a.example",
        status=SubscriberStatus.CONFIRMED,
        consent_at=now,
        confirmed_at=now,
        unsubscribe_hash="pending",
    )
    _renew_unsubscribe(subscriber)  # the token contains the pk
    subscriber.save()

    globals_ = SimpleNamespace(
        # Not the topic of the exchange questions: deleting a topic that questions still use ends in a 500
        # (ProtectedError; the editorial view only checks for tools) — a bug outside this walk's scope.
        topic=TopicField.objects.order_by("-pk").first(),
        page=Page.objects.create(slug="hilfe", title="Hilfe", body="Wie DAKS funktioniert."),
        network_survey=network_survey,
        group=group,
        published_tool=published_tool,
        draft_event=draft_event,
        open_event=open_event,
        registration=registration,
        issue=issue,
        subscriber=subscriber,
        tokens={
            "registration": "registration-a",
            "newsletter_confirm": "newsletter-confirm-a",
            "newsletter_unsubscribe": unsubscribe_token(subscriber),
        },
    )
    return SimpleNamespace(a=a, b=b, staff=staff, globals=globals_)
