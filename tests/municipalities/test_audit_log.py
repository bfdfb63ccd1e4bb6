"""The audit log of a Kommune for its Koordination: /kommunen/<slug>/protokoll/ (docs/security.md)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from daks.core.models import AuditLogEntry
from daks.municipalities import views_audit

pytestmark = pytest.mark.django_db


def log_url(municipality, query=""):
    return reverse("municipalities:audit_log", kwargs={"municipality_slug": municipality.slug}) + query


def csv_url(municipality, query=""):
    return reverse("municipalities:audit_log_csv", kwargs={"municipality_slug": municipality.slug}) + query


def entry(municipality, action, actor=None, object_repr="", **data):
    return AuditLogEntry.objects.create(
        municipality=municipality, action=action, actor=actor, object_repr=object_repr, data=data
    )


@pytest.fixture
def entries(municipality, other_municipality, coordinator, contributor, outsider):
    return {
        "task": entry(municipality, "strategy.task.created", contributor, "Flyer drucken"),
        "role": entry(municipality, "municipality.member.role_changed", coordinator, "Erika", new="reader"),
        "reminder": entry(municipality, "strategy.task.reminder_sent", None, "Flyer drucken"),
        "foreign": entry(other_municipality, "strategy.task.created", outsider, "Geheime Aufgabe"),
    }


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))


# --- Access -----------------------------------------------------------------------------------------


def test_coordination_sees_who_did_what_and_when(login, coordinator, contributor, municipality, entries):
    response = login(coordinator).get(log_url(municipality))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "<caption>" in html and '<th scope="col">' in html
    with translation.override("de"):
        task_text = str(gettext("created the task “%(object)s”") % {"object": "Flyer drucken"})
        automatic = gettext("DAKS")
    assert task_text in html
    assert contributor.name in html
    assert automatic in html  # the automatic reminder has no person
    assert "Geheime Aufgabe" not in html  # another Kommune's entry
    assert f'datetime="{timezone.localtime(entries["task"].created_at).isoformat()[:19]}' in html


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_other_roles_get_403(request, login, municipality, entries, role):
    client = login(request.getfixturevalue(role))
    assert client.get(log_url(municipality)).status_code == 403
    assert client.get(csv_url(municipality)).status_code == 403


def test_non_members_and_anonymous_get_404(login, outsider, municipality, entries, client):
    assert login(outsider).get(log_url(municipality)).status_code == 404
    assert client.get(csv_url(municipality)).status_code == 404
    client.logout()
    assert client.get(log_url(municipality)).status_code == 404
    assert client.get(csv_url(municipality)).status_code == 404


def test_only_get(login, coordinator, municipality):
    assert login(coordinator).post(log_url(municipality)).status_code == 405


def test_detail_page_links_the_log_for_the_coordination_only(login, coordinator, reader, municipality):
    link = f'href="{log_url(municipality)}"'
    detail = reverse("municipalities:detail", kwargs={"municipality_slug": municipality.slug})
    assert link in login(coordinator).get(detail).content.decode()
    assert link not in login(reader).get(detail).content.decode()


# --- Filters and pages ------------------------------------------------------------------------------


def test_filter_by_kind(login, coordinator, municipality, entries):
    html = login(coordinator).get(log_url(municipality, "?art=team")).content.decode()
    assert "Erika" in html
    assert "Flyer drucken" not in html
    html = login(coordinator).get(log_url(municipality, "?art=tasks")).content.decode()
    assert "Flyer drucken" in html and "Erika" not in html


def test_filter_by_person(login, coordinator, contributor, outsider, municipality, entries):
    client = login(coordinator)
    page = client.get(log_url(municipality))
    people = [value for value, _label in page.context["form"].fields["person"].choices]
    assert str(contributor.pk) in people and str(coordinator.pk) in people
    assert str(outsider.pk) not in people  # only people who appear in this Kommune's log
    html = client.get(log_url(municipality, f"?person={contributor.pk}")).content.decode()
    assert "Flyer drucken" in html and "Erika" not in html


def test_invalid_filters_show_everything(login, coordinator, outsider, municipality, entries):
    response = login(coordinator).get(log_url(municipality, f"?art=nonsense&person={outsider.pk}"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3


def test_pages_of_fifty_keep_the_filter(login, coordinator, municipality):
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(municipality=municipality, action="strategy.task.created", actor=coordinator, object_repr=f"T{n}")
        for n in range(views_audit.PER_PAGE + 3)
    )
    client = login(coordinator)
    first = client.get(log_url(municipality, "?art=tasks"))
    assert len(first.context["entries"]) == views_audit.PER_PAGE
    html = first.content.decode()
    assert "art=tasks&amp;seite=2" in html
    second = client.get(log_url(municipality, "?art=tasks&seite=2"))
    assert len(second.context["entries"]) == 3


def test_empty_log(login, coordinator, municipality):
    response = login(coordinator).get(log_url(municipality))
    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_entries(
    login, coordinator, contributor, municipality, django_assert_num_queries, count
):
    for number in range(count):
        entry(municipality, "strategy.task.created", contributor if number % 2 else coordinator, f"Aufgabe {number}")
    client = login(coordinator)
    client.get(log_url(municipality))  # warm-up (session, content types)
    # session, user, Kommune, membership, the navigation's memberships, unread notifications, people of the filter,
    # count, entries with their actors
    with django_assert_num_queries(9):
        response = client.get(log_url(municipality, f"?person={contributor.pk}"))
    assert response.status_code == 200


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_export_with_filters(login, coordinator, contributor, municipality, entries):
    client = login(coordinator)
    response = client.get(csv_url(municipality))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="protokoll-{municipality.slug}-')
    rows = rows_of(response)
    with translation.override("de"):
        assert rows[0] == [
            gettext("Date and time"),
            gettext("Person"),
            gettext("What"),
            gettext("Action code"),
            gettext("Object"),
        ]
    assert len(rows) == 4
    codes = [row[3] for row in rows[1:]]
    assert sorted(codes) == ["municipality.member.role_changed", "strategy.task.created", "strategy.task.reminder_sent"]
    task_row = next(row for row in rows if row[3] == "strategy.task.created")
    assert task_row[1] == contributor.name and task_row[4] == "Flyer drucken"
    filtered = rows_of(client.get(csv_url(municipality, f"?person={contributor.pk}")))
    assert [row[3] for row in filtered[1:]] == ["strategy.task.created"]


def test_csv_defuses_spreadsheet_formulas(login, coordinator, municipality):
    coordinator.name = "@Mallory"
    coordinator.save()
    entry(municipality, "strategy.task.created", coordinator, '=HYPERLINK("http://evil")')
    rows = rows_of(login(coordinator).get(csv_url(municipality)))
    assert rows[1][1] == "'@Mallory"
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'


def test_csv_link_keeps_the_filter(login, coordinator, municipality, entries):
    html = login(coordinator).get(log_url(municipality, "?art=team")).content.decode()
    assert f'href="{csv_url(municipality)}?art=team"' in html
