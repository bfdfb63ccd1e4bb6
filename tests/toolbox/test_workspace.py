"""The toolbox in the workspace of a Kommune: tools on the step pages, submissions of best practice with their
status, the link on the municipality page and the demo content."""

import datetime

import pytest
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.plans.models import Plan
from daks.strategy import services as strategy_services
from daks.strategy.steps import toolbox_tools
from daks.toolbox import services
from daks.toolbox.demo_workspace import DEMO_SUBMISSION_TITLE, seed_toolbox_workspace_demo
from daks.toolbox.models import MeasureTool, Tool, ToolStatus, ToolType, TopicField
from tests.plans.factories import MeasureFactory

from .factories import ToolFactory, make_reviewer

pytestmark = pytest.mark.django_db

SUBMIT = "/kommunen/musterstadt/werkzeugkoffer/einreichen/"
SUBMISSIONS = "/kommunen/musterstadt/werkzeugkoffer/einreichungen/"


@pytest.fixture
def process(municipality, coordinator):
    return strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )


def step_url(process, slug="kommunalprofil"):
    return reverse("strategy:step", kwargs={"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": slug})


def form_data(**extra):
    topic = TopicField.objects.get(slug="gesundheit-pflege")
    return {
        "title": "Pflegestammtisch im Dorf",
        "teaser": "Pflegende Angehörige treffen sich einmal im Monat.",
        "body": "## Worum es geht\n\nEin Treffpunkt.",
        "tool_type": ToolType.BEST_PRACTICE,
        "topics": [topic.pk],
        "steps": ["plan"],
        "sizes": ["small"],
        "effort": "low",
        "cost": "low",
        "target_groups": "Pflegende Angehörige\n\nNachbarschaft\n",
        "contact": "Rathaus, Zimmer 3",
        **extra,
    }


# --- Step pages ---------------------------------------------------------------------------------------------


def test_hook_returns_published_tools_of_the_step(db):
    ToolFactory(title="B-Werkzeug", steps=["profile"])
    ToolFactory(title="A-Werkzeug", steps=["profile", "plan"])
    ToolFactory(title="Nur Plan", steps=["plan"])
    ToolFactory(title="Entwurf", steps=["profile"], status=ToolStatus.DRAFT)
    tools = toolbox_tools("profile")
    assert [tool.title for tool in tools] == ["A-Werkzeug", "B-Werkzeug"]
    assert tools.total == 2


def test_step_page_shows_tools_with_a_link_to_the_search(login, reader, process):
    for number in range(7):
        ToolFactory(title=f"Werkzeug {number:02}", teaser=f"Kurztext {number}", steps=["profile"])
    ToolFactory(title="Anderer Schritt", steps=["review"])
    html = login(reader).get(step_url(process)).content.decode()
    assert "Werkzeug 00" in html and "Kurztext 0" in html and "Methode" in html
    assert "Werkzeug 06" not in html  # six are shown
    assert "Anderer Schritt" not in html
    assert 'href="/werkzeugkoffer/?step=profile"' in html
    assert "Alle 7 Werkzeuge für diesen Schritt" in html


def test_step_page_without_tools_has_no_toolbox_section(login, reader, process):
    ToolFactory(title="Anderer Schritt", steps=["review"])
    html = login(reader).get(step_url(process)).content.decode()
    assert 'id="toolbox-heading"' not in html


def test_step_page_query_count_does_not_grow_with_tools(login, coordinator, process, django_assert_num_queries):
    """The toolbox section costs two queries (the first tools and their number), however many tools there are."""
    client = login(coordinator)
    ToolFactory(steps=["profile"])
    client.get(step_url(process))  # warm up
    with django_assert_num_queries(15) as few:
        client.get(step_url(process))
    for _number in range(8):
        ToolFactory(steps=["profile"])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(step_url(process))


# --- Submissions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "contributor"])
def test_members_who_edit_submit_best_practice(role, request, login, municipality):
    user = request.getfixturevalue(role)
    client = login(user)
    assert client.get(SUBMIT).status_code == 200
    response = client.post(SUBMIT, form_data())
    assert response.status_code == 302 and response["Location"] == SUBMISSIONS
    tool = Tool.objects.get()
    assert tool.status == ToolStatus.REVIEW
    assert tool.origin_municipality == municipality and tool.submitted_by == user and not tool.is_editorial
    assert tool.credit == "Musterstadt"
    assert tool.target_groups == ["Pflegende Angehörige", "Nachbarschaft"]
    assert [link.step for link in tool.step_links.all()] == ["plan"]
    assert AuditLogEntry.objects.filter(action="toolbox.tool.submitted_by_municipality").exists()
    html = client.get(SUBMISSIONS).content.decode()
    assert "Pflegestammtisch im Dorf" in html and "in Prüfung" in html
    assert tool.get_absolute_url() not in html  # not public yet


def test_credit_by_name(login, coordinator):
    coordinator.name = "Klara Koordination"
    coordinator.save()
    login(coordinator).post(SUBMIT, form_data(credit_name="on"))
    assert Tool.objects.get().credit == "Klara Koordination, Musterstadt"


def test_submission_form_offers_all_fields(login, coordinator):
    html = login(coordinator).get(SUBMIT).content.decode()
    for name in ("title", "teaser", "body", "tool_type", "topics", "steps", "sizes", "effort", "cost"):
        assert f'name="{name}"' in html, name
    assert 'name="target_groups"' in html and 'name="contact"' in html
    assert "Mit meinem Namen nennen" in html
    assert '<option value="best_practice" selected>' in html


def test_bad_input_shows_german_errors_and_writes_nothing(login, coordinator):
    client = login(coordinator)
    response = client.post(SUBMIT, form_data(topics=[], title=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens ein Themenfeld." in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert 'id="id_title_error"' in html and 'aria-describedby="id_topics_error"' in html
    response = client.post(SUBMIT, form_data(title="   "))
    assert response.status_code == 422
    assert not Tool.objects.exists()


def test_reader_sees_the_list_but_may_not_submit(login, reader, coordinator):
    services.tool_submit_from_municipality(
        municipality=coordinator.memberships.get().municipality,
        user=coordinator,
        data={**form_data(), "topics": list(TopicField.objects.filter(slug="wohnen")), "target_groups": []},
        credit_name=False,
    )
    client = login(reader)
    html = client.get(SUBMISSIONS).content.decode()
    assert "Pflegestammtisch im Dorf" in html
    assert SUBMIT not in html
    assert client.get(SUBMIT).status_code == 403
    assert client.post(SUBMIT, form_data()).status_code == 403
    assert Tool.objects.count() == 1


def test_outsider_and_anonymous_get_404(client, login, outsider):
    for current in (client, login(outsider)):
        assert current.get(SUBMIT).status_code == 404
        assert current.post(SUBMIT, form_data()).status_code == 404
        assert current.get(SUBMISSIONS).status_code == 404
    assert not Tool.objects.exists()


def test_list_shows_status_and_only_own_submissions(login, coordinator, outsider, municipality, other_municipality):
    reviewer = make_reviewer(outsider)
    topics = list(TopicField.objects.filter(slug="wohnen"))
    data = {**form_data(), "topics": topics, "target_groups": []}
    published = services.tool_submit_from_municipality(
        municipality=municipality,
        user=coordinator,
        data={**data, "title": "Veröffentlichtes Beispiel"},
        credit_name=False,
    )
    services.tool_transition(tool=published, user=reviewer, action="publish")
    returned = services.tool_submit_from_municipality(
        municipality=municipality, user=coordinator, data={**data, "title": "Zurückgegeben"}, credit_name=False
    )
    services.tool_transition(tool=returned, user=reviewer, action="return", note="Bitte Kosten ergänzen.")
    services.tool_submit_from_municipality(
        municipality=other_municipality, user=outsider, data={**data, "title": "Aus Anderdorf"}, credit_name=False
    )
    ToolFactory(title="Redaktionell über Musterstadt", origin_municipality=municipality)
    html = login(coordinator).get(SUBMISSIONS).content.decode()
    assert f'<a href="{published.get_absolute_url()}">Veröffentlichtes Beispiel</a>' in html
    assert "veröffentlicht" in html
    assert "zur Überarbeitung zurückgegeben" in html and "Bitte Kosten ergänzen." in html
    assert "Aus Anderdorf" not in html
    assert "Redaktionell über Musterstadt" not in html


def test_empty_list(login, coordinator):
    html = login(coordinator).get(SUBMISSIONS).content.decode()
    assert "Ihre Kommune hat noch nichts beim Werkzeugkoffer eingereicht." in html
    assert SUBMIT in html


def test_municipality_page_links_to_the_submissions(login, reader):
    html = login(reader).get("/kommunen/musterstadt/").content.decode()
    assert SUBMISSIONS in html


def test_submissions_query_count_is_constant(login, coordinator, municipality, django_assert_num_queries):
    client = login(coordinator)
    data = {**form_data(), "topics": list(TopicField.objects.filter(slug="wohnen")), "target_groups": []}
    services.tool_submit_from_municipality(municipality=municipality, user=coordinator, data=data, credit_name=False)
    client.get(SUBMISSIONS)
    with django_assert_num_queries(7) as few:
        client.get(SUBMISSIONS)
    for number in range(4):
        services.tool_submit_from_municipality(
            municipality=municipality, user=coordinator, data={**data, "title": f"Nr. {number}"}, credit_name=False
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(SUBMISSIONS)


# --- Demo ---------------------------------------------------------------------------------------------------


def test_demo_links_tools_and_submits_once(process, coordinator):
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    MeasureFactory(plan=plan, title="Wohnberatung für ältere Menschen einrichten")
    MeasureFactory(plan=plan, title="Digitallotsen für Ältere")
    MeasureFactory(plan=plan, title="Quartierskonzept Altstadt")
    ToolFactory(title="Kommunale Wohnberatung und Wohnungsanpassung")
    ToolFactory(title="Digitallotsinnen und Digitallotsen für Seniorinnen und Senioren")
    linked, submitted = seed_toolbox_workspace_demo(process, coordinator)
    assert linked == 2
    assert MeasureTool.objects.filter(measure__title="Digitallotsen für Ältere").get().tool.title.startswith("Digital")
    assert submitted.status == ToolStatus.REVIEW and submitted.title == DEMO_SUBMISSION_TITLE
    assert "Beispieldaten" in submitted.title and "Beispieldaten" in submitted.body
    assert seed_toolbox_workspace_demo(process, coordinator) == (0, None)
    assert MeasureTool.objects.count() == 2 and Tool.objects.filter(title=DEMO_SUBMISSION_TITLE).count() == 1


def test_demo_skips_silently_without_tools_or_plan(process, coordinator):
    linked, submitted = seed_toolbox_workspace_demo(process, coordinator)
    assert linked == 0 and submitted is not None
    assert not MeasureTool.objects.exists()


# --- Revising a returned submission ------------------------------------------------------------------------------


@pytest.fixture
def returned(municipality, coordinator, outsider):
    reviewer = make_reviewer(outsider)
    topics = list(TopicField.objects.filter(slug="wohnen"))
    tool = services.tool_submit_from_municipality(
        municipality=municipality,
        user=coordinator,
        data={**form_data(), "topics": topics, "target_groups": []},
        credit_name=True,
    )
    return services.tool_transition(tool=tool, user=reviewer, action="return", note="Bitte Kosten ergänzen.")


def test_returned_submission_is_revised_and_goes_to_review_again(login, coordinator, returned):
    client = login(coordinator)
    listing = client.get(SUBMISSIONS).content.decode()
    revise = f"{SUBMIT}?aus={returned.pk}"
    assert f'href="{revise}"' in listing
    page = client.get(revise).content.decode()
    assert "Bitte Kosten ergänzen." in page and 'value="Pflegestammtisch im Dorf"' in page
    assert "Erneut zur Prüfung einreichen" in page

    data = form_data(title="Pflegestammtisch im Dorf (überarbeitet)", cost="medium", credit_name="on")
    response = client.post(revise, {**data, "version": returned.version})
    assert response.status_code == 302
    tool = Tool.objects.get(pk=returned.pk)
    assert tool.status == ToolStatus.REVIEW and tool.title.endswith("(überarbeitet)") and tool.cost == "medium"
    assert tool.review_requested_by == coordinator and tool.credit.endswith("Musterstadt")
    assert Tool.objects.filter(origin_municipality=returned.origin_municipality).count() == 1
    assert tool.revisions.filter(action="resubmitted").exists()
    assert AuditLogEntry.objects.filter(action="toolbox.tool.resubmitted_by_municipality").exists()


def test_revision_with_a_stale_version_writes_nothing(login, coordinator, returned):
    client = login(coordinator)
    stale = returned.version
    Tool.objects.filter(pk=returned.pk).update(
        teaser="Inzwischen von anderer Seite geändert.", updated_at=returned.updated_at + datetime.timedelta(seconds=1)
    )
    response = client.post(f"{SUBMIT}?aus={returned.pk}", {**form_data(title="Meine Fassung"), "version": stale})
    assert response.status_code == 422
    tool = Tool.objects.get(pk=returned.pk)
    assert tool.title == "Pflegestammtisch im Dorf" and tool.status == ToolStatus.DRAFT


def test_only_own_returned_submissions_can_be_revised(login, coordinator, outsider, returned, other_municipality):
    client = login(coordinator)
    editorial = ToolFactory(status=ToolStatus.DRAFT, origin_municipality=returned.origin_municipality)
    foreign = services.tool_submit_from_municipality(
        municipality=other_municipality, user=outsider, data=form_data(), credit_name=False
    )
    Tool.objects.filter(pk=foreign.pk).update(status=ToolStatus.DRAFT)
    for pk in (editorial.pk, foreign.pk, "abc"):
        assert client.get(f"{SUBMIT}?aus={pk}").status_code == 404
        assert client.post(f"{SUBMIT}?aus={pk}", form_data()).status_code == 404
    assert Tool.objects.get(pk=foreign.pk).title == "Pflegestammtisch im Dorf"
    # Once in review again, it is no longer open for revision.
    revise = f"{SUBMIT}?aus={returned.pk}"
    assert client.post(revise, {**form_data(), "version": returned.version}).status_code == 302
    assert client.get(revise).status_code == 404


def test_reader_may_not_revise(login, reader, returned):
    assert login(reader).get(f"{SUBMIT}?aus={returned.pk}").status_code in (403, 404)
