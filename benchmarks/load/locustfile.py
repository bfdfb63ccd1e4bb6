"""The user mix of the load test (benchmarks/bench_load.py starts Locust with this file; docs/performance.md).

``DAKS_LOAD_CONFIG`` names the JSON file bench_load.py writes after preparing the database: the session keys of
the signed-in members, the URLs of the demo Kommune's pages, the participation link with its PIN and ideas.

Three kinds of users (by weight: of 50 users 30 members, 10 citizens, 10 visitors), each thinking 1–3 s between
two clicks:

* ``Member`` — signed in as Mitarbeit of Beispielstadt (one session each): the dashboard, the Kommunalprofil's
  statistics page with its charts, the Werkstattplan's measures table (sorted and filtered in several ways),
  a toolbox search, and now and then a download (Kommunalprofil as XLSX, a chart's data as CSV, the Kick-Off as
  iCalendar, the live dot-voting results as CSV);
* ``Citizen`` — no account: opens the participation link (privacy notice, CSRF cookie), takes part with the PIN,
  gives their 5 points one by one (each POST redirects back to the board, which the browser loads), then leaves;
  the next citizen takes the place;
* ``Visitor`` — no account: searches the Werkzeugkoffer with varying German queries and facets and opens a tool.

Requests are named by kind ("member: dashboard", "citizen: vote", …) so Locust's statistics are per kind. Every
answer other than the expected status (200 for pages and downloads, 302 for the POSTs) is a failure — a redirect
to the login page, too, because redirects are not followed.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["DAKS_LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
URLS = CONFIG["urls"]
_sessions = itertools.cycle(CONFIG["sessions"])

QUERIES = [
    "Pflege",
    "Pflegekräfte",
    "Wohnen im Alter",
    "Wohnformen",
    "Ehrenamt",
    "ehrenamtliche Helfer",
    "Bürgerbeteiligung",
    "Buergerbeteiligung",
    "Fachkräftemangel",
    "Nahversorgung Dorfladen",
    "Mobilität",
    "Bürgerbus",
    "Jugend",
    "Leerstand",
    "Fördermittel",
    "Digitalisierung Verwaltung",
    "Integration",
    "Zukunftswerkstatt",
    "SWOT Analyse",
    "Gesundheit",
    "Hausarzt",
    "Kinderbetreuung",
    "Quartier",
    "Nachbarschaftshilfe",
    "Seniorinnen",
    "Demografie",
    "Befragung",
    "Mehrgenerationenhaus",
    "Demenz",
    "Willkommenskultur",
]
FACETS = [{}, {}, {}, {"topic": "gesundheit-pflege"}, {"step": "plan"}, {"size": "small"}, {"type": "method"}]
MEASURE_VIEWS = ["", "", "?sort=status", "?sort=-end", "?sort=progress", "?overdue=1", "?sort=budget"]
EXPORTS = [
    ("member: export profile xlsx", "profile_xlsx"),
    ("member: export region csv", "region_csv"),
    ("member: export meeting ics", "meeting_ics"),
    ("member: export vote results csv", "vote_results_csv"),
]
TOOL_LINK = re.compile(r'href="(/werkzeugkoffer/([a-z0-9-]+)/)"')
TOOLS = set(CONFIG["tools"])


def fetch(user: HttpUser, name: str, path: str, *, expect: int = 200, method: str = "GET", data=None, marker=""):
    """One request; a failure when the status is not ``expect`` or the page lacks ``marker``."""
    with user.client.request(
        method, path, name=name, data=data, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != expect:
            where = response.headers.get("Location", "")
            response.failure(f"HTTP {response.status_code}{' → ' + where if where else ''} (expected {expect})")
        elif marker and marker not in response.text:
            response.failure(f"answer lacks {marker!r}")
        else:
            response.success()
        return response


class Member(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set("sessionid", next(_sessions))

    @task(6)
    def dashboard(self):
        fetch(self, "member: dashboard", URLS["dashboard"])

    @task(4)
    def statistics(self):
        fetch(self, "member: profile statistics", URLS["statistics"], marker="<svg")

    @task(6)
    def measures(self):
        fetch(self, "member: plan measures", URLS["measures"] + random.choice(MEASURE_VIEWS))

    @task(2)
    def toolbox(self):
        fetch(self, "toolbox: search", URLS["toolbox"] + "?" + urlencode({"q": random.choice(QUERIES)}))

    @task(2)
    def export(self):
        name, key = random.choice(EXPORTS)
        fetch(self, name, URLS[key])


class Citizen(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task
    def take_part_and_vote(self):
        self.client.cookies.clear()  # a new citizen
        board = URLS["participation"]
        fetch(self, "citizen: open link", board)
        csrf = self.client.cookies.get("csrftoken", "")
        self.wait()
        fetch(
            self,
            "citizen: take part",
            board + "teilnehmen/",
            method="POST",
            expect=302,
            data={"csrfmiddlewaretoken": csrf, "pin": CONFIG["pin"]},
        )
        fetch(self, "citizen: board", board)
        for _point in range(CONFIG["points"]):
            self.wait()
            idea = random.choice(CONFIG["ideas"])
            fetch(
                self,
                "citizen: vote",
                f"{board}ideen/{idea}/punkt/",
                method="POST",
                expect=302,
                data={"csrfmiddlewaretoken": csrf},
            )
            fetch(self, "citizen: board", board)


class Visitor(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task(3)
    def search(self):
        query = urlencode({"q": random.choice(QUERIES), **random.choice(FACETS)})
        response = fetch(self, "toolbox: search", f"{URLS['toolbox']}?{query}")
        tools = [path for path, slug in TOOL_LINK.findall(response.text or "") if slug in TOOLS]
        if tools and random.random() < 0.5:
            self.wait()
            fetch(self, "toolbox: tool", random.choice(tools))

    @task(1)
    def browse(self):
        if CONFIG["tools"]:
            fetch(self, "toolbox: tool", f"{URLS['toolbox']}{random.choice(CONFIG['tools'])}/")
