"""gunicorn on loopback for the HTTP benchmarks (not a benchmark itself: ``make bench`` runs bench_*.py).

Shared by bench_participation.py and bench_load.py:

* ``server_env`` — the environment of the server and of the helper processes that prepare its database:
  production settings (``DEBUG`` off), the throwaway database, a var folder and a secret key of the run;
* ``run_python`` — a helper script in a fresh Python process with that environment (its last stdout line is JSON);
* ``free_port``, ``start_gunicorn``, ``wait_ready``, ``stop`` — gunicorn on 127.0.0.1 (a free port,
  ``workers`` processes × ``threads`` threads of the gthread worker), never on another interface;
* ``on_databases`` — one run on a throwaway SQLite file and one on a throwaway PostgreSQL database when
  ``DATABASE_URL`` points to a PostgreSQL server (otherwise a skip line).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from benchmarks.throwaway_db import postgres_database

ROOT = Path(__file__).resolve().parents[1]


def server_env(database_url: str, var_dir: Path, secret_key: str, **overrides: str) -> dict:
    """The environment of a benchmark server (``overrides`` replace or add single variables)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DAKS_VAR_DIR": str(var_dir),
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
        "DAKS_TESTING": "true",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **overrides,
    }


def run_python(code: str, env: dict, *args: str) -> dict:
    """Run ``code`` with ``env`` in a new interpreter; its last line of output, parsed as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"helper failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_workers() -> int:
    """2 × CPU cores + 1, as the deployment guide recommends (docs/deployment.md)."""
    return 2 * (os.cpu_count() or 1) + 1


def start_gunicorn(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "30",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with log.open("w") as handle:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)


def wait_ready(port: int, path: str, timeout: float = 30.0, headers: dict | None = None) -> None:
    """Wait until ``GET path`` answers 200 (``headers``, e.g. a session cookie, are sent along)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def on_databases(
    run: Callable[[str, str], dict],
    tmp_path: Path,
    prefix: str,
    databases: Iterable[str] = ("sqlite", "postgresql"),
) -> list[dict]:
    """``run(database_url, label)`` on a throwaway SQLite file and, when ``DATABASE_URL`` points to PostgreSQL,
    on a throwaway PostgreSQL database (created as ``<prefix>_<random>``, dropped afterwards)."""
    wanted = set(databases)
    runs = []
    if "sqlite" in wanted:
        runs.append(run(f"sqlite:///{tmp_path / 'bench.sqlite3'}", "sqlite"))
    if "postgresql" in wanted:
        configured = os.environ.get("DATABASE_URL", "")
        if configured.startswith(("postgres://", "postgresql://")):
            url, drop = postgres_database(configured, prefix)
            try:
                runs.append(run(url, "postgresql"))
            finally:
                drop()
        else:
            print("PostgreSQL: skipped (DATABASE_URL does not point to a PostgreSQL server).", flush=True)
    return runs
