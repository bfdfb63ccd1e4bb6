"""Benchmark of the pure-numpy demography engine (no Django needed).

Run: ``DAKS_TESTING=true .venv/bin/python benchmarks/bench_engine.py [--regions 11000] [--years 20]``.
Projects synthetic but realistic municipalities (seeded RNG) and computes the indicators, prints the timings and
writes benchmarks/results/engine.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
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
)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=11_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="best of n runs")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "engine.json")
    args = parser.parse_args()

    inputs = synthetic_inputs(args.regions)
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

    payload = {
        "regions": args.regions,
        "years": args.years,
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
    print(f"projection: {args.regions} regions x 2 x {N_AGES} ages x {args.years} years: {min(projection_times):.3f} s")
    print(f"indicators: {args.regions} regions, {len(indicators)} indicators: {min(indicator_times):.3f} s")
    print(f"max relative accounting error: {worst:.2e}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
