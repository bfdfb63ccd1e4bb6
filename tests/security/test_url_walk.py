"""The URL walk: every URL pattern of the project, requested with Kommune A's objects by everybody who must not
see them — anonymous visitors, members of Kommune B in every role, staff without membership — and by A's own
members where the rules say 403. No response may show a private text of Kommune A (``MARKER_A``).

The URLs come from the resolver (``urlwalk.endpoints``), so a new URL is walked as soon as it exists; it fails
``test_every_url_pattern_is_classified_and_filled`` until its kwargs can be filled (``kwargs.RULES``) and — unless
it is a Kommune view or a workspace API endpoint, which are recognised — it is classified (``classification``).
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from daks.municipalities.models import Role

from . import classification as c
from .kwargs import Unfilled, fill
from .urlwalk import endpoint_id, endpoints
from .workspace import MARKER_A, MARKER_B

pytestmark = pytest.mark.django_db

VIEW = "municipalities.view_municipality"
LOGIN_PATH = "/accounts/login/"
API_METHODS = ("get", "post", "put", "patch", "delete")

# Requests that would change the client itself for the following tests (sign out, switch the language).
NO_POST = {"account_logout", "set_language", "language"}

# Kommune views whose POST writes for a reader too: taking part as a member, not editing content (URL → why).
READER_MAY_POST: dict[str, str] = {
    "network_municipality:consent": "every member decides for themself whether to be a contact person",
}

# Kommune views that answer Kommune B's object ids in A's URLs with something other than 404/405: URL → (the
# statuses, why that reveals and changes nothing).
SWAP_ANSWERS: dict[str, tuple[tuple[int, ...], str]] = {
    "plans:import_mapping": ((302,), "an upload token of someone else is 'expired': back to the upload form"),
}


def _by_class(*classes):
    return [e for e in endpoints() if c.classify(e) in classes]


def _ids(items):
    return [endpoint_id(e) for e in items]


# --- Filling a URL -------------------------------------------------------------------------------------------------


# --- Requests and checks -------------------------------------------------------------------------------------------


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and LOGIN_PATH in response.get("Location", "")


def send(client, method, path, **extra):
    return getattr(client, method)(path, **extra)


WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Writes that are bookkeeping of the caller itself: the session row (last activity) of the signed-in client and the
# "last used" time of the caller's own API token.
HARMLESS_WRITES = ('"django_session"', 'UPDATE "api_apitoken" SET "last_used_at"')


def send_watched(client, method, path, *, api_call=False, token=None, **extra):
    """The response and the SQL writes the request made (but ``HARMLESS_WRITES``): a refused request must write
    nothing. ``api_call``: an API request (JSON body, bearer ``token``; a fresh client if ``client`` is None)."""
    with CaptureQueriesContext(connection) as queries:
        if api_call:
            response = api(method, path, token, client)
        else:
            response = send(client, method, path, **extra)
    writes = [
        query["sql"][:120]
        for query in queries.captured_queries
        if WRITE_SQL.match(query["sql"]) and not any(table in query["sql"] for table in HARMLESS_WRITES)
    ]
    return response, writes


class Findings:
    """Collects every breach of one URL, so a failing URL reports all of them at once."""

    def __init__(self, path):
        self.path = path
        self.problems: list[str] = []

    def check(self, who, method, response, ok: bool, *, marker=MARKER_A, expected="", writes=()):
        body = text_of(response)
        if marker and marker in body:
            self.problems.append(f"{who} {method.upper()}: {response.status_code} shows {marker} (LEAK)")
        elif not ok:
            location = f" → {response['Location']}" if response.has_header("Location") else ""
            wrote = f"; wrote {writes}" if writes else ""
            self.problems.append(
                f"{who} {method.upper()}: {response.status_code}{location}{wrote}, expected {expected}"
            )

    def assert_clean(self):
        assert not self.problems, f"{self.path}\n  " + "\n  ".join(self.problems)


def outsiders(personas):
    yield "anonymous", personas.anonymous
    for role, client in personas.b.items():
        yield f"member of B ({role})", client
    yield "staff without membership", personas.staff


def methods(endpoint, get_only=False):
    return ("get",) if get_only or endpoint.name in NO_POST else ("get", "post")


def positive(findings, who, client, path):
    """The owner's request must not be 404: proves the walk filled the URL with objects that exist (a walk with
    wrong ids would get 404 everywhere and prove nothing). GET, or POST where the view only takes POST."""
    method = "get"
    response = client.get(path)
    if response.status_code == 405:
        method, response = "post", client.post(path)
    findings.check(
        who,
        method,
        response,
        response.status_code != 404 and response.status_code < 500,
        marker=None,
        expected="not 404",
    )


# --- Completeness --------------------------------------------------------------------------------------------------


def test_every_url_pattern_is_classified_and_filled(world):
    problems = []
    for endpoint in endpoints():
        if c.classify(endpoint) is None:
            problems.append(f"{endpoint_id(endpoint)}: not classified — add it to TABLE in classification.py")
            continue
        try:
            path, _swapped = fill(endpoint, world)
        except Unfilled as error:
            problems.append(str(error))
            continue
        try:
            match = resolve(path)
        except Resolver404:
            problems.append(f"{endpoint_id(endpoint)}: {path} does not resolve — fix its rule in kwargs.py")
            continue
        if match.func is not endpoint.callback and match.route != endpoint.route:
            problems.append(f"{endpoint_id(endpoint)}: {path} resolves to {match.view_name} instead")
    names = {endpoint.name for endpoint in endpoints()}
    problems += [f"{name}: in TABLE but no such URL any more" for name in c.TABLE if name not in names]
    assert not problems, "\n".join(problems)


# --- Kommune views -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", _by_class(c.KOMMUNE), ids=_ids(_by_class(c.KOMMUNE)))
def test_kommune_view(endpoint, world, personas):
    """Outsiders 404 (anonymous: or the login), A's members without the permission 403, a reader's POST writes
    nothing, A's coordination reaches the page, and B's objects in A's URL are 404."""
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for who, client in outsiders(personas):
        # Where municipality_view is the outermost wrapper it answers before the view sees the method: GET shows
        # the refusal for every method; the POST of B's coordination proves it once more. Otherwise both.
        post = not endpoint.tenancy_first or who == f"member of B ({Role.COORDINATION})"
        for method in ("get", "post") if post else ("get",):
            response, writes = send_watched(client, method, path)
            ok = response.status_code in (404, 405) or (who == "anonymous" and is_login_redirect(response))
            findings.check(who, method, response, ok and not writes, expected="404/405 and no write", writes=writes)

    municipality = world.a.municipality
    for role, client in personas.a.items():
        user = world.a.users[role]
        if not user.has_perm(endpoint.permission, municipality):
            answers = [
                (method, *send_watched(client, method, path)) for method in methods(endpoint, endpoint.tenancy_first)
            ]
            for method, response, writes in answers:
                ok = response.status_code in (403, 405) and not writes
                findings.check(f"A {role}", method, response, ok, expected="403", writes=writes)
            if all(response.status_code == 405 for _method, response, _writes in answers):
                findings.problems.append(f"A {role}: 405 for every method, expected 403")
        elif role == Role.READER and endpoint.permission == VIEW and endpoint.name not in READER_MAY_POST:
            response, writes = send_watched(client, "post", path)
            findings.check(
                f"A {role}",
                "post",
                response,
                response.status_code < 500 and not writes,
                marker=None,
                expected="no write (a reader reads)",
                writes=writes,
            )

    positive(findings, "A coordination", personas.a[Role.COORDINATION], path)

    swapped_path, swapped = fill(endpoint, world, swap=True)
    if swapped:
        allowed = (404, 405, *SWAP_ANSWERS.get(endpoint.name, ((),))[0])
        for method in ("get", "post"):
            response, writes = send_watched(personas.a[Role.COORDINATION], method, swapped_path)
            findings.check(
                f"A coordination with B's {'/'.join(sorted(swapped))}",
                method,
                response,
                response.status_code in allowed and not writes,
                marker=MARKER_B,
                expected="404",
                writes=writes,
            )
    findings.assert_clean()


# --- Everything else -----------------------------------------------------------------------------------------------


def _b_members(personas):
    return [(f"member of B ({role})", client) for role, client in personas.b.items()]


def _b_extremes(personas):
    """B's most and least privileged members: enough where the role in B cannot matter (pages outside any
    Kommune's workspace), and half the requests of all four."""
    return [(f"member of B ({role})", personas.b[role]) for role in (Role.COORDINATION, Role.READER)]


@pytest.mark.parametrize("endpoint", _by_class(c.PUBLIC), ids=_ids(_by_class(c.PUBLIC)))
def test_public_page_shows_nothing_private(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for who, client in [("anonymous", personas.anonymous), *_b_extremes(personas)]:
        for method in methods(endpoint):
            response = send(client, method, path)
            findings.check(who, method, response, response.status_code < 500, expected="no error")
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.LOGIN), ids=_ids(_by_class(c.LOGIN)))
def test_login_page_sends_anonymous_visitors_to_the_login(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for method in methods(endpoint):
        response, writes = send_watched(personas.anonymous, method, path)
        ok = (is_login_redirect(response) or response.status_code in (403, 404, 405)) and not writes
        findings.check("anonymous", method, response, ok, expected="login", writes=writes)
    for who, client in _b_extremes(personas):
        for method in methods(endpoint):
            response = send(client, method, path)
            findings.check(who, method, response, response.status_code < 500, expected="no error")
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.OWNER), ids=_ids(_by_class(c.OWNER)))
def test_own_object_is_nobody_elses(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for method in methods(endpoint):
        response, writes = send_watched(personas.anonymous, method, path)
        ok = (is_login_redirect(response) or response.status_code in (404, 405)) and not writes
        findings.check("anonymous", method, response, ok, expected="login/404", writes=writes)
    for who, client in [*_b_members(personas), ("staff", personas.staff)]:
        for method in methods(endpoint):
            response, writes = send_watched(client, method, path)
            # refused outright, or sent back to the object's page ("only the author may …") without a write
            ok = response.status_code in (302, 403, 404, 405) and not writes
            findings.check(who, method, response, ok, expected="403/404", writes=writes)
    positive(findings, "A coordination (the owner)", personas.a[Role.COORDINATION], path)
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.STAFF), ids=_ids(_by_class(c.STAFF)))
def test_staff_page_refuses_members(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for method in methods(endpoint):
        response, writes = send_watched(personas.anonymous, method, path)
        ok = (is_login_redirect(response) or response.status_code in (404, 405)) and not writes
        findings.check("anonymous", method, response, ok, expected="login", writes=writes)
    for who, client in _b_extremes(personas):
        for method in methods(endpoint):
            response, writes = send_watched(client, method, path)
            ok = response.status_code in (403, 404, 405) and not writes
            findings.check(who, method, response, ok, expected="403", writes=writes)
    positive(findings, "staff", personas.staff, path)
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.TOKEN), ids=_ids(_by_class(c.TOKEN)))
def test_capability_link_needs_its_token(endpoint, world, personas):
    forged, _swapped = fill(endpoint, world, forge=True)
    findings = Findings(forged)
    for who, client in [("anonymous", personas.anonymous), _b_extremes(personas)[0]]:
        for method in methods(endpoint):
            response, writes = send_watched(client, method, forged)
            findings.check(
                who,
                method,
                response,
                response.status_code < 500 and not writes,
                expected="no error, no write",
                writes=writes,
            )
    real, _swapped = fill(endpoint, world)
    if real != forged:
        positive(findings, "anonymous with the real token", Client(), real)
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.UNPUBLISHED), ids=_ids(_by_class(c.UNPUBLISHED)))
def test_unpublished_object_is_not_public(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for who, client in [("anonymous", personas.anonymous), *_b_extremes(personas)]:
        for method in methods(endpoint):
            response, writes = send_watched(client, method, path)
            ok = response.status_code in (404, 405) and not writes
            findings.check(who, method, response, ok, expected="404", writes=writes)
    findings.assert_clean()


# --- API -----------------------------------------------------------------------------------------------------------


def api(method, path, token=None, client=None):
    client = client or Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method in ("post", "put", "patch"):
        return client.generic(method.upper(), path, json.dumps({}), content_type="application/json", **headers)
    return client.generic(method.upper(), path, **headers)


@pytest.mark.parametrize("endpoint", _by_class(c.API_WORKSPACE), ids=_ids(_by_class(c.API_WORKSPACE)))
def test_api_workspace_endpoint_refuses_other_kommunen(endpoint, world, personas):
    """Token of B for A's slug → 404 (a write whose empty body fails validation may answer 422 first: ninja checks
    the body before the view; tests/api/test_workspace_access.py sends valid bodies); no token → 401; a session
    instead of a token → 401; Lesen of A on writes → 403; A's coordination reads."""
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for method in API_METHODS:
        bodied = method in ("post", "put", "patch")
        response, writes = send_watched(None, method, path, api_call=True)
        findings.check(
            "no token",
            method,
            response,
            response.status_code in (401, 405) and not writes,
            expected="401",
            writes=writes,
        )
        response, writes = send_watched(personas.b[Role.COORDINATION], method, path, api_call=True)
        findings.check(
            "session of B (no token)",
            method,
            response,
            response.status_code in (401, 405) and not writes,
            expected="401",
            writes=writes,
        )
        for role, token in world.b.api.items():
            response, writes = send_watched(None, method, path, api_call=True, token=token)
            ok = response.status_code in ((404, 405, 422) if bodied else (404, 405)) and not writes
            findings.check(f"token of B ({role})", method, response, ok, expected="404", writes=writes)
        if method != "get":
            response, writes = send_watched(None, method, path, api_call=True, token=world.a.api[Role.READER])
            ok = response.status_code in ((403, 405, 422) if bodied else (403, 405)) and not writes
            findings.check(
                f"token of A ({Role.READER})", method, response, ok, marker=None, expected="403", writes=writes
            )
    response = api("get", path, world.a.api[Role.COORDINATION])
    findings.check(
        "token of A (coordination)", "get", response, response.status_code in (200, 405), marker=None, expected="200"
    )
    findings.assert_clean()


@pytest.mark.parametrize("endpoint", _by_class(c.API_PUBLIC, c.API_ME), ids=_ids(_by_class(c.API_PUBLIC, c.API_ME)))
def test_api_public_read_shows_nothing_private(endpoint, world, personas):
    path, _swapped = fill(endpoint, world)
    findings = Findings(path)
    for who, token in [("no token", None), (f"token of B ({Role.COORDINATION})", world.b.api[Role.COORDINATION])]:
        response = api("get", path, token)
        findings.check(who, "get", response, response.status_code < 500, expected="no error")
    findings.assert_clean()


def test_admin_refuses_members_and_anonymous_visitors(personas):
    """The Django admin is not walked (see urlwalk.SKIPPED_PREFIXES); its entrance refuses everyone but staff."""
    for who, client in [("anonymous", personas.anonymous), *_b_members(personas)]:
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], who
