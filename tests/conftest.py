import contextlib
import os
import sqlite3
import threading

import pytest
from django.db import OperationalError, connection, connections

from daks.core.errors import DomainError
from daks.municipalities.models import Role

from .factories import DEFAULT_PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory

os.environ.setdefault("DAKS_TESTING", "true")


# Ids start at a seven-digit number in every test database, so that an id rendered through number
# localisation ("1.000.123") breaks a test instead of a real page once a table passes 999 rows.
FIRST_TEST_ID = 1_000_000


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.apps import apps
    from django.db import models

    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if isinstance(model._meta.pk, models.AutoField) and model._meta.managed and not model._meta.proxy
    ]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in sorted(set(tables)):
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute("SELECT setval(%s, %s, false)", [sequence, FIRST_TEST_ID])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, FIRST_TEST_ID])
    yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield
    # Rate-limit counters and cached indexes live in the process-wide local-memory cache: no test inherits them.
    from django.core.cache import cache

    cache.clear()


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
class ThreadDatabase:
    """What a test with real concurrent transactions needs: ``use()`` points the calling thread at the database
    the threads share, ``main()`` is the context for checks afterwards, ``hammer()`` runs the threads."""

    def __init__(self, path):
        self.path = path  # None on PostgreSQL
        self._settings = None
        self._copy_lock = threading.Lock()

    def _copy(self):
        # Once, under a lock: the first thread to arrive copies, the others wait for the copy.
        with self._copy_lock:
            if self._settings is None:
                connection.ensure_connection()
                target = sqlite3.connect(self.path)
                connection.connection.backup(target)
                # WAL before the threads connect: their own "PRAGMA journal_mode=WAL" is then a no-op instead of
                # a mode change racing the other connections ("database is locked").
                target.execute("PRAGMA journal_mode=WAL")
                target.close()
                self._settings = {**connection.settings_dict, "NAME": str(self.path)}

    @contextlib.contextmanager
    def use(self):
        if self.path is None:
            yield
            return
        self._copy()
        original = connections["default"]
        wrapper = original.__class__(self._settings, "default")
        connections["default"] = wrapper
        try:
            yield
        finally:
            wrapper.close()
            connections["default"] = original

    main = use

    def hammer(self, target, *, threads, attempts=1):
        """Call ``target`` ``attempts`` times from each of ``threads`` threads released at the same moment.
        Returns the outcomes: what ``target`` returned ("ok" for None), "refused" for a DomainError, "db error: …"
        for an OperationalError. A thread that fails otherwise breaks the barrier for all and fails the test."""
        if self.path is not None:
            self._copy()  # before any thread starts, with the data the test prepared
        barrier = threading.Barrier(threads)
        outcomes: list[str] = []
        failures: list[BaseException] = []
        lock = threading.Lock()

        def run():
            try:
                with self.use():
                    barrier.wait()
                    for _attempt in range(attempts):
                        try:
                            result = target()
                        except DomainError:
                            result = "refused"
                        except OperationalError as error:  # SQLite: "database is locked" after the busy timeout
                            result = f"db error: {error}"
                        with lock:
                            outcomes.append("ok" if result is None else result)
                    connections["default"].close()
            except BaseException as error:
                with lock:
                    failures.append(error)
                barrier.abort()

        workers = [threading.Thread(target=run) for _index in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        causes = [error for error in failures if not isinstance(error, threading.BrokenBarrierError)]
        if failures:
            raise (causes or failures)[0]
        return outcomes


@pytest.fixture
def thread_database(tmp_path):
    """For tests with real concurrent transactions (several threads), see ``ThreadDatabase``."""
    return ThreadDatabase(tmp_path / "concurrency.sqlite3" if connection.vendor == "sqlite" else None)
