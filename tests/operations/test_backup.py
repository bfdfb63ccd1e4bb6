"""Backup and restore (``manage.py backup`` / ``restore``) on the suite's database: SQLite in `make test` (restored
into a temporary database file), PostgreSQL in the CI PostgreSQL run (restored into a second, freshly created
database on the same server). The PostgreSQL variant is skipped when pg_dump/pg_restore are missing."""

import contextlib
import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from daks.core import backup
from daks.core.backup import BackupError
from daks.profile.models import InventoryItem
from daks.strategy.models import StrategyProcess

from .factories import TINY_PDF, handmade_archive, workspace

pytestmark = pytest.mark.usefixtures("pg_binaries")


@contextlib.contextmanager
def empty_database(tmp_path):
    """A new, empty database of the suite's kind (settings dict): a file for SQLite, a second database on the same
    PostgreSQL server (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@contextlib.contextmanager
def opened(settings_dict):
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), "restored")
    try:
        yield wrapper
    finally:
        wrapper.close()


def table_contents(conn, *, limit=5000):
    """{table: (row count, rows)} of every table; rows sorted, so that the comparison does not depend on order."""
    contents = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            quoted = conn.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - table names from the catalogue
            count = cursor.fetchone()[0]
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1 LIMIT {limit}")  # noqa: S608
            contents[table] = (count, sorted(cursor.fetchall(), key=repr))
    return contents


def files_below(root) -> dict[str, bytes]:
    root = Path(root)
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def roots(settings):
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_identical_data_and_files(
    municipality, coordinator, settings, tmp_path
):
    process = workspace(municipality=municipality, coordinator=coordinator)
    document = InventoryItem.objects.exclude(document="").get()
    source_files = {name: files_below(root) for name, root in roots(settings).items()}
    assert len(source_files["media"]) == 1 and source_files["private"] == {document.document.name: TINY_PDF}

    result = backup.create_backup(tmp_path / "backups")  # a folder (created): a new file named after the time
    assert result.path.parent == tmp_path / "backups" and result.path.name.startswith("daks-backup-")
    assert result.path.stat().st_mode & 0o777 == 0o600  # personal data: readable by the operator only
    assert [p.name for p in result.path.parent.iterdir()] == [result.path.name]  # no partial file left
    manifest = result.manifest
    assert manifest["database"]["vendor"] == connection.vendor and manifest["daks_version"]
    applied = MigrationRecorder(connection).applied_migrations()
    assert sum(len(names) for names in manifest["migrations"].values()) == len(applied)
    assert manifest["database"]["tables"]["strategy_strategyprocess"] == 1
    assert {entry["path"] for entry in manifest["files"]} == {
        manifest["database"]["file"],
        *(f"{name}/{path}" for name, files in source_files.items() for path in files),
    }

    restored = {"media": tmp_path / "restored" / "media", "private": tmp_path / "restored" / "private"}
    with empty_database(tmp_path) as target:
        outcome = backup.restore_backup(
            result.path, database=target, media_root=restored["media"], private_media_root=restored["private"]
        )
        assert outcome.pending_migrations == [] and outcome.files == 2
        expected = table_contents(connection)
        with opened(target) as restored_db:
            actual = table_contents(restored_db)
            with restored_db.cursor() as cursor:
                cursor.execute(
                    "SELECT title, municipality_id, start_date FROM strategy_strategyprocess WHERE id = %s",
                    [process.pk],
                )
                assert cursor.fetchone() == (process.title, municipality.pk, process.start_date)
                cursor.execute("SELECT title, notes, document FROM profile_inventoryitem WHERE id = %s", [document.pk])
                assert cursor.fetchone() == (document.title, document.notes, document.document.name)
                if connection.vendor == "postgresql":  # sequences continue where they were
                    sequence = "SELECT last_value FROM {}".format
                    cursor.execute("SELECT pg_get_serial_sequence('strategy_strategyprocess', 'id')")
                    name = cursor.fetchone()[0]
                    cursor.execute(sequence(name))
                    restored_last = cursor.fetchone()[0]
                    with connection.cursor() as source:
                        source.execute(sequence(name))
                        assert restored_last == source.fetchone()[0]
        assert set(actual) == set(expected)
        assert {table: count for table, (count, _rows) in actual.items()} == {
            table: count for table, (count, _rows) in expected.items()
        }
        for table, (_count, rows) in expected.items():
            assert actual[table][1] == rows, table
        for name, files in source_files.items():
            assert files_below(restored[name]) == files  # byte by byte, no staging folders left behind

        # The target now holds data: a second restore is refused and changes nothing.
        with pytest.raises(BackupError, match="not empty"):
            backup.restore_backup(
                result.path, database=target, media_root=restored["media"], private_media_root=restored["private"]
            )


@pytest.mark.django_db(transaction=True)
def test_the_commands_write_check_and_refuse_to_overwrite(municipality, coordinator, tmp_path):
    workspace(municipality=municipality, coordinator=coordinator)
    target = tmp_path / "nightly.tar.gz"
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(target), stdout=out, stderr=err)
    assert out.getvalue().strip() == str(target) and target.is_file()
    assert "build_open_data" in err.getvalue()  # says that the open data are not included
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(target), stdout=io.StringIO(), stderr=io.StringIO())

    out = io.StringIO()
    call_command("restore", str(target), "--check", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == f"{target}: OK (2 files)"
    # The suite's own database is not empty (SQLite: not even a file): refused before anything is touched.
    refusal = "not empty" if connection.vendor == "postgresql" else "must be a file"
    with pytest.raises(CommandError, match=refusal):
        call_command("restore", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert StrategyProcess.objects.count() == 1


# --- the archive is checked before anything changes -------------------------------------------------------------


def restore_check(path, **kwargs):
    return backup.restore_backup(path, check_only=True, **kwargs)


def test_a_complete_archive_passes_the_check(tmp_path, vendor):
    archive = handmade_archive(
        tmp_path / "ok.tar.gz",
        vendor=vendor,
        members={"media/logos/a.png": b"png", "private/inventory/1/b.pdf": b"pdf"},
    )
    assert restore_check(archive).files == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tampered": {"media/logos/a.png": b"PNG"}}, "damaged"),
        ({"extra_members": {"media/unlisted.sh": b"#!/bin/sh"}}, "unexpected member"),
        ({"members": {"media/../../etc/cron.d/x": b"* * * * * root id"}}, "invalid file"),
        ({"members": {"/etc/passwd": b"root"}}, "invalid file"),
        ({"members": {"elsewhere/x": b"x"}}, "invalid file"),
        ({"manifest_changes": {"migrations": {"core": ["0001_initial", "9999_from_the_future"]}}}, "newer DAKS"),
        ({"manifest_changes": {"format_version": 99}}, "format version 99"),
        ({"manifest_changes": {"format": "something-else"}}, "not a DAKS backup"),
        ({"manifest_changes": {"files": "everything"}}, "not a DAKS backup"),
    ],
)
def test_a_damaged_foreign_or_newer_archive_is_refused(tmp_path, vendor, kwargs, message):
    members = {"media/logos/a.png": b"png", **kwargs.pop("members", {})}
    archive = handmade_archive(tmp_path / "bad.tar.gz", vendor=vendor, members=members, **kwargs)
    with pytest.raises(BackupError, match=message):
        restore_check(archive)


def test_a_backup_of_the_other_database_kind_is_refused(tmp_path, vendor):
    other = "sqlite" if vendor == "postgresql" else "postgresql"
    with pytest.raises(BackupError, match=f"holds a {other} database"):
        restore_check(handmade_archive(tmp_path / "other.tar.gz", vendor=other))


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Einkaufsliste")
    with pytest.raises(BackupError, match="cannot be read"):
        restore_check(path)


def test_files_are_all_or_nothing_when_the_database_restore_fails(tmp_path, vendor, settings):
    media, private = roots(settings)["media"], roots(settings)["private"]
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "old.png").write_bytes(b"old")
    archive = handmade_archive(
        tmp_path / "broken-db.tar.gz", vendor=vendor, members={"media/logos/new.png": b"new", "private/p.pdf": b"p"}
    )
    target = {**connection.settings_dict, "NAME": str(tmp_path / "target.sqlite3")}
    if vendor == "postgresql":
        target = {**connection.settings_dict, "NAME": "daks_no_such_database"}
    with pytest.raises(BackupError):  # the "database" in the archive is garbage
        backup.restore_backup(archive, database=target, force=True)
    assert files_below(media) == {"logos/old.png": b"old"}
    assert not private.exists() or files_below(private) == {}
    assert sorted(os.listdir(media)) == ["logos"]  # the staging folders are gone


def test_the_client_programs_get_the_password_only_through_the_environment(monkeypatch, tmp_path):
    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup, "pg_binary", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "daks' host=evil.example",
        "USER": "daks",
        "PASSWORD": "geheim; rm -rf /",
        "HOST": "db.internal",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "require"},
    }
    backup._restore_postgresql(database, tmp_path / "daks.dump", {"database": {"tables": {}}}, force=False, log=print)
    ((args, kwargs),) = calls
    assert args[0] == "/usr/bin/pg_restore" and "--single-transaction" in args and "--clean" not in args
    assert args[args.index("--dbname") + 1] == "dbname='daks\\' host=evil.example'"
    assert not any("geheim" in arg for arg in args) and "shell" not in kwargs
    env = kwargs["env"]
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == (
        "geheim; rm -rf /",
        "db.internal",
        "5432",
        "daks",
        "require",
    )
