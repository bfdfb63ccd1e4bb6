"""The pages of the data portability: who may export, the status page, the download, the import form."""

import datetime
import io
import json
import os
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from daks.municipalities.models import Municipality, Role
from daks.portability import services
from daks.portability.models import WorkspaceExport
from tests.factories import MembershipFactory, UserFactory

from .factories import damaged, de, zip_with
from .roundtrip import export_bytes, stored_files, wipe_instance


def overview_url(municipality):
    return reverse("portability:overview", kwargs={"municipality_slug": municipality.slug})


def start_url(municipality):
    return reverse("portability:start", kwargs={"municipality_slug": municipality.slug})


def status_url(export):
    return reverse("portability:status", kwargs={"municipality_slug": export.municipality.slug, "pk": export.pk})


def download_url(export):
    return reverse("portability:download", kwargs={"municipality_slug": export.municipality.slug, "pk": export.pk})


IMPORT_URL = "/kommunen/importieren/"

pytestmark = pytest.mark.urls("tests.portability.urls")


def finished_export(municipality, user, **fields) -> WorkspaceExport:
    export = WorkspaceExport.objects.create(municipality=municipality, requested_by=user)
    services.export_run(export_id=export.pk)
    export.refresh_from_db()
    if fields:
        WorkspaceExport.objects.filter(pk=export.pk).update(**fields)
        export.refresh_from_db()
    return export


# --- Who may export ----------------------------------------------------------------------------------------------


def test_the_coordination_sees_the_page(login, coordinator, municipality):
    response = login(coordinator).get(overview_url(municipality))
    assert response.status_code == 200
    assert de("Start the export") in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.READER, Role.ADVISOR])
def test_other_members_get_403(login, municipality, role):
    member = MembershipFactory(municipality=municipality, role=role).user
    client = login(member)
    assert client.get(overview_url(municipality)).status_code == 403
    assert client.post(start_url(municipality)).status_code == 403
    assert not WorkspaceExport.objects.exists()


def test_non_members_and_anonymous_visitors_get_404(login, client, outsider, municipality, staff_user):
    assert client.get(overview_url(municipality)).status_code == 404
    assert login(outsider).get(overview_url(municipality)).status_code == 404
    assert login(staff_user).get(overview_url(municipality)).status_code == 404
    assert login(outsider).post(start_url(municipality)).status_code == 404
    assert not WorkspaceExport.objects.exists()


# --- Export, status, download ------------------------------------------------------------------------------------


def test_an_export_runs_in_the_background_and_can_be_downloaded(
    login, coordinator, workspace, municipality, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url(municipality))
    export = WorkspaceExport.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(export)
    assert export.status == WorkspaceExport.Status.DONE
    assert export.progress == 100
    assert export.expires_at - export.finished_at == datetime.timedelta(days=7)
    assert export.object_count > 50 and export.file_count == 7

    page = client.get(status_url(export)).content.decode()
    assert download_url(export) in page

    response = client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{export.download_name}"'
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        payload = json.loads(archive.read("data.json"))
    assert payload["source"]["slug"] == "musterstadt"
    assert municipality.audit_log.filter(action="portability.export.requested").count() == 1
    assert municipality.audit_log.filter(action="portability.export.downloaded").count() == 1


def test_only_one_export_at_a_time(login, coordinator, municipality):
    WorkspaceExport.objects.create(municipality=municipality, requested_by=coordinator)
    response = login(coordinator).post(start_url(municipality), follow=True)
    assert de("An export of this workspace is already being prepared. Please wait until it is ready.") in (
        response.content.decode()
    )
    assert WorkspaceExport.objects.count() == 1


def test_a_stuck_export_does_not_block_a_new_one(coordinator, municipality, django_capture_on_commit_callbacks):
    stuck = WorkspaceExport.objects.create(municipality=municipality, status=WorkspaceExport.Status.RUNNING)
    WorkspaceExport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=7))
    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(actor=coordinator, municipality=municipality)
    assert WorkspaceExport.objects.filter(status=WorkspaceExport.Status.DONE).count() == 1


def test_the_status_fragment_is_polled_while_the_export_is_pending(login, coordinator, municipality):
    export = WorkspaceExport.objects.create(municipality=municipality, requested_by=coordinator)
    client = login(coordinator)
    page = client.get(status_url(export)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<noscript>" in page
    fragment = client.get(status_url(export), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    unchanged = client.get(f"{status_url(export)}?seen={export.status_token}", headers={"HX-Request": "true"})
    assert unchanged.status_code == 204
    WorkspaceExport.objects.filter(pk=export.pk).update(status="running", progress=40, step="Maßnahmen")
    changed = client.get(f"{status_url(export)}?seen={export.status_token}", headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert "40 %" in changed.content.decode() and "Maßnahmen" in changed.content.decode()


def test_a_failed_export_says_so(login, coordinator, municipality, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("daks.portability.exporter.write_archive", broken)
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start_url(municipality))
    export = WorkspaceExport.objects.get()
    assert export.status == WorkspaceExport.Status.FAILED and not export.file
    page = client.get(status_url(export)).content.decode()
    assert de("The export failed. Please try again later or contact the support team.") in page
    assert client.get(download_url(export)).status_code == 404


def test_downloads_are_only_for_the_coordination_of_the_kommune(
    login, coordinator, contributor, outsider, municipality, other_municipality
):
    export = finished_export(municipality, coordinator)
    assert login(contributor).get(download_url(export)).status_code == 403
    assert login(outsider).get(download_url(export)).status_code == 404
    # the outsider is the coordination of another Kommune: the export is not found through that Kommune either
    url = reverse("portability:download", kwargs={"municipality_slug": other_municipality.slug, "pk": export.pk})
    assert login(outsider).get(url).status_code == 404
    url = reverse("portability:status", kwargs={"municipality_slug": other_municipality.slug, "pk": export.pk})
    assert login(outsider).get(url).status_code == 404


def test_expired_exports_are_gone(login, coordinator, municipality, django_capture_on_commit_callbacks):
    export = finished_export(municipality, coordinator, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = login(coordinator)
    assert client.get(download_url(export)).status_code == 404
    assert client.get(status_url(export)).status_code == 404
    assert download_url(export) not in client.get(overview_url(municipality)).content.decode()
    path = export.file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_purge_expired() == 1
    assert not WorkspaceExport.objects.exists()
    assert not os.path.exists(path)


def test_the_archive_goes_with_the_kommune(coordinator, municipality, django_capture_on_commit_callbacks):
    path = finished_export(municipality, coordinator).file.path
    with django_capture_on_commit_callbacks(execute=True):
        Municipality.objects.filter(pk=municipality.pk).delete()
    assert not os.path.exists(path)


def test_orphaned_archives_are_swept_once_they_are_a_day_old(coordinator, municipality):
    export = finished_export(municipality, coordinator)
    path = export.file.path
    WorkspaceExport.objects.filter(pk=export.pk).update(file="")  # as if the row had lost its file
    assert services.exports_purge_expired() == 0  # too young: perhaps an export that is just being finished
    day_old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(path, (day_old, day_old))
    assert services.exports_purge_expired() == 1
    assert not os.path.exists(path)


def test_the_overview_lists_exports_with_a_fixed_number_of_queries(
    login, coordinator, municipality, django_assert_num_queries
):
    for _index in range(3):
        finished_export(municipality, coordinator)
    WorkspaceExport.objects.create(municipality=municipality, requested_by=coordinator)
    client = login(coordinator)
    client.get(overview_url(municipality))  # warm up (session, content types)
    with django_assert_num_queries(7):
        response = client.get(overview_url(municipality))
    page = response.content.decode()
    assert page.count(de("Download")) >= 3
    assert 'disabled aria-describedby="pending-note"' in page


# --- Import -----------------------------------------------------------------------------------------------------


def test_the_import_page_needs_a_signed_in_user(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_importing_through_the_form(login, workspace, municipality, coordinator, mailoutbox):
    data = export_bytes(municipality)
    newcomer = UserFactory(email="neu@anderswo.example")
    wipe_instance(keep=newcomer, tools=[workspace["own_tool"].pk])
    client = login(newcomer)
    assert client.get(IMPORT_URL).status_code == 200
    upload = io.BytesIO(data)
    upload.name = "musterstadt.zip"
    response = client.post(IMPORT_URL, {"archive": upload}, follow=True)
    new = Municipality.objects.get()
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    page = response.content.decode()
    assert new.name in page
    assert new.memberships.get().user == newcomer
    assert new.invitations.count() == 4  # coordinator, contributor, reader and the open invitation
    assert mailoutbox == []


def test_a_damaged_upload_is_refused_with_a_message(login, user):
    before = (Municipality.objects.count(), stored_files())
    upload = zip_with({"README.txt": b"hallo"})
    upload.name = "kaputt.zip"
    response = login(user).post(IMPORT_URL, {"archive": upload})
    assert response.status_code == 200
    assert damaged("it does not contain a data.json; it is not a DAKS workspace export.") in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert (Municipality.objects.count(), stored_files()) == before


def test_an_upload_is_required(login, user):
    response = login(user).post(IMPORT_URL, {})
    assert de("Please choose the ZIP file of a workspace export.") in response.content.decode()
    assert not Municipality.objects.exists()
