"""Backup and restore of a whole DAKS installation: the database and the uploaded files in one archive.

``create_backup(target)`` writes ``daks-backup-YYYYMMDD-HHMMSS.tar.gz`` (a gzip-compressed tar file):

* ``database/daks.dump`` — PostgreSQL: ``pg_dump --format=custom``, or ``database/daks.sqlite3`` — SQLite: a copy
  made with SQLite's online backup API (consistent while the site keeps running);
* ``media/…`` — ``MEDIA_ROOT`` (public uploads: logos, images, attachments);
* ``private/…`` — ``PRIVATE_MEDIA_ROOT`` (members-only uploads: inventory documents, workshop photos, exports);
* ``manifest.json`` (the last member) — format, DAKS and Django version, time, database vendor, the applied
  migrations, the number of rows of every table and the size and SHA-256 of every other member.

Not included: the open-data files (regenerated from the database by ``python manage.py build_open_data``), the
contents of the database cache table (rate-limit counters, temporary export files) and the static files
(``collectstatic``).

``restore_backup(archive)`` refuses a target database that already holds tables (or media folders that hold files)
unless ``force=True``; it checks the manifest (format, vendor, migrations this DAKS version does not know) and the
checksum of every member *before* it changes anything. Files are extracted into staging folders beside the
targets and swapped in by renames; the database is restored in one transaction (``pg_restore --single-transaction``
or one step of SQLite's backup API). If the database restore fails, the swapped files are moved back: all or
nothing. Afterwards the row counts of all tables and the migrations are compared with the manifest.

PostgreSQL client programs (``pg_dump``, ``pg_restore``) are looked up in ``DAKS_PG_BIN_DIR``, on ``PATH`` and in
Debian's ``/usr/lib/postgresql/<version>/bin``; connection settings come from ``DATABASE_URL`` and reach them only
through environment variables (``PGHOST``, ``PGPASSWORD`` …), never through a shell.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = "daks-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database/daks.dump"
SQLITE_COPY = "database/daks.sqlite3"
#: Archive folder → setting naming the directory it comes from.
ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
#: Folders the restore creates inside a media root while it works; never archived, never counted as content.
STAGING_PREFIX = ".daks-restore-"
REPLACED_PREFIX = ".daks-replaced-"
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
SKIPPED = [
    "open data files: regenerate them with `python manage.py build_open_data`",
    "contents of the database cache table (rate-limit counters, temporary files)",
    "static files: `python manage.py collectstatic`",
]

Log = Callable[[str], None]


class BackupError(Exception):
    """Backup or restore impossible or failed; the message says why (for operators, in English)."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    dropped_tables: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------------------------


def _noop(message: str) -> None:
    pass


def daks_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("daks")
    except PackageNotFoundError:
        return "unknown"


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    if "sqlite3" in engine or "spatialite" in engine:
        return "sqlite"
    raise BackupError(f"Unsupported database engine {engine!r}: only PostgreSQL and SQLite can be backed up.")


def _wrapper(settings_dict: dict, alias: str):
    """A separate Django connection to ``settings_dict`` (never the shared one: its transaction state stays as is)."""
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias)


def pg_binary(name: str) -> str | None:
    """``pg_dump``/``pg_restore``: from ``DAKS_PG_BIN_DIR``, ``PATH`` or the newest Debian server package."""
    configured = os.environ.get("DAKS_PG_BIN_DIR")
    if configured:
        candidate = Path(configured) / name
        return str(candidate) if os.access(candidate, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found

    def version_key(path: str):
        return [int(part) if part.isdigit() else 0 for part in Path(path).parent.name.split(".")]

    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True):
        candidate = Path(directory) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _require_pg_binary(name: str) -> str:
    binary = pg_binary(name)
    if binary is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client programs (Debian: apt-get install "
            f"postgresql-client) or set DAKS_PG_BIN_DIR to the folder that contains {name}."
        )
    return binary


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The environment for the PostgreSQL client programs: the connection settings as PG* variables."""
    options = settings_dict.get("OPTIONS") or {}
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
        "PGAPPNAME": "daks-backup",
    }
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _conninfo_dbname(name: str) -> str:
    """``dbname='…'`` for ``--dbname``: a quoted conninfo value, so no database name is ever read as an option."""
    return "dbname='{}'".format(str(name).replace("\\", "\\\\").replace("'", "\\'"))


def _run(args: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
            args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{what} could not be started: {error}") from error
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout or "").strip()
        raise BackupError(f"{what} failed (exit {completed.returncode}): {detail}")


def _quote(name: str) -> str:
    return '"{}"'.format(name.replace('"', '""'))


def _cache_tables() -> list[str]:
    return [
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if cache.get("BACKEND", "").endswith("DatabaseCache") and cache.get("LOCATION")
    ]


def _open_data_dir() -> Path | None:
    configured = getattr(settings, "OPEN_DATA_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "opendata"


def _inside(path: Path, other: Path | None) -> bool:
    if other is None:
        return False
    try:
        path.resolve().relative_to(other.resolve())
    except ValueError:
        return False
    return True


class _HashingReader:
    """Reads a binary file, counting bytes and computing the SHA-256 of what was read."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


# --- database: counting, PostgreSQL, SQLite ----------------------------------------------------------------------


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - quoted table names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows]


def _dump_postgresql(settings_dict: dict, path: Path, log: Log) -> dict:
    """pg_dump of a snapshot; the row counts and migrations are read in the very same snapshot."""
    binary = _require_pg_binary("pg_dump")
    wrapper = _wrapper(settings_dict, "daks_backup")
    try:
        wrapper.ensure_connection()
        wrapper.set_autocommit(False)
        with wrapper.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
                raise BackupError(f"Unexpected snapshot id {snapshot!r}")
            tables = wrapper.introspection.table_names(cursor)
            counts = _count_rows(cursor, tables)
            migrations = _migrations(cursor)
            cache_tables = [table for table in _cache_tables() if table in counts]
            args = [binary, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            args += [f"--exclude-table-data={_quote(table)}" for table in cache_tables]
            args += ["--file", str(path)]
            log(f"Dumping the PostgreSQL database {settings_dict.get('NAME')!r} ({len(tables)} tables) …")
            _run(args, env=pg_environment(settings_dict), what="pg_dump")
        wrapper.rollback()
    finally:
        wrapper.close()
    for table in cache_tables:
        counts[table] = 0
    return {"vendor": "postgresql", "server_version": server_version, "tables": counts, "migrations": migrations}


def _copy_sqlite(alias: str, path: Path, log: Log) -> dict:
    """A consistent copy through SQLite's online backup API (readers and writers may go on meanwhile)."""
    connection = connections[alias]
    connection.ensure_connection()
    log("Copying the SQLite database …")
    target = sqlite3.connect(path)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        for table in _cache_tables():
            if table in _sqlite_tables(target):
                target.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608
        target.commit()
        cursor = target.cursor()
        counts = _count_rows(cursor, _sqlite_tables(target))
        migrations = _migrations(cursor)
        version = target.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        target.close()
    return {"vendor": "sqlite", "server_version": version, "tables": counts, "migrations": migrations}


# --- backup -------------------------------------------------------------------------------------------------------


def _root_paths(media_root, private_media_root) -> dict[str, Path]:
    given = {"media": media_root, "private": private_media_root}
    return {
        name: Path(given[name] if given[name] is not None else getattr(settings, key)) for name, key in ROOTS.items()
    }


def _walk(root: Path, exclude: list[Path]):
    """Regular files below ``root`` (sorted), without symlinks, staging folders and the excluded directories."""
    if not root.is_dir():
        return
    for directory, dirs, files in os.walk(root, followlinks=False):
        here = Path(directory)
        dirs[:] = sorted(
            name
            for name in dirs
            if not (here == root and name.startswith((STAGING_PREFIX, REPLACED_PREFIX)))
            and not (here / name).is_symlink()
            and not any(_inside(here / name, other) for other in exclude)
        )
        for name in sorted(files):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path


def _add(tar: tarfile.TarFile, path: Path, arcname: str, mtime: float | None = None) -> dict:
    stat = path.stat()
    info = tarfile.TarInfo(arcname)
    info.size = stat.st_size
    info.mtime = int(mtime if mtime is not None else stat.st_mtime)
    info.mode = 0o644
    with open(path, "rb") as raw:
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return {"path": arcname, "size": reader.size, "sha256": reader.sha256.hexdigest()}


def default_backup_name(now: dt.datetime) -> str:
    return f"daks-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"


def create_backup(
    target,
    *,
    using: str = "default",
    media_root=None,
    private_media_root=None,
    now: dt.datetime | None = None,
    log: Log = _noop,
) -> BackupResult:
    """Write a backup archive to ``target``: a folder (created if missing) gets a new file named after the time; a
    name ending in ``.tar.gz`` or ``.tgz`` is the archive's file name (it must not exist yet). The archive is written
    under a temporary name and renamed when complete, so a crashed backup never leaves a file that looks finished."""
    now = now or timezone.now()
    as_folder = str(target).endswith(("/", os.sep)) or not str(target).endswith((".tar.gz", ".tgz"))
    target = Path(target)
    if target.is_dir() or as_folder:
        target.mkdir(parents=True, exist_ok=True)
        final = target / default_backup_name(now)
    else:
        final = target
        if not final.parent.is_dir():
            raise BackupError(f"The folder {final.parent} does not exist.")
    if final.exists():
        raise BackupError(f"{final} exists already; choose another name or a folder.")
    settings_dict = connections[using].settings_dict
    vendor = vendor_of(settings_dict)
    roots = _root_paths(media_root, private_media_root)
    open_data = _open_data_dir()
    for root in roots.values():
        if _inside(final.parent, root):
            raise BackupError(f"Do not write backups into {root}: they would be served or archived again.")

    fd, partial = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".partial")
    work = Path(tempfile.mkdtemp(prefix="daks-backup-"))
    try:
        if vendor == "postgresql":
            database_file = work / "daks.dump"
            database = _dump_postgresql(settings_dict, database_file, log)
            database["file"] = PG_DUMP
        else:
            database_file = work / "daks.sqlite3"
            database = _copy_sqlite(using, database_file, log)
            database["file"] = SQLITE_COPY
        files = []
        counts = {}
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            files.append(_add(tar, database_file, database["file"], mtime=now.timestamp()))
            for name, root in roots.items():
                exclude = [other for other_name, other in roots.items() if other_name != name and other != root]
                exclude.append(open_data)
                log(f"Archiving {root} …")
                counts[name] = 0
                for path in _walk(root, exclude):
                    files.append(_add(tar, path, f"{name}/{path.relative_to(root).as_posix()}"))
                    counts[name] += 1
            migrations = database.pop("migrations")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "daks_version": daks_version(),
                "django_version": django.get_version(),
                "created_at": now.isoformat(),
                "database": database,
                "migrations": migrations,
                "roots": {name: {"path": str(root), "files": counts[name]} for name, root in roots.items()},
                "files": files,
                "skipped": SKIPPED,
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, final)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = final.stat().st_size
    log(
        f"Backup written to {final} ({size} bytes): {len(database['tables'])} tables, "
        f"{sum(database['tables'].values())} rows, {counts['media']} public and {counts['private']} private files. "
        "Not included: open data (rebuild with `python manage.py build_open_data`)."
    )
    return BackupResult(path=final, size=size, manifest=manifest)


# --- restore ------------------------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read(MANIFEST_MAX_BYTES)) if handle else None
    except (KeyError, ValueError, tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"This is not a DAKS backup (no readable {MANIFEST}): {error}") from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("database"), dict)
        or not isinstance(manifest.get("files"), list)
        or not isinstance(manifest.get("migrations"), dict)
    ):
        raise BackupError("This is not a DAKS backup (unknown manifest format).")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {manifest.get('format_version')}, this DAKS version reads up to "
            f"{FORMAT_VERSION}: install the DAKS version that made it ({manifest.get('daks_version')})."
        )
    return manifest


def _check_entries(manifest: dict) -> dict[str, dict]:
    """The manifest's file list, each path checked (no absolute paths, no ``..``, only known folders)."""
    database_file = (manifest.get("database") or {}).get("file")
    if database_file not in (PG_DUMP, SQLITE_COPY):
        raise BackupError("The manifest names no database file.")
    entries = {}
    for entry in manifest["files"]:
        if not isinstance(entry, dict):
            raise BackupError("The manifest lists an invalid file.")
        path = str(entry.get("path", ""))
        parts = PurePosixPath(path).parts
        if (
            path in entries
            or path.startswith("/")
            or "\\" in path
            or any(part in ("", ".", "..") for part in parts)
            or not (path == database_file or (len(parts) > 1 and parts[0] in ROOTS))
            or not isinstance(entry.get("size"), int)
            or not re.fullmatch(r"[0-9a-f]{64}", str(entry.get("sha256", "")))
        ):
            raise BackupError(f"The manifest lists an invalid file: {path!r}")
        entries[path] = entry
    if database_file not in entries:
        raise BackupError("The database file is missing from the manifest.")
    return entries


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup of a newer DAKS (migrations unknown here); return the migrations it still lacks."""
    try:
        applied = {(str(app), str(name)) for app, names in manifest["migrations"].items() for name in names}
    except (AttributeError, TypeError) as error:
        raise BackupError("The manifest's list of migrations is invalid.") from error
    known = _known_migrations()
    unknown = sorted(applied - known)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup was made by a newer DAKS version ({manifest.get('daks_version')}); this version does not "
            f"know its migrations {listed}{' …' if len(unknown) > 5 else ''}. Install that version first."
        )
    return sorted(f"{app}.{name}" for app, name in known - applied)


def _target_tables(settings_dict: dict, vendor: str) -> list[str]:
    if vendor == "sqlite":
        name = _sqlite_path(settings_dict)
        if not name.exists():
            return []
        conn = sqlite3.connect(name)
        try:
            return _sqlite_tables(conn)
        finally:
            conn.close()
    wrapper = _wrapper(settings_dict, "daks_restore")
    try:
        with wrapper.cursor() as cursor:
            return list(wrapper.introspection.table_names(cursor))
    except Exception as error:
        raise BackupError(
            f"The target database {settings_dict.get('NAME')!r} cannot be reached ({error}). Create it first, e.g. "
            "`createdb --owner=daks daks`."
        ) from error
    finally:
        wrapper.close()


def _sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("The target SQLite database must be a file (DATABASE_URL=sqlite:////path/to/db.sqlite3).")
    return Path(name)


def _root_content(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return [entry.name for entry in root.iterdir() if not entry.name.startswith((STAGING_PREFIX, REPLACED_PREFIX))]


class _Staging:
    """Staging folders inside each media root; ``swap()`` moves their content in (and the old content aside),
    ``undo()`` reverses that, ``finish()`` deletes what was replaced."""

    def __init__(self, roots: dict[str, Path]):
        token = secrets.token_hex(8)
        self.roots = roots
        self.staging = {name: root / f"{STAGING_PREFIX}{token}" for name, root in roots.items()}
        self.replaced = {name: root / f"{REPLACED_PREFIX}{token}" for name, root in roots.items()}
        self.moves: list[tuple[Path, Path]] = []

    def create(self) -> None:
        for name, root in self.roots.items():
            root.mkdir(parents=True, exist_ok=True)
            self.staging[name].mkdir()

    def path_for(self, archive_path: str) -> Path:
        parts = PurePosixPath(archive_path).parts
        return self.staging[parts[0]].joinpath(*parts[1:])

    def _move(self, source: Path, destination: Path) -> None:
        os.rename(source, destination)
        self.moves.append((source, destination))

    def swap(self) -> None:
        for name, root in self.roots.items():
            replaced, staging = self.replaced[name], self.staging[name]
            replaced.mkdir()
            for entry in sorted(root.iterdir()):
                if entry not in (replaced, staging) and not entry.name.startswith((STAGING_PREFIX, REPLACED_PREFIX)):
                    self._move(entry, replaced / entry.name)
            for entry in sorted(staging.iterdir()):
                self._move(entry, root / entry.name)

    def undo(self) -> None:
        for source, destination in reversed(self.moves):
            os.rename(destination, source)
        self.moves.clear()

    def finish(self) -> None:
        for path in [*self.staging.values(), *self.replaced.values()]:
            shutil.rmtree(path, ignore_errors=True)


def _extract(tar: tarfile.TarFile, entries: dict[str, dict], staging: _Staging, database_path: Path) -> None:
    """Extract every member into the staging area, checking size and SHA-256 against the manifest."""
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        entry = entries.get(member.name)
        if entry is None or not member.isfile() or member.name in seen:
            raise BackupError(f"The archive contains an unexpected member: {member.name!r}")
        destination = database_path if member.name in (PG_DUMP, SQLITE_COPY) else staging.path_for(member.name)
        reader = _HashingReader(tar.extractfile(member))
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(destination, "xb") as out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
        except (OSError, tarfile.TarError, EOFError) as error:
            raise BackupError(f"{member.name} cannot be unpacked: {error}") from error
        if reader.size != entry["size"] or reader.sha256.hexdigest() != entry["sha256"]:
            raise BackupError(f"The archive is damaged: {member.name} does not match its checksum.")
        seen.add(member.name)
    missing = sorted(set(entries) - seen)
    if missing:
        raise BackupError(f"The archive is incomplete: {', '.join(missing[:5])} missing.")


def _compare_counts(expected: dict[str, int], actual: dict[str, int], where: str) -> None:
    differing = sorted(table for table in expected if actual.get(table) != expected[table])
    if differing:
        details = ", ".join(f"{t} ({actual.get(t)} instead of {expected[t]})" for t in differing[:5])
        raise BackupError(f"The {where} does not match the manifest: {details}")


def _restore_postgresql(settings_dict: dict, dump: Path, manifest: dict, *, force: bool, log: Log) -> list[str]:
    binary = _require_pg_binary("pg_restore")
    args = [binary, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    if force:
        args += ["--clean", "--if-exists"]
    args += ["--dbname", _conninfo_dbname(settings_dict.get("NAME") or ""), str(dump)]
    log(f"Restoring the PostgreSQL database {settings_dict.get('NAME')!r} …")
    _run(args, env=pg_environment(settings_dict), what="pg_restore")
    dropped = []
    if force:  # tables of a later version that the backup does not have
        wrapper = _wrapper(settings_dict, "daks_restore")
        try:
            with wrapper.cursor() as cursor:
                for table in wrapper.introspection.table_names(cursor):
                    if table not in manifest["database"]["tables"]:
                        cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
                        dropped.append(table)
        finally:
            wrapper.close()
    return dropped


def _restore_sqlite(settings_dict: dict, copy: Path, manifest: dict, log: Log) -> None:
    target = _sqlite_path(settings_dict)
    source = sqlite3.connect(copy)
    try:
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database file in the backup cannot be read: {error}") from error
        if result != "ok":
            raise BackupError(f"The database file in the backup is damaged: {result}")
        _compare_counts(manifest["database"]["tables"], _count_rows(source.cursor(), _sqlite_tables(source)), "copy")
        target.parent.mkdir(parents=True, exist_ok=True)
        log(f"Restoring the SQLite database {target} …")
        destination = sqlite3.connect(target, timeout=20)
        try:
            source.backup(destination)  # one step: all pages in one transaction of the destination
        finally:
            destination.close()
    finally:
        source.close()


def _restored_state(settings_dict: dict, vendor: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    if vendor == "sqlite":
        conn = sqlite3.connect(_sqlite_path(settings_dict))
        try:
            cursor = conn.cursor()
            return _count_rows(cursor, _sqlite_tables(conn)), _migrations(cursor)
        finally:
            conn.close()
    wrapper = _wrapper(settings_dict, "daks_restore")
    try:
        with wrapper.cursor() as cursor:
            return _count_rows(cursor, wrapper.introspection.table_names(cursor)), _migrations(cursor)
    finally:
        wrapper.close()


def restore_backup(
    archive,
    *,
    database: dict | None = None,
    media_root=None,
    private_media_root=None,
    force: bool = False,
    check_only: bool = False,
    log: Log = _noop,
) -> RestoreResult:
    """Restore ``archive`` into ``database`` (a Django settings dict, by default that of ``default``) and the media
    roots. ``check_only`` verifies the archive completely (manifest, checksums, migrations) and changes nothing."""
    settings_dict = database if database is not None else connections["default"].settings_dict
    vendor = vendor_of(settings_dict)
    roots = _root_paths(media_root, private_media_root)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the with block below
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive} cannot be read as a backup archive: {error}") from error
    with tar:
        manifest = read_manifest(tar)
        if manifest["database"].get("vendor") != vendor:
            raise BackupError(
                f"The backup holds a {manifest['database'].get('vendor')} database; the target is {vendor}. "
                "Restore it into the same kind of database (to move between them, use the data portability of "
                "each Kommune or dumpdata/loaddata)."
            )
        entries = _check_entries(manifest)
        pending = _check_migrations(manifest)
        if not check_only and not force:
            tables = _target_tables(settings_dict, vendor)
            if tables:
                raise BackupError(
                    f"The target database is not empty ({len(tables)} tables). Restore into a new, empty database "
                    "or use --force to replace its content."
                )
            for root in roots.values():
                if _root_content(root):
                    raise BackupError(f"{root} is not empty. Use --force to replace its content.")
        work = Path(tempfile.mkdtemp(prefix="daks-restore-"))
        # A check unpacks into the temporary folder only; a restore stages beside the targets (same file system).
        staging = _Staging({name: work / name for name in roots} if check_only else roots)
        swapped = False
        try:
            staging.create()
            database_path = work / PurePosixPath(manifest["database"]["file"]).name
            log(f"Checking and unpacking {archive} …")
            _extract(tar, entries, staging, database_path)
            result = RestoreResult(manifest=manifest, files=len(entries) - 1, pending_migrations=pending)
            if check_only:
                log("The archive is complete and all checksums match.")
                return result
            staging.swap()
            swapped = True
            try:
                if vendor == "postgresql":
                    result.dropped_tables = _restore_postgresql(
                        settings_dict, database_path, manifest, force=force, log=log
                    )
                else:
                    _restore_sqlite(settings_dict, database_path, manifest, log)
            except BaseException:
                staging.undo()
                swapped = False
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if swapped:
                staging.finish()
            else:
                staging.undo()
                staging.finish()
    counts, migrations = _restored_state(settings_dict, vendor)
    _compare_counts(manifest["database"]["tables"], counts, "restored database")
    if migrations != manifest.get("migrations"):
        raise BackupError("The migrations of the restored database do not match the manifest.")
    result.tables, result.rows = len(counts), sum(counts.values())
    log(
        f"Restored {result.tables} tables with {result.rows} rows and {result.files} files "
        f"(backup of {manifest.get('created_at')}, DAKS {manifest.get('daks_version')})."
    )
    return result
