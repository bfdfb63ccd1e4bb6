"""Public API, content: published plans (the published version only), toolbox tools, events and portraits — only
what the website shows publicly, never drafts, participants or contact addresses; bounded, stably ordered lists."""

import datetime
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from daks.events.models import EventStatus
from daks.plans import publishing, versions
from daks.plans.models import Plan
from daks.strategy import services as strategy_services
from daks.toolbox.models import ToolAttachment, ToolStatus
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MunicipalityFactory
from tests.network.factories import PortraitFactory, consenting_contact
from tests.plans.factories import FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory
from tests.toolbox.factories import ToolFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit windows of earlier tests; the toolbox rebuilds its facet index
    yield
    cache.clear()


def get(client, path, **params):
    return client.get(f"{API}{path}", params)


# --- Plans --------------------------------------------------------------------------------------------------------


def make_plan(municipality, coordinator, *, title="Musterstadt 2040", publish=True):
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title=title,
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": municipality})
    plan.vision = "Eine Stadt für alle Generationen."
    plan.save()
    field = FieldOfActionFactory(process=process, title="Wohnen", priority=1)
    goal = GoalFactory(plan=plan, field_of_action=field, title="Mehr Wohnungen", indicator_name="Wohnungen")
    measure = MeasureFactory(
        plan=plan,
        field_of_action=field,
        title="Wohnberatung",
        responsible_person=coordinator,
        goals=[goal],
        responsible_unit="Sozialamt",
    )
    MilestoneFactory(measure=measure, title="Konzept", due_date=datetime.date(2026, 9, 30))
    version = versions.version_create(
        plan=plan, actor=coordinator, name="Beschluss Stadtrat 03/2026", date=datetime.date(2026, 3, 12)
    )
    if publish:
        publishing.plan_publish(plan=plan, user=coordinator, version=version)
    return plan


@pytest.fixture
def published(municipality, coordinator):
    return make_plan(municipality, coordinator)


def test_plan_list_only_published_plans_newest_first(client, published, municipality, coordinator, outsider):
    draft = make_plan(municipality, coordinator, title="Zweiter Prozess", publish=False)
    unverified = MunicipalityFactory(slug="ungeprueft", verified_at=None)
    hidden = make_plan(municipality, coordinator, title="Dritter Prozess")
    Plan.objects.filter(pk=hidden.pk).update(municipality=unverified)
    second = make_plan(municipality, coordinator, title="Vierter Prozess")
    response = get(client, "/plans")
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [second.pk, published.pk]
    assert body["count"] == 2
    item = body["results"][1]
    assert item["municipality"] == {
        "slug": "musterstadt",
        "name": "Musterstadt",
        "kind": municipality.kind,
        "state": municipality.state,
        "official_key": municipality.official_key,
    }
    assert item["process"] == "Musterstadt 2040"
    assert item["version"] == {"name": "Beschluss Stadtrat 03/2026", "date": "2026-03-12"}
    assert item["page_url"].endswith(f"/plaene/musterstadt/{published.process_id}/")
    assert draft.pk not in [item["id"] for item in body["results"]]
    assert get(client, "/plans", municipality="anderdorf").json()["results"] == []
    assert get(client, "/plans", state="DE-BY").json()["count"] == 2


def test_plan_list_queries_are_bounded(client, published, municipality, coordinator, django_assert_max_num_queries):
    for number in range(4):
        make_plan(municipality, coordinator, title=f"Prozess {number}")
    with django_assert_max_num_queries(2):  # count + one page with Kommune, process and version joined
        response = get(client, "/plans")
    assert response.json()["count"] == 5


def test_plan_detail_is_the_published_version_not_the_draft(client, published, coordinator):
    MeasureFactory(plan=published, title="Nach der Veröffentlichung ergänzt")  # a later draft change
    response = get(client, f"/plans/{published.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == published.pk and body["schema"] == "daks.plan/1"
    assert body["version"] == {"name": "Beschluss Stadtrat 03/2026", "date": "2026-03-12"}
    assert body["vision"] == "Eine Stadt für alle Generationen."
    [field] = body["fields_of_action"]
    assert field["title"] == "Wohnen"
    assert [measure["title"] for measure in field["measures"]] == ["Wohnberatung"]
    assert field["measures"][0]["milestones"][0]["title"] == "Konzept"
    assert field["goals"][0]["title"] == "Mehr Wohnungen"
    assert body["licence"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert "Nach der Veröffentlichung" not in response.text
    assert coordinator.email not in response.text  # the snapshot's responsible_person_email is not published
    assert response.has_header("Last-Modified")


def test_unpublished_and_unknown_plans_are_404(client, published, municipality, coordinator):
    draft = make_plan(municipality, coordinator, title="Entwurf", publish=False)
    assert get(client, f"/plans/{draft.pk}").status_code == 404
    publishing.plan_unpublish(plan=published, user=coordinator)
    response = get(client, f"/plans/{published.pk}")
    assert response.status_code == 404 and response.json()["detail"]
    assert get(client, "/plans").json()["results"] == []
    assert get(client, "/plans/2147483647").status_code == 404
    assert get(client, "/plans/2147483648").status_code == 422
    assert get(client, "/plans/0").status_code == 422


# --- Tools --------------------------------------------------------------------------------------------------------


@pytest.fixture
def tools():
    return {
        "housing": ToolFactory(
            slug="wohnformen",
            title="Neue Wohnformen im Alter",
            teaser="Gemeinschaftliche Projekte planen.",
            topics=["wohnen"],
            steps=["profile", "plan"],
            sizes=["medium", "large"],
            tool_type="concept",
        ),
        "care": ToolFactory(
            slug="pflege",
            title="Pflegekraft gewinnen",
            teaser="Wie eine Kommune Fachkräfte bindet.",
            topics=["gesundheit-pflege"],
            steps=["plan"],
            sizes=["small"],
        ),
        "participation": ToolFactory(
            slug="beteiligung", title="Bürgerbeteiligung im Quartier", topics=["wohnen"], steps=["workshop"]
        ),
        "draft": ToolFactory(slug="entwurf", title="Wohnen Entwurf", status=ToolStatus.DRAFT, topics=["wohnen"]),
        "archived": ToolFactory(slug="alt", title="Wohnen alt", status=ToolStatus.ARCHIVED, topics=["wohnen"]),
    }


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_tool_list_published_only_by_title(client, tools):
    response = get(client, "/tools")
    assert response.status_code == 200
    body = response.json()
    assert slugs(response) == ["beteiligung", "wohnformen", "pflege"]
    assert body["count"] == 3 and body["page_size"] == 20
    housing = body["results"][1]
    assert housing["type"] == "concept" and housing["steps"] == ["plan", "profile"]
    assert housing["topics"] == [{"slug": "wohnen", "name": "Wohnen"}]
    assert housing["page_url"].endswith("/werkzeugkoffer/wohnformen/") or "wohnformen" in housing["page_url"]
    types = {value["value"]: value["count"] for value in body["facets"]["type"]}
    assert types["concept"] == 1 and types["method"] == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "wohnen"}, ["wohnformen", "beteiligung"]),  # title, then topic names; never drafts
        ({"q": "Pflegekräfte"}, ["pflege"]),
        ({"topic": "wohnen"}, ["beteiligung", "wohnformen"]),
        ({"topic": ["wohnen", "gesundheit-pflege"], "step": "plan"}, ["wohnformen", "pflege"]),
        ({"type": "method", "size": "small"}, ["beteiligung", "pflege"]),
        ({"topic": "gibt-es-nicht"}, []),
        ({"sort": "title", "page_size": 2, "page": 2}, ["pflege"]),
        ({"page": 5}, []),
    ],
)
def test_tool_search_and_filters(client, tools, params, expected):
    response = get(client, "/tools", **params)
    assert response.status_code == 200
    assert slugs(response) == expected


def test_tool_list_queries_are_bounded(client, tools, django_assert_max_num_queries):
    for number in range(10):
        ToolFactory(title=f"Zusatz {number}", topics=["wohnen"])
    get(client, "/tools")  # builds the facet index once per process
    with django_assert_max_num_queries(6):
        response = get(client, "/tools", q="zusatz", page_size=100)
    assert response.json()["count"] == 10


@pytest.mark.parametrize(
    "params", [{"type": "magic"}, {"step": "step9"}, {"sort": "random"}, {"page_size": 101}, {"q": "x" * 201}]
)
def test_tool_list_refuses_invalid_parameters(client, tools, params):
    assert get(client, "/tools", **params).status_code == 422


def test_tool_detail(client, tools):
    tool = tools["housing"]
    tool.related.add(tools["care"], tools["draft"])
    tool.contact = "Stadt Musterstadt, Sozialamt"
    tool.save()
    ToolAttachment.objects.create(tool=tool, title="Checkliste", file="toolbox/attachments/c.pdf", size=1234)
    response = get(client, "/tools/wohnformen")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Neue Wohnformen im Alter" and body["body"].startswith("## Worum es geht")
    assert body["sizes"] == ["large", "medium"]
    assert body["related"] == [{"slug": "pflege", "title": "Pflegekraft gewinnen"}]  # not the draft
    assert body["attachments"][0]["title"] == "Checkliste" and body["attachments"][0]["size"] == 1234
    assert "/anhaenge/" in body["attachments"][0]["url"]
    assert body["contact"] == "Stadt Musterstadt, Sozialamt"
    assert response.has_header("Last-Modified")


@pytest.mark.parametrize("slug", ["entwurf", "alt", "gibt-es-nicht"])
def test_unpublished_tools_are_404(client, tools, slug):
    response = get(client, f"/tools/{slug}")
    assert response.status_code == 404 and response.json()["detail"]


# --- Events -------------------------------------------------------------------------------------------------------


@pytest.fixture
def events():
    now = timezone.now()
    return {
        "soon": EventFactory(slug="bald", title="Bald", starts_at=now + timedelta(days=2)),
        "later": EventFactory(slug="spaeter", title="Später", starts_at=now + timedelta(days=20), capacity=None),
        "cancelled": EventFactory(slug="abgesagt", starts_at=now + timedelta(days=5), status=EventStatus.CANCELLED),
        "past": EventFactory(slug="vorbei", title="Vorbei", starts_at=now - timedelta(days=10)),
        "older": EventFactory(slug="lange-her", title="Lange her", starts_at=now - timedelta(days=40)),
        "draft": EventFactory(slug="entwurf", starts_at=now + timedelta(days=3), status=EventStatus.DRAFT),
    }


def test_event_list_upcoming_by_default_and_past(client, events):
    RegistrationFactory(event=events["soon"], email="geheim@example.org", name="Gerda Geheim")
    response = get(client, "/events")
    assert response.status_code == 200
    body = response.json()
    assert [item["slug"] for item in body["results"]] == ["bald", "abgesagt", "spaeter"]
    soon = body["results"][0]
    assert soon["status"] == "published" and soon["online"] is True
    assert soon["capacity"] == 3 and soon["free_places"] == 2 and soon["registration_open"] is True
    assert body["results"][1]["status"] == "cancelled" and body["results"][1]["registration_open"] is False
    assert body["results"][2]["free_places"] is None
    for secret in ("geheim@example.org", "Gerda Geheim", "video.example.org", "netzwerk@example.org"):
        assert secret not in response.text
    past = get(client, "/events", past="true").json()
    assert [item["slug"] for item in past["results"]] == ["vorbei", "lange-her"]
    assert get(client, "/events", kind="conference").json()["results"] == []
    assert get(client, "/events", kind="party").status_code == 422


def test_event_list_queries_are_bounded(client, events, django_assert_max_num_queries):
    for number in range(10):
        event = EventFactory(starts_at=timezone.now() + timedelta(days=30 + number))
        RegistrationFactory(event=event)
    with django_assert_max_num_queries(2):  # count + one page with the registration counts
        response = get(client, "/events", page_size=100)
    assert response.json()["count"] == 13


def test_event_detail(client, events):
    event = events["past"]
    event.recording_url = "https://video.example.org/aufzeichnung"
    event.save()
    event.tools.add(ToolFactory(slug="vorgestellt", title="Vorgestellt"), ToolFactory(status=ToolStatus.DRAFT))
    RegistrationFactory(event=event, email="teilnehmerin@example.org")
    response = get(client, f"/events/{event.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "Ein **Seminar** über Demografie."
    assert body["recording_url"] == "https://video.example.org/aufzeichnung"
    assert body["tools"] == [{"slug": "vorgestellt", "title": "Vorgestellt"}]
    assert body["registration_open"] is False and body["ical_url"].endswith("/vorbei.ics")
    assert "teilnehmerin@example.org" not in response.text
    assert "geheimer-raum" not in response.text


def test_draft_and_unknown_events_are_404(client, events):
    assert get(client, f"/events/{events['draft'].pk}").status_code == 404
    assert get(client, "/events/2147483647").status_code == 404
    assert get(client, "/events/99999999999999999999").status_code == 422
    assert events["draft"].slug not in get(client, "/events").text


# --- Portraits ----------------------------------------------------------------------------------------------------


@pytest.fixture
def portraits(municipality, other_municipality):
    return {
        "public": PortraitFactory(municipality=municipality, topics=["wohnen"]),
        "other": PortraitFactory(municipality=other_municipality, topics=["gesundheit-pflege"]),
        "private": PortraitFactory(municipality=MunicipalityFactory(slug="privat"), is_public=False),
        "unverified": PortraitFactory(municipality=MunicipalityFactory(slug="neu", verified_at=None)),
    }


def test_portrait_list_only_opted_in_and_verified(client, portraits):
    response = get(client, "/portraits")
    assert response.status_code == 200
    body = response.json()
    assert [item["slug"] for item in body["results"]] == ["anderdorf", "musterstadt"]
    musterstadt = body["results"][1]
    assert musterstadt["name"] == "Musterstadt" and musterstadt["state_name"] == "Bayern"
    assert musterstadt["topics"] == [{"slug": "wohnen", "name": "Wohnen"}]
    assert musterstadt["page_url"].endswith("/netzwerk/kommunen/musterstadt/")
    assert [item["slug"] for item in get(client, "/portraits", state="DE-BW").json()["results"]] == ["anderdorf"]
    assert [item["slug"] for item in get(client, "/portraits", topic="wohnen").json()["results"]] == ["musterstadt"]
    assert get(client, "/portraits", state="XX").status_code == 422


def test_portrait_list_queries_are_bounded(client, portraits, django_assert_max_num_queries):
    for number in range(10):
        PortraitFactory(topics=["wohnen", "gesundheit-pflege"], municipality=MunicipalityFactory(slug=f"ort-{number}"))
    with django_assert_max_num_queries(3):  # count + page + topics
        response = get(client, "/portraits", page_size=100)
    assert response.json()["count"] == 12


def test_portrait_detail_without_contact_addresses(client, portraits, municipality, coordinator):
    contact = consenting_contact(municipality, user__email="ansprechperson@example.org")
    portraits["public"].contacts.add(contact)
    plan = make_plan(municipality, coordinator)
    ToolFactory(slug="beitrag", title="Beitrag", origin_municipality=municipality)
    ToolFactory(slug="beitrag-entwurf", origin_municipality=municipality, status=ToolStatus.DRAFT)
    response = get(client, "/portraits/musterstadt")
    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "Wir gestalten den demografischen Wandel."
    assert body["plans"] == [{"id": plan.pk, "process": "Musterstadt 2040", "version": "Beschluss Stadtrat 03/2026"}]
    assert body["tools"] == [{"slug": "beitrag", "title": "Beitrag"}]
    assert body["fields_of_action"] == ["Wohnen"]
    assert body["region_key"] == "09162999"
    assert body["contact_url"].endswith("/netzwerk/kommunen/musterstadt/kontakt/")
    assert "ansprechperson@example.org" not in response.text
    assert coordinator.email not in response.text


@pytest.mark.parametrize("slug", ["privat", "neu", "gibt-es-nicht"])
def test_hidden_portraits_are_404(client, portraits, slug):
    response = get(client, f"/portraits/{slug}")
    assert response.status_code == 404 and response.json()["detail"]
