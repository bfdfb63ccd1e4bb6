"""Load test with Locust: 50 concurrent users × 5 minutes, a realistic mix, against gunicorn + SQLite/PostgreSQL.

Run: ``DAKS_TESTING=true .venv/bin/python benchmarks/bench_load.py [--users 50] [--minutes 5]
[--databases sqlite,postgresql]`` (part of ``make bench``, which installs Locust from the ``bench`` extra;
``--minutes 0.5`` is a short smoke run). For each database — a throwaway SQLite file, and a throwaway PostgreSQL
database when ``DATABASE_URL`` points to a PostgreSQL server (otherwise a skip line) — it:

1. prepares the database in a helper process with the server's settings: ``migrate``, ``createcachetable``,
   ``load_demography`` (the official files of the shared data folder, as ``make run`` does, ~1.5 min),
   ``seed_demo``; points the demo process's statistics at an official municipality (Freising, 09178124; the demo
   key 09999999 has no statistics, so its page would have no charts); adds a second Zukunftswerkstatt with dot
   voting open and an open participation link with a PIN (12 ideas, 5 points each); creates ``--users`` member
   accounts (Mitarbeit) of Beispielstadt and signs each in once with ``django.test.Client.force_login`` — the
   sessions are stored in the database the server uses, so the run never meets the login rate limit of
   30/min/IP and the sessions stay valid (idle timeout 60 min, absolute 12 h); ``collectstatic`` to a
   temporary folder;
2. starts gunicorn on 127.0.0.1 (a free port) with production settings (``DEBUG`` off, manifest static files
   served by WhiteNoise, the database cache, queued background tasks; cookies without ``Secure`` because the
   loopback has no TLS) — ``--workers`` processes (default 2 × CPU cores + 1, as in docs/deployment.md) ×
   ``--threads`` threads (default 2, as bench_participation.py) — and warms every worker up with a few requests;
3. runs ``locust --headless -u USERS -r 10 -t MINUTES`` with benchmarks/load/locustfile.py (the mix is described
   there and in docs/performance.md) and reads its statistics CSV: requests, failures, p50/p95/p99 and req/s per
   request kind and overall.

Writes benchmarks/results/load.json (machine, settings, both databases, goal p95 < 150 ms and 0 errors, passed per
database) and exits non-zero only when PostgreSQL misses the goal; SQLite's figures are documentary (they show
the limits of the embedded default).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import importlib.metadata
import importlib.util
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.server import (  # noqa: E402
    default_workers,
    free_port,
    on_databases,
    run_python,
    server_env,
    start_gunicorn,
    stop,
    wait_ready,
)

GOAL_P95_MS = 150.0
GOAL_ERRORS = 0
SPAWN_RATE = 10
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
#: The municipality whose official statistics the demo process shows during the test (Freising, Große Kreisstadt).
STATISTICS_KEY = "09178124"

PREPARE = r"""
import datetime, io, json, sys
import django
django.setup()
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

users_wanted, statistics_key = int(sys.argv[1]), sys.argv[2]
timings = {}
clock = timezone.now()


def step(name):
    global clock
    now = timezone.now()
    timings[name] = round((now - clock).total_seconds(), 1)
    clock = now


quiet = io.StringIO()
call_command("migrate", verbosity=0, stdout=quiet)
call_command("createcachetable", verbosity=0)
step("migrate_s")
call_command("load_demography", stdout=quiet, stderr=quiet)
step("load_demography_s")
call_command("seed_demo", stdout=quiet, stderr=quiet)
step("seed_demo_s")
call_command("collectstatic", "--noinput", verbosity=0)
step("collectstatic_s")

from allauth.account.models import EmailAddress
from django.test import Client

from daks.accounts.models import User
from daks.demography.example_data import EXAMPLE_TOWN_KEY
from daks.demography.models import Region
from daks.meetings.models import Meeting
from daks.municipalities.models import Membership, Municipality, Role
from daks.strategy.models import StrategyProcess
from daks.toolbox.models import Tool, ToolStatus
from daks.workshops import participation, services
from daks.workshops.models import Phase, VotingScope

town = Municipality.objects.get(slug="beispielstadt")
process = StrategyProcess.objects.filter(municipality=town).order_by("pk").first()
coordinator = User.objects.get(email="koordination@beispielstadt.example")
if not Region.objects.filter(key=statistics_key).exists():
    statistics_key = EXAMPLE_TOWN_KEY  # no official data in the shared folder: the example town has charts
process.region_key = statistics_key
process.save(update_fields=["region_key"])

# A second Zukunftswerkstatt of the demo process, happening now: dot voting open, an open link with a PIN.
now = timezone.now()
workshop = services.workshop_create(
    actor=coordinator, municipality=town, process=process, title="Zukunftswerkstatt Lasttest",
    starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=3),
    place="Bürgerhaus", votes_per_participant=5, voting_scope=VotingScope.REALISATION,
)
workshop = services.workshop_update(
    actor=coordinator, workshop=workshop, current_phase=Phase.REALISATION, voting_open=True
)
texts = [
    "Bürgerbus am Wochenende", "Dorfladen mit Café", "Bänke am Marktplatz", "Mehrgenerationenhaus",
    "Gemeindeschwester", "Jugendforum", "Wohnberatung im Rathaus", "Nachbarschaftshilfe",
    "Smartphone-Sprechstunde", "Leerstandskataster", "Ehrenamtskarte", "Gesundheitstag",
]
ideas = [
    services.idea_create(workshop=workshop, phase=Phase.REALISATION, text=text, author=coordinator).pk
    for text in texts
]
link, token = participation.link_create(
    actor=coordinator, workshop=workshop, opens_at=now - datetime.timedelta(minutes=5),
    closes_at=now + datetime.timedelta(hours=3), use_pin=True, moderate_ideas=False,
)

# Member accounts (Mitarbeit) signed in once each: their session keys are handed to Locust.
sessions = []
client = Client()
for number in range(1, users_wanted + 1):
    email = f"last{number:03d}@beispielstadt.example"
    user = User.objects.create_user(email=email, password=None, name=f"Lasttest {number:03d}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(municipality=town, user=user, role=Role.CONTRIBUTOR)
    client.cookies.clear()
    client.force_login(user)
    sessions.append(client.cookies["sessionid"].value)
step("accounts_s")

kwargs = {"municipality_slug": town.slug, "pk": process.pk}
meeting = Meeting.objects.filter(municipality=town, process=process, step="kickoff").order_by("pk").first()
print(json.dumps({
    "sessions": sessions,
    "statistics_key": statistics_key,
    "timings": timings,
    "urls": {
        "dashboard": reverse("core:dashboard"),
        "statistics": reverse("profile:statistics", kwargs={**kwargs, "step_slug": "kommunalprofil"}),
        "measures": reverse("plans:measures", kwargs={**kwargs, "step_slug": "werkstattplan"}),
        "toolbox": reverse("toolbox:search"),
        "profile_xlsx": reverse(
            "profile:export_download", kwargs={**kwargs, "step_slug": "kommunalprofil", "format": "xlsx"}
        ),
        "region_csv": reverse("demography:region_csv", args=[statistics_key, "vorausberechnung"]),
        "meeting_ics": reverse("meetings:ics", kwargs={"municipality_slug": town.slug, "pk": meeting.pk}),
        "vote_results_csv": reverse(
            "workshops:vote_results_export",
            kwargs={**kwargs, "step_slug": "zukunftswerkstatt", "workshop_pk": workshop.pk, "fmt": "csv"},
        ),
        "participation": participation.link_path(token),
    },
    "tools": list(
        Tool.objects.filter(status=ToolStatus.PUBLISHED).order_by("pk").values_list("slug", flat=True)[:20]
    ),
    "workshop": workshop.pk,
    "pin": link.pin,
    "ideas": ideas,
    "points": workshop.votes_per_participant,
}))
"""

COUNT = r"""
import json, sys
import django
django.setup()
from daks.workshops.models import Participant, Vote
workshop = int(sys.argv[1])
print(json.dumps({
    "participants": Participant.objects.filter(link__workshop_id=workshop).count(),
    "votes": Vote.objects.filter(idea__workshop_id=workshop).count(),
}))
"""


# --- Helpers --------------------------------------------------------------------------------------------


def warm_up(port: int, config: dict, workers: int) -> None:
    """Every page kind a few times per worker, so the run measures warm processes (as in production)."""
    cookie = {"Cookie": f"sessionid={config['sessions'][0]}"}
    paths = [
        config["urls"][name]
        for name in ("dashboard", "statistics", "measures", "profile_xlsx", "region_csv", "meeting_ics")
    ]
    paths += [config["urls"]["toolbox"] + "?q=Pflege", config["urls"]["participation"]]
    for _round in range(3 * workers):
        for path in paths:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers=cookie)
            connection.getresponse().read()
            connection.close()


def number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(prefix: Path) -> tuple[dict, dict]:
    """Locust's ``<prefix>_stats.csv``: (per request kind, overall)."""
    kinds, overall = {}, {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = {
                "requests": int(number(row["Request Count"])),
                "failures": int(number(row["Failure Count"])),
                "p50_ms": number(row["50%"]),
                "p95_ms": number(row["95%"]),
                "p99_ms": number(row["99%"]),
                "max_ms": round(number(row["Max Response Time"]), 1),
                "mean_ms": round(number(row["Average Response Time"]), 1),
                "requests_per_s": round(number(row["Requests/s"]), 2),
            }
            if row["Name"] == "Aggregated":
                overall = entry
            else:
                kinds[row["Name"]] = entry
    return kinds, overall


def read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [f"{row['Occurrences']}× {row['Name']}: {row['Error']}" for row in csv.DictReader(handle)][:10]


# --- One run --------------------------------------------------------------------------------------------


def run_load(database_url: str, label: str, args, tmp_path: Path) -> dict:
    var_dir = tmp_path / label
    var_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(
        database_url,
        var_dir,
        secrets.token_urlsafe(50),
        # Production settings: no test shortcuts (manifest static files, queued background tasks, real hasher).
        DAKS_TESTING="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(var_dir / "static"),
        # Plain HTTP on the loopback (TLS ends at the reverse proxy in production): cookies without Secure.
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    print(
        f"[{label}] preparing the database (migrate, load_demography, seed_demo, {args.users} accounts) …", flush=True
    )
    started = time.perf_counter()
    config = run_python(PREPARE, env, str(args.users), STATISTICS_KEY)
    prepare_s = round(time.perf_counter() - started, 1)
    print(f"[{label}] prepared in {prepare_s} s {config['timings']}", flush=True)
    config_path = var_dir / "load-config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")

    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads, var_dir / "gunicorn.log")
    prefix = var_dir / "locust"
    try:
        wait_ready(
            port, config["urls"]["dashboard"], timeout=60, headers={"Cookie": f"sessionid={config['sessions'][0]}"}
        )
        warm_up(port, config, args.workers)
        seconds = max(10, round(args.minutes * 60))
        print(
            f"[{label}] gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads); "
            f"locust: {args.users} users, spawn rate {SPAWN_RATE}/s, {seconds} s …",
            flush=True,
        )
        command = [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "--host", f"http://127.0.0.1:{port}", "-u", str(args.users), "-r", str(SPAWN_RATE),
            "-t", f"{seconds}s", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0",
        ]  # fmt: skip
        load_before = [round(value, 2) for value in os.getloadavg()]
        with (var_dir / "locust.log").open("w") as log:
            locust = subprocess.run(
                command,
                env={**os.environ, "DAKS_LOAD_CONFIG": str(config_path)},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=seconds + 120,
                check=False,
            )
        load_after = [round(value, 2) for value in os.getloadavg()]
        if locust.returncode != 0:
            raise RuntimeError(f"locust failed ({locust.returncode}):\n{(var_dir / 'locust.log').read_text()[-3000:]}")
    finally:
        stop(server)
    kinds, overall = read_stats(prefix)
    counted = run_python(COUNT, env, str(config["workshop"]))
    server_log = (var_dir / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    result = {
        "database": label,
        "users": args.users,
        "spawn_rate_per_s": SPAWN_RATE,
        "duration_s": seconds,
        "workers": args.workers,
        "threads": args.threads,
        "prepare_s": prepare_s,
        "prepare_steps_s": config["timings"],
        "statistics_region": config["statistics_key"],
        # Load averages (1, 5, 15 min) of the machine before and at the end of the run: other work on the machine
        # (there are only a few cores for the server and Locust) shows up here.
        "load_average_before": load_before,
        "load_average_after": load_after,
        **overall,
        "errors": overall.get("failures", 0),
        "error_samples": read_failures(prefix),
        "server_log_errors": server_log.count("Traceback"),
        "by_request": dict(sorted(kinds.items())),
        "participants_in_db": counted["participants"],
        "votes_in_db": counted["votes"],
    }
    result["passed"] = result["p95_ms"] < GOAL_P95_MS and result["errors"] == GOAL_ERRORS
    print(
        f"[{label}] {result['requests']} requests ({result['requests_per_s']}/s), errors {result['errors']}, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms — "
        f"{'goal met' if result['passed'] else 'goal missed'}",
        flush=True,
    )
    for kind, entry in result["by_request"].items():
        print(
            f"    {kind:<32} {entry['requests']:>6}  fail {entry['failures']:>3}  p50 {entry['p50_ms']:>6.0f}  "
            f"p95 {entry['p95_ms']:>6.0f}  p99 {entry['p99_ms']:>6.0f} ms",
            flush=True,
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5.0, help="run time per database (0.5 for a smoke run)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--workers", type=int, default=default_workers(), help="default: 2 × CPU cores + 1")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    if importlib.util.find_spec("locust") is None:
        print('Locust is not installed: .venv/bin/pip install -c requirements.lock -e ".[bench]"', file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="daks-bench-load-") as tmp:
        tmp_path = Path(tmp)
        runs = on_databases(
            lambda url, label: run_load(url, label, args, tmp_path), tmp_path, "daks_bench_load", databases
        )

    report = {
        "benchmark": "load",
        "description": (
            "Locust: signed-in members (dashboard, Kommunalprofil statistics with charts, Werkstattplan measures, "
            "exports), public toolbox searches and citizens voting through a participation link, against gunicorn"
        ),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "note": "load generator (Locust) and server share the machine",
        },
        "locust": importlib.metadata.version("locust"),
        "mix": (
            "user classes Member:Citizen:Visitor = 3:1:1 (of 50 users 30 members, 10 citizens, 10 visitors), "
            "think time 1–3 s between clicks; benchmarks/load/locustfile.py"
        ),
        "goal": {"p95_ms_below": GOAL_P95_MS, "errors": GOAL_ERRORS, "binding_for": "postgresql"},
        "runs": runs,
        "passed": {run["database"]: run["passed"] for run in runs},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    postgres = [run for run in runs if run["database"] == "postgresql"]
    if postgres and not postgres[0]["passed"]:
        print(
            f"[postgresql] FAILED: p95 {postgres[0]['p95_ms']} ms (goal < {GOAL_P95_MS:.0f}), "
            f"errors {postgres[0]['errors']} {postgres[0]['error_samples']}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
