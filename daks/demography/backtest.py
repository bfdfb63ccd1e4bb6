"""Back-test of the projection: project the 31.12.2015 base to 2024 and compare with the official 2024 totals.

Method (docs/methods.md, "Back-test"): the pipeline's inputs (age expansion, per-Kreis fertility and mortality
levels, shrunken migration rates with the pipeline's migration assumption ``pipeline.MIGRATION_ASSUMPTION``: 2015
age profile, Kreis level from the residual net migration 2011–2015, damped) are used with status-quo assumptions
(factors 1, no gain in life expectancy) and **without re-basing**. Truth: Kreis totals of 31.12.2024 (Observation
totals of 5-digit keys, else Region.population) and the Gemeinde populations of the Gemeindeverzeichnis
(Region.population, 31.12.2024), joined on the key; keys that exist on one side only are skipped and counted.
Errors: absolute percentage error ``100 |proj − truth| / truth``; mean (MAPE) and 90th percentile. Because the 2024
figures are on the Zensus-2022 basis and the 2015 base on the Zensus-2011 basis, the errors are also reported after
removing the level shift: the projection is scaled by the ratio truth/projection of the summed compared regions,
nationally and per Land (primary: per Land, as the Zensus corrections differed by Land).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import engine, pipeline
from .models import Level


@dataclass
class BacktestResult:
    level: str
    n: int
    mape: float
    p90: float
    mape_national_adjusted: float
    p90_national_adjusted: float
    mape_land_adjusted: float
    p90_land_adjusted: float
    national_ratio: float
    skipped_without_truth: int
    skipped_without_projection: int
    signed_mean_error: float
    worst: list[tuple[str, float, float]] = field(default_factory=list)


def _ape(projected: np.ndarray, truth: np.ndarray) -> np.ndarray:
    return np.abs(projected - truth) / truth * 100.0


def evaluate(level: str, keys: list[str], projected: np.ndarray, truth: dict[str, float], n_truth_keys: int):
    """Compare ``projected`` (aligned with ``keys``) with ``truth``; returns a :class:`BacktestResult` or None."""
    pairs = [(k, float(p), truth[k]) for k, p in zip(keys, projected, strict=True) if k in truth and truth[k] > 0]
    if not pairs:
        return None
    k_arr = [p[0] for p in pairs]
    proj = np.array([p[1] for p in pairs])
    true = np.array([p[2] for p in pairs])
    ape = _ape(proj, true)
    ratio = true.sum() / proj.sum() if proj.sum() > 0 else 1.0
    ape_nat = _ape(proj * ratio, true)
    lands = np.array([k[:2] for k in k_arr])
    scaled = proj.copy()
    for land in np.unique(lands):
        m = lands == land
        if proj[m].sum() > 0:
            scaled[m] *= true[m].sum() / proj[m].sum()
    ape_land = _ape(scaled, true)
    worst = sorted(zip(k_arr, proj, true, strict=True), key=lambda r: -abs(r[1] - r[2]) / r[2])[:5]
    return BacktestResult(
        level=level,
        n=len(pairs),
        mape=round(float(ape.mean()), 3),
        p90=round(float(np.percentile(ape, 90)), 3),
        mape_national_adjusted=round(float(ape_nat.mean()), 3),
        p90_national_adjusted=round(float(np.percentile(ape_nat, 90)), 3),
        mape_land_adjusted=round(float(ape_land.mean()), 3),
        p90_land_adjusted=round(float(np.percentile(ape_land, 90)), 3),
        national_ratio=round(float(ratio), 5),
        skipped_without_truth=len(keys) - len(pairs),
        skipped_without_projection=n_truth_keys - len(pairs),
        signed_mean_error=round(float(((proj - true) / true * 100).mean()), 3),
        worst=[(k, round(float(p)), round(float(t))) for k, p, t in worst],
    )


#: Migration assumptions compared by ``compare_migration_variants`` (docs/methods.md, section 7).
_MA = pipeline.MigrationAssumption
MIGRATION_VARIANTS: dict[str, pipeline.MigrationAssumption] = {
    "no migration": _MA(method="zero"),
    "rates 2015": _MA(method="base_year"),
    "rates 2015, damped 10 %/year": _MA(method="base_year", damping=0.10),
    "rates 2015, damped 20 %/year": _MA(method="base_year", damping=0.20),
    "rates 2015, damped 30 %/year": _MA(method="base_year", damping=0.30),
    "blend 0.5 · 2015 + 0.5 · scaled to 2011-2015": _MA(method="scale", first_year=2011, weight=0.5),
    "scaled to 2013-2015": _MA(method="scale", first_year=2013),
    "scaled to 2012-2015": _MA(method="scale", first_year=2012),
    "scaled to 2011-2015": _MA(method="scale", first_year=2011),
    "shifted to 2011-2015": _MA(method="shift", first_year=2011),
    "scaled to 2011-2015, damped 3 %/year": _MA(method="scale", first_year=2011, damping=0.03),
    "scaled to 2011-2015, damped 5 %/year (chosen)": _MA(method="scale", first_year=2011, damping=0.05),
    "shifted to 2011-2015, damped 5 %/year": _MA(method="shift", first_year=2011, damping=0.05),
    "scaled to 2011-2015, damped 10 %/year": _MA(method="scale", first_year=2011, damping=0.10),
}


def _truth(inputs: pipeline.Inputs, target_year: int) -> tuple[dict[str, float], dict[str, float]]:
    truth_kreis: dict[str, float] = {}
    truth_gemeinde: dict[str, float] = {}
    for key, info in inputs.regions.items():
        date = info["population_date"]
        if info["population"] and date is not None and date.year == target_year:
            if info["level"] == Level.KREIS:
                truth_kreis[key] = float(info["population"])
            elif info["level"] == Level.GEMEINDE:
                truth_gemeinde[key] = float(info["population"])
    for (key, year), value in inputs.population_totals.items():
        if year == target_year and value > 0:
            if len(key) == 5:
                truth_kreis[key] = value  # the Kreis table 12411-01-01-4 takes precedence
            elif len(key) == 8 and key not in truth_gemeinde:
                truth_gemeinde[key] = value
    return truth_kreis, truth_gemeinde


def _backtest(inputs, keys, P, base_year, target_year, migration) -> dict[str, BacktestResult]:
    pin = pipeline.projection_inputs(inputs, keys, P, base_year, migration=migration)
    status_quo = engine.Scenario("status-quo", 1.0, 0.0, 1.0)
    result = pipeline.project_regions(pin, status_quo, target_year - base_year, dtype=np.float64)
    projected = result.totals[-1]
    truth_kreis, truth_gemeinde = _truth(inputs, target_year)
    out = {}
    for level, length, truth in (("kreise", 5, truth_kreis), ("gemeinden", 8, truth_gemeinde)):
        idx = [i for i, k in enumerate(keys) if len(k) == length]
        res = evaluate(level, [keys[i] for i in idx], projected[idx], truth, len(truth))
        if res is not None:
            out[level] = res
    return out


def _base(inputs: pipeline.Inputs, base_year: int):
    tables = {k: t for k, t in inputs.population_ages.items() if t.year == base_year}
    if not tables:
        return None, None
    keys = sorted(tables)
    return keys, pipeline.expand_all(tables, keys)


def run_backtest(
    *, base_year: int = 2015, target_year: int = 2024, migration: pipeline.MigrationAssumption | None = None
) -> dict[str, BacktestResult]:
    """Project from ``base_year`` to ``target_year`` and compare Kreise and Gemeinden with the official totals.

    ``migration``: the migration assumption (default: the pipeline's :data:`pipeline.MIGRATION_ASSUMPTION`).
    """
    inputs = pipeline.load_inputs()
    keys, P = _base(inputs, base_year)
    if keys is None:
        return {}
    return _backtest(inputs, keys, P, base_year, target_year, migration)


def compare_migration_variants(
    variants: dict[str, pipeline.MigrationAssumption] | None = None, *, base_year: int = 2015, target_year: int = 2024
) -> dict[str, dict[str, BacktestResult]]:
    """Back-test every migration assumption of ``variants`` (default :data:`MIGRATION_VARIANTS`) on the same data."""
    inputs = pipeline.load_inputs()
    keys, P = _base(inputs, base_year)
    if keys is None:
        return {}
    return {
        name: _backtest(inputs, keys, P, base_year, target_year, assumption)
        for name, assumption in (variants or MIGRATION_VARIANTS).items()
    }


def results_payload(results: dict[str, BacktestResult], *, base_year: int = 2015, target_year: int = 2024) -> dict:
    """Flat keys for benchmarks/results/engine.json."""
    a = pipeline.MIGRATION_ASSUMPTION
    payload: dict = {
        "backtest_base_year": base_year,
        "backtest_target_year": target_year,
        "backtest_variant": (
            f"migration {a.method}: 2015 age profile, Kreis level = residual net migration {a.first_year}-{base_year}, "
            f"weight {a.weight:g}, damped {100 * a.damping:g} %/year (pipeline.MIGRATION_ASSUMPTION)"
        ),
    }
    for level, r in results.items():
        payload.update(
            {
                f"backtest_mape_{level}": r.mape,
                f"backtest_p90_{level}": r.p90,
                f"backtest_count_{level}": r.n,
                f"backtest_mape_{level}_land_adjusted": r.mape_land_adjusted,
                f"backtest_p90_{level}_land_adjusted": r.p90_land_adjusted,
                f"backtest_mape_{level}_national_adjusted": r.mape_national_adjusted,
                f"backtest_p90_{level}_national_adjusted": r.p90_national_adjusted,
                f"backtest_national_ratio_{level}": r.national_ratio,
                f"backtest_signed_mean_error_{level}": r.signed_mean_error,
                f"backtest_skipped_without_truth_{level}": r.skipped_without_truth,
                f"backtest_skipped_without_projection_{level}": r.skipped_without_projection,
            }
        )
    return payload


def merge_json(path: Path, payload: dict) -> None:
    """Merge ``payload`` into the JSON object at ``path`` (created if missing)."""
    data = json.loads(path.read_text()) if path.exists() else {}
    data.update(payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def as_dict(result: BacktestResult) -> dict:
    return asdict(result)
