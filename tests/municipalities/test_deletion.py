"""Deleting a Kommune's workspace with a grace period: summary, request, banner, cancel, purge (docs/deletion.md)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from daks.accounts.models import User
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities import deletion
from daks.municipalities.models import Membership, Municipality, Role
from daks.network.models import Portrait
from daks.plans.models import Plan
from tests.accounts.conftest import check_page
from tests.factories import MembershipFactory

from .deletion_factories import de, make_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(municipality, coordinator):
    return make_workspace(municipality, coordinator)


@pytest.fixture
def other_workspace(other_municipality, outsider):
    return make_workspace(other_municipality, outsider, title="Anderdorf 2040")


def _url(municipality, name="municipalities:delete"):
    return reverse(name, kwargs={"municipality_slug": municipality.slug})


def _request(client, municipality, password, extra=None):
    data = {"confirm_name": municipality.name, "password": password, **(extra or {})}
    return client.post(_url(municipality), data)


def _exists(files) -> list[bool]:
    return [storage.exists(name) for storage, name in files]


# --- Summary --------------------------------------------------------------------------------------------------------


def test_summary_counts_what_will_be_removed(municipality, coordinator, contributor, workspace):
    summary = deletion.deletion_summary(municipality)
    headline = {row.label: row.count for row in summary.headline}
    assert headline["Strategieprozesse"] == 1
    assert headline["Werkstattpläne"] == 1
    assert headline["Mitgliedschaften"] == 2
    assert headline["Einträge der Bestandsaufnahme"] == 1
    assert summary.files == 3  # logo, portrait image, inventory document
    assert summary.portrait_public and summary.published_plans == 1
    details = {row.label: row.count for row in summary.details}
    assert details["Portraits"] == 1
    assert summary.records == sum(details.values()) > 5
    assert summary.kept == []  # nothing stays


def test_summary_names_what_stays(municipality, coordinator):
    from daks.toolbox.models import Tool

    Tool.objects.create(title="Dorfladen", slug="dorfladen", origin_municipality=municipality)
    kept = {row.label: row.count for row in deletion.deletion_summary(municipality).kept}
    assert kept == {"Werkzeuge": 1}


def test_deletion_page_shows_summary_and_export_hint(login, municipality, coordinator, workspace):
    response = login(coordinator).get(_url(municipality))
    assert response.status_code == 200
    html = check_page(response)
    assert "Strategieprozesse" in html
    assert de("Take your data with you first.") in html
    assert de("%(counter)s uploaded file (documents, photos, images)",
              "%(counter)s uploaded files (documents, photos, images)", 3, counter=3) in html  # fmt: skip
    assert de("The public portrait in the network disappears at once when you confirm.") in html
    assert 'name="confirm_name"' in html and 'name="password"' in html
    try:
        export_url = reverse("portability:index", kwargs={"municipality_slug": municipality.slug})
    except NoReverseMatch:  # the portability app is built in parallel; the page works without it
        export_url = None
    if export_url:
        assert export_url in html


# --- Roles ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_non_coordination_gets_403(request, login, municipality, role, password):
    client = login(request.getfixturevalue(role))
    assert client.get(_url(municipality)).status_code == 403
    assert _request(client, municipality, password).status_code == 403
    assert client.post(_url(municipality, "municipalities:deletion_cancel")).status_code == 403
    municipality.refresh_from_db()
    assert not municipality.deletion_pending


def test_members_of_other_kommunen_and_anonymous_get_404(login, client, municipality, coordinator, outsider, password):
    assert client.get(_url(municipality)).status_code == 404
    client = login(outsider)
    assert client.get(_url(municipality)).status_code == 404
    assert _request(client, municipality, password).status_code == 404
    assert client.post(_url(municipality, "municipalities:deletion_cancel")).status_code == 404
    municipality.refresh_from_db()
    assert not municipality.deletion_pending


# --- Request --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"confirm_name": "Musterstad"}, "confirm_name",
         "Please type the exact name of the municipality to confirm the deletion."),
        ({"password": "falsch-falsch"}, "password", "The password is not correct."),
    ],
)  # fmt: skip
def test_wrong_name_or_password_changes_nothing(login, municipality, coordinator, workspace, password, data, field,
                                                message):  # fmt: skip
    client = login(coordinator)
    response = _request(client, municipality, password, data)
    assert response.status_code == 200
    html = check_page(response)
    assert de(message) in html
    assert f'id="id_{field}_error"' in html
    municipality.refresh_from_db()
    assert not municipality.deletion_pending
    assert Portrait.objects.get(municipality=municipality).is_public
    assert Plan.objects.get(pk=workspace.plan.pk).published_version_id is not None
    assert not AuditLogEntry.objects.filter(action="municipality.deletion_requested").exists()
    assert mail.outbox == []


def test_request_schedules_hides_public_pages_and_mails_every_member(
    login, client, municipality, coordinator, contributor, reader, workspace, password,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    public_portrait = reverse("network:portrait", kwargs={"municipality_slug": municipality.slug})
    public_plan = reverse("plans_public:plan", args=[municipality.slug, workspace.process.pk])
    assert client.get(public_plan).status_code == 200
    assert client.get(public_portrait).status_code == 200

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(login(coordinator), municipality, password)
    assert response.status_code == 302
    assert response["Location"] == municipality.get_absolute_url()
    municipality.refresh_from_db()
    assert municipality.deletion_pending and municipality.deletion_requested_by == coordinator
    assert before + timedelta(days=30) <= municipality.deletion_scheduled_for <= timezone.now() + timedelta(days=30)
    assert not municipality.can_publish

    # Public pages are gone at once; nothing is deleted yet.
    client.logout()
    assert client.get(public_plan).status_code == 404
    assert client.get(public_portrait).status_code == 404
    assert Municipality.objects.filter(pk=municipality.pk).exists()
    assert all(_exists(workspace.files))

    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, contributor.email, reader.email])
    message = mail.outbox[0]
    assert "Musterstadt" in message.subject
    with translation.override("de"):
        date = formats.date_format(timezone.localtime(municipality.deletion_scheduled_for), "DATE_FORMAT")
    assert date in message.body
    assert _url(municipality) in message.body

    entry = AuditLogEntry.objects.get(action="municipality.deletion_requested")
    assert entry.actor == coordinator and entry.municipality == municipality
    assert entry.data["portrait_hidden"] is True and entry.data["plans_hidden"] == 1


def test_banner_for_all_members_cancel_button_for_coordination(login, municipality, coordinator, contributor, password):
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password
    )
    cancel_url = _url(municipality, "municipalities:deletion_cancel")
    html = check_page(login(contributor).get(municipality.get_absolute_url()))
    assert de("Any coordinator can cancel the deletion until then.") in html
    assert cancel_url not in html
    html = check_page(login(coordinator).get(municipality.get_absolute_url()))
    assert cancel_url in html
    assert f'href="{_url(municipality)}"' not in html  # no second "delete" button while scheduled
    dashboard = login(contributor).get(reverse("core:dashboard")).content.decode()
    assert "Musterstadt" in dashboard and "badge--warning" in dashboard


def test_second_request_is_refused(municipality, coordinator, password):
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password
    )
    with pytest.raises(DomainError) as error:
        deletion.municipality_deletion_request(
            actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password
        )
    assert str(error.value.message) == de("The deletion of this municipality has already been requested.")


def test_grace_days_setting(settings, municipality, coordinator, password):
    settings.DAKS_DELETION_GRACE_DAYS = 7
    now = timezone.now()
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password, now=now
    )
    municipality.refresh_from_db()
    assert municipality.deletion_scheduled_for == now + timedelta(days=7)


# --- Cancel ---------------------------------------------------------------------------------------------------------


def test_any_coordinator_cancels_and_public_pages_return(
    login, client, municipality, coordinator, contributor, workspace, password, django_capture_on_commit_callbacks
):
    second = MembershipFactory(municipality=municipality, role=Role.COORDINATION).user
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(second).post(_url(municipality, "municipalities:deletion_cancel"))
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert not municipality.deletion_pending and municipality.deletion_hidden == {}
    assert Portrait.objects.get(municipality=municipality).is_public
    plan = Plan.objects.get(pk=workspace.plan.pk)
    assert plan.published_version_id == workspace.plan.published_version_id
    assert plan.published_at == workspace.plan.published_at
    client.logout()
    assert client.get(reverse("plans_public:plan", args=[municipality.slug, workspace.process.pk])).status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, contributor.email, second.email])
    assert AuditLogEntry.objects.get(action="municipality.deletion_cancelled").actor == second
    # Nothing to purge any more, even after the old date.
    assert deletion.purge_due_municipalities(now=timezone.now() + timedelta(days=60)) == []
    assert Municipality.objects.filter(pk=municipality.pk).exists()


def test_cancel_without_scheduled_deletion_shows_message(login, municipality, coordinator):
    response = login(coordinator).post(_url(municipality, "municipalities:deletion_cancel"), follow=True)
    assert de("The deletion of this municipality is not scheduled (any more).") in response.content.decode()
    assert not AuditLogEntry.objects.filter(action="municipality.deletion_cancelled").exists()


# --- Purge ----------------------------------------------------------------------------------------------------------


def test_purge_only_after_the_grace_date_and_removes_files(
    municipality, coordinator, contributor, workspace, other_workspace, other_municipality, password, time_machine,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password
    )
    municipality.refresh_from_db()
    scheduled_for = municipality.deletion_scheduled_for

    time_machine.move_to(scheduled_for - timedelta(minutes=1))
    out = StringIO()
    call_command("purge_deletions", stdout=out)
    assert "Nothing to purge." in out.getvalue()
    assert Municipality.objects.filter(pk=municipality.pk).exists()

    time_machine.move_to(scheduled_for + timedelta(minutes=1))
    out = StringIO()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deletions", stdout=out)
    assert "Deleted municipality “Musterstadt” (3 file(s) removed)." in out.getvalue()
    assert not Municipality.objects.filter(pk=municipality.pk).exists()
    assert not Membership.objects.filter(municipality_id=municipality.pk).exists()
    assert not Plan.objects.filter(pk=workspace.plan.pk).exists()
    assert _exists(workspace.files) == [False, False, False]
    # The members' accounts stay; they are told.
    assert User.objects.filter(pk__in=[coordinator.pk, contributor.pk]).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, contributor.email])
    entry = AuditLogEntry.objects.get(action="municipality.purged")
    assert entry.object_repr == "Musterstadt" and entry.actor is None and entry.data["files"] == 3
    # Another Kommune is untouched.
    assert Municipality.objects.filter(pk=other_municipality.pk).exists()
    assert all(_exists(other_workspace.files))
    assert Plan.objects.get(pk=other_workspace.plan.pk).published_version_id is not None

    out = StringIO()
    call_command("purge_deletions", stdout=out)  # idempotent
    assert out.getvalue().strip() == "Nothing to purge."


def test_dry_run_deletes_nothing(municipality, coordinator, password):
    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password,
        now=timezone.now() - timedelta(days=31),
    )  # fmt: skip
    out = StringIO()
    call_command("purge_deletions", "--dry-run", stdout=out)
    assert "Would delete municipality “Musterstadt”" in out.getvalue()
    assert Municipality.objects.filter(pk=municipality.pk).exists()


def test_purge_task(municipality, coordinator, password):
    from daks.accounts.tasks import purge_deletions

    deletion.municipality_deletion_request(
        actor=coordinator, municipality=municipality, confirm_name="Musterstadt", password=password,
        now=timezone.now() - timedelta(days=31),
    )  # fmt: skip
    result = purge_deletions.enqueue()
    assert result.return_value["municipalities"] == ["Musterstadt"]
    assert not Municipality.objects.filter(pk=municipality.pk).exists()


def test_wordings_registered():
    from daks.strategy.activity import ACTIONS

    for code in ["municipality.deletion_requested", "municipality.deletion_cancelled", "municipality.purged"]:
        assert code in ACTIONS
