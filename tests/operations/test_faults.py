"""Fault tests: the database goes away during a request, the mail server is down, the worker is killed during an
export, the disk is full during an upload. Each time users get a clear German message and no data is lost or
half-written."""

import datetime
import errno
import io
import os
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from daks.core.mail import send_templated_mail
from daks.core.models import AuditLogEntry
from daks.core.tasks import MAIL_RETRY_DELAYS
from daks.plans import export_tasks
from daks.plans.models import Plan
from daks.portability import services as portability_services
from daks.portability.models import WorkspaceExport
from daks.profile.models import InventoryItem
from daks.strategy.models import StepState, StrategyProcess

from .factories import TINY_PDF, de
from .mail_backends import FlakyBackend

pytestmark = pytest.mark.django_db

DOWN = "server closed the connection unexpectedly"
STORAGE_FULL = (
    "The file could not be saved because the server's storage space is full. Nothing has been saved. "
    "Please try again later or contact the support team of your DAKS installation."
)
INTERRUPTED = "The export was interrupted because the background process stopped. Please start it again."
START = datetime.datetime(2026, 3, 12, 9, 0, tzinfo=datetime.UTC)


def failing(*, when=lambda sql: True):
    """An execute wrapper: statements for which ``when(sql)`` holds fail as if the database server were gone.
    Savepoint statements pass, so the surrounding transactions can still roll back."""

    def wrapper(execute, sql, params, many, context):
        if when(sql) and "SAVEPOINT" not in sql.upper():
            raise OperationalError(DOWN)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


def assert_friendly_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html and '<html lang="de">' in html
    assert "Traceback" not in html and DOWN not in html and "OperationalError" not in html
    assert "no-store" in response["Cache-Control"]


# --- (a) the database is unavailable --------------------------------------------------------------------------


@pytest.mark.parametrize("error", [OperationalError(DOWN), InterfaceError("connection already closed")])
def test_a_database_outage_in_a_view_shows_the_german_503_page(login, coordinator, error):
    client = login(coordinator)
    with mock.patch("daks.core.views.municipality_selectors.memberships_for_user", side_effect=error):
        response = client.get(reverse("core:dashboard"))
    assert_friendly_page(response, 503, "DAKS ist gerade nicht erreichbar")
    assert "Ihre letzte Aktion wurde nicht gespeichert" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_a_database_outage_before_the_view_shows_the_503_page_too(login, coordinator):
    client = login(coordinator)
    client.raise_request_exception = False  # the middleware's error becomes Django's handler500
    with failing():
        response = client.get(reverse("core:dashboard"))
    assert_friendly_page(response, 503, "DAKS ist gerade nicht erreichbar")


def test_healthz_says_503_while_the_database_is_down(client):
    with failing():
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_a_write_that_fails_half_way_leaves_nothing_behind(login, coordinator, municipality):
    """The database fails after the process and its steps were inserted, at the audit entry: the service's
    transaction rolls everything back; after the recovery the same request succeeds once."""
    client = login(coordinator)
    url = reverse("strategy:create", kwargs={"municipality_slug": municipality.slug})
    data = {"title": "Musterstadt 2040", "start_date": "2026-03-01", "coordinators": [coordinator.pk]}
    inserted = []

    def audit_insert(sql):
        inserted.append(sql.split("(")[0])
        return sql.startswith(f'INSERT INTO "{AuditLogEntry._meta.db_table}"')

    with failing(when=audit_insert):
        response = client.post(url, data)
    assert_friendly_page(response, 503, "DAKS ist gerade nicht erreichbar")
    assert any(StepState._meta.db_table in sql for sql in inserted)  # it did fail half-way
    assert not StrategyProcess.objects.exists() and not StepState.objects.exists()
    assert not AuditLogEntry.objects.filter(action="strategy.process.created").exists()

    response = client.post(url, data)
    assert response.status_code == 302
    process = StrategyProcess.objects.get()
    assert process.step_states.count() == StepState.objects.count() > 0


def test_the_api_answers_json_while_the_database_is_down(client):
    with failing():
        response = client.get("/api/v1/tools")
    assert response.status_code == 503
    assert response.json() == {"detail": "The service is temporarily unavailable. Please try again later."}


# --- (b) the mail server is down -------------------------------------------------------------------------------


def run_worker(limit=20) -> int:
    """Run every task that is due, as ``manage.py db_worker`` does; returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and (result := DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first()):
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


@pytest.fixture
def flaky_mail(settings, database_tasks):
    settings.EMAIL_BACKEND = "tests.operations.mail_backends.FlakyBackend"
    FlakyBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    yield FlakyBackend
    FlakyBackend.failures = 0


def queue_mail(municipality):
    context = {
        "municipality": municipality,
        "applicant": {"name": "Erika Muster", "email": "erika@example.org"},
        "join_request": {"message": ""},
        "url": "https://daks.example/kommunen/musterstadt/team/",
    }
    send_templated_mail("municipalities/email/join_request", context, ["koordination@example.org"])


def test_mails_are_retried_by_the_worker_until_the_server_is_back(flaky_mail, municipality):
    flaky_mail.failures = 3
    with time_machine.travel(START, tick=False) as traveller:
        queue_mail(municipality)
        for delay in MAIL_RETRY_DELAYS[:3]:
            assert run_worker() == 1 and mail.outbox == []
            assert run_worker() == 0  # the next attempt waits …
            traveller.shift(datetime.timedelta(seconds=delay))  # … until its time has come
        assert run_worker() == 1
    assert len(mail.outbox) == 1  # delivered exactly once
    assert mail.outbox[0].to == ["koordination@example.org"] and "Musterstadt" in mail.outbox[0].subject
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 4
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in results] == [1, 2, 3, 4]
    assert [r.return_value for r in results] == [0, 0, 0, 1]


def test_a_mail_that_never_goes_out_stays_visible_as_failed(flaky_mail, municipality):
    flaky_mail.failures = 100
    with time_machine.travel(START, tick=False) as traveller:
        queue_mail(municipality)
        for delay in MAIL_RETRY_DELAYS:
            assert run_worker() == 1
            traveller.shift(datetime.timedelta(seconds=delay))
        assert run_worker() == 1
        assert run_worker() == 0
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)  # kept with its content for a manual retry
    assert failed.args_kwargs["kwargs"]["to"] == ["koordination@example.org"]
    assert failed.args_kwargs["kwargs"]["attempt"] == len(MAIL_RETRY_DELAYS) + 1
    assert mail.outbox == []


def test_a_permanently_refused_recipient_is_not_retried(flaky_mail, municipality):
    flaky_mail.failures = 1
    flaky_mail.error = smtplib.SMTPRecipientsRefused({"koordination@example.org": (550, b"No such user")})
    queue_mail(municipality)
    assert run_worker() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert not DBTaskResult.objects.ready().exists()


# --- (c) the worker is killed during an export ---------------------------------------------------------------


def status_url(export):
    return reverse("portability:status", kwargs={"municipality_slug": export.municipality.slug, "pk": export.pk})


def test_an_export_whose_worker_was_killed_is_shown_as_failed_with_a_retry_button(
    login, coordinator, municipality, database_tasks, django_capture_on_commit_callbacks, settings
):
    start_url = reverse("portability:start", kwargs={"municipality_slug": municipality.slug})
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            login(coordinator).post(start_url)
        export = WorkspaceExport.objects.get()
        # The worker takes the job, reports progress … and is killed (no further update ever comes).
        task = DBTaskResult.objects.ready().get()
        task.claim("killed-worker")
        WorkspaceExport.objects.filter(pk=export.pk).update(status="running", started_at=timezone.now(), progress=40)
        page = login(coordinator).get(status_url(export)).content.decode()
        assert 'hx-trigger="every 2s"' in page  # still believed to be running

        traveller.shift(datetime.timedelta(hours=6, minutes=1))
        client = login(coordinator)
        page = client.get(status_url(export)).content.decode()
        assert f'<span class="badge">{capfirst(de("failed"))}</span> {de(INTERRUPTED)}' in page
        assert f'action="{start_url}"' in page and de("Start the export again") in page
        assert "hx-trigger" not in page  # no more polling
        overview = client.get(reverse("portability:overview", kwargs={"municipality_slug": municipality.slug}))
        assert "disabled" not in overview.content.decode()  # a new export may be started

        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(start_url)  # the retry button
    retried = WorkspaceExport.objects.exclude(pk=export.pk).get()
    assert response.status_code == 302 and response.url == status_url(retried)
    assert retried.status == WorkspaceExport.Status.DONE
    export.refresh_from_db()
    assert export.status == WorkspaceExport.Status.FAILED and export.error == de(INTERRUPTED)
    assert portability_services.export_run(export_id=export.pk) == 0  # a late worker leaves it alone


def test_the_daily_purge_marks_interrupted_exports_as_failed(municipality):
    stuck = WorkspaceExport.objects.create(municipality=municipality, status=WorkspaceExport.Status.RUNNING)
    fresh = WorkspaceExport.objects.create(municipality=municipality, status=WorkspaceExport.Status.QUEUED)
    WorkspaceExport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=7))
    out = io.StringIO()
    call_command("purge_workspace_exports", stdout=out)
    assert "1 interrupted export(s) marked as failed." in out.getvalue()
    stuck.refresh_from_db(), fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (WorkspaceExport.Status.FAILED, WorkspaceExport.Status.QUEUED)


def test_an_interrupted_plan_export_is_shown_as_failed_with_a_retry_button(login, coordinator, process, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker never runs
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "werkstattplan"}
    with time_machine.travel(START, tick=False) as traveller:
        token = export_tasks.export_start(plan=plan, user=coordinator, identifier="pdf")
        url = reverse("plans:export_job", kwargs={**kwargs, "token": token})
        assert 'hx-trigger="every 2s"' in login(coordinator).get(url).content.decode()
        traveller.shift(datetime.timedelta(seconds=export_tasks.STALE_SECONDS + 1))
        page = login(coordinator).get(url).content.decode()
    assert de("The export was interrupted. Please start it again.") in page and "hx-trigger" not in page
    assert f'action="{reverse("plans:export_start", kwargs={**kwargs, "fmt": "pdf"})}"' in page


# --- (d) the disk is full --------------------------------------------------------------------------------------


def full_disk(monkeypatch):
    """Writing a file runs out of space half-way: a partial file is on disk when ENOSPC is raised."""

    def save(storage, name, content):
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save)


def stored_files(settings):
    return [
        path
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in root.rglob("*")
        if path.is_file()
    ]


def test_a_full_disk_on_upload_gives_a_clear_german_message_and_saves_nothing(
    login, coordinator, process, settings, monkeypatch
):
    full_disk(monkeypatch)
    url = reverse(
        "profile:inventory_create",
        kwargs={"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "kommunalprofil"},
    )
    document = SimpleUploadedFile("Konzept.pdf", TINY_PDF, content_type="application/pdf")
    response = login(coordinator).post(
        url, {"title": "Seniorenbüro", "kind": "facility", "status": "running", "document": document}
    )
    assert response.status_code == 200  # the form again, with the message at the file field
    assert escape(de(STORAGE_FULL)) in response.content.decode()
    assert not InventoryItem.objects.exists()
    assert not AuditLogEntry.objects.filter(action="profile.inventory.created").exists()
    assert stored_files(settings) == []  # the partly written file is gone


def test_a_full_disk_anywhere_else_gives_the_german_507_page(login, coordinator):
    client = login(coordinator)
    with mock.patch(
        "daks.core.views.municipality_selectors.memberships_for_user",
        side_effect=OSError(errno.ENOSPC, "No space left on device"),
    ):
        response = client.get(reverse("core:dashboard"))
    assert_friendly_page(response, 507, "Die Daten konnten nicht gespeichert werden")
