"""Comparable regions: standardised profiles, nearest neighbours, a demographic typology and comparison tables.

Methods in docs/methods.md, section "Comparison and typology". Profiles are computed by
:func:`daks.demography.pipeline.compute_all` for Gemeinden and Kreise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Subquery, Value
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .models import BUND_KEY, IndicatorValue, Level, Region, RegionProfile

#: Profile features (in vector order): name, transform applied to the raw value, German reason phrase.
FEATURES: list[tuple[str, str]] = [
    ("log_population", "ähnliche Größe"),
    ("change_pct_5y", "ähnliche Bevölkerungsentwicklung"),
    ("share_under_18", "ähnlicher Anteil junger Menschen"),
    ("share_65_plus", "ähnliche Altersstruktur"),
    ("old_age_dependency_ratio", "ähnlicher Altenquotient"),
    ("median_age", "ähnliches Medianalter"),
    ("net_migration_per_1000", "ähnliche Wanderungsbilanz"),
    ("natural_balance_per_1000", "ähnliches Verhältnis von Geburten und Sterbefällen"),
    ("projected_change_pct", "ähnliche Vorausberechnung"),
    ("log_density", "ähnliche Siedlungsdichte"),
]
FEATURE_NAMES = [name for name, _phrase in FEATURES]
#: Features whose sign means growth/shrinkage: the reason then says "ebenfalls wachsend/schrumpfend".
_TREND_FEATURES = {"change_pct_5y": "", "projected_change_pct": "voraussichtlich "}
PROFILE_LEVELS = (Level.GEMEINDE, Level.KREIS)
TYPOLOGY_K = 6
TYPOLOGY_SEED = 2015
TYPOLOGY_INIT = 5  # k-means++ restarts; the run with the smallest within-cluster sum of squares wins
GROWTH_THRESHOLD_PCT = 1.0  # |change| below this counts as "stabil"


def raw_feature_matrix(features: dict[str, np.ndarray]) -> np.ndarray:
    """(R, F) raw values in FEATURES order from the pipeline's arrays (log transforms applied; NaN = missing)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        cols = {
            "log_population": np.where(features["population"] > 0, np.log10(features["population"]), np.nan),
            "log_density": np.where(features["density"] > 0, np.log10(features["density"]), np.nan),
        }
    return np.column_stack(
        [cols[name] if name in cols else np.asarray(features[name], float) for name in FEATURE_NAMES]
    )


def standardise(X: np.ndarray) -> np.ndarray:
    """Column z-scores after imputing missing values with the column median; all-missing/constant columns -> 0."""
    X = np.array(X, dtype=float)
    Z = np.zeros_like(X)
    for j in range(X.shape[1]):
        col = X[:, j]
        finite = np.isfinite(col)
        if not finite.any():
            continue
        col = np.where(finite, col, np.median(col[finite]))
        sd = col.std()
        Z[:, j] = (col - col.mean()) / sd if sd > 0 else 0.0
    return Z


def kmeans(X: np.ndarray, k: int, *, seed: int = TYPOLOGY_SEED, n_init: int = TYPOLOGY_INIT, iterations: int = 100):
    """Lloyd's k-means with k-means++ initialisation (numpy, fixed seed). Returns ``(labels, centroids)``.

    Clusters are renumbered by descending size (ties: lexicographic centroid) so results are deterministic.
    """
    n = X.shape[0]
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    best = None
    for _init in range(n_init):
        centroids = [X[rng.integers(n)]]
        for _j in range(1, k):
            d2 = np.min(((X[:, None, :] - np.array(centroids)[None]) ** 2).sum(axis=2), axis=1)
            total = d2.sum()
            idx = rng.choice(n, p=d2 / total) if total > 0 else rng.integers(n)
            centroids.append(X[idx])
        C = np.array(centroids)
        labels = np.zeros(n, dtype=int)
        for _it in range(iterations):
            d = ((X[:, None, :] - C[None]) ** 2).sum(axis=2)
            new = d.argmin(axis=1)
            if _it and np.array_equal(new, labels):
                break
            labels = new
            for j in range(k):
                members = X[labels == j]
                if len(members):
                    C[j] = members.mean(axis=0)
        inertia = ((X - C[labels]) ** 2).sum()
        if best is None or inertia < best[0] - 1e-9:
            best = (inertia, labels.copy(), C.copy())
    _inertia, labels, C = best
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda j: (-sizes[j], tuple(np.round(C[j], 9))))
    remap = np.empty(k, dtype=int)
    remap[order] = np.arange(k)
    return remap[labels], C[order]


def cluster_label(z: dict[str, float], raw: dict[str, float]) -> str:
    """German label of a cluster from its centroid (z-scores ``z``, member medians ``raw``); rules in methods.md."""
    if z["log_population"] > 1.5 and z["log_density"] > 1.0:
        return "Großstadt/verdichtet"
    change = raw.get("change_pct_5y")
    if change is None or not np.isfinite(change):
        change = raw.get("projected_change_pct", 0.0)
    if not np.isfinite(change):
        change = 0.0
    trend = (
        "wachsend" if change > GROWTH_THRESHOLD_PCT else "schrumpfend" if change < -GROWTH_THRESHOLD_PCT else "stabil"
    )
    age_z = (z["share_65_plus"] + z["median_age"]) / 2
    if age_z > 0.75:
        age = "stark alternd"
    elif age_z > 0.25:
        age = "alternd"
    elif age_z < -0.5:
        age = "jung"
    else:
        age = "mittleres Alter"
    return f"{trend}, {age}" if age == "mittleres Alter" else f"{trend} und {age}"


def typology(X_raw: np.ndarray, Z: np.ndarray, k: int = TYPOLOGY_K) -> tuple[np.ndarray, list[str]]:
    """Cluster ``Z`` with :func:`kmeans`; label each cluster; duplicate labels get a settlement-density suffix."""
    labels, C = kmeans(Z, k)
    names = []
    for j in range(C.shape[0]):
        members = X_raw[labels == j]
        raw = {}
        for f, name in enumerate(FEATURE_NAMES):
            col = members[:, f]
            raw[name] = float(np.median(col[np.isfinite(col)])) if np.isfinite(col).any() else float("nan")
        names.append(cluster_label(dict(zip(FEATURE_NAMES, C[j], strict=True)), raw))
    dens = FEATURE_NAMES.index("log_density")
    for name in set(names):
        same = [j for j in range(len(names)) if names[j] == name]
        if len(same) > 1:
            by_density = sorted(same, key=lambda j: C[j, dens])
            for rank, j in enumerate(by_density):
                suffix = "ländlich" if rank == 0 else "verdichtet" if rank == len(same) - 1 else f"Typ {rank + 1}"
                names[j] = f"{name} ({suffix})"
    return labels, names


def build_profiles(keys: list[str], levels: list[str], features: dict[str, np.ndarray]) -> list[RegionProfile]:
    """Unsaved RegionProfile objects for Gemeinden and Kreise (z-scores per level, typology for Gemeinden)."""
    X = raw_feature_matrix(features)
    out = []
    levels_arr = np.array(levels)
    for level in PROFILE_LEVELS:
        idx = np.flatnonzero(levels_arr == level)
        if idx.size == 0:
            continue
        Z = standardise(X[idx])
        labels, names = (None, None)
        if level == Level.GEMEINDE:
            labels, names = typology(X[idx], Z)
        for n, i in enumerate(idx):
            values = {
                name: (round(float(v), 4) if np.isfinite(v) else None)
                for name, v in zip(FEATURE_NAMES, X[i], strict=True)
            }
            out.append(
                RegionProfile(
                    region_key=keys[i],
                    level=level,
                    values=values,
                    vector=[round(float(v), 5) for v in Z[n]],
                    cluster=None if labels is None else int(labels[n]),
                    cluster_label="" if names is None else names[labels[n]],
                )
            )
    return out


def store_profiles(profiles: list[RegionProfile]) -> int:
    """Replace all profiles (bulk)."""
    RegionProfile.objects.all().delete()
    RegionProfile.objects.bulk_create(profiles, batch_size=2000)
    _MATRICES.clear()  # other processes notice the new profiles by the table's fingerprint
    return len(profiles)


# --- similar regions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    region_key: str
    distance: float
    reasons: list[str]


def _reasons(target_raw: np.ndarray, other_raw: np.ndarray, diff: np.ndarray, limit: int = 3) -> list[str]:
    """Up to ``limit`` phrases for the features in which two regions are closest (raw values: NaN = missing)."""
    order = np.argsort(diff, kind="stable")
    reasons: list[str] = []
    for j in order:
        name, phrase = FEATURES[j]
        a, b = target_raw[j], other_raw[j]
        if np.isnan(a) or np.isnan(b):
            continue  # an imputed value is no reason
        if name in _TREND_FEATURES:
            prefix = _TREND_FEATURES[name]
            if a > GROWTH_THRESHOLD_PCT and b > GROWTH_THRESHOLD_PCT:
                phrase = f"ebenfalls {prefix}wachsend"
            elif a < -GROWTH_THRESHOLD_PCT and b < -GROWTH_THRESHOLD_PCT:
                phrase = f"ebenfalls {prefix}schrumpfend"
        if phrase not in reasons:
            reasons.append(phrase)
        if len(reasons) == limit:
            break
    return reasons


@dataclass(frozen=True)
class _LevelMatrix:
    """The profiles of one level as arrays: keys (R,), vectors (R, F), raw values (R, F; NaN = missing)."""

    keys: np.ndarray
    index: dict[str, int]
    vectors: np.ndarray
    raw: np.ndarray


#: Profile matrices of this process by level, each with the fingerprint of the profile table it was read at.
#: Loading and decoding all ~11,000 Gemeinde profiles took most of the time of every page with similar regions
#: (Kommunalprofil statistics, region page, exports, API); now a process reads them once per computation.
_MATRICES: dict[str, tuple[tuple, _LevelMatrix]] = {}


def _fingerprint_annotations() -> dict:
    """Scalar subqueries over the whole profile table: its row count and newest id (both read from an index).

    Profiles are only ever replaced as a whole (``store_profiles``: new ids from a sequence that never goes back)
    or deleted, so another process's change always moves the fingerprint. Changes in this process also clear
    the cache directly (``store_profiles`` and a ``post_save`` receiver), which covers rolled-back test data.
    """
    table = RegionProfile.objects.order_by().annotate(table=Value(1)).values("table")
    return {
        "table_rows": Subquery(table.annotate(rows=Count("id")).values("rows")),
        "table_last_id": Subquery(table.annotate(last=Max("id")).values("last")),
    }


@receiver(post_save, sender=RegionProfile, dispatch_uid="daks.demography.comparison.profile_saved")
def _profile_saved(sender, **kwargs):
    _MATRICES.clear()


def _raw_number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan


def _level_matrix(level: str, fingerprint: tuple) -> _LevelMatrix:
    cached = _MATRICES.get(level)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = list(RegionProfile.objects.filter(level=level).values_list("region_key", "vector", "values"))
    keys = [row[0] for row in rows]
    matrix = _LevelMatrix(
        keys=np.array(keys),
        index={key: position for position, key in enumerate(keys)},
        vectors=np.array([row[1] for row in rows], dtype=float).reshape(len(rows), len(FEATURES)),
        raw=np.array(
            [[_raw_number((row[2] or {}).get(name)) for name in FEATURE_NAMES] for row in rows], dtype=float
        ).reshape(len(rows), len(FEATURES)),
    )
    _MATRICES[level] = (fingerprint, matrix)
    return matrix


def similar_regions(
    region_key: str, k: int = 10, *, within: str | None = None, candidates: list[str] | None = None
) -> list[Similar]:
    """The ``k`` regions of the same level closest to ``region_key`` (Euclidean distance of the profile vectors).

    ``within``: ``"land"`` (same first 2 digits) or ``"kreis"`` (same first 5 digits); ``candidates``: restrict to
    these keys. One query finds the region's level and the table's fingerprint; the profiles of the level are
    read (one more query) only when this process has not read them at that fingerprint yet.
    """
    found = (
        RegionProfile.objects.filter(region_key=region_key)
        .annotate(**_fingerprint_annotations())
        .values_list("level", "table_rows", "table_last_id")
        .first()
    )
    if found is None:
        return []
    level, *fingerprint = found
    matrix = _level_matrix(level, tuple(fingerprint))
    t = matrix.index.get(region_key)
    if t is None:  # the profiles were replaced between the two queries
        return []
    keys = matrix.keys
    mask = np.ones(len(keys), dtype=bool)
    mask[t] = False
    if within == "land":
        mask &= np.char.startswith(keys, region_key[:2])
    elif within == "kreis":
        mask &= np.char.startswith(keys, region_key[:5])
    elif within is not None:
        raise ValueError("within must be None, 'land' or 'kreis'")
    if candidates is not None:
        allowed = set(candidates)
        mask &= np.fromiter((key in allowed for key in matrix.index), dtype=bool, count=len(keys))
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    diff = np.abs(matrix.vectors[idx] - matrix.vectors[t])
    dist = np.sqrt((diff**2).sum(axis=1))
    if 0 < k < dist.size:  # only the k nearest (and any ties with the k-th) need the sort by distance and key
        nearest = np.flatnonzero(dist <= np.partition(dist, k - 1)[k - 1])
        idx, diff, dist = idx[nearest], diff[nearest], dist[nearest]
    order = np.lexsort((keys[idx], dist))[:k]
    return [
        Similar(str(keys[idx[o]]), round(float(dist[o]), 4), _reasons(matrix.raw[t], matrix.raw[idx[o]], diff[o]))
        for o in order
    ]


# --- comparison table ---------------------------------------------------------------------------------------------

#: Indicators of the comparison table: key, label, unit.
COMPARE_INDICATORS = [
    ("total", _("Population"), ""),
    ("change_pct_5y", _("Change over 5 years"), "%"),
    ("share_under_18", _("Share under 18"), "%"),
    ("share_65_plus", _("Share 65 and over"), "%"),
    ("old_age_dependency_ratio", _("Old-age dependency ratio"), ""),
    ("median_age", _("Median age"), _("years")),
    ("net_migration_per_1000", _("Net migration per 1,000 inhabitants"), "‰"),
    ("natural_balance_per_1000", _("Natural balance per 1,000 inhabitants"), "‰"),
    ("projected_change_pct", _("Projected change to the horizon (medium variant)"), "%"),
    ("density_per_km2", _("Inhabitants per km²"), ""),
]


@dataclass
class ComparisonCell:
    region_key: str
    name: str
    role: str  # "region", "kreis", "land", "bund", "other"
    value: float | None
    year: int | None


@dataclass
class ComparisonRow:
    indicator: str
    label: str
    unit: str
    cells: list[ComparisonCell]


def comparison_columns(region_key: str, extra_keys: list[str] | None = None) -> list[tuple[str, str]]:
    """``(key, role)`` columns: the region, its Kreis, its Land, Germany, then ``extra_keys`` (deduplicated)."""
    cols = [(region_key, "region")]
    if len(region_key) > 5:
        cols.append((region_key[:5], "kreis"))
    if len(region_key) > 2 and region_key != BUND_KEY:
        cols.append((region_key[:2], "land"))
    if region_key != BUND_KEY:
        cols.append((BUND_KEY, "bund"))
    seen = {key for key, _role in cols}
    for key in extra_keys or []:
        if key not in seen:
            cols.append((key, "other"))
            seen.add(key)
    return cols


def compare_region(region_key: str, extra_keys: list[str] | None = None) -> list[ComparisonRow]:
    """Rows of key indicators (newest year each) for the region, its Kreis, Land, Germany and ``extra_keys``."""
    cols = comparison_columns(region_key, extra_keys)
    keys = [key for key, _role in cols]
    names = dict(Region.objects.filter(key__in=keys).values_list("key", "name"))
    indicators = [code for code, _l, _u in COMPARE_INDICATORS]
    wanted = set(indicators) | {"share_under_3", "share_3_5", "share_6_17"}
    latest: dict[tuple[str, str], tuple[int, float | None]] = {}
    for key, indicator, year, value in IndicatorValue.objects.filter(
        region_key__in=keys, indicator__in=wanted
    ).values_list("region_key", "indicator", "year", "value"):
        if (key, indicator) not in latest or year > latest[(key, indicator)][0]:
            latest[(key, indicator)] = (year, value)
    for key in keys:  # share under 18 = under 3 + 3-5 + 6-17 of the same year
        parts = [latest.get((key, p)) for p in ("share_under_3", "share_3_5", "share_6_17")]
        if all(parts) and len({p[0] for p in parts}) == 1 and all(p[1] is not None for p in parts):
            latest.setdefault((key, "share_under_18"), (parts[0][0], sum(p[1] for p in parts)))
    rows = []
    for code, label, unit in COMPARE_INDICATORS:
        cells = []
        for key, role in cols:
            year, value = latest.get((key, code), (None, None))
            name = names.get(key) or ("Deutschland" if key == BUND_KEY else key)
            cells.append(ComparisonCell(key, name, role, value, year))
        rows.append(ComparisonRow(code, str(label), str(unit), cells))
    return rows
