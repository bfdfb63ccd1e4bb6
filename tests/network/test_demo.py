"""The demo content and a few selectors."""

import pytest
from django.urls import reverse

from daks.municipalities.models import Role
from daks.network.demo import DEMO_CLUSTER, DEMO_GROUP, seed_network_demo
from daks.network.models import MunicipalityGroup, Portrait
from daks.network.selectors import size_class, statistics_key
from daks.strategy.models import StrategyProcess
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


DEMO_NOTE = "Beispieldaten: Diese Kommune ist erfunden und dient nur der Vorführung von DAKS."


@pytest.fixture
def demo(db):
    town = MunicipalityFactory(
        name="Beispielstadt (Demo)", slug="beispielstadt", official_key="09999999", description=DEMO_NOTE
    )
    district = MunicipalityFactory(
        name="Landkreis Beispielkreis (Demo)",
        slug="beispielkreis",
        kind="landkreis",
        official_key="09998000",
        description=DEMO_NOTE,
    )
    coordinator = MembershipFactory(municipality=town, role=Role.COORDINATION, user__name="Katrin Koordinatorin").user
    staff = UserFactory(is_staff=True, is_superuser=True)
    return {"town": town, "district": district, "staff": staff, "coordinator": coordinator}


def test_seed_is_idempotent_and_pages_work(client, demo):
    seed_network_demo(**demo)
    seed_network_demo(**demo)
    assert Portrait.objects.filter(is_public=True).count() == 2
    group = MunicipalityGroup.objects.get(name=DEMO_GROUP)
    assert set(group.members.all()) == {demo["town"], demo["district"]}
    town = Portrait.objects.get(municipality=demo["town"])
    assert list(town.contacts.all()) == [demo["coordinator"]] and town.topics.exists()
    for url in (
        reverse("network:directory"),
        reverse("network:portrait", kwargs={"municipality_slug": "beispielstadt"}),
        reverse("network:portrait", kwargs={"municipality_slug": "beispielkreis"}),
        reverse("network:contact", kwargs={"municipality_slug": "beispielstadt"}),
        group.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    cluster = MunicipalityGroup.objects.get(name=DEMO_CLUSTER)
    assert cluster.kind == "regional" and set(cluster.members.all()) == {demo["town"], demo["district"]}
    assert MunicipalityGroup.objects.count() == 2
    # The invented Kommunen have no official figures, and their pages say so instead of showing dashes.
    district_page = client.get(reverse("network:portrait", kwargs={"municipality_slug": "beispielkreis"}))
    assert "Für diese Beispielkommune gibt es keine amtlichen Zahlen" in district_page.content.decode()
    assert "keine amtlichen Zahlen (erfundene Beispielkommune)" in client.get(group.get_absolute_url()).content.decode()
    html = client.get(reverse("network:directory")).content.decode()
    assert 'aria-label="Beispielstadt (Demo) (' in html  # on the map, placed in its Land (no coordinates)
    assert "Katrin Koordinatorin" in client.get(town.get_absolute_url()).content.decode()


def test_statistics_key(demo):
    assert statistics_key(demo["town"]) == "09999999"
    assert statistics_key(demo["district"]) == "09998"  # a Landkreis registers xxxxx000
    process = StrategyProcess(municipality=demo["town"], region_key="09999123", title="Quartier")
    assert statistics_key(demo["town"], process) == "09999123"


def test_size_classes(demo):
    assert size_class(demo["district"], 100_000) == "district"
    assert [size_class(demo["town"], n) for n in (9_999, 10_000, 49_999, 50_000, None)] == [
        "small",
        "medium",
        "medium",
        "large",
        "",
    ]
