import contextlib
import os
import sqlite3

import pytest
from django.db import connection, connections

from daks.municipalities.models import Role

from .factories import DEFAULT_PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory

os.environ.setdefault("DAKS_TESTING", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Musterstadt", slug="musterstadt", official_key="09162999")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Anderdorf", slug="anderdorf", official_key="08111999", state="DE-BW")


def _member(municipality, role):
    return MembershipFactory(municipality=municipality, role=role).user


@pytest.fixture
def coordinator(municipality):
    return _member(municipality, Role.COORDINATION)


@pytest.fixture
def contributor(municipality):
    return _member(municipality, Role.CONTRIBUTOR)


@pytest.fixture
def reader(municipality):
    return _member(municipality, Role.READER)


@pytest.fixture
def advisor(municipality):
    return _member(municipality, Role.ADVISOR)


@pytest.fixture
def outsider(other_municipality):
    """A member of another Kommune (with full rights there)."""
    return _member(other_municipality, Role.COORDINATION)


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    """``login(user)`` signs ``user`` in on the test client and returns the client."""

    def do_login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return do_login


# SQLite's test database lives in memory with a shared cache, where a second writer fails at once ("database table
# is locked") instead of waiting, unlike the file database of a real installation. Concurrency tests on SQLite
# therefore copy the prepared database into a file and let their threads work on that file, with the settings'
# connection options (BEGIN IMMEDIATE, busy timeout, WAL). On PostgreSQL the threads use the test database.
@pytest.fixture
def thread_database(tmp_path):
    """For tests with real concurrent transactions (several threads): ``(use, main)``. ``use()`` points the
    calling thread at the database the threads share; ``main()`` is a context for checks."""
    if connection.vendor != "sqlite":
        yield contextlib.nullcontext, contextlib.nullcontext
        return
    path = tmp_path / "concurrency.sqlite3"
    state = {}

    def copy():
        if "settings" not in state:
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            # Switch the copy to WAL before the threads connect: their connections' own "PRAGMA journal_mode=WAL"
            # is then a no-op, instead of a mode change racing other connections ("database is locked").
            target.execute("PRAGMA journal_mode=WAL")
            target.close()
            state["settings"] = {**connection.settings_dict, "NAME": str(path)}

    @contextlib.contextmanager
    def use():
        copy()
        original = connections["default"]
        wrapper = original.__class__(state["settings"], "default")
        connections["default"] = wrapper
        try:
            yield
        finally:
            wrapper.close()
            connections["default"] = original

    yield use, use
