"""Fast bulk insert of observations, shared by every importer.

``Observation.objects.bulk_create`` builds a model instance per value; for the largest tables (~600,000
values) that alone takes tens of seconds. Rows therefore go to the database directly: PostgreSQL gets them
through ``COPY … FROM STDIN`` (psycopg 3), SQLite through ``executemany`` on the DB-API cursor (Django's
wrapper would re-translate the placeholders on every statement). Callers run this inside their transaction,
so an import stays all-or-nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from django.db import connection

from .models import Observation

#: Column order of the row tuples.
COLUMNS = (
    "dataset_id",
    "region_key",
    "district",
    "variable",
    "year",
    "date",
    "sex",
    "age_group",
    "age_from",
    "age_to",
    "value",
    "flag",
)
BATCH_SIZE = 5000


def _sqlite_cache() -> None:
    # SQLite's default page cache (2 MB) makes index updates slow once the table holds a few hundred
    # thousand rows; 256 MB for this connection keep a full load fast (used only when needed).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -262144")


def insert_observations(
    rows: Iterable[tuple],
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 100_000,
) -> int:
    """Insert ``rows`` (tuples in ``COLUMNS`` order, dates as ``datetime.date``); returns the number of rows."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    connection.ensure_connection()
    done = 0
    next_progress = progress_every
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
                if progress and done >= next_progress:
                    progress(done)
                    next_progress += progress_every
        return done

    if connection.vendor == "sqlite":
        _sqlite_cache()
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(COLUMNS))})"  # noqa: S608
        adapt_date = connection.ops.adapt_datefield_value
        date_index = COLUMNS.index("date")
        cursor_context = contextlib.closing(connection.connection.cursor())
    else:  # other backends: the portable path
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
        adapt_date = connection.ops.adapt_datefield_value
        date_index = COLUMNS.index("date")
        cursor_context = connection.cursor()
    batch: list[tuple] = []
    with cursor_context as cursor:
        for row in rows:
            if row[date_index] is not None:
                row = (*row[:date_index], adapt_date(row[date_index]), *row[date_index + 1 :])
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                if progress and done >= next_progress:
                    progress(done)
                    next_progress += progress_every
        if batch:
            cursor.executemany(sql, batch)
            done += len(batch)
    return done
