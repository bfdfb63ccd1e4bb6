"""Workspace API: tasks of the team (list with filters, detail, create, update, status, delete)."""

import datetime

import pytest
from django.core import mail

from daks.core.models import AuditLogEntry
from daks.strategy import group_services, task_services
from daks.strategy.models import Task, TaskStatus

from . import workspace_support

# fixtures of the shared module (assigned, not imported: pytest finds them by name in this module)
_generous_rate_limits = workspace_support._generous_rate_limits
foreign = workspace_support.foreign
own = workspace_support.own
send = workspace_support.send
world = workspace_support.world


@pytest.fixture
def token(make_token, contributor, municipality):
    return make_token(contributor, municipality)


def test_list_open_first_then_by_due_date_with_filters(send, token, own, coordinator, reader):
    add = task_services.task_create
    later = add(actor=coordinator, municipality=own.municipality, title="Später", due_date=datetime.date(2030, 1, 1))
    overdue = add(
        actor=coordinator,
        municipality=own.municipality,
        title="Überfällig",
        due_date=datetime.date(2020, 1, 1),
        process=own.process,
        assignee=reader,
    )
    done = add(actor=coordinator, municipality=own.municipality, title="Erledigt")
    task_services.task_set_status(actor=coordinator, task=done, status="done")
    body = send("get", "/tasks", token).json()
    assert [item["id"] for item in body["results"]] == [overdue.pk, later.pk, own.task.pk, done.pk]
    assert body["results"][0]["is_overdue"] is True
    assert body["results"][0]["process"] == own.process.pk
    assert body["results"][0]["assignee"] == reader.pk

    def ids(query):
        return [item["id"] for item in send("get", f"/tasks?{query}", token).json()["results"]]

    assert ids("status=done") == [done.pk]
    assert ids(f"process={own.process.pk}") == [overdue.pk]
    assert ids(f"assignee={reader.pk}") == [overdue.pk]
    assert ids("overdue=true") == [overdue.pk]
    assert send("get", "/tasks?status=erledigt", token).status_code == 422


def test_list_queries_do_not_grow(send, token, own, coordinator, django_assert_num_queries):
    for number in range(3):
        task_services.task_create(actor=coordinator, municipality=own.municipality, title=f"A{number}")
    send("get", "/tasks", token)
    # token, membership, Kommune, count, page
    with django_assert_num_queries(5):
        assert send("get", "/tasks", token).json()["count"] == 4


def test_detail(send, token, own):
    response = send("get", f"/tasks/{own.task.pk}", token)
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["status"], body["step"], body["is_overdue"]) == (
        "Einladung verschicken",
        "open",
        None,
        False,
    )
    assert body["version"] == Task.objects.get(pk=own.task.pk).version


def test_create_with_process_step_and_assignee_who_gets_an_email(
    send, token, own, contributor, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            "post",
            "/tasks",
            token,
            {
                "title": "Saal buchen",
                "process": own.process.pk,
                "step": "kickoff",
                "assignee": reader.pk,
                "due_date": "2026-04-15",
                "link_url": f"/kommunen/musterstadt/prozesse/{own.process.pk}/",
            },
        )
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert (task.process, task.step, task.assignee, task.created_by) == (own.process, "kickoff", reader, contributor)
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert AuditLogEntry.objects.filter(action="strategy.task.created", actor=contributor).exists()


def test_working_group_without_process_takes_the_groups_process(send, token, own, coordinator):
    group = group_services.group_create(
        actor=coordinator, municipality=own.municipality, process=own.process, title="AG Wohnen"
    )
    response = send("post", "/tasks", token, {"title": "Protokoll", "working_group": group.pk})
    assert response.status_code == 201, response.content
    assert (response.json()["working_group"], response.json()["process"]) == (group.pk, own.process.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assignee": "outsider"}, "assignee"),
        ({"assignee": 999_999}, "assignee"),
        ({"process": "foreign"}, "process"),
        ({"link_url": "https://example.org/"}, "link_url"),
        ({"link_url": "//example.org/"}, "link_url"),
    ],
)
def test_rules_answer_400_in_german_and_nothing_is_written(body, field, send, token, own, foreign, outsider):
    replacements = {"assignee": outsider.pk, "process": foreign.process.pk}
    body = {key: replacements[key] if value in ("foreign", "outsider") else value for key, value in body.items()}
    before = world()
    created = send("post", "/tasks", token, {"title": "Neu", **body})
    assert created.status_code == 400
    assert created.json()["field"] == field
    updated = send("patch", f"/tasks/{own.task.pk}", token, body)
    assert updated.status_code == 400
    assert world() == before
    if field == "link_url":
        assert created.json()["detail"] == "Der Link muss auf eine Seite innerhalb von DAKS verweisen."


def test_update_is_partial_and_sets_done(send, token, own, contributor):
    response = send("patch", f"/tasks/{own.task.pk}", token, {"status": "done", "description": "Per Post"})
    assert response.status_code == 200
    task = Task.objects.get(pk=own.task.pk)
    assert (task.title, task.description, task.status) == ("Einladung verschicken", "Per Post", TaskStatus.DONE)
    assert task.completed_at is not None
    assert response.json()["completed_at"] is not None
    response = send("patch", f"/tasks/{own.task.pk}", token, {"status": "open"})
    assert response.json()["completed_at"] is None
    response = send("patch", f"/tasks/{own.task.pk}", token, {"due_date": None, "step": None})
    assert response.status_code == 200


def test_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.task.version
    task_services.task_update(actor=coordinator, task=own.task, description="Von anderen")
    before = world()
    response = send("patch", f"/tasks/{own.task.pk}", token, {"status": "done", "version": version})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Jemand anderes hat")
    assert world() == before


def test_status_may_be_set_by_the_assignee_whatever_their_role(send, make_token, own, reader, coordinator):
    task_services.task_update(actor=coordinator, task=own.task, assignee=reader)
    token = make_token(reader, own.municipality)
    response = send("patch", f"/tasks/{own.task.pk}/status", token, {"status": "done"})
    assert response.status_code == 200
    assert Task.objects.get(pk=own.task.pk).status == TaskStatus.DONE
    assert AuditLogEntry.objects.filter(action="strategy.task.status_changed", actor=reader).exists()
    before = world()
    assert send("patch", f"/tasks/{own.task.pk}", token, {"title": "Mehr darf ich nicht"}).status_code == 403
    assert world() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/tasks", {"title": "x" * 201}),
        ("/tasks", {"title": ""}),
        ("/tasks", {"title": "Schritt", "step": "step9"}),
        ("/tasks", {"title": "Datum", "due_date": "morgen"}),
        ("/tasks", {"title": "Link", "link_url": "/" + "a" * 300}),
        ("/tasks/{pk}", {"status": "fertig"}),
        ("/tasks/{pk}", {"status": None}),
        ("/tasks/{pk}/status", {}),
    ],
)
def test_invalid_bodies_are_refused_with_422(path, body, send, token, own):
    before = world()
    method = "post" if path == "/tasks" else "patch"
    assert send(method, path.format(pk=own.task.pk), token, body).status_code == 422
    assert world() == before


def test_delete(send, token, own, contributor):
    assert send("delete", f"/tasks/{own.task.pk}", token).status_code == 204
    assert not Task.objects.filter(pk=own.task.pk).exists()
    assert AuditLogEntry.objects.filter(action="strategy.task.deleted", actor=contributor).exists()
