"""One world for the whole URL walk: built once per module inside a transaction that is rolled back at the end,
so it costs one setup and leaves nothing behind for other test modules. Each test runs in a savepoint inside it
(pytest-django's ``db``), so a request that writes something — a leak — is undone before the next test.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client, override_settings

from daks.municipalities.models import Role
from daks.plans import export_tasks, importer

from .workspace import ROLES, build_world

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "security-walk"}}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("security-walk")
    paths = {"MEDIA_ROOT": media / "public", "PRIVATE_MEDIA_ROOT": media / "private"}
    with django_db_blocker.unblock(), override_settings(CACHES=LOCMEM, **paths):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            world.paths = paths
            world.anonymous = _client()
            world.staff_client = _client(world.staff)
            for side in (world.a, world.b):
                side.clients = {role: _client(user) for role, user in side.users.items()}
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class CachedObjects(dict):
    """A Kommune's objects that live in the cache (export job, import upload), made when a URL first needs them
    in a test: the cache is cleared after every test, and only a few URLs take such a token."""

    def __init__(self, side):
        super().__init__()
        self.side = side

    def __missing__(self, name):
        side = self.side
        coordinator = side.users[Role.COORDINATION]
        if name == "export":
            token = export_tasks.export_start(plan=side.plan, user=coordinator, identifier="csv")
        elif name == "import":
            table = [["Titel", "Handlungsfeld"], [f"{side.marker} Import", side.field.title]]
            token = importer.store_upload(plan=side.plan, user=coordinator, filename=f"{side.marker}.csv", table=table)
        else:
            raise KeyError(name)
        self[name] = token
        return token


@pytest.fixture(autouse=True)
def _walk_state(db, world, settings, _test_settings):
    """Per test (after tests/conftest.py's ``_test_settings``): the world's media folders, API rate limits that
    the walk's many requests from one address do not reach, and fresh cached objects of both Kommunen."""
    for name, path in world.paths.items():
        setattr(settings, name, path)
    settings.DAKS_API_RATE_LIMITS = {"token": (100_000, 60), "address": (100_000, 60)}
    for side in (world.a, world.b):
        side.cached = CachedObjects(side)
        for user in side.users.values():
            user.__dict__.pop("_daks_memberships", None)  # the rules' per-request cache on the shared user objects


@pytest.fixture
def personas(world) -> SimpleNamespace:
    """The clients by who they are (signed in once for the module)."""
    return SimpleNamespace(
        anonymous=world.anonymous,
        staff=world.staff_client,
        a={role: world.a.clients[role] for role in ROLES},
        b={role: world.b.clients[role] for role in ROLES},
    )
