"""Regional workshop meetings of a group of Kommunen: the group on the event, on the group page, the group filter of
the events list, the organiser's form (permissions unchanged)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from daks.events.models import Event, EventKind, EventStatus
from tests.network.factories import GroupFactory

from .factories import EventFactory, RegistrationFactory
from .test_organiser import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    return GroupFactory(name="Cluster Süd", slug="cluster-sued", kind="regional")


@pytest.fixture
def meeting(group):
    starts = timezone.make_aware(datetime(2031, 3, 5, 9, 30))
    return EventFactory(
        title="Werkstatttreffen Süd",
        slug="werkstatttreffen-sued",
        kind=EventKind.REGIONAL_MEETING,
        group=group,
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        online_url="",
        place="Rathaus Alphastadt",
        capacity=2,
    )


def test_event_page_names_the_group_with_a_link(client, meeting, group):
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Regionaltreffen der Gruppe" in html
    assert f'<a href="{group.get_absolute_url()}">Cluster Süd</a>' in html


def test_event_without_group_says_nothing_about_groups(client, event):
    assert "Regionaltreffen der Gruppe" not in client.get(event.get_absolute_url()).content.decode()


def test_group_page_lists_upcoming_and_past_meetings_with_german_dates_and_state(client, group, meeting):
    RegistrationFactory(event=meeting)
    RegistrationFactory(event=meeting)  # both places taken
    past_start = timezone.now() - timedelta(days=40)
    past = EventFactory(
        title="Auftakt Cluster Süd", group=group, starts_at=past_start, ends_at=past_start + timedelta(hours=3)
    )
    EventFactory(title="Entwurf eines Treffens", group=group, status=EventStatus.DRAFT)
    EventFactory(title="Treffen einer anderen Gruppe", group=GroupFactory())
    html = client.get(group.get_absolute_url()).content.decode()
    section = html[html.index('id="treffen"') :]
    upcoming = section[section.index("Anstehende Treffen") : section.index("Vergangene Treffen")]
    assert f'href="{meeting.get_absolute_url()}"' in upcoming
    assert "Mi, 5. März 2031, 09:30" in upcoming  # de-DE
    assert "Ausgebucht – Warteliste offen" in upcoming
    assert past.title in section[section.index("Vergangene Treffen") :]
    assert "Entwurf eines Treffens" not in html and "Treffen einer anderen Gruppe" not in html
    assert f'href="/veranstaltungen/?gruppe={group.slug}"' in section


def test_group_page_states_registration_open_and_cancelled(client, group, meeting):
    cancelled = EventFactory(title="Abgesagtes Treffen", group=group, status=EventStatus.CANCELLED)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Anmeldung offen, 2 von 2 Plätzen frei" in html
    assert cancelled.title in html and "abgesagt" in html


def test_group_page_without_meetings_says_so(client, group):
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Keine anstehenden Treffen dieser Gruppe." in html


def test_events_list_filters_by_group_with_a_labelled_select(client, group, meeting):
    other = EventFactory(title="Online-Seminar ohne Gruppe")
    html = client.get(reverse("events:list")).content.decode()
    assert '<label for="event-group">Gruppe von Kommunen</label>' in html
    assert '<select id="event-group" name="gruppe">' in html
    assert f'<option value="{group.slug}">Cluster Süd</option>' in html
    assert other.title in html and meeting.title in html

    html = client.get(reverse("events:list"), {"gruppe": group.slug}).content.decode()
    assert meeting.title in html and other.title not in html
    assert f'<option value="{group.slug}" selected>Cluster Süd</option>' in html


def test_group_filter_combines_with_kind_and_keeps_both_in_the_page_links(client, group, meeting):
    past_start = timezone.now() - timedelta(days=400)
    for number in range(21):
        EventFactory(
            title=f"Vergangenes Treffen {number}",
            group=group,
            kind=EventKind.REGIONAL_MEETING,
            starts_at=past_start + timedelta(days=number),
            ends_at=past_start + timedelta(days=number, hours=2),
        )
    html = client.get(reverse("events:list"), {"gruppe": group.slug, "kind": "online_seminar"}).content.decode()
    assert meeting.title not in html
    html = client.get(reverse("events:list"), {"gruppe": group.slug, "kind": "regional_meeting"}).content.decode()
    assert meeting.title in html
    assert f'href="?kind=regional_meeting&amp;gruppe={group.slug}&amp;page=2"' in html


def test_unknown_group_parameter_is_ignored(client, group, meeting):
    other = EventFactory(title="Online-Seminar ohne Gruppe")
    response = client.get(reverse("events:list"), {"gruppe": "gibt-es-nicht"})
    assert response.status_code == 200
    html = response.content.decode()
    assert meeting.title in html and other.title in html
    assert " selected>Cluster Süd" not in html


def test_organiser_sets_and_clears_the_group(login, editor, group):
    response = login(editor).post(reverse("events:create"), form_data(group=str(group.pk)))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.group == group
    edit = reverse("events:edit", kwargs={"pk": event.pk})
    page = login(editor).get(edit).content.decode()
    assert f'<option value="{group.pk}" selected>Cluster Süd</option>' in page
    response = login(editor).post(edit, form_data(group="", slug=event.slug, version=event.version))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.group is None


def test_plan_a_meeting_from_the_group_page_presets_group_and_kind(login, editor, group):
    page = login(editor).get(reverse("events:create"), {"gruppe": group.slug}).content.decode()
    assert f'<option value="{group.pk}" selected>Cluster Süd</option>' in page
    assert '<option value="regional_meeting" selected>' in page
    assert "Ein Treffen dieser Gruppe planen" in login(editor).get(group.get_absolute_url()).content.decode()


def test_an_unknown_group_id_is_refused_by_the_form(login, editor):
    response = login(editor).post(reverse("events:create"), form_data(group="999999999"))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_permissions_unchanged_for_the_group_field(client, login, coordinator, group):
    target = reverse("events:create")
    response = client.post(target, form_data(group=str(group.pk)))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert login(coordinator).post(target, form_data(group=str(group.pk))).status_code == 403
    assert not Event.objects.exists()
    # The public group page offers no planning link to non-editors.
    with translation.override("de"):
        assert "Ein Treffen dieser Gruppe planen" not in client.get(group.get_absolute_url()).content.decode()


def test_deleting_the_group_keeps_its_events(group, meeting):
    group.delete()
    meeting.refresh_from_db()
    assert meeting.group is None
