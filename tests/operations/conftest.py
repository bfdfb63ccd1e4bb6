import pytest
from django.db import connection

from daks.core import backup


@pytest.fixture
def vendor():
    return connection.vendor


@pytest.fixture
def pg_binaries(vendor):
    """On PostgreSQL the tests need pg_dump and pg_restore; without them the PostgreSQL variant is skipped."""
    if vendor == "postgresql" and not (backup.pg_binary("pg_dump") and backup.pg_binary("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed (set DAKS_PG_BIN_DIR)")


@pytest.fixture
def process(municipality, coordinator):
    import datetime

    from daks.strategy import services as strategy_services

    return strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database backend, as in production (the worker is run by ``run_worker``)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
