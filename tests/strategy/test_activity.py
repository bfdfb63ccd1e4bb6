import ast
import datetime
import re
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from daks.comments import services as comment_services
from daks.core.models import AuditLogEntry
from daks.profile.models import Quadrant, SwotItem
from daks.strategy import activity, services, task_services
from daks.strategy.models import ChecklistItem, Step, StepStatus, TaskStatus

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "daks"


def _call_name(node) -> str | None:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None)


def logged_action_codes() -> set[str]:
    """Every action code that reaches ``log_action(...)`` from daks/: string literals in the first argument
    (also in conditional expressions), module constants used there (``log_action(DIGEST_ACTION, …)``) and
    literals passed to wrappers that hand their first parameter on (``def _log(action, …): log_action(action, …)``).
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCE.rglob("*.py")}
    loggers = {"log_action"}
    for tree in trees.values():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or not function.args.args:
                continue
            first = function.args.args[0].arg
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and _call_name(node) == "log_action"
                    and node.args
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id == first
                ):
                    loggers.add(function.name)
    codes = set()
    for tree in trees.values():
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args or _call_name(node) not in loggers:
                continue
            for part in ast.walk(node.args[0]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    codes.add(part.value)
                elif isinstance(part, ast.Name) and part.id in constants:
                    codes.add(constants[part.id])
    return codes


def test_the_scan_finds_the_codes():
    codes = logged_action_codes()
    assert {"strategy.process.created", "municipality.join_request.declined", "comments.comment.created"} <= codes
    assert len(codes) > 50


def test_every_logged_action_has_a_wording():
    missing = sorted(logged_action_codes() - set(activity.ACTIONS))
    assert not missing, f"Add a wording in daks/strategy/activity.py for: {missing}"


SAMPLE_DATA = {
    "text": "Team benannt",
    "step": Step.PROFILE,
    "status": StepStatus.DONE,
    "new": TaskStatus.DONE,
    "old": TaskStatus.OPEN,
    "item": "Begrüßung",
    "section": "figures",
    "role": "reader",
    "answer": "yes",
    "count": 2,
    "model": "profile.swotitem",
    "fields": ["title", "due_date"],
}


@pytest.mark.parametrize("code", sorted(activity.ACTIONS))
def test_every_wording_renders_in_both_languages(code):
    entry = AuditLogEntry(action=code, object_repr="Das Objekt", data=dict(SAMPLE_DATA))
    for language in ("en", "de"):
        with translation.override(language):
            text = activity.describe(entry)
        assert text and "%(" not in text and "…" not in text
        if "object" in placeholders(activity.ACTIONS[code].text):
            assert "Das Objekt" in text


class _Recorder(dict):
    def __missing__(self, key):
        self.setdefault("_seen", []).append(key)
        return ""


def placeholders(text) -> list[str]:
    recorder = _Recorder(count=1)
    str(text % recorder)
    return recorder.get("_seen", [])


def test_wordings_with_details(coordinator, municipality):
    def text(action, **data):
        with translation.override("en"):
            return activity.describe(AuditLogEntry(action=action, object_repr="Flyer", data=data))

    assert text("strategy.step.status_changed", step="profile", status="done") == (
        "set the step “Municipal profile” to “done”"
    )
    assert text("strategy.checklist.ticked", step="kickoff", text="Team benannt") == "ticked “Team benannt” (Kick-off)"
    assert text("strategy.task.status_changed", old="open", new="done") == "set the task “Flyer” to “done”"
    assert text("strategy.actor.imported", count=1) == "imported 1 actor"
    assert text("strategy.actor.imported", count=3) == "imported 3 actors"
    assert text("comments.comment.created", model="meetings.meeting") == "commented on the meeting “Flyer”"
    assert text("no.such.action") == "did something (no.such.action)"
    assert text("strategy.step.status_changed") == "set the step “…” to “…”"  # old entries never break


def test_actor_names(coordinator):
    entry = AuditLogEntry(action="strategy.task.reminder_sent", object_repr="Flyer", data={})
    with translation.override("en"):
        assert activity.actor_name(entry) == "DAKS"
        assert activity.actor_name(AuditLogEntry(action="strategy.task.created")) == "unknown"
    assert activity.actor_name(AuditLogEntry(action="x", actor=coordinator)) == coordinator.name


# --- The activity page -------------------------------------------------------------------------

ROLES = {"coordinator": 200, "contributor": 200, "advisor": 200, "reader": 200, "outsider": 404, "anonymous": 404}


def page_url(process, **query):
    url = reverse("strategy:activity", args=[process.municipality.slug, process.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_url_is_not_taken_by_the_step_pattern(process):
    assert resolve(page_url(process)).view_name == "strategy:activity"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_page_permissions(request, client, login, process, role):
    if role != "anonymous":
        client = login(request.getfixturevalue(role))
    assert client.get(page_url(process)).status_code == ROLES[role]


def test_page_of_other_municipality_is_404(login, outsider, process):
    assert login(outsider).get(f"/kommunen/anderdorf/prozesse/{process.pk}/aktivitaet/").status_code == 404


def _bulk_entries(process, actor, number, action="strategy.process.updated"):
    AuditLogEntry.objects.bulk_create(
        [
            AuditLogEntry(
                action=action,
                actor=actor,
                municipality=process.municipality,
                object_repr=process.title,
                data={"process": process.pk},
            )
            for _ in range(number)
        ]
    )


def test_page_lists_the_process_entries_with_wording(login, coordinator, municipality, process):
    task_services.task_create(actor=coordinator, municipality=municipality, title="Flyer drucken", process=process)
    other = services.process_create(
        actor=coordinator, municipality=municipality, title="Zweiter", start_date=datetime.date(2026, 1, 1)
    )
    response = login(coordinator).get(page_url(process), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "started the process “Musterstadt 2040”" in content
    assert "created the task “Flyer drucken”" in content  # tasks store data["process_id"]
    assert "Zweiter" not in content
    assert other.pk not in [entry.data.get("process") for entry in response.context["entries"]]


def test_page_is_paginated_by_50(login, coordinator, process):
    _bulk_entries(process, coordinator, 55)
    client = login(coordinator)
    first = client.get(page_url(process))
    assert len(first.context["entries"]) == 50
    assert 'href="?seite=2"' in first.content.decode()
    assert len(client.get(page_url(process, seite=2)).context["entries"]) == 6  # + "process created"
    assert len(client.get(page_url(process, seite=99)).context["entries"]) == 6


def test_filter_by_kind(login, coordinator, municipality, process):
    swot = SwotItem.objects.create(
        process=process, municipality=municipality, quadrant=Quadrant.STRENGTH, text="Vereine", position=1
    )
    comment_services.comment_create(actor=coordinator, municipality=municipality, obj=swot, body="Welche?")
    item = ChecklistItem.objects.filter(step=Step.KICKOFF).first()
    services.checklist_tick(actor=coordinator, process=process, step=Step.KICKOFF, item_id=item.pk)
    client = login(coordinator)
    comments = client.get(page_url(process, art="comments"), HTTP_ACCEPT_LANGUAGE="en")
    assert [entry.action for entry in comments.context["entries"]] == ["comments.comment.created"]
    assert re.search(r"commented on the SWOT entry “\w+: Vereine”", comments.content.decode())
    steps = client.get(page_url(process, art="process"))
    assert {entry.action for entry in steps.context["entries"]} == {
        "strategy.process.created",
        "strategy.checklist.ticked",
    }
    everything = client.get(page_url(process, art="nonsense"))
    assert len(everything.context["entries"]) == 3


def test_page_query_count_is_constant(login, coordinator, process, django_assert_num_queries):
    client = login(coordinator)
    _bulk_entries(process, coordinator, 3)
    # Kommune, session, user, membership (2×), process, count, page of entries with actors, unread badge
    with django_assert_num_queries(9) as few:
        client.get(page_url(process))
    _bulk_entries(process, coordinator, 60, action="strategy.step.status_changed")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(page_url(process))


def test_overview_uses_the_wording_and_links_to_the_page(login, coordinator, process):
    item = ChecklistItem.objects.filter(step=Step.KICKOFF).first()
    services.checklist_tick(actor=coordinator, process=process, step=Step.KICKOFF, item_id=item.pk)
    content = (
        login(coordinator)
        .get(reverse("strategy:overview", args=["musterstadt", process.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert f"ticked “{item.text}” (Kick-off)" in content
    assert f'href="{page_url(process)}"' in content
