"""Load test of the participation link: 200 people open the link, take part and give all their points within 60 s.

Run: ``DAKS_TESTING=true .venv/bin/python benchmarks/bench_participation.py [--participants 200] [--workers 3]``
(part of ``make bench``). An equivalent of a Locust scenario, with the standard library only:

* a throwaway database — an SQLite file in a temporary directory, and additionally a throwaway PostgreSQL
  database when ``DATABASE_URL`` points to a PostgreSQL server (created next to the configured one, dropped after);
* gunicorn on the loopback interface (127.0.0.1, a free port, ``--workers`` processes × ``--threads`` threads,
  production settings: ``DEBUG`` off, the database cache for the rate limits);
* a Kommune with a Zukunftswerkstatt in its realisation phase, 12 ideas, voting open (5 points each) and an open
  participation link with a PIN;
* ``--participants`` simulated people (one thread and one keep-alive HTTP connection each, starting within the
  first ``--ramp`` seconds): open the link (privacy notice, CSRF cookie), take part with the PIN (participant
  cookie), give their points one by one (several on one idea allowed), and open the page once more to check that
  it shows 0 points left.

Afterwards it checks: no errors (every answer as expected, no exception), the whole run within 60 s, and the
database holds exactly participants × points votes — every participant exactly their points, every vote counted
once. Writes benchmarks/results/participation.json (latency p50/p95/p99 per request kind and overall, requests,
errors, duration) and exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.server import (  # noqa: E402
    free_port,
    on_databases,
    run_python,
    server_env,
    start_gunicorn,
    stop,
    wait_ready,
)

POINTS = 5
IDEAS = 12
DEADLINE_SECONDS = 60.0


# --- Preparing a database -------------------------------------------------------------------------------


PREPARE = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)

from daks.accounts.models import User
from daks.municipalities.models import Membership, Municipality, Role
from daks.strategy import services as strategy_services
from daks.workshops import participation, services
from daks.workshops.models import Phase, VotingScope

municipality = Municipality.objects.create(
    name="Lastdorf", slug="lastdorf", kind="gemeinde", state="DE-BY", official_key="09162997",
    verified_at=timezone.now(),
)
user = User.objects.create_user(email="last@example.org", password="Last-Passwort-123", name="Koordination")
Membership.objects.create(municipality=municipality, user=user, role=Role.COORDINATION)
process = strategy_services.process_create(
    actor=user, municipality=municipality, title="Lastdorf 2040", start_date=datetime.date(2026, 3, 1),
    coordinators=[user],
)
now = timezone.now()
workshop = services.workshop_create(
    actor=user, municipality=municipality, process=process, title="Zukunftswerkstatt Lastdorf",
    starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=3),
    place="Bürgerhaus", votes_per_participant=int(sys.argv[1]), voting_scope=VotingScope.REALISATION,
)
workshop = services.workshop_update(actor=user, workshop=workshop, current_phase=Phase.REALISATION, voting_open=True)
ideas = [
    services.idea_create(
        workshop=workshop, phase=Phase.REALISATION, text=f"Idee {n}: Bürgerbus, Dorfladen, Bänke", author=user
    ).pk
    for n in range(1, int(sys.argv[2]) + 1)
]
link, token = participation.link_create(
    actor=user, workshop=workshop, opens_at=now - datetime.timedelta(minutes=5),
    closes_at=now + datetime.timedelta(hours=2), use_pin=True, moderate_ideas=False,
)
print(json.dumps({"token": token, "pin": link.pin, "ideas": ideas, "workshop": workshop.pk}))
"""

VERIFY = r"""
import json
import django
django.setup()
from django.db.models import Count
from daks.workshops.models import Participant, Vote

per_participant = list(
    Participant.objects.annotate(n=Count("votes")).values_list("n", flat=True)
)
print(json.dumps({
    "participants": len(per_participant),
    "votes": Vote.objects.count(),
    "per_participant": sorted(set(per_participant)),
}))
"""


# --- One simulated participant --------------------------------------------------------------------------

COOKIE_RE = re.compile(r"^([^=;\s]+)=([^;]*)")


class Participant:
    def __init__(self, port: int, token: str, pin: str, ideas: list[int], points: int, record):
        self.port, self.token, self.pin, self.ideas, self.points = port, token, pin, ideas, points
        self.record = record
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, kind: str, method: str, path: str, *, expect: int, body: str | None = None) -> str:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "de"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.record(kind, time.perf_counter() - started, f"{type(error).__name__}: {error}")
            return ""
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            match = COOKIE_RE.match(header)
            if match:
                self.cookies[match.group(1)] = match.group(2)
        self.record(kind, elapsed, None if response.status == expect else f"HTTP {response.status} for {kind}")
        return content

    def run(self) -> None:
        base = f"/mitmachen/{self.token}/"
        self.request("open", "GET", base, expect=200)
        csrf = self.cookies.get("csrftoken", "")
        self.request(
            "join", "POST", base + "teilnehmen/", expect=302, body=f"csrfmiddlewaretoken={csrf}&pin={self.pin}"
        )
        for _point in range(self.points):
            idea = random.choice(self.ideas)
            self.request("vote", "POST", f"{base}ideen/{idea}/punkt/", expect=302, body=f"csrfmiddlewaretoken={csrf}")
        page = self.request("check", "GET", base, expect=200)
        if 'participation-budget__value">0<' not in page:
            self.record("check", 0.0, "page does not show 0 points left")
        self.connection.close()


# --- One run --------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {
        "requests": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values, default=0.0) * 1000, 1),
        "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else 0.0,
    }


def run_load(database_url: str, label: str, args, var_dir: Path) -> dict:
    secret_key = secrets.token_urlsafe(50)
    env = server_env(database_url, var_dir, secret_key)
    print(f"[{label}] preparing the database …", flush=True)
    data = run_python(PREPARE, env, str(POINTS), str(IDEAS))
    port = free_port()
    log = var_dir / f"gunicorn-{label}.log"
    server = start_gunicorn(env, port, args.workers, args.threads, log)
    try:
        wait_ready(port, f"/mitmachen/{data['token']}/")
        print(f"[{label}] gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads); "
              f"{args.participants} participants …", flush=True)  # fmt: skip
        latencies: dict[str, list[float]] = {}
        errors: list[str] = []
        lock = threading.Lock()

        def record(kind: str, seconds: float, error: str | None) -> None:
            with lock:
                if seconds:
                    latencies.setdefault(kind, []).append(seconds)
                if error:
                    errors.append(error)

        people = [
            Participant(port, data["token"], data["pin"], data["ideas"], POINTS, record)
            for _index in range(args.participants)
        ]
        started = time.perf_counter()

        def person(index: int, participant: Participant) -> None:
            delay = args.ramp * index / max(args.participants, 1)
            time.sleep(max(0.0, started + delay - time.perf_counter()))
            try:
                participant.run()
            except Exception as error:
                record("participant", 0.0, f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=person, args=(i, p)) for i, p in enumerate(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DEADLINE_SECONDS * 3)
        duration = time.perf_counter() - started
    finally:
        stop(server)
    counted = run_python(VERIFY, env)
    all_latencies = [value for values in latencies.values() for value in values]
    expected_votes = args.participants * POINTS
    result = {
        "database": label,
        "participants": args.participants,
        "points_per_participant": POINTS,
        "ideas": IDEAS,
        "workers": args.workers,
        "threads": args.threads,
        "ramp_seconds": args.ramp,
        "duration_s": round(duration, 2),
        "requests": len(all_latencies),
        "requests_per_s": round(len(all_latencies) / duration, 1) if duration else 0.0,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        **{key: value for key, value in summary(all_latencies).items() if key != "requests"},
        "by_request": {kind: summary(values) for kind, values in sorted(latencies.items())},
        "participants_in_db": counted["participants"],
        "votes_in_db": counted["votes"],
        "votes_expected": expected_votes,
        "votes_per_participant_in_db": counted["per_participant"],
    }
    result["checks"] = {
        "no_errors": result["errors"] == 0,
        "within_60_s": duration <= DEADLINE_SECONDS,
        "every_vote_counted_once": counted["votes"] == expected_votes
        and counted["participants"] == args.participants
        and counted["per_participant"] == [POINTS],
    }
    print(
        f"[{label}] {result['requests']} requests in {result['duration_s']} s "
        f"({result['requests_per_s']}/s), errors {result['errors']}, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms; "
        f"votes {counted['votes']}/{expected_votes}",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which the participants arrive")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "participation.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="daks-bench-participation-") as tmp:
        tmp_path = Path(tmp)
        runs = on_databases(
            lambda url, label: run_load(url, label, args, tmp_path), tmp_path, "daks_bench_participation"
        )

    report = {
        "benchmark": "participation",
        "description": "participants open the participation link, take part with the PIN and give all their points",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "runs": runs,
        "passed": all(all(run["checks"].values()) for run in runs),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    for run in runs:
        failed = [name for name, ok in run["checks"].items() if not ok]
        if failed:
            print(f"[{run['database']}] FAILED: {', '.join(failed)} {run['error_samples']}", file=sys.stderr)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
