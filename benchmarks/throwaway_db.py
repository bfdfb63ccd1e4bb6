"""A throwaway PostgreSQL database for a benchmark run (not a benchmark itself: ``make bench`` runs bench_*.py)."""

import secrets
from urllib.parse import urlsplit


def postgres_database(url: str, prefix: str):
    """A new database ``<prefix>_<random>`` on the server of ``url``: (its URL, a cleanup that drops it)."""
    import psycopg

    parts = urlsplit(url)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop
