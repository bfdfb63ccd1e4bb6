"""Personal API tokens: shown once, stored hashed, bound to one Kommune, revocable, expiring; the HTTP layer of
the API (rate limits with Retry-After, ETag/304, CORS only for public reads)."""

import datetime
import hashlib

import pytest
import time_machine
from django.utils import timezone

from daks.api import tokens
from daks.api.models import ApiToken, TokenScope
from daks.core.errors import DomainError
from daks.municipalities.models import Membership

ME = "/api/v1/me"


def test_token_is_stored_only_as_hash(coordinator, municipality):
    token, raw = tokens.token_create(user=coordinator, municipality=municipality, name="Statistik", scope="read")
    assert raw.startswith("daks_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.prefix, stored.token_hash, stored.name}
    assert raw.startswith(stored.prefix)


@pytest.mark.parametrize(
    ("name", "scope", "expires", "field"),
    [("  ", "read", None, "name"), ("x", "admin", None, "scope"), ("x", "read", -1, "expires_at")],
)
def test_bad_token_input_is_refused_and_nothing_written(coordinator, municipality, name, scope, expires, field):
    expires_at = timezone.now() + datetime.timedelta(days=expires) if expires else None
    with pytest.raises(DomainError) as error:
        tokens.token_create(user=coordinator, municipality=municipality, name=name, scope=scope, expires_at=expires_at)
    assert error.value.field == field
    assert not ApiToken.objects.exists()


def test_tokens_only_for_own_kommune(coordinator, other_municipality):
    with pytest.raises(DomainError):
        tokens.token_create(user=coordinator, municipality=other_municipality, name="x")
    assert not ApiToken.objects.exists()


def test_me_shows_owner_role_and_scope(coordinator, municipality, make_token, api_client):
    response = api_client(make_token(coordinator, municipality, scope=TokenScope.READ)).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["municipality_slug"] == municipality.slug
    assert body["role"] == "coordination" or body["role"]
    assert body["scope"] == "read"
    assert response["Cache-Control"] == "private, no-store"
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "header", [None, "Bearer daks_unknown", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer " + "x" * 300]
)
def test_missing_or_unknown_tokens_are_refused(client, db, header):
    if header is not None:
        client.defaults["HTTP_AUTHORIZATION"] = header
    assert client.get(ME).status_code == 401


def test_revoked_token_is_refused(coordinator, municipality, make_token, api_client):
    raw = make_token(coordinator, municipality)
    client = api_client(raw)
    assert client.get(ME).status_code == 200
    tokens.token_revoke(user=coordinator, token=ApiToken.objects.get())
    assert client.get(ME).status_code == 401


def test_expired_token_is_refused(coordinator, municipality, make_token, api_client):
    raw = make_token(coordinator, municipality, expires_at=timezone.now() + datetime.timedelta(days=1))
    client = api_client(raw)
    assert client.get(ME).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert client.get(ME).status_code == 401


def test_token_stops_working_when_membership_ends_or_user_is_deactivated(
    coordinator, municipality, make_token, api_client
):
    client = api_client(make_token(coordinator, municipality))
    coordinator.is_active = False
    coordinator.save()
    assert client.get(ME).status_code == 401
    coordinator.is_active = True
    coordinator.save()
    assert client.get(ME).status_code == 200
    Membership.objects.filter(user=coordinator).delete()
    assert client.get(ME).status_code == 401


def test_last_used_is_recorded(coordinator, municipality, make_token, api_client):
    api_client(make_token(coordinator, municipality)).get(ME)
    assert ApiToken.objects.get().last_used_at is not None


# --- Rate limits ------------------------------------------------------------------------------------


def test_rate_limit_per_token_answers_429_with_retry_after(settings, coordinator, municipality, make_token, api_client):
    settings.DAKS_API_RATE_LIMITS = {"token": (3, 60)}
    client = api_client(make_token(coordinator, municipality))
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(ME)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # another token of the same person has its own budget
    assert api_client(make_token(coordinator, municipality, name="Zweiter")).get(ME).status_code == 200


def test_rate_limit_per_address_applies_to_anonymous_requests(settings, client, db):
    settings.DAKS_API_RATE_LIMITS = {"address": (2, 60)}
    address = {"REMOTE_ADDR": "198.51.100.9"}
    assert [client.get("/api/v1/regions", **address).status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/regions", **address)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response["Access-Control-Allow-Origin"] == "*"  # so a web page can read the Retry-After
    assert client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.7").status_code == 200


# --- HTTP caching and CORS ---------------------------------------------------------------------------


def test_public_reads_carry_etag_and_answer_304(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    etag = response["ETag"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    again = client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert not response.cookies


def test_cors_preflight_for_public_reads_only(client, db):
    preflight = client.options(
        "/api/v1/openapi.json", HTTP_ORIGIN="https://portal.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    private = client.options(
        "/api/v1/municipalities/x/processes",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in private


# --- Web pages ---------------------------------------------------------------------------------------


def test_token_page_shows_the_new_token_once(coordinator, municipality, login):
    client = login(coordinator)
    response = client.post(
        "/konto/api-tokens/",
        {"name": "Auswertung", "municipality": municipality.pk, "scope": "write", "expires_on": ""},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["new_token"]["raw"]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    listing = client.get("/konto/api-tokens/").content.decode()
    assert "Auswertung" in listing and raw not in listing and token.prefix in listing


def test_token_page_refuses_bad_input(coordinator, municipality, other_municipality, login):
    client = login(coordinator)
    response = client.post("/konto/api-tokens/", {"name": "", "municipality": other_municipality.pk, "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_only_own_tokens(coordinator, contributor, municipality, make_token, login):
    make_token(coordinator, municipality)
    token = ApiToken.objects.get()
    assert login(contributor).post(f"/konto/api-tokens/{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert login(coordinator).post(f"/konto/api-tokens/{token.pk}/widerrufen/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_needs_sign_in(client, db):
    response = client.get("/konto/api-tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_docs_page_loads_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    content = response.content.decode()
    assert "swagger-ui-bundle.js" in content
    assert "http://" not in content and "https://" not in content
    assert '<html lang="de">' in content
