"""Benchmark of the demography engine and the pipeline's projection.

Run: ``DAKS_TESTING=true .venv/bin/python benchmarks/bench_engine.py [--regions 11000] [--years 20]``.
Projects synthetic but realistic municipalities (seeded RNG) with ``engine.project_scenario`` (all years kept) and
with the pipeline's vectorised stepper (``daks.demography.pipeline.run_projection``: float32 state, per-Kreis
survival, only the needed years kept — what ``compute_demography`` uses), times a naive pure-Python loop (lists and
for-loops, no numpy) on a subset for the speed-up, computes the indicators, and times the import of the largest real
age table (Django with an in-memory SQLite database). Writes benchmarks/results/engine.json, keeping other keys
(e.g. the back-test figures of ``manage.py backtest_projection``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from daks.demography.engine import (  # noqa: E402
    SCENARIOS,
    compute_indicators,
    default_asfr,
    expand_age_groups,
    project_scenario,
    survival_from_life_table,
)

AGE_TABLE = ROOT.parent / "shared" / "data" / "demografie" / "bev_altersgruppen_gemeinden_2015.csv"

N_AGES = 101
GROUPS = [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75]


def synthetic_inputs(regions: int, seed: int = 2015) -> dict[str, np.ndarray]:
    """Gemeinde-like inputs: log-normal sizes (median ~1,700), age groups expanded to single years."""
    rng = np.random.default_rng(seed)
    size = np.exp(rng.normal(np.log(1700), 1.3, regions)).clip(10, 3_700_000)
    ages = np.arange(N_AGES)
    # smooth German-like pyramid: baby-boomer hump around 55, decline at old ages
    shape = 0.8 + 0.5 * np.exp(-0.5 * ((ages - 55) / 9) ** 2) - 0.15 * (ages < 20)
    shape *= np.where(ages > 60, 0.93 ** (ages - 60), 1.0)
    shape = np.stack([shape * 0.98, shape * np.where(ages > 60, 1.12, 0.97)])  # male, female
    noise = rng.lognormal(0, 0.25, size=(regions, 2, N_AGES))
    single = shape[None] * noise
    single /= single.sum(axis=(1, 2), keepdims=True)
    groups = np.add.reduceat(single * size[:, None, None], GROUPS, axis=-1).round()
    base = expand_age_groups(groups, GROUPS, reference=shape[None])  # realistic path: groups -> single years
    asfr = default_asfr()[None] * rng.uniform(0.8, 1.25, size=(regions, 1))
    rates = rng.normal(0.002, 0.01, size=(regions, 2, N_AGES))
    rates[:, :, 18:30] += rng.normal(0.0, 0.03, size=(regions, 1, 1))  # education/job moves
    return {"base": base, "asfr": asfr, "migration_rates": rates, "area_km2": rng.uniform(3, 300, regions)}


def naive_project(base, asfr, rates, survival, infant, years, sex_ratio=1.05):
    """Reference pure-Python cohort-component loop for ONE region (lists, for-loops; same model as the engine)."""
    P = [list(map(float, base[0])), list(map(float, base[1]))]
    share_male = sex_ratio / (1.0 + sex_ratio)
    totals = [sum(P[0]) + sum(P[1])]
    for _ in range(years):
        Q = [[0.0] * N_AGES, [0.0] * N_AGES]
        for s in range(2):
            for a in range(N_AGES):
                survivor = P[s][a] * survival[s][a]
                Q[s][min(a + 1, N_AGES - 1)] += survivor
            for a in range(1, N_AGES):
                m = rates[s][a] * 0.5 * (P[s][a] + Q[s][a])
                Q[s][a] += max(m, -Q[s][a])
        births = 0.0
        for a in range(15, 50):
            births += asfr[a] * 0.5 * (P[1][a] + Q[1][a])
        for s, share in ((0, share_male), (1, 1.0 - share_male)):
            Q[s][0] = births * share * infant[s]
            m0 = rates[s][0] * 0.5 * (P[s][0] + Q[s][0])
            Q[s][0] += max(m0, -Q[s][0])
        P = Q
        totals.append(sum(P[0]) + sum(P[1]))
    return totals


def setup_django() -> None:
    """Django with an in-memory SQLite database (the pipeline imports the models; the import benchmark writes)."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DAKS_TESTING"] = "true"
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    os.environ.setdefault("DAKS_VAR_DIR", tempfile.mkdtemp(prefix="daks-bench-"))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_pipeline_projection(inputs, years: int, repeat: int) -> dict:
    """Best-of-n seconds of the pipeline stepper (medium scenario, 400 Kreis mortality levels) and its max error.

    ``project_regions`` = survival tables (one life table per year and mortality level) + ``run_projection``; the
    migration rates are held constant (no damping), i.e. the same model step as the naive loop. Also timed:
    ``run_projection`` alone, and with one block of all regions (``chunk_size=R``: the state streamed through
    memory every step, as before the blocking) to show the cache effect.
    """
    setup_django()
    from daks.demography.pipeline import (
        MigrationAssumption,
        ProjectionInputs,
        _hazard_multipliers,
        project_regions,
        run_projection,
        survival_tables,
    )

    n = inputs["base"].shape[0]
    rng = np.random.default_rng(7)
    mortality = np.repeat(rng.uniform(0.85, 1.15, 400), -(-n // 400))[:n]
    pin = ProjectionInputs(
        keys=[str(i) for i in range(n)],
        base_year=2015,
        base=inputs["base"],
        asfr=inputs["asfr"],
        mortality_factor=mortality,
        migration_rates=inputs["migration_rates"],
        migration=MigrationAssumption(method="base_year"),
    )

    def best(fn):
        times, result = [], None
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        return min(times), result

    seconds, result = best(lambda: project_regions(pin, SCENARIOS["medium"], years, keep={0, years}))
    shift = SCENARIOS["medium"].life_expectancy_shift_years
    rates, infant, unit = survival_tables(mortality, _hazard_multipliers(shift, years))
    kwargs = {
        "asfr": inputs["asfr"],
        "survival_rates": rates,
        "infant_survival": infant,
        "unit_index": unit,
        "migration_rates": inputs["migration_rates"],
        "horizon": years,
        "keep": {0, years},
    }
    stepper, _ = best(lambda: run_projection(inputs["base"], **kwargs))
    unblocked, _ = best(lambda: run_projection(inputs["base"], chunk_size=n, **kwargs))
    return {
        "seconds": seconds,
        "error": float(result.accounting_error().max()),
        "run_projection_seconds": stepper,
        "unblocked_seconds": unblocked,
    }


def time_import(path: Path) -> dict:
    """Import the largest real age table through the loader into a fresh SQLite database, in a child process,
    so that the peak memory (maximum resident set size of that process) belongs to the import alone."""
    if not path.is_file():
        print(f"import benchmark skipped: {path} not found")
        return {"import_note": f"skipped: {path.name} not found"}
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--import-only", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(
        f"import: {result['import_rows']:,} rows of {path.name} in {result['import_seconds']:.2f} s, "
        f"peak {result['import_peak_mb']:.0f} MB (whole process)"
    )
    return result


def _peak_rss_mb() -> float:
    """Peak resident set size of this process image (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _import_only(path: Path) -> None:
    """Child process of :func:`time_import`: prints one JSON line. Uses a SQLite file database, as an
    installation does (an in-memory database would count the whole database as process memory)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='daks-bench-import-')}/bench.sqlite3"
    setup_django()
    from daks.demography.loader import load_file
    from daks.demography.models import Observation

    t0 = time.perf_counter()
    load_file(path)
    seconds = time.perf_counter() - t0
    peak_mb = _peak_rss_mb()
    print(
        json.dumps(
            {
                "import_file": path.name,
                "import_rows": Observation.objects.count(),
                "import_seconds": round(seconds, 3),
                "import_peak_mb": round(peak_mb, 1),
                "import_method": "daks.demography.loader.load_file into a SQLite file database; "
                "peak = maximum resident set size of the importing process (Python, Django, SQLite)",
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=11_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="best of n runs")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "engine.json")
    parser.add_argument("--naive-regions", type=int, default=20, help="regions for the pure-Python reference loop")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        _import_only(args.import_only)
        return

    inputs = synthetic_inputs(args.regions)
    surv = survival_from_life_table()
    S, S0 = surv.rates[0].tolist(), surv.infant[0].tolist()
    n_naive = min(args.naive_regions, args.regions)
    naive_runs = []
    # measured first, in a fresh process state and with the garbage collector off (as timeit does), best of n like
    # the numpy timings: the most favourable conditions for the naive loop
    gc.disable()
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for r in range(n_naive):
            naive_totals = naive_project(
                inputs["base"][r].tolist(),
                inputs["asfr"][r].tolist(),
                inputs["migration_rates"][r].tolist(),
                S,
                S0,
                args.years,
            )
        naive_runs.append((time.perf_counter() - t0) / n_naive)
    gc.enable()
    naive_per_region = min(naive_runs)
    projection_times, indicator_times = [], []
    result = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = project_scenario(
            inputs["base"],
            SCENARIOS["medium"],
            asfr=inputs["asfr"],
            migration_rates=inputs["migration_rates"],
            horizon=args.years,
        )
        projection_times.append(time.perf_counter() - t0)
    assert result is not None and result.population is not None
    worst = float(result.accounting_error().max())
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        indicators = compute_indicators(
            result.final,
            previous=result.population[0],
            years=args.years,
            births=result.births[-1],
            deaths=result.deaths[-1],
            in_migration=np.maximum(result.net_migration[-1], 0),
            out_migration=np.maximum(-result.net_migration[-1], 0),
            area_km2=inputs["area_km2"],
        )
        indicator_times.append(time.perf_counter() - t0)

    pipe = time_pipeline_projection(inputs, args.years, args.repeat)
    pipeline_seconds, pipeline_error = pipe["seconds"], pipe["error"]

    per_region_fast = pipeline_seconds / args.regions
    speedup = naive_per_region / per_region_fast

    payload = json.loads(args.output.read_text()) if args.output.exists() else {}
    payload.update(
        {
            "regions": args.regions,
            "years": args.years,
            "seconds_all_regions": round(pipeline_seconds, 4),
            "seconds_all_regions_method": "pipeline.project_regions = survival tables + run_projection (float32 state, "
            "blocks of 256 regions kept in cache, medium scenario with phased-in e0 gain, 400 Kreis mortality levels, "
            "regional ASFR and constant migration rates, base and horizon kept), best of repeat",
            "seconds_run_projection_only": round(pipe["run_projection_seconds"], 4),
            "seconds_run_projection_unblocked": round(pipe["unblocked_seconds"], 4),
            "pipeline_max_accounting_error": pipeline_error,
            "naive_regions": n_naive,
            "naive_seconds_per_region": round(naive_per_region, 5),
            "naive_last_total": round(naive_totals[-1], 1),
            "speedup_vs_naive": round(speedup, 1),
            "projection_seconds": round(min(projection_times), 4),
            "indicators_seconds": round(min(indicator_times), 4),
            "repeat": args.repeat,
            "scenario": "medium (phased-in e0 shift, regional ASFR and migration rates, all years kept)",
            "max_accounting_error": worst,
            "indicators": len(indicators),
            "numpy": np.__version__,
            "machine": {
                "platform": platform.platform(),
                "processor": platform.processor() or platform.machine(),
                "python": platform.python_version(),
                "cpu_count": os.cpu_count(),
            },
        }
    )
    if not args.skip_import:
        payload.update(time_import(AGE_TABLE))
    print(f"projection: {args.regions} regions x 2 x {N_AGES} ages x {args.years} years: {min(projection_times):.3f} s")
    print(
        f"run_projection alone {pipe['run_projection_seconds']:.3f} s; one block of all regions (no cache blocking) "
        f"{pipe['unblocked_seconds']:.3f} s"
    )
    print(
        f"pipeline projection (float32, all regions): {pipeline_seconds:.3f} s; naive loop "
        f"{naive_per_region * 1000:.1f} ms/region -> speed-up {speedup:,.0f}x"
    )
    print(f"indicators: {args.regions} regions, {len(indicators)} indicators: {min(indicator_times):.3f} s")
    print(f"max relative accounting error: {worst:.2e}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
