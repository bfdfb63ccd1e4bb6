"""Task pages per role, filters and the dashboard list."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.municipalities.models import Role
from daks.strategy.models import Step, Task, TaskStatus

from ..factories import MembershipFactory, MunicipalityFactory, UserFactory
from .test_tasks import ProcessFactory, TaskFactory, url

TODAY = datetime.date(2026, 11, 27)
EDITORS = ["coordinator", "contributor", "advisor"]


@pytest.fixture
def task(municipality):
    return TaskFactory(municipality=municipality, title="Einladungen verschicken")


@pytest.mark.parametrize("role", [*EDITORS, "reader"])
def test_members_see_the_list(request, login, municipality, task, role):
    member = request.getfixturevalue(role)
    content = login(member).get(url("tasks", municipality)).content.decode()
    assert task.title in content
    assert (url("task_create", municipality) in content) == (role != "reader")


@pytest.mark.parametrize("role", EDITORS)
def test_editors_create_a_task(
    request, login, municipality, contributor, role, mailoutbox, django_capture_on_commit_callbacks
):
    member = request.getfixturevalue(role)
    process = ProcessFactory(municipality=municipality)
    client = login(member)
    form = client.get(url("task_create", municipality) + f"?prozess={process.pk}&schritt=workshop")
    assert form.status_code == 200
    assert form.context["form"].initial == {"process": process, "step": Step.WORKSHOP}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("task_create", municipality),
            {
                "title": "Raum buchen",
                "process": process.pk,
                "step": "workshop",
                "assignee": contributor.pk,
                "due_date": "2026-12-01",
            },
        )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.process, task.step, task.assignee, task.due_date) == (
        process,
        Step.WORKSHOP,
        contributor,
        datetime.date(2026, 12, 1),
    )
    assert len(mailoutbox) == (0 if member == contributor else 1)


def test_create_form_refuses_a_non_member_as_assignee(login, municipality, coordinator, outsider):
    response = login(coordinator).post(url("task_create", municipality), {"title": "X", "assignee": outsider.pk})
    assert response.status_code == 200
    assert "assignee" in response.context["form"].errors
    assert not Task.objects.exists()


def test_reader_gets_403_on_writes_but_can_read_the_task(login, municipality, reader, task):
    client = login(reader)
    assert client.get(url("task_create", municipality)).status_code == 403
    assert client.post(url("task_create", municipality), {"title": "X"}).status_code == 403
    assert client.post(url("task_edit", municipality, pk=task.pk), {"title": "X"}).status_code == 403
    assert client.post(url("task_status", municipality, pk=task.pk), {"status": "done"}).status_code == 403
    assert client.post(url("task_delete", municipality, pk=task.pk)).status_code == 403
    detail = client.get(url("task_edit", municipality, pk=task.pk))
    assert detail.status_code == 200
    assert "strategy/tasks/task_detail.html" in [t.name for t in detail.templates]
    task.refresh_from_db()
    assert (task.title, task.status) == ("Einladungen verschicken", TaskStatus.OPEN)


def test_assigned_reader_may_set_the_status_of_their_own_task(login, municipality, reader):
    task = TaskFactory(municipality=municipality, assignee=reader)
    client = login(reader)
    assert 'name="status"' in client.get(url("task_edit", municipality, pk=task.pk)).content.decode()
    response = client.post(url("task_status", municipality, pk=task.pk), {"status": "done", "next": "/dashboard/"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None


def test_status_redirect_ignores_foreign_next(login, municipality, coordinator, task):
    response = login(coordinator).post(
        url("task_status", municipality, pk=task.pk), {"status": "in_progress", "next": "https://evil.example/"}
    )
    assert response.url == url("tasks", municipality)


@pytest.mark.parametrize("role", EDITORS)
def test_editors_edit_status_and_delete(request, login, municipality, task, role):
    client = login(request.getfixturevalue(role))
    page = client.get(url("task_edit", municipality, pk=task.pk))
    assert page.status_code == 200
    response = client.post(
        url("task_edit", municipality, pk=task.pk),
        {"title": "Geändert", "status": "in_progress", "version": page.context["form"].initial["version"]},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.status) == ("Geändert", TaskStatus.IN_PROGRESS)
    assert client.post(url("task_status", municipality, pk=task.pk), {"status": "done"}).status_code == 302
    assert client.post(url("task_delete", municipality, pk=task.pk)).status_code == 302
    assert not Task.objects.exists()
    assert AuditLogEntry.objects.filter(action__startswith="strategy.task.").count() == 3


def test_edit_conflict_shows_both_versions_and_keeps_the_other_change(
    login, municipality, coordinator, contributor, task
):
    client = login(coordinator)
    stale = client.get(url("task_edit", municipality, pk=task.pk)).context["form"].initial["version"]
    login(contributor)  # a colleague saves in between
    from daks.strategy import task_services

    task_services.task_update(actor=contributor, task=task, title="Titel der Kollegin")
    client = login(coordinator)
    response = client.post(
        url("task_edit", municipality, pk=task.pk),
        {"title": "Mein Titel", "status": "open", "version": stale},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Titel der Kollegin" in content  # what is stored now
    assert 'value="Mein Titel"' in content  # the user's own input is kept
    task.refresh_from_db()
    assert task.title == "Titel der Kollegin"
    # saving again (with the refreshed version) keeps the user's version
    new_version = response.context["form"].data["version"]
    client.post(
        url("task_edit", municipality, pk=task.pk), {"title": "Mein Titel", "status": "open", "version": new_version}
    )
    task.refresh_from_db()
    assert task.title == "Mein Titel"


@pytest.mark.parametrize(
    "name,method",
    [("tasks", "get"), ("task_create", "get"), ("task_edit", "get"), ("task_status", "post"), ("task_delete", "post")],
)
def test_outsiders_and_anonymous_get_404(client, login, municipality, outsider, task, name, method):
    kwargs = {"pk": task.pk} if name not in ("tasks", "task_create") else {}
    target = url(name, municipality, **kwargs)
    assert getattr(client, method)(target).status_code == 404
    assert getattr(login(outsider), method)(target).status_code == 404
    assert Task.objects.filter(pk=task.pk).exists()


def test_task_of_another_municipality_is_404(login, municipality, coordinator, other_municipality):
    foreign = TaskFactory(municipality=other_municipality)
    client = login(coordinator)
    assert client.get(url("task_edit", municipality, pk=foreign.pk)).status_code == 404
    assert client.post(url("task_status", municipality, pk=foreign.pk), {"status": "done"}).status_code == 404
    assert client.post(url("task_delete", municipality, pk=foreign.pk)).status_code == 404
    assert Task.objects.filter(pk=foreign.pk, status=TaskStatus.OPEN).exists()


@time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_list_filters(login, municipality, coordinator, contributor):
    process = ProcessFactory(municipality=municipality)
    late = TaskFactory(
        municipality=municipality, title="Spät", assignee=contributor, due_date=TODAY - datetime.timedelta(1)
    )
    in_process = TaskFactory(municipality=municipality, title="ImProzess", process=process, due_date=TODAY)
    done = TaskFactory(municipality=municipality, title="Erledigt", status=TaskStatus.DONE)
    client = login(coordinator)

    def titles(query):
        return [t.title for t in client.get(url("tasks", municipality) + query).context["tasks"]]

    assert titles("") == ["Spät", "ImProzess", "Erledigt"]
    assert titles("?overdue=ja") == [late.title]
    assert titles("?overdue=nein") == [in_process.title, done.title]
    assert titles(f"?assignee={contributor.pk}") == [late.title]
    assert titles(f"?process={process.pk}") == [in_process.title]
    assert titles("?status=done") == [done.title]
    content = client.get(url("tasks", municipality) + "?overdue=ja", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "overdue" in content


def test_list_filter_ignores_foreign_process(login, municipality, coordinator, other_municipality, task):
    foreign = ProcessFactory(municipality=other_municipality)
    response = login(coordinator).get(url("tasks", municipality) + f"?process={foreign.pk}")
    assert response.status_code == 200
    assert [t.pk for t in response.context["tasks"]] == [task.pk]


# --- dashboard ------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_dashboard_lists_my_open_tasks_over_all_municipalities(login, municipality, contributor, other_municipality):
    MembershipFactory(municipality=other_municipality, user=contributor, role=Role.READER)
    late = TaskFactory(
        municipality=other_municipality,
        assignee=contributor,
        title="Überfällige Sache",
        due_date=TODAY - datetime.timedelta(3),
    )
    TaskFactory(
        municipality=municipality, assignee=contributor, title="Künftige Sache", due_date=TODAY + datetime.timedelta(3)
    )
    TaskFactory(municipality=municipality, assignee=contributor, title="Fertige Sache", status=TaskStatus.DONE)
    TaskFactory(municipality=municipality, title="Fremde Sache")
    response = login(contributor).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert content.index("Überfällige Sache") < content.index("Künftige Sache")
    assert "Fertige Sache" not in content and "Fremde Sache" not in content
    assert url("task_edit", other_municipality, pk=late.pk) in content
    assert other_municipality.name in content
    assert content.count(">overdue</span>") == 1  # a text marker, not colour only
    assert "You have no open tasks" not in content


def test_dashboard_keeps_the_empty_state(login, contributor):
    content = login(contributor).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no open tasks" in content


def test_dashboard_query_count_does_not_grow_with_tasks(login, django_assert_num_queries, db):
    user = UserFactory()

    def add_town():
        town = MunicipalityFactory()
        MembershipFactory(municipality=town, user=user, role=Role.CONTRIBUTOR)
        process = ProcessFactory(municipality=town)
        TaskFactory.create_batch(3, municipality=town, assignee=user, process=process, due_date=TODAY)

    add_town()
    client = login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("core:dashboard"))
    # session, user, memberships, teams (+prefetch), join requests, tasks, my measures, notification badge
    assert len(baseline.captured_queries) == 9
    for _ in range(4):
        add_town()
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("core:dashboard"))
    assert len(response.context["open_tasks"]) == 15
