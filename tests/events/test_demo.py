"""The demo content of the events."""

import pytest
from django.urls import reverse

from daks.events.demo import seed_events_demo
from daks.events.models import Event, EventStatus, RegistrationStatus
from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.toolbox.factories import ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    town = MunicipalityFactory(name="Beispielstadt (Demo)", slug="beispielstadt", official_key="09999999")
    district = MunicipalityFactory(
        name="Landkreis Beispielkreis (Demo)", slug="beispielkreis", kind="landkreis", official_key="09998000"
    )
    coordinator = MembershipFactory(municipality=town, role=Role.COORDINATION, user__name="Katrin Koordinatorin").user
    staff = UserFactory(is_staff=True, is_superuser=True)
    return {"town": town, "district": district, "staff": staff, "coordinator": coordinator}


def test_seed_is_idempotent_and_pages_work(client, login, demo):
    ToolFactory(title="Werkzeug A")
    ToolFactory(title="Werkzeug B")
    seed_events_demo(**demo)
    seed_events_demo(**demo)
    events = list(Event.objects.all())
    assert len(events) == 5
    assert all("(Beispieldaten)" in event.title and event.status == EventStatus.PUBLISHED for event in events)
    full = Event.objects.get(slug="online-seminar-wohnen-im-alter-beispieldaten")
    assert full.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == full.capacity
    assert full.registrations.filter(status=RegistrationStatus.WAITING).count() == 2
    conference = Event.objects.get(kind="conference")
    assert conference.is_past and conference.tools.count() == 2
    assert Event.objects.get(slug="online-seminar-pflegestrukturplanung-beispieldaten").registrations.count() == 3
    urls = [reverse("events:list"), reverse("events:feed")] + [event.get_absolute_url() for event in events]
    for target in urls:
        assert client.get(target).status_code == 200, target
    assert "Werkzeug A" in client.get(conference.get_absolute_url()).content.decode()
    for token in ("beispiel-anmeldung-bestaetigt", "beispiel-anmeldung-warteliste"):
        assert client.get(reverse("events:registration", kwargs={"token": token})).status_code == 200
    # The regional workshop meetings belong to the demo cluster and are listed on its page.
    from daks.network.demo import DEMO_CLUSTER

    meeting = Event.objects.get(slug="regionaltreffen-sued-beispieldaten")
    assert meeting.group is not None and meeting.group.name == DEMO_CLUSTER
    assert set(meeting.group.members.all()) == {demo["town"], demo["district"]}
    group_page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert meeting.title in group_page and "Auftakttreffen Cluster Süd (Beispieldaten)" in group_page
    assert "Regionaltreffen der Gruppe" in client.get(meeting.get_absolute_url()).content.decode()
    editor = login(demo["staff"])
    assert editor.get(reverse("events:organiser_list")).status_code == 200
    assert editor.get(reverse("events:manage", kwargs={"pk": full.pk})).status_code == 200
