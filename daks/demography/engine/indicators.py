"""Demographic indicators computed in one vectorised pass over many regions.

Population arrays ``P`` have shape ``(regions, 2, 101)``: sex index 0 = male, 1 = female, ages 0..99 in
single years and index 100 = 100 and over. Formulas are listed in docs/methods.md ("Indicators").

Zero populations never raise: any ratio whose denominator is 0 is returned as ``NaN`` (a ratio with a
zero denominator *and* a zero numerator is NaN as well, it is undefined rather than 0).
"""

from __future__ import annotations

import numpy as np

from .ages import N_AGES

MALE = 0
FEMALE = 1

#: Mean age assumed for the open 100+ cell in the mean age (centenarians are mostly 100-102 years old).
TOP_GROUP_MEAN_AGE = 101.5

#: Age bands for the shares (inclusive lower, exclusive upper; ``None`` = open-ended).
SHARE_BANDS: dict[str, tuple[int, int | None]] = {
    "share_under_3": (0, 3),
    "share_3_5": (3, 6),
    "share_6_17": (6, 18),
    "share_18_24": (18, 25),
    "share_25_64": (25, 65),
    "share_65_plus": (65, None),
    "share_80_plus": (80, None),
}


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``num / den * scale`` with NaN where ``den == 0`` (no warnings)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    num, den = np.broadcast_arrays(num, den)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out * scale


def _check_population(P: np.ndarray) -> np.ndarray:
    P = np.asarray(P, dtype=float)
    if P.ndim != 3 or P.shape[1:] != (2, N_AGES):
        raise ValueError(f"population must have shape (regions, 2, {N_AGES}), got {P.shape}")
    return P


def median_age(by_age: np.ndarray) -> np.ndarray:
    """Median age from single-year counts ``(regions, 101)``, linearly interpolated within the single year.

    With cumulative count ``C(a)`` (people younger than ``a+1``) and half the total ``H``, the median lies in the
    first age ``a`` with ``C(a) >= H`` at ``a + (H - C(a-1)) / P(a)`` (uniform spread within the year).
    """
    by_age = np.asarray(by_age, dtype=float)
    cum = np.cumsum(by_age, axis=1)
    total = cum[:, -1]
    half = total / 2.0
    reached = cum >= half[:, None]
    a = np.argmax(reached, axis=1)  # first age where half the population is reached
    rows = np.arange(by_age.shape[0])
    below = np.where(a > 0, cum[rows, np.maximum(a - 1, 0)], 0.0)
    in_year = by_age[rows, a]
    frac = _ratio(half - below, in_year)
    med = a + frac
    return np.where(total > 0, med, np.nan)


def compute_indicators(
    P: np.ndarray,
    *,
    previous: np.ndarray | None = None,
    years: float | None = None,
    births: np.ndarray | None = None,
    deaths: np.ndarray | None = None,
    in_migration: np.ndarray | None = None,
    out_migration: np.ndarray | None = None,
    reference_population: np.ndarray | None = None,
    area_km2: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Compute all indicators for ``P`` of shape ``(R, 2, 101)``; returns a dict of ``(R,)`` float arrays.

    Optional inputs (each a length-R vector or scalar) add further indicators:

    * ``previous`` (R, 2, 101) population ``years`` earlier -> ``change_abs``, ``change_pct``,
      ``change_pct_per_year`` (geometric mean annual rate).
    * ``births``/``deaths`` -> ``natural_balance`` and ``natural_balance_per_1000``;
      ``births`` also -> ``births_per_1000_women_15_44`` (general fertility rate).
    * ``in_migration``/``out_migration`` -> ``net_migration`` and ``net_migration_per_1000``.
    * The per-1,000 rates use ``reference_population`` as denominator if given (e.g. the mean population of the
      year), else the total of ``P``. The fertility rate always uses women aged 15-44 in ``P``.
    * ``area_km2`` -> ``density_per_km2``.
    """
    P = _check_population(P)
    by_age = P.sum(axis=1)  # (R, 101)
    total = by_age.sum(axis=1)
    cum = np.concatenate([np.zeros((by_age.shape[0], 1)), np.cumsum(by_age, axis=1)], axis=1)  # cum[:, a] = ages < a

    def band(lo: int, hi: int | None) -> np.ndarray:
        return cum[:, N_AGES if hi is None else hi] - cum[:, lo]

    out: dict[str, np.ndarray] = {"total": total, "male": P[:, MALE].sum(axis=1), "female": P[:, FEMALE].sum(axis=1)}
    for name, (lo, hi) in SHARE_BANDS.items():
        out[name] = _ratio(band(lo, hi), total, 100.0)

    working = band(20, 65)
    out["youth_dependency_ratio"] = _ratio(band(0, 20), working, 100.0)
    out["old_age_dependency_ratio"] = _ratio(band(65, None), working, 100.0)
    out["total_dependency_ratio"] = _ratio(band(0, 20) + band(65, None), working, 100.0)

    age_value = np.arange(N_AGES, dtype=float) + 0.5
    age_value[-1] = TOP_GROUP_MEAN_AGE
    out["mean_age"] = _ratio(by_age @ age_value, total)
    out["median_age"] = median_age(by_age)

    if previous is not None:
        prev_total = _check_population(previous).sum(axis=(1, 2))
        out["change_abs"] = total - prev_total
        out["change_pct"] = _ratio(total - prev_total, prev_total, 100.0)
        if years is not None:
            if years <= 0:
                raise ValueError("years must be positive")
            growth = _ratio(total, prev_total)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["change_pct_per_year"] = (np.power(growth, 1.0 / years) - 1.0) * 100.0

    denominator = total if reference_population is None else np.asarray(reference_population, dtype=float)
    if births is not None and deaths is not None:
        natural = np.asarray(births, dtype=float) - np.asarray(deaths, dtype=float)
        out["natural_balance"] = np.broadcast_to(natural, total.shape).astype(float)
        out["natural_balance_per_1000"] = _ratio(natural, denominator, 1000.0)
    if births is not None:
        women_15_44 = P[:, FEMALE, 15:45].sum(axis=1)
        out["births_per_1000_women_15_44"] = _ratio(births, women_15_44, 1000.0)
    if in_migration is not None and out_migration is not None:
        net = np.asarray(in_migration, dtype=float) - np.asarray(out_migration, dtype=float)
        out["net_migration"] = np.broadcast_to(net, total.shape).astype(float)
        out["net_migration_per_1000"] = _ratio(net, denominator, 1000.0)
    if area_km2 is not None:
        out["density_per_km2"] = _ratio(total, area_km2)
    return out
