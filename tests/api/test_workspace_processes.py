"""Workspace API: members and strategy processes (list, detail with step states, create, update)."""

import pytest

from daks.core.models import AuditLogEntry
from daks.strategy import services as strategy_services
from daks.strategy.models import StrategyProcess

from . import workspace_support

# fixtures of the shared module (assigned, not imported: pytest finds them by name in this module)
_generous_rate_limits = workspace_support._generous_rate_limits
own = workspace_support.own
send = workspace_support.send
world = workspace_support.world


@pytest.fixture
def token(make_token, contributor, municipality):
    return make_token(contributor, municipality)


def test_members_lists_ids_names_and_roles_of_this_kommune_only(
    send, token, coordinator, contributor, reader, outsider
):
    response = send("get", "/members", token)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    members = {item["id"]: item for item in body["results"]}
    assert set(members) == {coordinator.pk, contributor.pk, reader.pk}
    assert members[reader.pk] == {"id": reader.pk, "name": reader.name, "role": "reader"}


def test_process_list_and_detail_with_step_states(send, token, own, coordinator):
    strategy_services.step_set_status(actor=coordinator, process=own.process, step="kickoff", status="done")
    listed = send("get", "/processes", token).json()
    assert listed["count"] == 1
    item = listed["results"][0]
    assert item["id"] == own.process.pk
    assert item["title"] == "Musterstadt 2040"
    assert item["steps_done"] == 1
    detail = send("get", f"/processes/{own.process.pk}", token)
    assert detail.status_code == 200
    assert detail.has_header("Last-Modified")
    body = detail.json()
    assert body["version"] == StrategyProcess.objects.get(pk=own.process.pk).version
    assert [step["step"] for step in body["steps"]] == ["kickoff", "profile", "workshop", "plan", "review"]
    assert [step["number"] for step in body["steps"]] == [1, 2, 3, 4, 5]
    assert body["steps"][0]["status"] == "done"
    assert body["steps"][1]["status"] == "open"
    assert all(step["required"] >= step["done"] >= 0 for step in body["steps"])


def test_process_list_is_paginated_in_a_stable_order(send, token, municipality, coordinator):
    for number in range(5):
        strategy_services.process_create(
            actor=coordinator, municipality=municipality, title=f"Quartier {number}", start_date="2026-01-01"
        )
    first = send("get", "/processes?page_size=2", token).json()
    second = send("get", "/processes?page=2&page_size=2", token).json()
    third = send("get", "/processes?page=3&page_size=2", token).json()
    titles = [item["title"] for page in (first, second, third) for item in page["results"]]
    assert first["count"] == 5
    assert titles == [f"Quartier {number}" for number in range(5)]


def test_process_list_queries_do_not_grow_with_the_number_of_processes(
    send, token, municipality, coordinator, django_assert_num_queries
):
    for number in range(4):
        process = strategy_services.process_create(
            actor=coordinator, municipality=municipality, title=f"Quartier {number}", start_date="2026-01-01"
        )
        process.coordinators.add(coordinator)
    send("get", "/members", token)  # the token's last use is stored at most once a minute
    # token, membership, Kommune, count, page, coordinators
    with django_assert_num_queries(6):
        response = send("get", "/processes", token)
    assert response.json()["count"] == 4
    assert all(item["coordinators"] == [coordinator.pk] for item in response.json()["results"])


def test_create_process_with_coordinators(send, token, municipality, coordinator, contributor):
    response = send(
        "post",
        "/processes",
        token,
        {"title": "  Quartier   Nord ", "start_date": "2026-05-01", "coordinators": [coordinator.pk, contributor.pk]},
    )
    assert response.status_code == 201
    body = response.json()
    process = StrategyProcess.objects.get(pk=body["id"])
    assert process.municipality == municipality
    assert process.title == "Quartier Nord"
    assert process.created_by == contributor
    assert set(process.coordinators.all()) == {coordinator, contributor}
    assert body["coordinators"] == sorted([coordinator.pk, contributor.pk])
    assert len(body["steps"]) == 5
    entry = AuditLogEntry.objects.filter(action="strategy.process.created").get()
    assert entry.actor == contributor
    assert entry.data["process"] == process.pk


def test_update_is_partial_and_keeps_what_is_not_sent(send, token, own, coordinator):
    own.process.coordinators.set([coordinator])
    response = send("patch", f"/processes/{own.process.pk}", token, {"scope": "Die ganze Stadt"})
    assert response.status_code == 200
    process = StrategyProcess.objects.get(pk=own.process.pk)
    assert process.scope == "Die ganze Stadt"
    assert process.title == "Musterstadt 2040"
    assert list(process.coordinators.all()) == [coordinator]
    assert response.json()["version"] == process.version


def test_region_key_must_exist(send, token, own):
    before = world()
    response = send("patch", f"/processes/{own.process.pk}", token, {"region_key": "99999"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "In der Statistik gibt es keine Region mit dem Schlüssel 99999.",
        "field": "region_key",
    }
    assert world() == before


@pytest.mark.parametrize("who", ["outsider", "unknown"])
def test_coordinators_must_be_members(who, request, send, token, own):
    user_id = request.getfixturevalue("outsider").pk if who == "outsider" else 999_999
    before = world()
    response = send("patch", f"/processes/{own.process.pk}", token, {"coordinators": [user_id]})
    assert response.status_code == 400
    assert response.json()["field"] == "coordinators"
    assert world() == before
    response = send("post", "/processes", token, {"title": "X", "start_date": "2026-01-01", "coordinators": [user_id]})
    assert response.status_code == 400
    assert world() == before


def test_stale_version_is_refused_with_409_and_nothing_changes(send, token, own, coordinator):
    version = own.process.version
    strategy_services.process_update(actor=coordinator, process=own.process, scope="Geändert von anderen")
    before = world()
    response = send("patch", f"/processes/{own.process.pk}", token, {"title": "Meins", "version": version})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Jemand anderes hat")
    assert world() == before
    current = StrategyProcess.objects.get(pk=own.process.pk).version
    response = send("patch", f"/processes/{own.process.pk}", token, {"title": "Meins", "version": current})
    assert response.status_code == 200
    assert response.json()["title"] == "Meins"


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 201, "start_date": "2026-01-01"},
        {"title": "   ", "start_date": "2026-01-01"},
        {"title": "Ohne Datum"},
        {"title": "Datum", "start_date": "01.05.2026"},
        {"title": "Datum", "start_date": "9999-01-01"},
        {"title": "NUL\x00", "start_date": "2026-01-01"},
        {"title": "Zu viel", "start_date": "2026-01-01", "unknown": 1},
        {"title": "Id", "start_date": "2026-01-01", "coordinators": [2**40]},
        {"title": "Schlüssel", "start_date": "2026-01-01", "region_key": "1" * 13},
    ],
)
def test_invalid_bodies_are_refused_with_422_and_nothing_is_written(body, send, token, own):
    before = world()
    response = send("post", "/processes", token, body)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert world() == before


def test_title_cannot_be_cleared(send, token, own):
    before = world()
    assert send("patch", f"/processes/{own.process.pk}", token, {"title": None}).status_code == 422
    assert send("patch", f"/processes/{own.process.pk}", token, {"title": ""}).status_code == 422
    assert world() == before


@pytest.mark.parametrize("path", ["/processes/0", "/processes/99999999999999999999", "/processes/abc"])
def test_malformed_ids_are_refused_without_a_server_error(path, send, token):
    assert send("get", path, token).status_code in (404, 422)


def test_unknown_kommune_is_404(send, token):
    assert send("get", "/processes", token, slug="gibt-es-nicht").status_code == 404


@pytest.mark.parametrize("raw", ["{", "[]", "null", '"Titel"', ""])
def test_malformed_json_bodies_are_refused_without_a_server_error(raw, client, token, own):
    before = world()
    response = client.post(
        "/api/v1/municipalities/musterstadt/processes",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (400, 422)
    assert world() == before
