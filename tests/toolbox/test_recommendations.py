"""The "Matching tools" page of step 2: recommendations from weaknesses, threats and fields of action, with their
reasons; empty states; roles and tenancy; a pinned query count."""

import datetime

import pytest
from django.urls import reverse

from daks.profile.models import FieldOfAction, Quadrant, SwotItem
from daks.strategy import services as strategy_services
from daks.toolbox.models import ToolStatus

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


BODY = "## Worum es geht\n\nEin kurzer Text."


@pytest.fixture
def tools(db):
    return [
        ToolFactory(
            title="Pflegekräfte gewinnen",
            teaser="Kommunale Hebel gegen den Fachkräftemangel in der Pflege.",
            topics=["gesundheit-pflege"],
            body=BODY,
        ),
        ToolFactory(
            title="Pflegestützpunkt aufbauen", teaser="Beratung für Pflegebedürftige und Angehörige.", body=BODY
        ),
        ToolFactory(
            title="Wohnberatung im Alter", teaser="Beratung zur Anpassung von Wohnungen.", topics=["wohnen"], body=BODY
        ),
        ToolFactory(title="Bürgerbus", teaser="Mobilität auf dem Land.", body=BODY),
        ToolFactory(
            title="Fachkräftemangel in der Pflege (Entwurf)",
            teaser="Noch nicht veröffentlicht.",
            status=ToolStatus.DRAFT,
            body=BODY,
        ),
    ]


def url(process, step_slug="kommunalprofil"):
    return reverse(
        "toolbox_process:recommendations",
        kwargs={"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": step_slug},
    )


def weakness(process, text, quadrant=Quadrant.WEAKNESS):
    return SwotItem.objects.create(process=process, municipality=process.municipality, quadrant=quadrant, text=text)


def field(process, title, description=""):
    return FieldOfAction.objects.create(
        process=process, municipality=process.municipality, title=title, description=description, priority=1
    )


def test_weakness_recommends_the_matching_tool_first(login, reader, process, tools):
    weakness(process, "Fachkräftemangel in der Pflege")
    response = login(reader).get(url(process))
    assert response.status_code == 200
    titles = [entry.tool.title for entry in response.context["recommendations"]]
    assert titles == ["Pflegekräfte gewinnen", "Pflegestützpunkt aufbauen"]  # not the draft, not the others
    html = response.content.decode()
    assert "passt zu Schwäche „Fachkräftemangel in der Pflege“" in html
    assert "Wie kommen die Empfehlungen zustande?" in html
    assert tools[0].get_absolute_url() in html


def test_fields_of_action_add_recommendations(login, reader, process, tools):
    weakness(process, "Fachkräftemangel in der Pflege")
    field(process, "Wohnen im Alter", "Barrierearme Wohnungen")
    response = login(reader).get(url(process))
    found = {entry.tool.title: entry.reasons for entry in response.context["recommendations"]}
    assert set(found) == {"Pflegekräfte gewinnen", "Pflegestützpunkt aufbauen", "Wohnberatung im Alter"}
    assert found["Wohnberatung im Alter"] == ["Handlungsfeld „Wohnen im Alter“"]
    assert "passt zu Handlungsfeld „Wohnen im Alter“" in response.content.decode()


def test_threats_count_too(login, coordinator, process, tools):
    weakness(process, "Immer mehr Pflegebedürftige", quadrant=Quadrant.THREAT)
    weakness(process, "Bürgerbus fehlt", quadrant=Quadrant.STRENGTH)  # strengths are not searched
    response = login(coordinator).get(url(process))
    titles = [entry.tool.title for entry in response.context["recommendations"]]
    assert "Pflegestützpunkt aufbauen" in titles
    assert "Bürgerbus" not in titles
    assert "passt zu Risiko „Immer mehr Pflegebedürftige“" in response.content.decode()


def test_a_tool_fitting_several_entries_comes_first(login, coordinator, process, tools):
    weakness(process, "Zu wenig Beratung im Ort")
    field(process, "Wohnen im Alter")
    found = login(coordinator).get(url(process)).context["recommendations"]
    assert found[0].tool.title == "Wohnberatung im Alter"
    assert len(found[0].reasons) == 2


def test_empty_state_without_entries_links_to_swot_and_fields(login, coordinator, process, tools):
    html = login(coordinator).get(url(process)).content.decode()
    kwargs = {"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kommunalprofil"}
    assert "Noch keine Empfehlungen" in html
    assert reverse("profile:swot", kwargs=kwargs) in html
    assert reverse("profile:fields", kwargs=kwargs) in html
    assert "Schwächen und Risiken in der SWOT-Analyse eintragen" in html


def test_empty_state_for_readers_names_who_can_add(login, reader, process):
    html = login(reader).get(url(process)).content.decode()
    assert "Schwächen und Risiken in der SWOT-Analyse eintragen" not in html
    assert "Mitglieder des Teams, die Inhalte bearbeiten dürfen, können sie eintragen." in html


def test_empty_state_when_nothing_matches(login, coordinator, process, tools):
    weakness(process, "Zu viele Parkplätze am Marktplatz")
    html = login(coordinator).get(url(process)).content.decode()
    assert "Zu Ihren Schwächen, Risiken und Handlungsfeldern passt noch kein Werkzeug" in html
    assert 'href="/werkzeugkoffer/"' in html


def test_page_is_part_of_the_profile_step(login, coordinator, process):
    kwargs = {"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kommunalprofil"}
    html = login(coordinator).get(reverse("profile:swot", kwargs=kwargs)).content.decode()
    assert url(process) in html and "Passende Werkzeuge" in html


def test_only_under_the_profile_step(login, coordinator, process):
    assert login(coordinator).get(url(process, "werkstattplan")).status_code == 404


def test_outsider_and_anonymous_get_404(client, login, outsider, process):
    assert client.get(url(process)).status_code == 404
    assert login(outsider).get(url(process)).status_code == 404


def test_other_municipalitys_process_is_404(login, outsider, coordinator, process, other_municipality):
    other = strategy_services.process_create(
        actor=outsider, municipality=other_municipality, title="Anderdorf 2040", start_date=datetime.date(2026, 3, 1)
    )
    response = login(coordinator).get(
        reverse(
            "toolbox_process:recommendations",
            kwargs={"municipality_slug": "musterstadt", "pk": other.pk, "step_slug": "kommunalprofil"},
        )
    )
    assert response.status_code == 404


def test_query_count_is_pinned(login, coordinator, process, tools, django_assert_num_queries):
    """Two queries for the sources, one search per source (here 3), ten for the page frame (session, membership …)."""
    weakness(process, "Fachkräftemangel in der Pflege")
    weakness(process, "Immer mehr Pflegebedürftige", quadrant=Quadrant.THREAT)
    field(process, "Wohnen im Alter")
    client = login(coordinator)
    client.get(url(process))  # warm up
    with django_assert_num_queries(12):
        client.get(url(process))
    for number in range(6):
        ToolFactory(title=f"Pflegeangebot {number}", teaser="Pflege im Alter", body=BODY)
    with django_assert_num_queries(12):
        client.get(url(process))
