"""Workspace API: SWOT entries and fields of action of a process."""

import pytest

from daks.core.models import AuditLogEntry
from daks.profile import services as profile_services
from daks.profile.models import FieldOfAction, SwotItem

from ..profile.factories import InterviewFactory, InventoryItemFactory
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


def _swot(o):
    return f"/processes/{o.process.pk}/swot-items"


def _fields(o):
    return f"/processes/{o.process.pk}/fields-of-action"


# --- SWOT ---------------------------------------------------------------------------------------


def test_swot_list_in_board_order_and_filtered_by_quadrant(send, token, own, coordinator):
    add = profile_services.swot_item_create
    common = {"actor": coordinator, "municipality": own.municipality, "process": own.process}
    threat = add(**common, quadrant="threat", text="Abwanderung")
    weakness = add(**common, quadrant="weakness", text="Wenig Ärzte")
    second = add(**common, quadrant="strength", text="Schöne Lage")
    body = send("get", _swot(own), token).json()
    assert [item["id"] for item in body["results"]] == [own.swot_item.pk, second.pk, weakness.pk, threat.pk]
    assert body["results"][0]["process"] == own.process.pk
    only = send("get", _swot(own) + "?quadrant=weakness", token).json()
    assert [item["id"] for item in only["results"]] == [weakness.pk]
    assert send("get", _swot(own) + "?quadrant=stärke", token).status_code == 422


def test_swot_create_with_evidence_of_the_process(send, token, own, contributor):
    inventory = InventoryItemFactory(process=own.process)
    interview = InterviewFactory(process=own.process)
    response = send(
        "post",
        _swot(own),
        token,
        {
            "quadrant": "opportunity",
            "text": " Neue Bahnlinie ",
            "evidence_url": "https://example.org/bahn",
            "evidence_inventory": inventory.pk,
            "evidence_interview": interview.pk,
        },
    )
    assert response.status_code == 201
    item = SwotItem.objects.get(pk=response.json()["id"])
    assert (item.text, item.quadrant, item.author) == ("Neue Bahnlinie", "opportunity", contributor)
    assert (item.evidence_inventory, item.evidence_interview) == (inventory, interview)
    assert response.json()["evidence_inventory"] == inventory.pk
    entry = AuditLogEntry.objects.filter(action="profile.swot.created").latest("pk")
    assert (entry.actor, entry.data["process"]) == (contributor, own.process.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"evidence_url": "keine adresse"}, "evidence_url"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_indicator": "erfunden"}, "evidence_indicator"),
        ({"evidence_inventory": "foreign"}, "evidence_inventory"),
        ({"evidence_interview": "foreign"}, "evidence_interview"),
        ({"evidence_inventory": 999_999}, "evidence_inventory"),
    ],
)
def test_swot_evidence_must_be_valid_and_of_this_process(body, field, send, token, own, foreign):
    if body.get("evidence_inventory") == "foreign":
        body = {"evidence_inventory": InventoryItemFactory(process=foreign.process).pk}
    if body.get("evidence_interview") == "foreign":
        body = {"evidence_interview": InterviewFactory(process=foreign.process).pk}
    before = world()
    created = send("post", _swot(own), token, {"quadrant": "strength", "text": "Belegt", **body})
    assert created.status_code == 400
    assert created.json()["field"] == field
    assert created.json()["detail"].startswith("Bitte")
    updated = send("patch", f"{_swot(own)}/{own.swot_item.pk}", token, body)
    assert updated.status_code == 400
    assert world() == before


def test_swot_update_is_partial(send, token, own):
    inventory = InventoryItemFactory(process=own.process)
    SwotItem.objects.filter(pk=own.swot_item.pk).update(evidence="Vereinsregister", evidence_inventory=inventory)
    response = send("patch", f"{_swot(own)}/{own.swot_item.pk}", token, {"text": "Sehr starke Vereine"})
    assert response.status_code == 200
    item = SwotItem.objects.get(pk=own.swot_item.pk)
    assert (item.text, item.evidence, item.evidence_inventory) == ("Sehr starke Vereine", "Vereinsregister", inventory)
    response = send("patch", f"{_swot(own)}/{own.swot_item.pk}", token, {"evidence_inventory": None})
    assert response.status_code == 200
    assert SwotItem.objects.get(pk=own.swot_item.pk).evidence_inventory is None


def test_swot_quadrant_cannot_be_changed_by_update(send, token, own):
    before = world()
    response = send("patch", f"{_swot(own)}/{own.swot_item.pk}", token, {"quadrant": "threat"})
    assert response.status_code == 422
    assert world() == before


def test_swot_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.swot_item.version
    profile_services.swot_item_update(
        actor=coordinator, municipality=own.municipality, item=own.swot_item, text="Von anderen"
    )
    before = world()
    response = send("patch", f"{_swot(own)}/{own.swot_item.pk}", token, {"text": "Meins", "version": version})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Jemand anderes hat")
    assert world() == before


def test_swot_item_of_another_process_of_the_same_kommune_is_404(send, token, own, coordinator):
    from daks.strategy import services as strategy_services

    second = strategy_services.process_create(
        actor=coordinator, municipality=own.municipality, title="Quartier", start_date="2026-01-01"
    )
    before = world()
    path = f"/processes/{second.pk}/swot-items/{own.swot_item.pk}"
    assert send("patch", path, token, {"text": "Falscher Prozess"}).status_code == 404
    assert send("delete", path, token).status_code == 404
    assert world() == before


@pytest.mark.parametrize(
    "body",
    [
        {"quadrant": "strength", "text": "x" * 1001},
        {"quadrant": "strength", "text": " "},
        {"quadrant": "strength"},
        {"quadrant": "stärke", "text": "Falsch"},
        {"quadrant": "strength", "text": "Lang", "evidence_url": "https://example.org/" + "a" * 500},
        {"quadrant": "strength", "text": "Id", "evidence_inventory": 0},
    ],
)
def test_swot_invalid_bodies_are_refused_with_422(body, send, token, own):
    before = world()
    assert send("post", _swot(own), token, body).status_code == 422
    assert world() == before


def test_swot_delete(send, token, own, contributor):
    assert send("delete", f"{_swot(own)}/{own.swot_item.pk}", token).status_code == 204
    assert not SwotItem.objects.filter(pk=own.swot_item.pk).exists()
    assert AuditLogEntry.objects.filter(action="profile.swot.deleted", actor=contributor).exists()


def test_swot_list_queries_do_not_grow(send, token, own, coordinator, django_assert_num_queries):
    for number in range(3):
        profile_services.swot_item_create(
            actor=coordinator, municipality=own.municipality, process=own.process, quadrant="threat", text=f"R{number}"
        )
    send("get", _swot(own), token)
    # token, membership, Kommune, process, count, page
    with django_assert_num_queries(6):
        assert send("get", _swot(own), token).json()["count"] == 4


# --- Fields of action -----------------------------------------------------------------------------


def test_fields_list_by_priority_with_swot_ids(send, token, own, coordinator):
    second = profile_services.field_of_action_create(
        actor=coordinator, municipality=own.municipality, process=own.process, title="Gesundheit"
    )
    body = send("get", _fields(own), token).json()
    assert [item["id"] for item in body["results"]] == [own.field.pk, second.pk]
    assert body["results"][0]["swot_items"] == [own.swot_item.pk]
    assert body["results"][1]["swot_items"] == []


def test_fields_list_queries_do_not_grow(send, token, own, coordinator, django_assert_num_queries):
    for title in ("Gesundheit", "Mobilität", "Bildung"):
        field = profile_services.field_of_action_create(
            actor=coordinator, municipality=own.municipality, process=own.process, title=title
        )
        field.swot_items.add(own.swot_item)
    send("get", _fields(own), token)
    # token, membership, Kommune, process, count, page, SWOT entries
    with django_assert_num_queries(7):
        assert send("get", _fields(own), token).json()["count"] == 4


def test_field_create_and_partial_update(send, token, own, contributor):
    response = send(
        "post", _fields(own), token, {"title": "Gesundheit", "swot_items": [own.swot_item.pk], "description": "Ärzte"}
    )
    assert response.status_code == 201
    field = FieldOfAction.objects.get(pk=response.json()["id"])
    assert (field.title, field.description, field.author) == ("Gesundheit", "Ärzte", contributor)
    assert list(field.swot_items.all()) == [own.swot_item]
    assert response.json()["priority"] == 2
    response = send("patch", f"{_fields(own)}/{field.pk}", token, {"title": "Gesundheit und Pflege"})
    assert response.status_code == 200
    field.refresh_from_db()
    assert (field.title, field.description) == ("Gesundheit und Pflege", "Ärzte")
    assert list(field.swot_items.all()) == [own.swot_item]
    response = send("patch", f"{_fields(own)}/{field.pk}", token, {"swot_items": []})
    assert response.json()["swot_items"] == []
    assert not field.swot_items.exists()


def test_field_title_must_be_unique_in_german(send, token, own):
    before = world()
    response = send("post", _fields(own), token, {"title": "wohnen"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Ein Handlungsfeld mit diesem Titel gibt es bereits.", "field": "title"}
    assert world() == before


def test_field_swot_items_must_belong_to_the_process(send, token, own, foreign):
    before = world()
    response = send("post", _fields(own), token, {"title": "Neu", "swot_items": [foreign.swot_item.pk]})
    assert response.status_code == 400
    assert response.json()["field"] == "swot_items"
    response = send("patch", f"{_fields(own)}/{own.field.pk}", token, {"swot_items": [foreign.swot_item.pk]})
    assert response.status_code == 400
    assert world() == before


def test_field_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.field.version
    profile_services.field_of_action_update(
        actor=coordinator, municipality=own.municipality, field=own.field, title="Wohnen im Alter"
    )
    before = world()
    response = send("patch", f"{_fields(own)}/{own.field.pk}", token, {"title": "Meins", "version": version})
    assert response.status_code == 409
    assert world() == before


@pytest.mark.parametrize(
    "body",
    [{"title": "x" * 201}, {"title": ""}, {"description": "Ohne Titel"}, {"title": "Viele", "swot_items": [1] * 501}],
)
def test_field_invalid_bodies_are_refused_with_422(body, send, token, own):
    before = world()
    assert send("post", _fields(own), token, body).status_code == 422
    assert world() == before


def test_field_delete(send, token, own):
    assert send("delete", f"{_fields(own)}/{own.field.pk}", token).status_code == 204
    assert not FieldOfAction.objects.filter(pk=own.field.pk).exists()
