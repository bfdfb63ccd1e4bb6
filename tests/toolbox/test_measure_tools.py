"""Tools of the Werkzeugkoffer linked to measures of the Werkstattplan: the measure page, the search-and-link
page, linking and unlinking for every role, tenancy, refused links and the activity wording."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from daks.core.models import AuditLogEntry
from daks.plans.models import Plan
from daks.strategy import activity
from daks.strategy import services as strategy_services
from daks.toolbox import views_workspace
from daks.toolbox.models import MeasureTool, ToolStatus
from tests.plans.factories import MeasureFactory

from .factories import ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(municipality, coordinator):
    return strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )


@pytest.fixture
def measure(process):
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    return MeasureFactory(plan=plan, title="Wohnberatung einrichten")


@pytest.fixture
def other_measure(other_municipality, outsider):
    other = strategy_services.process_create(
        actor=outsider, municipality=other_municipality, title="Anderdorf 2040", start_date=datetime.date(2026, 3, 1)
    )
    plan, _created = Plan.objects.get_or_create(process=other, defaults={"municipality": other_municipality})
    return MeasureFactory(plan=plan, title="Fremde Maßnahme")


@pytest.fixture
def tool(db):
    return ToolFactory(title="Kommunale Wohnberatung", teaser="Beratung zur Wohnungsanpassung im Alter.")


def url(name, measure, **extra):
    process = measure.plan.process
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "werkstattplan"}
    return reverse(name, kwargs={**kwargs, "measure_pk": measure.pk, **extra})


def link(client, measure, tool, **extra):
    return client.post(url("toolbox_process:measure_tool_link", measure), {"tool": tool.pk, **extra})


def unlink(client, measure, tool):
    return client.post(url("toolbox_process:measure_tool_unlink", measure, tool_pk=tool.pk))


def test_urls_do_not_collide_with_the_plan():
    assert resolve("/kommunen/m/prozesse/1/werkstattplan/massnahmen/2/werkzeuge/").func == (
        views_workspace.measure_tools
    )
    assert resolve("/kommunen/m/prozesse/1/werkstattplan/massnahmen/2/").url_name == "measure_detail"
    assert resolve("/kommunen/m/prozesse/1/werkstattplan/massnahmen/2/werkzeuge/3/entfernen/").url_name == (
        "measure_tool_unlink"
    )


@pytest.mark.parametrize("role", ["coordinator", "contributor"])
def test_editors_link_and_unlink(role, request, login, measure, tool):
    client = login(request.getfixturevalue(role))
    response = link(client, measure, tool)
    assert response.status_code == 302
    assert response["Location"] == url("toolbox_process:measure_tools", measure)
    assert MeasureTool.objects.filter(measure=measure, tool=tool, municipality=measure.municipality).exists()
    assert AuditLogEntry.objects.filter(action="plans.measure.tool_linked", data__tool=tool.title).exists()
    page = client.get(url("plans:measure_detail", measure)).content.decode()
    assert "Kommunale Wohnberatung" in page and tool.get_absolute_url() in page

    response = unlink(client, measure, tool)
    assert response.status_code == 302
    assert not MeasureTool.objects.exists()
    assert AuditLogEntry.objects.filter(action="plans.measure.tool_unlinked").exists()


def test_measure_page_shows_linked_tools_and_the_link_form(login, coordinator, measure, tool):
    MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    html = login(coordinator).get(url("plans:measure_detail", measure)).content.decode()
    assert "Werkzeug verknüpfen" in html
    assert f'action="{url("toolbox_process:measure_tools", measure)}"' in html and 'name="q"' in html
    assert url("toolbox_process:measure_tool_unlink", measure, tool_pk=tool.pk) in html
    assert "Entfernen" in html


def test_archived_tool_stays_listed_and_can_be_removed(login, coordinator, measure, tool):
    MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    tool.status = ToolStatus.ARCHIVED
    tool.save()
    client = login(coordinator)
    html = client.get(url("plans:measure_detail", measure)).content.decode()
    assert "Kommunale Wohnberatung" in html and "archiviert" in html
    assert tool.get_absolute_url() not in html  # its public page is gone
    assert unlink(client, measure, tool).status_code == 302
    assert not MeasureTool.objects.exists()


def test_process_activity_shows_the_link(login, coordinator, measure, tool):
    client = login(coordinator)
    link(client, measure, tool)
    entry = AuditLogEntry.objects.get(action="plans.measure.tool_linked")
    assert entry.data["process"] == measure.plan.process_id


def test_reader_sees_linked_tools_without_forms(login, reader, measure, tool):
    MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    html = login(reader).get(url("plans:measure_detail", measure)).content.decode()
    assert "Kommunale Wohnberatung" in html
    assert "Werkzeug verknüpfen" not in html
    assert "entfernen/" not in html


def test_measure_page_without_tools_for_reader_has_no_section(login, reader, measure):
    html = login(reader).get(url("plans:measure_detail", measure)).content.decode()
    assert 'id="tools-heading"' not in html


def test_search_lists_published_matches_and_marks_linked(login, coordinator, measure, tool):
    ToolFactory(title="Wohnberatung im Entwurf", status=ToolStatus.DRAFT)
    ToolFactory(title="Bürgerbus")
    other = ToolFactory(title="Mobile Wohnberatung auf dem Land")
    MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    response = login(coordinator).get(url("toolbox_process:measure_tools", measure), {"q": "Wohnberatung"})
    assert response.status_code == 200
    results = response.context["results"]
    assert {found.title for found in results} == {"Kommunale Wohnberatung", "Mobile Wohnberatung auf dem Land"}
    html = response.content.decode()
    assert "<mark>Wohnberatung</mark>" in html
    assert "Wohnberatung im Entwurf" not in html and "Bürgerbus" not in html
    # one "link" form (for the tool not yet linked), the linked one is marked
    assert html.count(url("toolbox_process:measure_tool_link", measure)) == 1
    assert f'name="tool" value="{other.pk}"' in html
    assert "verknüpft" in html


def test_search_without_meaningful_words_finds_nothing(login, coordinator, measure, tool):
    client = login(coordinator)
    assert "gefunden" not in client.get(url("toolbox_process:measure_tools", measure)).content.decode()
    response = client.get(url("toolbox_process:measure_tools", measure), {"q": "und"})
    assert response.context["results"] == []
    assert "Kein veröffentlichtes Werkzeug passt zu Ihrer Suche." in response.content.decode()


def test_link_from_search_returns_to_the_search(login, coordinator, measure, tool):
    here = url("toolbox_process:measure_tools", measure) + "?q=Wohnberatung"
    response = link(login(coordinator), measure, tool, next=here)
    assert response["Location"] == here


def test_link_never_redirects_elsewhere(login, coordinator, measure, tool):
    response = link(login(coordinator), measure, tool, next="https://evil.example/")
    assert response["Location"] == url("toolbox_process:measure_tools", measure)


def test_reader_may_not_link_or_unlink(login, reader, measure, tool):
    MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    other = ToolFactory(title="Quartierskonzept")
    client = login(reader)
    assert client.get(url("toolbox_process:measure_tools", measure)).status_code == 403
    assert link(client, measure, other).status_code == 403
    assert unlink(client, measure, tool).status_code == 403
    assert list(MeasureTool.objects.values_list("tool__title", flat=True)) == ["Kommunale Wohnberatung"]


def test_outsider_and_anonymous_get_404(client, login, outsider, measure, tool):
    """Non-members never learn the workspace exists (the tenancy rule: 404, also for anonymous users)."""
    for current in (client, login(outsider)):
        assert current.get(url("toolbox_process:measure_tools", measure)).status_code == 404
        assert link(current, measure, tool).status_code == 404
    assert not MeasureTool.objects.exists()


def test_measure_of_another_municipality_is_404(login, coordinator, process, measure, other_measure, tool):
    client = login(coordinator)
    kwargs = {"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "werkstattplan"}
    foreign = {**kwargs, "measure_pk": other_measure.pk}
    assert client.get(reverse("toolbox_process:measure_tools", kwargs=foreign)).status_code == 404
    assert client.post(reverse("toolbox_process:measure_tool_link", kwargs=foreign), {"tool": tool.pk}).status_code == (
        404
    )
    # the other Kommune's process through our slug
    foreign = {**kwargs, "pk": other_measure.plan.process_id, "measure_pk": other_measure.pk}
    assert client.post(reverse("toolbox_process:measure_tool_link", kwargs=foreign), {"tool": tool.pk}).status_code == (
        404
    )
    assert not MeasureTool.objects.exists()


def test_only_under_the_plan_step(login, coordinator, measure, tool):
    process = measure.plan.process
    wrong = reverse(
        "toolbox_process:measure_tools",
        kwargs={"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kommunalprofil", "measure_pk": 1},
    )
    assert login(coordinator).get(wrong).status_code == 404


def test_unpublished_tool_is_refused(login, coordinator, measure):
    draft = ToolFactory(title="Noch nicht fertig", status=ToolStatus.REVIEW)
    response = link(login(coordinator), measure, draft)
    assert response.status_code == 302
    page = login(coordinator).get(response["Location"]).content.decode()
    assert "Nur veröffentlichte Werkzeuge können verknüpft werden." in page
    assert not MeasureTool.objects.exists()
    assert not AuditLogEntry.objects.filter(action="plans.measure.tool_linked").exists()


def test_duplicate_link_is_refused(login, coordinator, measure, tool):
    client = login(coordinator)
    link(client, measure, tool)
    entries = AuditLogEntry.objects.count()
    response = link(client, measure, tool, next=url("plans:measure_detail", measure))
    page = client.get(response["Location"]).content.decode()
    assert "Dieses Werkzeug ist bereits mit der Maßnahme verknüpft." in page
    assert MeasureTool.objects.count() == 1
    assert AuditLogEntry.objects.count() == entries


def test_bad_input(login, coordinator, measure):
    client = login(coordinator)
    assert client.post(url("toolbox_process:measure_tool_link", measure), {"tool": "x"}).status_code == 400
    assert client.post(url("toolbox_process:measure_tool_link", measure), {"tool": 99999}).status_code == 404
    assert client.get(url("toolbox_process:measure_tool_link", measure)).status_code == 405
    assert not MeasureTool.objects.exists()


def test_unlinking_a_tool_that_is_not_linked(login, coordinator, measure, tool):
    client = login(coordinator)
    response = unlink(client, measure, tool)
    page = client.get(response["Location"]).content.decode()
    assert "Dieses Werkzeug ist nicht mit der Maßnahme verknüpft." in page
    assert not AuditLogEntry.objects.filter(action="plans.measure.tool_unlinked").exists()


def test_activity_wordings():
    entry = AuditLogEntry(action="plans.measure.tool_linked", object_repr="Wohnberatung", data={"tool": "Quartier"})
    with translation.override("en"):
        assert activity.describe(entry) == "linked the tool “Quartier” to the measure “Wohnberatung”"
        entry.action = "plans.measure.tool_unlinked"
        assert activity.describe(entry) == "removed the tool “Quartier” from the measure “Wohnberatung”"
        entry.data = {}
        assert "…" not in activity.describe(entry)


def test_search_page_query_count_is_constant(login, coordinator, measure, django_assert_num_queries):
    client = login(coordinator)
    target = url("toolbox_process:measure_tools", measure)
    ToolFactory(title="Wohnberatung eins")
    client.get(target, {"q": "Wohnberatung"})  # warm up
    with django_assert_num_queries(10) as few:
        client.get(target, {"q": "Wohnberatung"})
    for number in range(5):
        tool = ToolFactory(title=f"Wohnberatung {number}")
        MeasureTool.objects.create(municipality=measure.municipality, measure=measure, tool=tool)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(target, {"q": "Wohnberatung"})
