"""Benchmark of the Werkstattplan pages and the PDF export with a plan of 300 measures.

Run: ``DAKS_TESTING=true .venv/bin/python benchmarks/bench_plans.py [--measures 300] [--seconds 3]`` (part of
``make bench``). Django with an in-memory SQLite database, a signed-in member, the Django test client (the full
middleware stack: sessions, authentication, CSRF, locale, tenancy).

Measured in the same run:

* ``measures`` — the measures table (``plans:measures``, all 300 rows on one page: the table is not paginated) and
  ``document`` — the plan document (``plans:document``, the whole plan), both as a member of the Koordination (with
  the edit controls): requests per second;
* ``bare`` — a bare Django template page listing the same 300 measures (number, title, status, dates, budget) from
  plain Python data prepared in advance: no ORM, no permissions, one template. ``ratio = page / bare`` is the goal's
  figure (≥ 0.4): how much of a plain template's throughput the real pages keep;
* ``minimal`` — a bare template page without data (for orientation: the fixed cost of a request);

The pages are measured in interleaved rounds (``--rounds``); each figure is the median of its rounds.
* ``pdf_seconds`` — the PDF export of the whole plan (best of n; goal < 3 s), plus ODT, DOCX and XLSX for reference.

Writes benchmarks/results/plans.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_TEMPLATE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<main><h1>{{ title }}</h1><table><caption>{{ title }}</caption>
<thead><tr><th scope="col">Nr.</th><th scope="col">Maßnahme</th><th scope="col">Status</th>
<th scope="col">Beginn</th><th scope="col">Ende</th><th scope="col">Budget</th></tr></thead><tbody>
{% for m in measures %}<tr><td>{{ m.number }}</td><th scope="row">{{ m.title }}</th><td>{{ m.status }}</td>
<td>{{ m.start|date:"SHORT_DATE_FORMAT" }}</td><td>{{ m.end|date:"SHORT_DATE_FORMAT" }}</td>
<td>{{ m.budget|floatformat:"2g" }} €</td></tr>{% endfor %}
</tbody></table></main></body></html>"""
MINIMAL_TEMPLATE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1></main></body></html>"""


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DAKS_TESTING"] = "true"
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    os.environ.setdefault("DAKS_VAR_DIR", tempfile.mkdtemp(prefix="daks-bench-"))
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def build_plan(measure_count: int):
    """A verified Kommune, a coordinator, a process and a plan: 6 fields, 12 goals, ``measure_count`` measures."""
    from django.utils import timezone

    from daks.accounts.models import User
    from daks.municipalities.models import Membership, Municipality, Role
    from daks.plans.models import Goal, Measure, MeasureStatus, Milestone, Plan
    from daks.profile.models import FieldOfAction
    from daks.strategy import services as strategy_services

    municipality = Municipality.objects.create(
        name="Benchstadt", slug="benchstadt", kind="stadt", state="DE-BY", official_key="09162998",
        verified_at=timezone.now(),
    )  # fmt: skip
    user = User.objects.create_user(email="bench@example.org", password="bench-Passwort-123", name="Bench Koordination")
    Membership.objects.create(municipality=municipality, user=user, role=Role.COORDINATION)
    process = strategy_services.process_create(
        actor=user, municipality=municipality, title="Benchstadt 2040", start_date=datetime.date(2026, 1, 1)
    )
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": municipality})
    plan.vision = "Benchstadt bleibt **lebendig** und solidarisch."
    plan.introduction = "Der demografische Wandel verändert die Stadt.\n\nDieser Plan bündelt die Maßnahmen."
    plan.save()
    fields = [
        FieldOfAction.objects.create(process=process, municipality=municipality, title=f"Handlungsfeld {i}", priority=i)
        for i in range(1, 7)
    ]
    goals = [
        Goal.objects.create(
            plan=plan,
            municipality=municipality,
            field_of_action=fields[i % 6],
            title=f"Ziel {i}",
            position=i,
            indicator_name="Plätze",
            unit="Plätze",
            baseline_value=Decimal(100 + i),
            baseline_year=2024,
            target_value=Decimal(150 + i),
            target_year=2030,
        )
        for i in range(12)
    ]
    statuses = MeasureStatus.values
    measures = Measure.objects.bulk_create(
        Measure(
            plan=plan,
            municipality=municipality,
            field_of_action=fields[i % 6],
            title=f"Maßnahme {i}: Beratung, Begegnung und Begleitung im Quartier",
            description="Eine Beschreibung der Maßnahme mit **Markdown** und mehreren Sätzen. " * 3,
            responsible_unit="Sozialamt",
            responsible_person=user,
            target_groups=["seniors", "families"],
            start_date=datetime.date(2026, 1 + i % 12, 1),
            end_date=datetime.date(2027 + i % 4, 1 + i % 12, 28),
            budget_own=Decimal(1000 + i),
            budget_third_party=Decimal(500),
            budget_secured=Decimal(800),
            status=statuses[i % len(statuses)],
            progress=i % 101,
            position=i,
        )
        for i in range(measure_count)
    )
    Milestone.objects.bulk_create(
        Milestone(measure=m, title=f"Meilenstein {m.pk}", due_date=datetime.date(2026, 6, 30)) for m in measures
    )
    Through = Measure.goals.through
    Through.objects.bulk_create(
        Through(measure_id=m.pk, goal_id=goals[i % len(goals)].pk) for i, m in enumerate(measures)
    )
    return municipality, user, process, plan


def install_bare_pages(measures: list[dict]) -> None:
    """A URLconf with the project's URLs plus the two bare template pages (``/bench/bare/``, ``/bench/minimal/``)."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import clear_url_caches, include, path

    engine = engines["django"]
    bare, minimal = engine.from_string(BARE_TEMPLATE), engine.from_string(MINIMAL_TEMPLATE)

    def bare_view(request):
        return HttpResponse(bare.render({"title": "Maßnahmen", "measures": measures}, request))

    def minimal_view(request):
        return HttpResponse(minimal.render({"title": "Seite"}, request))

    module = types.ModuleType("bench_plans_urls")
    module.urlpatterns = [
        path("bench/bare/", bare_view),
        path("bench/minimal/", minimal_view),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def throughput(client, url: str, seconds: float) -> dict:
    """Requests per second of GET ``url`` during ``seconds`` (after two warm-up requests)."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    count, started = 0, time.perf_counter()
    while True:
        response = client.get(url)
        count += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    return {
        "requests": count,
        "seconds": round(elapsed, 3),
        "rps": round(count / elapsed, 2),
        "bytes": len(response.content),
    }


def interleaved(client, pages: dict[str, str], seconds: float, rounds: int) -> dict:
    """``throughput`` of every page in ``rounds`` interleaved rounds of ``seconds / rounds`` each.

    A page's figure is the median of its rounds: on a shared machine the load changes during the run, and
    interleaving gives the pages of one ratio the same conditions.
    """
    runs = {name: [] for name in pages}
    for _ in range(rounds):
        for name, url in pages.items():
            runs[name].append(throughput(client, url, seconds / rounds))
    results = {}
    for name, measured in runs.items():
        results[name] = {
            "requests": sum(run["requests"] for run in measured),
            "seconds": round(sum(run["seconds"] for run in measured), 3),
            "rps": round(statistics.median(run["rps"] for run in measured), 2),
            "rps_rounds": [run["rps"] for run in measured],
            "bytes": measured[-1]["bytes"],
        }
    return results


def best_of(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per page (over all rounds)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per page (median)")
    parser.add_argument("--repeat", type=int, default=3, help="best of n for the exports")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "plans.json")
    args = parser.parse_args()

    setup_django()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # no progress lines per page
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from daks.plans import exports
    from daks.plans.models import Measure, Plan

    municipality, user, process, plan = build_plan(args.measures)
    rows = [
        {"number": f"{1 + m.field_of_action.priority - 1}.2.{i}", "title": m.title, "status": m.get_status_display(),
         "start": m.start_date, "end": m.end_date, "budget": m.budget_own + m.budget_third_party}
        for i, m in enumerate(Measure.objects.filter(plan=plan).select_related("field_of_action"), start=1)
    ]  # fmt: skip
    install_bare_pages(rows)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    kwargs = {"municipality_slug": municipality.slug, "pk": process.pk, "step_slug": "werkstattplan"}
    pages = {
        "minimal": "/bench/minimal/",
        "bare": "/bench/bare/",
        "measures": reverse("plans:measures", kwargs=kwargs),
        "document": reverse("plans:document", kwargs=kwargs),
    }
    results = interleaved(client, pages, args.seconds, args.rounds)
    bare = results["bare"]["rps"]

    plan = Plan.objects.select_related("municipality", "process").get(pk=plan.pk)
    with translation.override("de"):
        document_seconds, document = best_of(lambda: exports.plan_document(plan=plan), args.repeat)
        pdf_seconds, rendered = best_of(lambda: exports.PlanPdfExporter().render(document), args.repeat)
        others = {
            exporter.identifier: round(best_of(lambda e=exporter: e.render(document), args.repeat)[0], 3)
            for exporter in exports.EXPORTERS
            if exporter.identifier != "pdf"
        }
    payload = {
        "measures": args.measures,
        "pages": results,
        "ratio_measures": round(results["measures"]["rps"] / bare, 3),
        "ratio_document": round(results["document"]["rps"] / bare, 3),
        "ratio_baseline": "bare Django template page listing the same measures (see the docstring)",
        "ratio_measures_vs_minimal_page": round(results["measures"]["rps"] / results["minimal"]["rps"], 3),
        "ratio_document_vs_minimal_page": round(results["document"]["rps"] / results["minimal"]["rps"], 3),
        "export_data_seconds": round(document_seconds, 3),
        "pdf_seconds": round(pdf_seconds, 3),
        "pdf_total_seconds": round(document_seconds + pdf_seconds, 3),
        "pdf_bytes": len(rendered[2]),
        "other_exports_seconds": others,
        "goals": {"page_ratio_min": 0.4, "pdf_seconds_max": 3.0},
        "python": platform.python_version(),
        "machine": platform.machine(),
        "date": datetime.date.today().isoformat(),
    }
    payload["goals_met"] = {
        "page_ratio": payload["ratio_measures"] >= 0.4 and payload["ratio_document"] >= 0.4,
        "pdf": payload["pdf_total_seconds"] < 3.0,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(payload, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
