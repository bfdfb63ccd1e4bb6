"""Who may call which workspace endpoint: every write per role and token, every read per membership.

Editing roles (Koordination, Mitarbeit, Prozessbegleitung) succeed and leave an audit entry like the web; Lesen
gets 403, a member of another Kommune 404, ids of another Kommune's objects 404, missing, revoked and expired
tokens 401, a read-only token 403 on writes. Refused requests change nothing.
"""

import datetime

import pytest
from django.utils import timezone

from daks.api import tokens
from daks.api.models import ApiToken, TokenScope
from daks.core.models import AuditLogEntry

from . import workspace_support

# fixtures of the shared module (assigned, not imported: pytest finds them by name in this module)
_generous_rate_limits = workspace_support._generous_rate_limits
foreign = workspace_support.foreign
own = workspace_support.own
send = workspace_support.send
world = workspace_support.world

# name, method, path(own, target) — target supplies the innermost id —, body(own)
WRITES = [
    (
        "process-create",
        "post",
        lambda o, t: "/processes",
        lambda o: {"title": "Quartier Nord", "start_date": "2026-05-01"},
    ),
    ("process-update", "patch", lambda o, t: f"/processes/{t.process.pk}", lambda o: {"title": "Musterstadt 2045"}),
    ("actor-create", "post", lambda o, t: "/actors", lambda o: {"name": "Kirchengemeinde"}),
    ("actor-update", "patch", lambda o, t: f"/actors/{t.actor.pk}", lambda o: {"influence": 5}),
    ("actor-delete", "delete", lambda o, t: f"/actors/{t.actor.pk}", lambda o: None),
    (
        "swot-create",
        "post",
        lambda o, t: f"/processes/{t.process.pk}/swot-items",
        lambda o: {"quadrant": "weakness", "text": "Zu wenige Hausärzte"},
    ),
    (
        "swot-update",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/swot-items/{t.swot_item.pk}",
        lambda o: {"text": "Sehr starke Vereine"},
    ),
    ("swot-delete", "delete", lambda o, t: f"/processes/{o.process.pk}/swot-items/{t.swot_item.pk}", lambda o: None),
    (
        "field-create",
        "post",
        lambda o, t: f"/processes/{t.process.pk}/fields-of-action",
        lambda o: {"title": "Gesundheit"},
    ),
    (
        "field-update",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/fields-of-action/{t.field.pk}",
        lambda o: {"description": "Bezahlbar wohnen"},
    ),
    (
        "field-delete",
        "delete",
        lambda o, t: f"/processes/{o.process.pk}/fields-of-action/{t.field.pk}",
        lambda o: None,
    ),
    (
        "goal-create",
        "post",
        lambda o, t: f"/processes/{t.process.pk}/goals",
        lambda o: {"field_of_action": o.field.pk, "title": "Weniger Leerstand"},
    ),
    (
        "goal-update",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/goals/{t.goal.pk}",
        lambda o: {"title": "Viel mehr Wohnraum"},
    ),
    ("goal-delete", "delete", lambda o, t: f"/processes/{o.process.pk}/goals/{t.goal.pk}", lambda o: None),
    (
        "measure-create",
        "post",
        lambda o, t: f"/processes/{t.process.pk}/measures",
        lambda o: {"field_of_action": o.field.pk, "title": "Leerstandskataster"},
    ),
    (
        "measure-update",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/measures/{t.measure.pk}",
        lambda o: {"responsible_unit": "Bauamt"},
    ),
    (
        "measure-status",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/measures/{t.measure.pk}/status",
        lambda o: {"status": "in_progress"},
    ),
    (
        "measure-progress",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/measures/{t.measure.pk}/progress",
        lambda o: {"progress": 40},
    ),
    ("measure-delete", "delete", lambda o, t: f"/processes/{o.process.pk}/measures/{t.measure.pk}", lambda o: None),
    (
        "milestone-create",
        "post",
        lambda o, t: f"/processes/{o.process.pk}/measures/{t.measure.pk}/milestones",
        lambda o: {"title": "Beschluss", "due_date": "2026-12-01"},
    ),
    (
        "milestone-update",
        "patch",
        lambda o, t: f"/processes/{o.process.pk}/measures/{o.measure.pk}/milestones/{t.milestone.pk}",
        lambda o: {"done_on": "2026-06-01"},
    ),
    (
        "milestone-delete",
        "delete",
        lambda o, t: f"/processes/{o.process.pk}/measures/{o.measure.pk}/milestones/{t.milestone.pk}",
        lambda o: None,
    ),
    ("task-create", "post", lambda o, t: "/tasks", lambda o: {"title": "Saal buchen"}),
    ("task-update", "patch", lambda o, t: f"/tasks/{t.task.pk}", lambda o: {"status": "done"}),
    ("task-status", "patch", lambda o, t: f"/tasks/{t.task.pk}/status", lambda o: {"status": "in_progress"}),
    ("task-delete", "delete", lambda o, t: f"/tasks/{t.task.pk}", lambda o: None),
]
WITHOUT_IDS = {"process-create", "actor-create", "task-create"}
BY_NAME = {name: rest for name, *rest in WRITES}
WRITE_NAMES = [name for name, *_rest in WRITES]

READS = [
    "/members",
    "/processes",
    "/processes/{o.process.pk}",
    "/actors",
    "/actors/{o.actor.pk}",
    "/processes/{o.process.pk}/swot-items",
    "/processes/{o.process.pk}/fields-of-action",
    "/processes/{o.process.pk}/goals",
    "/processes/{o.process.pk}/measures",
    "/processes/{o.process.pk}/measures/{o.measure.pk}",
    "/tasks",
    "/tasks/{o.task.pk}",
]


def _request(name, objects, target=None):
    method, path, body = BY_NAME[name]
    return method, path(objects, target or objects), body(objects)


@pytest.fixture
def token_for(make_token):
    def make(user, municipality, scope=TokenScope.WRITE, **kwargs):
        return make_token(user, municipality, scope, **kwargs)

    return make


@pytest.mark.parametrize("name", WRITE_NAMES)
@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editing_roles_may_write_and_the_write_is_audited(request, name, role, own, send, token_for):
    user = request.getfixturevalue(role)
    token = token_for(user, own.municipality)
    before = set(AuditLogEntry.objects.values_list("pk", flat=True))
    method, path, body = _request(name, own)
    response = send(method, path, token, body)
    assert response.status_code in (200, 201, 204), response.content
    entries = AuditLogEntry.objects.exclude(pk__in=before)
    assert entries.exists()
    assert all(entry.actor == user and entry.municipality == own.municipality for entry in entries)


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_readers_get_403_and_nothing_changes(name, own, reader, send, token_for):
    token = token_for(reader, own.municipality)
    before = world()
    method, path, body = _request(name, own)
    response = send(method, path, token, body)
    assert response.status_code == 403
    assert world() == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_read_only_tokens_get_403_on_writes(name, own, coordinator, send, token_for):
    token = token_for(coordinator, own.municipality, TokenScope.READ)
    before = world()
    method, path, body = _request(name, own)
    response = send(method, path, token, body)
    assert response.status_code == 403
    assert world() == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_members_of_another_kommune_get_404(name, own, foreign, outsider, send, token_for):
    """Their token is valid for their own Kommune only; this Kommune's workspace does not exist for them."""
    token = token_for(outsider, foreign.municipality)
    before = world()
    method, path, body = _request(name, own)
    response = send(method, path, token, body)
    assert response.status_code == 404
    assert world() == before


@pytest.mark.parametrize("name", [name for name in WRITE_NAMES if name not in WITHOUT_IDS])
def test_objects_of_another_kommune_are_not_found(name, own, foreign, coordinator, send, token_for):
    token = token_for(coordinator, own.municipality)
    before = world()
    method, path, body = _request(name, own, target=foreign)
    response = send(method, path, token, body)
    assert response.status_code == 404
    assert world() == before


@pytest.mark.parametrize("name", WRITE_NAMES)
@pytest.mark.parametrize("token_state", ["none", "revoked", "expired", "garbage"])
def test_missing_revoked_or_expired_tokens_get_401(name, token_state, own, coordinator, send, token_for):
    token = None
    if token_state == "garbage":
        token = "daks_not-a-real-token"
    elif token_state != "none":
        token = token_for(coordinator, own.municipality)
        stored = ApiToken.objects.get(token_hash=tokens.hash_token(token))
        if token_state == "revoked":
            tokens.token_revoke(user=coordinator, token=stored)
        else:
            ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    before = world()
    method, path, body = _request(name, own)
    response = send(method, path, token, body)
    assert response.status_code == 401
    assert world() == before


def test_a_former_member_is_refused_with_their_old_token(own, contributor, send, token_for):
    token = token_for(contributor, own.municipality)
    own.municipality.memberships.filter(user=contributor).delete()
    before = world()
    response = send(*_request("task-create", own)[:2], token, {"title": "Heimlich"})
    assert response.status_code == 401
    assert world() == before


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("role", ["coordinator", "reader"])
def test_members_read_with_any_role_and_scope(path, role, request, own, send, token_for):
    token = token_for(request.getfixturevalue(role), own.municipality, TokenScope.READ)
    response = send("get", path.format(o=own), token)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", READS)
def test_reads_of_another_kommune_are_404_and_without_token_401(path, own, foreign, outsider, send, token_for):
    token = token_for(outsider, foreign.municipality, TokenScope.READ)
    assert send("get", path.format(o=own), token).status_code == 404
    assert send("get", path.format(o=foreign), token, slug="anderdorf").status_code == 200
    assert send("get", path.format(o=own)).status_code == 401


@pytest.mark.parametrize(
    "path",
    [path for path in READS if "{o." in path],
)
def test_reads_of_objects_of_another_kommune_are_404(path, own, foreign, coordinator, send, token_for):
    token = token_for(coordinator, own.municipality, TokenScope.READ)
    assert send("get", path.format(o=foreign), token).status_code == 404
