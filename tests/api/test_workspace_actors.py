"""Workspace API: the actors register (list with filters, detail, create, update, delete)."""

import pytest

from daks.core.models import AuditLogEntry
from daks.strategy import actor_services
from daks.strategy.models import Actor

from . import workspace_support

# fixtures of the shared module (assigned, not imported: pytest finds them by name in this module)
_generous_rate_limits = workspace_support._generous_rate_limits
own = workspace_support.own
send = workspace_support.send
world = workspace_support.world


@pytest.fixture
def token(make_token, contributor, municipality):
    return make_token(contributor, municipality)


@pytest.fixture
def actors(municipality, coordinator):
    make = actor_services.actor_create
    return [
        make(actor=coordinator, municipality=municipality, name="Bürgerverein", sector="zivilgesellschaft"),
        make(actor=coordinator, municipality=municipality, name="Anna Schmidt", kind="person", organisation="Kita"),
        make(actor=coordinator, municipality=municipality, name="Caritas", sector="gesundheit_pflege", influence=5),
    ]


def test_list_is_ordered_by_name_and_filtered(send, token, actors):
    body = send("get", "/actors", token).json()
    assert [item["name"] for item in body["results"]] == ["Anna Schmidt", "Bürgerverein", "Caritas"]
    assert body["results"][0]["organisation"] == "Kita"
    assert body["results"][0]["version"] == actors[1].version
    by_sector = send("get", "/actors?sector=gesundheit_pflege", token).json()
    assert [item["name"] for item in by_sector["results"]] == ["Caritas"]
    persons = send("get", "/actors?kind=person", token).json()
    assert [item["name"] for item in persons["results"]] == ["Anna Schmidt"]
    found = send("get", "/actors?search=verein", token).json()
    assert [item["name"] for item in found["results"]] == ["Bürgerverein"]
    assert send("get", "/actors?sector=unbekannt", token).status_code == 422
    assert send("get", "/actors?search=%00", token).status_code == 422


def test_list_queries_do_not_grow_with_the_number_of_actors(send, token, actors, django_assert_num_queries):
    send("get", "/actors", token)
    # token, membership, Kommune, count, page
    with django_assert_num_queries(5):
        assert send("get", "/actors", token).json()["count"] == 3


def test_create_with_contact_data_and_consent(send, token, municipality, contributor):
    response = send(
        "post",
        "/actors",
        token,
        {
            "kind": "person",
            "name": "Eva Berg",
            "organisation": "Seniorenbeirat",
            "email": "eva@example.org",
            "contact_consent": True,
            "influence": 4,
        },
    )
    assert response.status_code == 201
    actor = Actor.objects.get(pk=response.json()["id"])
    assert actor.municipality == municipality
    assert actor.email == "eva@example.org"
    assert actor.consent_date is not None
    assert actor.created_by == contributor
    assert AuditLogEntry.objects.filter(action="strategy.actor.created", actor=contributor).exists()


def test_contact_data_without_consent_is_refused_in_german(send, token, own):
    before = world()
    response = send("post", "/actors", token, {"name": "Eva Berg", "email": "eva@example.org"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Kontaktdaten dürfen nur mit Einwilligung des Akteurs gespeichert werden. "
        "Bitte erfassen Sie zuerst die Einwilligung.",
        "field": "contact_consent",
    }
    response = send("patch", f"/actors/{own.actor.pk}", token, {"phone": "0123 456"})
    assert response.status_code == 400
    assert world() == before


def test_update_is_partial(send, token, own):
    response = send("patch", f"/actors/{own.actor.pk}", token, {"notes": "Trifft sich montags", "interest": 5})
    assert response.status_code == 200
    actor = Actor.objects.get(pk=own.actor.pk)
    assert (actor.name, actor.notes, actor.interest, actor.influence) == (own.actor.name, "Trifft sich montags", 5, 3)
    assert response.json()["version"] == actor.version


def test_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.actor.version
    actor_services.actor_update(actor=coordinator, record=own.actor, notes="von anderen")
    before = world()
    response = send("patch", f"/actors/{own.actor.pk}", token, {"name": "Meins", "version": version})
    assert response.status_code == 409
    assert world() == before


def test_delete(send, token, own, contributor):
    response = send("delete", f"/actors/{own.actor.pk}", token)
    assert response.status_code == 204
    assert response.content == b""
    assert not Actor.objects.filter(pk=own.actor.pk).exists()
    assert AuditLogEntry.objects.filter(action="strategy.actor.deleted", actor=contributor).exists()
    assert send("delete", f"/actors/{own.actor.pk}", token).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 201},
        {"name": ""},
        {"name": "Score", "influence": 6},
        {"name": "Score", "interest": 0},
        {"name": "Art", "kind": "verein"},
        {"name": "Sektor", "sector": "sport"},
        {"name": "Telefon", "phone": "1" * 41, "contact_consent": True},
        {"name": "Text", "notes": "\ud800"},
    ],
)
def test_invalid_bodies_are_refused_with_422(body, send, token, own):
    before = world()
    response = send("post", "/actors", token, body)
    assert response.status_code == 422
    assert world() == before


def test_invalid_email_is_refused_in_german(send, token, own):
    before = world()
    response = send("post", "/actors", token, {"name": "Eva", "email": "keine-adresse", "contact_consent": True})
    assert response.status_code == 400
    assert response.json()["field"] == "email"
    assert response.json()["detail"].startswith("Bitte")
    assert world() == before
