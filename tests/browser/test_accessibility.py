"""axe-core (WCAG 2.0/2.1, levels A and AA) on every kind of page, signed out and signed in."""

import pytest

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = {
    "start": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "accessibility-statement": "/barrierefreiheit/",
}

# "{slug}" is the Kommune of which the signed-in person is the coordination.
MEMBER_PAGES = {
    "dashboard": "/uebersicht/",
    "kommune-create": "/kommunen/neu/",
    "kommune": "/kommunen/{slug}/",
    "team": "/kommunen/{slug}/team/",
    "invite": "/kommunen/{slug}/team/einladen/",
    "kommune-settings": "/kommunen/{slug}/einstellungen/",
    "own-data": "/kommunen/{slug}/daten/",
    "own-data-upload": "/kommunen/{slug}/daten/hochladen/",
    "scenarios": "/kommunen/{slug}/daten/szenarien/",
    "scenario-create": "/kommunen/{slug}/daten/szenarien/neu/",
    "leave": "/kommunen/{slug}/verlassen/",
    "delete": "/kommunen/{slug}/loeschen/",
    "hand-over": "/kommunen/{slug}/team/uebergeben/",
    "profile": "/konto/",
    "mfa": "/accounts/2fa/",
    "email-addresses": "/accounts/email/",
    "password-change": "/accounts/password/change/",
}


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page(page, path):
    visit(page, path)
    assert page.locator("h1").count() == 1, f"{path}: exactly one <h1> expected"


@pytest.mark.parametrize("path", MEMBER_PAGES.values(), ids=MEMBER_PAGES.keys())
def test_member_page(session, path):
    membership = MembershipFactory(
        municipality=MunicipalityFactory(name="Barrierestadt", slug="barrierestadt"), role=Role.COORDINATION
    )
    session.login(membership.user)
    visit(session.page, path.format(slug="barrierestadt"))
    assert session.page.locator("h1").count() == 1, f"{path}: exactly one <h1> expected"


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_not_found_page(session, signed_in):
    if signed_in:
        session.login(MembershipFactory().user)
    visit(session.page, "/gibt-es-nicht/", expect_status=404)
    assert session.page.locator("h1").inner_text().strip() == "Seite nicht gefunden"


def test_forbidden_page(session):
    """A Lesen member opening the team's invite page gets the 403 page (also checked with axe-core)."""
    membership = MembershipFactory(municipality=MunicipalityFactory(slug="lesestadt"), role=Role.READER)
    session.login(membership.user)
    visit(session.page, "/kommunen/lesestadt/team/einladen/", expect_status=403)


def test_axe_check_reports_violations(page):
    """The check itself works: a page with an unlabelled field and an image without alt text fails."""
    page.set_content(
        '<!DOCTYPE html><html lang="de"><head><title>Test</title></head><body><main><h1>Test</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page, what="test page")
    assert "image-alt" in str(failure.value) and "label" in str(failure.value)


STRATEGY_PAGES = {
    "processes": "/kommunen/{slug}/prozesse/",
    "process-create": "/kommunen/{slug}/prozesse/neu/",
    "process-overview": "/kommunen/{slug}/prozesse/{process}/",
    "process-edit": "/kommunen/{slug}/prozesse/{process}/bearbeiten/",
    "step-kickoff": "/kommunen/{slug}/prozesse/{process}/kick-off/",
    "step-profile": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/",
    "tasks": "/kommunen/{slug}/prozesse/aufgaben/",
    "task-create": "/kommunen/{slug}/prozesse/aufgaben/neu/",
    "task-edit": "/kommunen/{slug}/prozesse/aufgaben/{task}/",
    "actors": "/kommunen/{slug}/prozesse/akteure/",
    "actor-create": "/kommunen/{slug}/prozesse/akteure/neu/",
    "actor-matrix": "/kommunen/{slug}/prozesse/akteure/matrix/",
    "actor-import": "/kommunen/{slug}/prozesse/akteure/import/",
    "profile-statistics": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/statistik/",
    "swot": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/swot/",
    "swot-print": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/swot/druck/",
    "fields-of-action": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/handlungsfelder/",
    "inventory": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/bestandsaufnahme/",
    "inventory-create": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/bestandsaufnahme/neu/",
    "inventory-detail": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/bestandsaufnahme/{item}/",
    "inventory-edit": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/bestandsaufnahme/{item}/bearbeiten/",
    "interviews": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/interviews/",
    "interview-create": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/interviews/neu/",
    "interview-edit": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/interviews/{interview}/bearbeiten/",
    "profile-export": "/kommunen/{slug}/prozesse/{process}/kommunalprofil/export/",
    "working-groups": "/kommunen/{slug}/prozesse/arbeitsgruppen/",
    "working-group-create": "/kommunen/{slug}/prozesse/arbeitsgruppen/neu/",
    "working-group": "/kommunen/{slug}/prozesse/arbeitsgruppen/{group}/",
    "working-group-edit": "/kommunen/{slug}/prozesse/arbeitsgruppen/{group}/bearbeiten/",
}


@pytest.mark.parametrize("path", STRATEGY_PAGES.values(), ids=STRATEGY_PAGES.keys())
def test_strategy_page(session, path):
    import datetime as dt

    from daks.strategy.models import StrategyProcess, Task

    membership = MembershipFactory(
        municipality=MunicipalityFactory(name="Prozessstadt", slug="prozessstadt"), role=Role.COORDINATION
    )
    process = StrategyProcess.objects.create(
        municipality=membership.municipality, title="Prozessstadt 2040", start_date=dt.date(2026, 1, 15)
    )
    task = Task.objects.create(
        municipality=membership.municipality,
        process=process,
        step="kickoff",
        title="Einladungen versenden",
        assignee=membership.user,
        due_date=dt.date(2026, 2, 1),
    )
    from daks.profile.models import SwotItem
    from daks.strategy.models import Actor

    Actor.objects.create(municipality=membership.municipality, name="Seniorenbeirat", influence=3, interest=5)
    SwotItem.objects.create(
        process=process,
        municipality=membership.municipality,
        quadrant="strength",
        text="Starkes Ehrenamt",
        author=membership.user,
    )
    from daks.profile.models import Interview, InventoryItem
    from daks.strategy.models import WorkingGroup

    item = InventoryItem.objects.create(
        process=process, municipality=membership.municipality, title="Seniorenbüro", owner="Sozialamt"
    )
    interview = Interview.objects.create(
        process=process, municipality=membership.municipality, interviewee="Leitung Seniorenbüro"
    )
    group = WorkingGroup.objects.create(
        process=process, municipality=membership.municipality, title="AG Wohnen", lead=membership.user
    )
    group.members.add(membership.user)
    session.login(membership.user)
    visit(
        session.page,
        path.format(
            slug="prozessstadt", process=process.pk, task=task.pk, item=item.pk, interview=interview.pk, group=group.pk
        ),
    )
    assert session.page.locator("h1").count() == 1, f"{path}: exactly one <h1> expected"


MEETING_PAGES = {
    "meetings": "/kommunen/treffstadt/treffen/",
    "meeting-create": "/kommunen/treffstadt/treffen/neu/",
    "meeting-detail": "/kommunen/treffstadt/treffen/{meeting}/",
    "meeting-edit": "/kommunen/treffstadt/treffen/{meeting}/bearbeiten/",
    "rsvp-public": "/zusage/{token}/",
}


@pytest.mark.parametrize("path", MEETING_PAGES.values(), ids=MEETING_PAGES.keys())
def test_meeting_page(session, path):
    import datetime as dt

    from django.utils import timezone

    from daks.meetings.models import AgendaItem, Meeting, MeetingInvitation, hash_token

    membership = MembershipFactory(
        municipality=MunicipalityFactory(name="Treffstadt", slug="treffstadt"), role=Role.COORDINATION
    )
    starts = timezone.now() + dt.timedelta(days=14)
    meeting = Meeting.objects.create(
        municipality=membership.municipality,
        title="Auftaktveranstaltung",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Rathaus, Großer Sitzungssaal",
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung", owner="Bürgermeisterin")
    MeetingInvitation.objects.create(
        meeting=meeting, name="Seniorenbeirat", email="beirat@example.org", token_hash=hash_token("rsvp-token-123")
    )
    if "zusage" not in path:
        session.login(membership.user)
    visit(session.page, path.format(meeting=meeting.pk, token="rsvp-token-123"))
    assert session.page.locator("h1").count() == 1, f"{path}: exactly one <h1> expected"


COLLABORATION_PAGES = {
    "notifications": "/benachrichtigungen/",
    "activity": "/kommunen/{slug}/prozesse/{process}/aktivitaet/",
    "swot-comments": "/kommunen/{slug}/kommentare/profile.swotitem/{swot}/",
    "field-comments": "/kommunen/{slug}/kommentare/profile.fieldofaction/{field}/",
}


@pytest.mark.parametrize("path", COLLABORATION_PAGES.values(), ids=COLLABORATION_PAGES.keys())
def test_collaboration_page(session, path):
    """Comments with a mention, the resulting notification and the activity feed."""
    import datetime as dt

    from daks.comments.mentions import base_handle
    from daks.comments.services import comment_create
    from daks.profile.models import FieldOfAction, SwotItem
    from daks.strategy.models import StrategyProcess

    membership = MembershipFactory(
        municipality=MunicipalityFactory(name="Redestadt", slug="redestadt"), role=Role.COORDINATION
    )
    colleague = MembershipFactory(municipality=membership.municipality, role=Role.CONTRIBUTOR, user__name="Eva Ernst")
    process = StrategyProcess.objects.create(
        municipality=membership.municipality, title="Redestadt 2040", start_date=dt.date(2026, 1, 15)
    )
    swot = SwotItem.objects.create(
        process=process, municipality=membership.municipality, quadrant="weakness", text="Wenig Wohnraum"
    )
    field = FieldOfAction.objects.create(process=process, municipality=membership.municipality, title="Wohnen")
    comment_create(
        actor=colleague.user,
        municipality=membership.municipality,
        obj=swot,
        body=f"Das sehe ich auch so, @{base_handle(membership.user)}!",
    )
    session.login(membership.user)
    visit(session.page, path.format(slug="redestadt", process=process.pk, swot=swot.pk, field=field.pk))


PLAN_PAGES = {
    "plan-document": "{base}/plan/",
    "plan-text": "{base}/plan/text/",
    "plan-goals": "{base}/ziele/",
    "plan-goal-edit": "{base}/ziele/{goal}/bearbeiten/",
    "plan-measures": "{base}/massnahmen/",
    "plan-measures-filtered": "{base}/massnahmen/?status=planned&sort=-end",
    "plan-measure-create": "{base}/massnahmen/neu/",
    "plan-measure": "{base}/massnahmen/{measure}/",
    "plan-measure-edit": "{base}/massnahmen/{measure}/bearbeiten/",
    "plan-measure-history": "{base}/massnahmen/{measure}/verlauf/",
    "plan-kanban": "{base}/kanban/",
    "plan-my-measures": "{base}/meine-massnahmen/",
    "plan-versions": "{base}/fassungen/",
    "plan-version": "{base}/fassungen/{version}/",
    "plan-version-compare": "{base}/fassungen/vergleich/?a={version}&b=current",
    "plan-import": "{base}/import/",
    "plan-monitoring": "{base}/monitoring/",
    "plan-timeline": "{base}/zeitplan/",
    "plan-export": "{base}/exporte/",
    "plan-publishing": "{base}/veroeffentlichung/",
    "plan-public": "/plaene/planstadt/{process}/",
    "dashboard-my-measures": "/uebersicht/",
}


@pytest.mark.parametrize("path", PLAN_PAGES.values(), ids=PLAN_PAGES.keys())
def test_plan_page(session, path):
    import datetime as dt

    from daks.plans import services as plan_services
    from daks.plans.publishing import plan_publish
    from daks.plans.versions import version_create
    from daks.strategy.models import StrategyProcess
    from tests.plans.factories import GoalFactory, MeasureFactory, MilestoneFactory

    membership = MembershipFactory(
        municipality=MunicipalityFactory(
            name="Planstadt", slug="planstadt", verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        ),
        role=Role.COORDINATION,
    )
    process = StrategyProcess.objects.create(
        municipality=membership.municipality, title="Planstadt 2040", start_date=dt.date(2026, 1, 15)
    )
    plan = plan_services.plan_get_or_create(process=process)
    goal = GoalFactory(plan=plan, title="Mehr barrierearme Wohnungen", unit="Wohnungen")
    measure = MeasureFactory(
        plan=plan, field_of_action=goal.field_of_action, goals=[goal], responsible_person=membership.user
    )
    MeasureFactory(plan=plan, field_of_action=goal.field_of_action, status="in_progress", progress=40)
    MilestoneFactory(measure=measure, due_date=dt.date(2026, 2, 1))
    version = version_create(
        plan=plan, actor=membership.user, name="Beschluss Stadtrat 03/2026", date=dt.date(2026, 3, 1)
    )
    plan_publish(plan=plan, user=membership.user, version=version)
    session.login(membership.user)
    base = f"/kommunen/planstadt/prozesse/{process.pk}/werkstattplan"
    visit(
        session.page,
        path.format(base=base, process=process.pk, goal=goal.pk, measure=measure.pk, version=version.pk),
    )


WORKSHOP_PAGES = {
    "workshops": "{base}/",
    "workshop-create": "{base}/neu/",
    "workshop-board": "{base}/{workshop}/",
    "workshop-edit": "{base}/{workshop}/bearbeiten/",
    "workshop-moderation": "{base}/{workshop}/moderation/",
    "workshop-presentation": "{base}/{workshop}/praesentation/",
    "workshop-participation": "{base}/{workshop}/beteiligung/",
    "workshop-link": "{base}/{workshop}/beteiligung/{link}/",
    "workshop-link-projector": "{base}/{workshop}/beteiligung/{link}/anzeige/",
    "workshop-voting": "{base}/{workshop}/abstimmung/",
    "workshop-documentation": "{base}/{workshop}/dokumentation/",
    "workshop-photos": "{base}/{workshop}/fotos/",
    "participate": "/mitmachen/{token}/",
}


@pytest.mark.parametrize("path", WORKSHOP_PAGES.values(), ids=WORKSHOP_PAGES.keys())
def test_workshop_page(session, path):
    import datetime as dt

    from django.utils import timezone

    from daks.strategy.models import StrategyProcess
    from daks.workshops.models import Phase
    from daks.workshops.participation import link_create
    from tests.workshops.factories import IdeaFactory, WorkshopFactory

    membership = MembershipFactory(
        municipality=MunicipalityFactory(name="Werkstadt", slug="werkstadt"), role=Role.COORDINATION
    )
    process = StrategyProcess.objects.create(
        municipality=membership.municipality, title="Werkstadt 2040", start_date=dt.date(2026, 1, 15)
    )
    workshop = WorkshopFactory(process=process, voting_open=True)
    for phase in Phase.values:
        IdeaFactory(workshop=workshop, phase=phase, text=f"Idee der {phase}")
    now = timezone.now()
    link, token = link_create(
        actor=membership.user,
        workshop=workshop,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=2),
        use_pin=False,
    )
    session.login(membership.user)
    base = f"/kommunen/werkstadt/prozesse/{process.pk}/zukunftswerkstatt/werkstaetten"
    visit(session.page, path.format(base=base, workshop=workshop.pk, link=link.pk, token=token))
