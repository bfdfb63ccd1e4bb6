"""Compute indicators, projections and profiles for all regions from the official observations.

``compute_all()`` is the one entry point (``python manage.py compute_demography``). It works on the Observation rows of
official datasets (``dataset.municipality`` is empty) and degrades gracefully when parts of the data are missing
(documented in docs/methods.md, section "Pipeline"):

* population by age (latest year per region; the finest age grouping per region) -> single years via
  :func:`engine.expand_age_groups` with the region's Kreis single-year structure as within-group reference
  (uniform/geometric default weights when the Kreis has no single-year table);
* indicators for all regions in one vectorised pass, stored in :class:`IndicatorValue`;
* a cohort-component projection of all regions at once for every preset scenario (and Kommune scenarios for the
  Kommune's own Gemeinde, Kreis and Land) with per-Kreis fertility and mortality levels and shrunken migration rates
  (base-year age profile, level from the residual net migration of several years, damped: ``MIGRATION_ASSUMPTION``),
  re-based to the newest official total;
* standardised profiles and the typology (:mod:`daks.demography.comparison`).

Loading uses a fixed number of queries (one per variable, independent of the number of regions); writes use bulk
operations in one transaction.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from . import engine
from .engine.ages import N_AGES, aggregate_to_groups, group_index
from .engine.projection import DEFAULT_SEX_RATIO_AT_BIRTH, FEMALE, FERTILE_AGES
from .models import (
    BUND_KEY,
    PYRAMID_GROUPS,
    IndicatorValue,
    Level,
    Observation,
    Projection,
    ProjectionScenario,
    Region,
    Variable,
)

#: Years projected after the newest official total (e.g. 2024 -> 2044).
DEFAULT_HORIZON_YEARS = 20
#: Person-years at which a region's own migration rate and its Kreis rate get equal weight (per sex × age group).
MIGRATION_SHRINKAGE_K = 2000.0
#: A region whose age table has at least this many groups counts as "single years" (reference for its Gemeinden).
FINE_SCHEME_MIN_GROUPS = 50
#: Bounds for the per-Kreis fertility and mortality level factors (protect against inconsistent inputs).
FERTILITY_FACTOR_BOUNDS = (0.2, 5.0)
MORTALITY_FACTOR_BOUNDS = (0.3, 3.0)
PYRAMID_LOWER = [lo for lo, _hi in PYRAMID_GROUPS]

Progress = Callable[[str], None] | None


# --- presets ----------------------------------------------------------------------------------------------------


def ensure_preset_scenarios() -> list[ProjectionScenario]:
    """Create the preset scenarios of migration 0003 if they are missing (e.g. after a test flushed the DB)."""
    presets = importlib.import_module("daks.demography.migrations.0003_preset_scenarios").PRESETS
    result = []
    existing = {s.code: s for s in ProjectionScenario.objects.filter(municipality=None)}
    for code, name, fertility, life, migration, description in presets:
        scenario = existing.get(code)
        if scenario is None:
            scenario = ProjectionScenario.objects.create(
                municipality=None,
                code=code,
                name=name,
                description=description,
                fertility_factor=fertility,
                life_expectancy_shift=life,
                migration_factor=migration,
            )
        result.append(scenario)
    return result


# --- loading ----------------------------------------------------------------------------------------------------


@dataclass
class AgeTable:
    """Age-structured counts of one region: ``lowers`` (G,), ``counts`` (2, G) male/female, plus provenance."""

    year: int
    lowers: tuple[int, ...]
    counts: np.ndarray
    dataset_id: int
    sex_split: bool = False  # True when only totals by age existed and the sexes were split 50:50


def _official(variable: str):
    return Observation.objects.filter(dataset__municipality__isnull=True, variable=variable, value__isnull=False)


def _scheme_ok(groups: dict[int, int | None]) -> tuple[int, ...] | None:
    """Return the sorted lower bounds if the groups are contiguous from 0 and end with an open group."""
    lowers = sorted(groups)
    if not lowers or lowers[0] != 0 or lowers[-1] > 100:
        return None
    for lo, nxt in itertools.pairwise(lowers):
        hi = groups[lo]
        if hi is None or hi + 1 != nxt:
            return None
    if groups[lowers[-1]] is not None:
        return None
    return tuple(lowers)


def age_tables(rows: Iterable[tuple], *, year: int | None = None, allow_total: bool = False) -> dict[str, AgeTable]:
    """Build per-region age tables from ``(region_key, year, sex, age_group, age_from, age_to, value, dataset_id)``.

    Per region the latest year (or ``year``) is used and, within it, the dataset with the most age groups (ties: the
    newest dataset). ``allow_total``: a region with only an all-ages value gets a single open group ``0+``.
    """
    cells: dict[tuple[str, int, int], dict[str, dict[int, tuple[int | None, float]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    all_ages: dict[tuple[str, int, int], dict[str, float]] = defaultdict(dict)
    for key, yr, sex, age_group, age_from, age_to, value, dataset_id in rows:
        if year is not None and yr != year:
            continue
        if age_group == "total":
            all_ages[(key, yr, dataset_id)][sex] = value
        elif age_from is not None:
            cells[(key, yr, dataset_id)][sex][age_from] = (age_to, value)
    best: dict[str, tuple[tuple, AgeTable]] = {}

    def offer(key, table):
        rank = (table.year, len(table.lowers), not table.sex_split, table.dataset_id)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, table)

    for (key, yr, dataset_id), by_sex in cells.items():
        for sexes in (("male", "female"), ("total",)):
            if not all(s in by_sex for s in sexes):
                continue
            schemes = [_scheme_ok({lo: hi for lo, (hi, _v) in by_sex[s].items()}) for s in sexes]
            if schemes[0] is None or any(sc != schemes[0] for sc in schemes):
                continue
            lowers = schemes[0]
            if sexes == ("total",):
                values = np.array([by_sex["total"][lo][1] for lo in lowers], dtype=float)
                offer(key, AgeTable(yr, lowers, np.stack([values / 2.0, values / 2.0]), dataset_id, True))
            else:
                counts = np.array([[by_sex[s][lo][1] for lo in lowers] for s in sexes], dtype=float)
                offer(key, AgeTable(yr, lowers, counts, dataset_id, False))
            break
    if allow_total:
        for (key, yr, dataset_id), by_sex in all_ages.items():
            if key in best and best[key][1].year >= yr:
                continue
            if "male" in by_sex and "female" in by_sex:
                offer(key, AgeTable(yr, (0,), np.array([[by_sex["male"]], [by_sex["female"]]]), dataset_id, False))
            elif "total" in by_sex:
                half = by_sex["total"] / 2.0
                offer(key, AgeTable(yr, (0,), np.array([[half], [half]]), dataset_id, True))
    return {key: table for key, (_rank, table) in best.items() if np.all(np.isfinite(table.counts))}


def totals(rows: Iterable[tuple]) -> dict[tuple[str, int], float]:
    """``(region_key, year) -> value`` from all-ages rows: the ``total`` sex, else male + female (newest dataset)."""
    by_sex: dict[tuple[str, int], dict[str, tuple[int, float]]] = defaultdict(dict)
    for key, yr, sex, age_group, _af, _at, value, dataset_id in rows:
        if age_group != "total":
            continue
        current = by_sex[(key, yr)].get(sex)
        if current is None or dataset_id >= current[0]:
            by_sex[(key, yr)][sex] = (dataset_id, value)
    out = {}
    for cell, sexes in by_sex.items():
        if "total" in sexes:
            out[cell] = sexes["total"][1]
        elif "male" in sexes and "female" in sexes:
            out[cell] = sexes["male"][1] + sexes["female"][1]
    return out


_FIELDS = ("region_key", "year", "sex", "age_group", "age_from", "age_to", "value", "dataset_id")


@dataclass
class Inputs:
    """Everything the pipeline needs, loaded with a fixed number of queries."""

    population_ages: dict[str, AgeTable]
    population_totals: dict[tuple[str, int], float]
    births: dict[tuple[str, int], float]
    deaths: dict[tuple[str, int], float]
    in_migration: list[tuple]
    out_migration: list[tuple]
    regions: dict[str, dict]
    tables: dict[int, str]


def load_inputs() -> Inputs:
    """Load all official observations needed (7 queries, independent of the number of regions)."""
    from .models import Dataset

    tables = dict(Dataset.objects.filter(municipality__isnull=True).values_list("id", "table_code"))
    pop_age_rows = list(_official(Variable.POPULATION).exclude(age_group="total").values_list(*_FIELDS))
    pop_total_rows = list(_official(Variable.POPULATION).filter(age_group="total").values_list(*_FIELDS))
    births_rows = list(_official(Variable.BIRTHS).filter(age_group="total").values_list(*_FIELDS))
    deaths_rows = list(_official(Variable.DEATHS).filter(age_group="total").values_list(*_FIELDS))
    in_rows = list(_official(Variable.IN_MIGRATION).values_list(*_FIELDS))
    out_rows = list(_official(Variable.OUT_MIGRATION).values_list(*_FIELDS))
    regions = {
        key: {"level": level, "population": pop, "population_date": pdate, "area_km2": area, "name": name}
        for key, level, pop, pdate, area, name in Region.objects.values_list(
            "key", "level", "population", "population_date", "area_km2", "name"
        )
    }
    population_totals = totals(pop_total_rows)
    # Kreisfreie Städte: tables without a Kreis row for them (e.g. 12411-01-01-5) give the figures under the
    # Gemeinde key xxxxx000; the Kreis inherits those years.
    for (key, year), value in list(population_totals.items()):
        if len(key) == 8 and key.endswith("000") and key[:5] in regions:
            population_totals.setdefault((key[:5], year), value)
    return Inputs(
        population_ages=age_tables(pop_age_rows),
        population_totals=population_totals,
        births=totals(births_rows),
        deaths=totals(deaths_rows),
        in_migration=in_rows,
        out_migration=out_rows,
        regions=regions,
        tables=tables,
    )


def level_of(key: str, regions: dict[str, dict] | None = None) -> str:
    """Level from the Region table, else from the key length."""
    if regions and key in regions:
        return regions[key]["level"]
    if key == BUND_KEY:
        return Level.BUND
    return {2: Level.LAND, 3: Level.REGIERUNGSBEZIRK, 5: Level.KREIS, 8: Level.GEMEINDE, 9: Level.GEMEINDEVERBAND}.get(
        len(key), Level.GEMEINDE
    )


def parent_unit(key: str) -> str:
    """The Kreis key of a Gemeinde/Verband/Kreis (first 5 digits); Land, RB and Bund are their own unit."""
    return key[:5] if len(key) >= 5 and key != BUND_KEY else key


# --- single years -----------------------------------------------------------------------------------------------


def expand_all(tables: dict[str, AgeTable], keys: list[str]) -> np.ndarray:
    """Single-year populations (R, 2, 101) for ``keys``; Gemeinden use their Kreis's single-year structure."""
    out = np.zeros((len(keys), 2, N_AGES))
    index = {key: i for i, key in enumerate(keys)}
    fine = [k for k in keys if len(tables[k].lowers) >= FINE_SCHEME_MIN_GROUPS]
    coarse = [k for k in keys if len(tables[k].lowers) < FINE_SCHEME_MIN_GROUPS]
    reference: dict[str, np.ndarray] = {}
    for batch, use_ref in ((fine, False), (coarse, True)):
        by_scheme: dict[tuple[int, ...], list[str]] = defaultdict(list)
        for key in batch:
            by_scheme[tables[key].lowers].append(key)
        for lowers, members in by_scheme.items():
            counts = np.stack([tables[k].counts for k in members])
            ref = None
            if use_ref:
                ref = np.zeros((len(members), 2, N_AGES))
                for i, k in enumerate(members):
                    unit = parent_unit(k)
                    if unit != k and unit in reference:
                        ref[i] = reference[unit]
                if not ref.any():
                    ref = None
            expanded = engine.expand_age_groups(np.clip(counts, 0, None), list(lowers), reference=ref)
            for i, k in enumerate(members):
                out[index[k]] = expanded[i]
                if not use_ref and len(k) == 5:
                    reference[k] = expanded[i]
    return out


# --- projection inputs ------------------------------------------------------------------------------------------


def _unit_sums(keys: list[str], P: np.ndarray) -> dict[str, np.ndarray]:
    """Single-year population per Kreis unit: the Kreis's own row, else the sum of its Gemeinden (8-digit keys)."""
    own = {k: P[i] for i, k in enumerate(keys) if len(k) == 5 or len(k) <= 3}
    summed: dict[str, np.ndarray] = {}
    for i, k in enumerate(keys):
        if len(k) == 8:
            unit = k[:5]
            summed[unit] = summed.get(unit, 0) + P[i]
    return {**summed, **own}


def _level_factors(
    keys: list[str], unit_pop: dict[str, np.ndarray], observed: dict[str, float], expected: Callable, bounds
) -> tuple[np.ndarray, dict[str, float], float]:
    """Per-region factor = observed / expected of its unit, national fallback; returns (factors, by unit, national)."""
    by_unit = {}
    obs_sum = exp_sum = 0.0
    for unit, pop in unit_pop.items():
        if unit in observed:
            e = float(expected(pop))
            if e > 0:
                by_unit[unit] = float(np.clip(observed[unit] / e, *bounds))
                if len(unit) == 5:
                    obs_sum += observed[unit]
                    exp_sum += e
    if exp_sum > 0:
        national = float(np.clip(obs_sum / exp_sum, *bounds))
    elif BUND_KEY in by_unit:
        national = by_unit[BUND_KEY]
    else:
        national = 1.0
    factors = np.array([by_unit.get(parent_unit(k), national) for k in keys])
    return factors, by_unit, national


def _migration_net_by_age(inputs: Inputs, keys: list[str], P: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """Raw net-migration rates and exposures per single age (R, 2, 101) (rate constant within a data age group)."""
    ins = age_tables(inputs.in_migration, allow_total=True)
    outs = age_tables(inputs.out_migration, allow_total=True)
    rate = np.zeros_like(P)
    exposure = np.zeros_like(P)
    years = set()
    for i, key in enumerate(keys):
        a, b = ins.get(key), outs.get(key)
        if a is None or b is None:
            continue
        if a.lowers != b.lowers or a.year != b.year:
            continue
        net = a.counts - b.counts  # (2, G)
        pop = aggregate_to_groups(P[i], list(a.lowers))  # (2, G)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(pop > 0, net / np.where(pop > 0, pop, 1), 0.0)
        gidx = group_index(list(a.lowers))
        rate[i] = r[:, gidx]
        exposure[i] = pop[:, gidx]
        years.add(a.year)
    return rate, exposure, sorted(years)


def migration_rates(inputs: Inputs, keys: list[str], P: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Net migration rates (R, 2, 101) shrunk towards the Kreis (Kreise towards the national rate); 0 without data."""
    raw, exposure, years = _migration_net_by_age(inputs, keys, P)
    if not years:
        return np.zeros_like(P), []
    net = raw * exposure
    index = {k: i for i, k in enumerate(keys)}

    def pooled(members: list[int]) -> np.ndarray | None:
        n = exposure[members].sum(axis=0)
        if not np.any(n > 0):
            return None
        out = np.zeros_like(n)
        np.divide(net[members].sum(axis=0), n, out=out, where=n > 0)
        return out

    kreise = [i for i, k in enumerate(keys) if len(k) == 5 and exposure[i].any()]
    gemeinden = [i for i, k in enumerate(keys) if len(k) == 8 and exposure[i].any()]
    national = pooled(kreise) if kreise else (pooled(gemeinden) if gemeinden else None)
    if national is None:
        national = np.zeros(P.shape[1:])
    members_by_unit: dict[str, list[int]] = defaultdict(list)
    for i in gemeinden:
        members_by_unit[keys[i][:5]].append(i)
    unit_rate: dict[str, np.ndarray] = {}
    for unit in set(members_by_unit) | {keys[i] for i in kreise}:
        own = index.get(unit)
        rate = pooled([own]) if own is not None and exposure[own].any() else pooled(members_by_unit.get(unit, []))
        unit_rate[unit] = rate if rate is not None else national
    parent = np.empty_like(P)
    for i, key in enumerate(keys):
        unit = parent_unit(key)
        parent[i] = unit_rate.get(unit, national) if unit != key else national
    rates = engine.estimate_migration_rates(net[None], exposure[None], parent, MIGRATION_SHRINKAGE_K)
    return rates, years


@dataclass(frozen=True)
class MigrationAssumption:
    """How the base-year net-migration rates are carried into the projection (docs/methods.md, "Back-test").

    ``method``: ``"base_year"`` keeps the (shrunken) base-year rates; ``"zero"`` sets them to 0; ``"scale"``
    multiplies each region's rates by one factor per Kreis so that the Kreis's implied annual net migration equals
    the average residual net migration (ΔN − (B − D)) of the years ``first_year`` … base year, keeping the base-year
    age profile (the Gemeinden of a Kreis share the factor; factors bounded by ``factor_bounds``); ``"shift"`` adds
    the difference with the national base-year age profile instead. ``weight`` blends: rates = (1 − w) · base-year
    rates + w · adjusted rates. ``first_year`` is never before ``ZENSUS_2011_FIRST_YEAR`` (the re-basing break).
    ``damping``: the rates of projection year t (t = 0, 1, …) are multiplied by ``(1 − damping) ** t``.
    """

    method: str = "scale"
    first_year: int = 2011
    weight: float = 1.0
    damping: float = 0.0
    factor_bounds: tuple[float, float] = (-1.0, 2.0)

    def label(self, base_year: int | None = None) -> str:
        """Short English description (for notes and the back-test), with the effective first year."""
        if self.method == "zero":
            return "zero net migration"
        if self.method == "base_year":
            text = "base-year rates"
        else:
            first = max(self.first_year, ZENSUS_2011_FIRST_YEAR)
            text = f"base-year rates, {self.method} to the residual net migration {first}–{base_year or 'base year'}"
            text += f" (weight {self.weight:g})" if self.weight != 1 else ""
        return text + (f", damped {100 * self.damping:g} %/year" if self.damping else "")

    def path(self, horizon: int) -> np.ndarray | None:
        """(T,) per-year multipliers of the migration rates, None when constant."""
        if not self.damping:
            return None
        return (1.0 - self.damping) ** np.arange(horizon)


#: The first 31.12. population on the Zensus-2011 basis in 12411-01-01-5 (the series jumps between 2010 and 2011).
ZENSUS_2011_FIRST_YEAR = 2011
#: The migration assumption of compute_all and the back-test (chosen by the back-test, docs/methods.md section 7):
#: 2015 age profile, Kreis level = residual net migration 2011–2015, damped by 5 % per projection year.
MIGRATION_ASSUMPTION = MigrationAssumption(method="scale", first_year=2011, weight=1.0, damping=0.05)


def kreis_total(inputs: Inputs, unit: str, year: int) -> float | None:
    """All-ages total of a Kreis unit: its own row, else the kreisfreie Stadt row ``unit + "000"`` (12411-01-01-5)."""
    for key in (unit, unit + "000") if len(unit) == 5 else (unit,):
        value = inputs.population_totals.get((key, year))
        if value is not None and value > 0:
            return value
    return None


def residual_migration_rates(inputs: Inputs, units: Iterable[str], first_year: int, last_year: int) -> dict:
    """Average annual residual net migration per head of the mean population, per Kreis unit.

    ``((N_last − N_first) − Σ_{first < y ≤ last} (births_y − deaths_y)) / (last − first) / ((N_first + N_last) / 2)``;
    units without a complete series are left out.
    """
    out = {}
    years = range(first_year + 1, last_year + 1)
    if last_year <= first_year:
        return out
    for unit in units:
        a, b = kreis_total(inputs, unit, first_year), kreis_total(inputs, unit, last_year)
        if a is None or b is None or not all((unit, y) in inputs.births and (unit, y) in inputs.deaths for y in years):
            continue
        natural = sum(inputs.births[(unit, y)] - inputs.deaths[(unit, y)] for y in years)
        out[unit] = ((b - a) - natural) / (last_year - first_year) / ((a + b) / 2.0)
    return out


def adjust_migration_level(
    inputs: Inputs,
    keys: list[str],
    P: np.ndarray,
    rates: np.ndarray,
    base_year: int,
    assumption: MigrationAssumption = MIGRATION_ASSUMPTION,
) -> tuple[np.ndarray, list[str]]:
    """Apply ``assumption`` to the base-year rates (R, 2, 101); returns (rates, notes)."""
    if assumption.method == "zero":
        return np.zeros_like(rates), ["migration: zero net migration (assumption)"]
    if assumption.method == "base_year" or assumption.weight == 0 or not np.any(rates):
        return rates, [f"migration: {assumption.label(base_year)}"] if np.any(rates) else []
    first = max(assumption.first_year, ZENSUS_2011_FIRST_YEAR)
    units = sorted({k[:5] for k in keys if len(k) >= 5 and k != BUND_KEY})
    target_unit = residual_migration_rates(inputs, units, first, base_year)
    if not target_unit:
        return rates, [f"no population/births/deaths series {first}–{base_year}: base-year migration rates"]
    pop_unit = {u: kreis_total(inputs, u, base_year) or 0.0 for u in target_unit}
    weights = np.array([pop_unit[u] for u in target_unit])
    national = float(np.dot(list(target_unit.values()), weights) / weights.sum())
    # groups that share one factor: the Gemeinden (8/9 digits) of a Kreis; every other region on its own
    groups: dict[str, list[int]] = defaultdict(list)
    target: dict[str, float] = {}
    for i, k in enumerate(keys):
        if len(k) >= 8 and k != BUND_KEY:
            gid = "G" + k[:5]
            target[gid] = target_unit.get(k[:5], national)
        else:
            gid = k
            if len(k) == 5:
                target[gid] = target_unit.get(k, national)
            else:  # Land, RB, Bund: population-weighted mean of their Kreise
                members = [u for u in target_unit if k == BUND_KEY or u.startswith(k)]
                w = np.array([pop_unit[u] for u in members])
                target[gid] = float(np.dot([target_unit[u] for u in members], w) / w.sum()) if w.sum() else national
        groups[gid].append(i)
    net = (rates * P).sum(axis=(1, 2))
    pop = P.sum(axis=(1, 2))
    out = rates.copy()
    if assumption.method == "shift":
        profile = np.zeros(P.shape[1:])
        n = P.sum(axis=0)
        np.divide((rates * P).sum(axis=0), n, out=profile, where=n > 0)
        profile = np.clip(profile, 0.0, None)
    lo, hi = assumption.factor_bounds
    w = assumption.weight
    for gid, members in groups.items():
        n_g = pop[members].sum()
        if n_g <= 0:
            continue
        implied = net[members].sum() / n_g
        if assumption.method == "scale":
            factor = float(np.clip(target[gid] / implied, lo, hi)) if implied != 0 else 1.0
            out[members] = rates[members] * ((1.0 - w) + w * factor)
        elif assumption.method == "shift":
            level = (profile * P[members].sum(axis=0)).sum() / n_g
            if level > 0:
                out[members] = rates[members] + w * (target[gid] - implied) * profile / level
        else:
            raise ValueError(f"unknown migration method {assumption.method!r}")
    label = assumption.label(base_year)
    return out, [f"migration: {label} ({len(target_unit)} Kreise, national {1000 * national:.2f} per 1,000 and year)"]


@dataclass
class ProjectionInputs:
    keys: list[str]
    base_year: int
    base: np.ndarray  # (R, 2, 101)
    asfr: np.ndarray  # (R, 101)
    mortality_factor: np.ndarray  # (R,)
    migration_rates: np.ndarray  # (R, 2, 101)
    notes: list[str] = field(default_factory=list)
    basis: str = ""
    migration: MigrationAssumption = field(default_factory=lambda: MIGRATION_ASSUMPTION)


def projection_inputs(
    inputs: Inputs,
    keys: list[str],
    P: np.ndarray,
    base_year: int,
    migration: MigrationAssumption | None = None,
) -> ProjectionInputs:
    """Per-region ASFR, mortality level and migration rates for the base population ``P`` of ``keys``.

    ``migration``: the migration assumption (default :data:`MIGRATION_ASSUMPTION`, the one compute_all uses).
    """
    migration = migration or MIGRATION_ASSUMPTION
    notes = []
    unit_pop = _unit_sums(keys, P)
    default_asfr = engine.default_asfr()
    births = {k: v for (k, y), v in inputs.births.items() if y == base_year}
    deaths = {k: v for (k, y), v in inputs.deaths.items() if y == base_year}

    def expected_births(pop):
        return float((default_asfr * pop[FEMALE]).sum())

    fert, _by_unit, _fert_nat = _level_factors(keys, unit_pop, births, expected_births, FERTILITY_FACTOR_BOUNDS)
    if not births:
        notes.append(f"no births {base_year}: default fertility (TFR 1.35)")
    base_survival = engine.survival_from_life_table()
    one_minus_s = 1.0 - base_survival.rates[0]

    def expected_deaths(pop):
        return float((pop * one_minus_s).sum())

    mort, _by_unit_m, _mort_nat = _level_factors(keys, unit_pop, deaths, expected_deaths, MORTALITY_FACTOR_BOUNDS)
    if not deaths:
        notes.append(f"no deaths {base_year}: default life table")
    rates, mig_years = migration_rates(inputs, keys, P)
    if not mig_years:
        notes.append("no migration data: zero net migration")
    else:
        rates, mig_notes = adjust_migration_level(inputs, keys, P, rates, base_year, migration)
        notes.extend(mig_notes)
    return ProjectionInputs(
        keys=keys,
        base_year=base_year,
        base=P,
        asfr=default_asfr[None, :] * fert[:, None],
        mortality_factor=mort,
        migration_rates=rates,
        notes=notes,
        migration=migration,
    )


@functools.lru_cache(maxsize=32)
def _hazard_multipliers(shift: float, horizon: int) -> np.ndarray:
    """(T, 2) national hazard multipliers reaching an e0 gain of ``shift`` years at the horizon (linear phase-in).

    The bisection of :func:`engine.shift_life_expectancy` (on ln f in [-8, 8], 60 steps), run for all T yearly
    targets at once instead of once per year. National, independent of the regions: cached per (shift, horizon);
    the returned array is read-only.
    """
    out = np.ones((horizon, 2))
    if not shift:
        out.flags.writeable = False
        return out
    q = np.clip(engine.DEFAULT_QX, 0.0, 1.0 - 1e-12)
    mu = -np.log1p(-q)  # (2, 101)
    steps = shift * np.arange(1, horizon + 1) / horizon  # (T,)
    target = engine.life_expectancy(q)[None, :] + steps[:, None]  # (T, 2)
    lo = np.full((horizon, 2), -8.0)
    hi = np.full((horizon, 2), 8.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        e = engine.life_expectancy(-np.expm1(-np.exp(mid)[..., None] * mu))
        too_long = e > target
        lo = np.where(too_long, mid, lo)
        hi = np.where(too_long, hi, mid)
    f = np.exp(0.5 * (lo + hi))
    shifted = -np.expm1(-f[..., None] * mu)  # (T, 2, 101)
    out = (-np.log1p(-shifted))[:, :, 60] / mu[None, :, 60]
    out.flags.writeable = False
    return out


def survival_tables(mortality_factor: np.ndarray, multipliers: np.ndarray):
    """Per-year survival (T, U, 2, 101), infant survival (T, U, 2) and unit index (R,) for unique mortality levels.

    One life-table pass per year over the U levels (each pass stays in the CPU cache; one pass over all years at
    once is slower, as it streams T × U × 202 float64 values through memory a dozen times).
    """
    levels, unit_index = np.unique(np.round(mortality_factor, 6), return_inverse=True)
    mu = -np.log1p(-engine.DEFAULT_QX)  # (2, 101)
    T = multipliers.shape[0]
    rates = np.empty((T, levels.size, 2, N_AGES))
    infant = np.empty((T, levels.size, 2))
    for t in range(T):
        q = -np.expm1(-levels[:, None, None] * multipliers[t][None, :, None] * mu[None])
        schedule = engine.survival_from_life_table(q)
        rates[t], infant[t] = schedule.rates, schedule.infant
    return rates, infant, unit_index


@dataclass
class FastProjection:
    totals: np.ndarray  # (T+1, R) float64
    births: np.ndarray  # (T, R)
    deaths: np.ndarray  # (T, R)
    net_migration: np.ndarray  # (T, R)
    snapshots: dict[int, np.ndarray]  # year offset -> (R, 2, 101)

    def accounting_error(self) -> np.ndarray:
        expected = self.totals[:-1] + self.births - self.deaths + self.net_migration
        return np.abs(self.totals[1:] - expected) / np.maximum(np.abs(self.totals[1:]), 1.0)


#: Regions per block of :func:`run_projection`: the block's state, survivors and migration buffers (about
#: 4 × 2 × 101 × 4 bytes per region in float32) stay in the CPU cache over all projection years.
CHUNK_REGIONS = 256


def run_projection(
    base: np.ndarray,
    *,
    asfr: np.ndarray,
    survival_rates: np.ndarray,
    infant_survival: np.ndarray,
    unit_index: np.ndarray,
    migration_rates: np.ndarray,
    horizon: int,
    keep: Iterable[int] = (),
    dtype=np.float32,
    sex_ratio_at_birth: float = DEFAULT_SEX_RATIO_AT_BIRTH,
    migration_path: np.ndarray | None = None,
    chunk_size: int = CHUNK_REGIONS,
) -> FastProjection:
    """The cohort-component step of :func:`engine.project` (births basis "mean", migration basis "mid", capping),
    specialised for many regions.

    Survival is given per mortality unit and year (``survival_rates`` (T, U, 2, 101), gathered by ``unit_index``);
    ``migration_path`` (T,) optionally multiplies the migration rates per year (damping). The regions are processed
    in blocks of ``chunk_size``: all years of one block run on preallocated buffers that stay in the CPU cache
    (in-place ufuncs with ``out=``, no temporaries of the full size), instead of streaming the whole (R, 2, 101)
    state through memory a dozen times per year. The one-year age shift is a single contiguous multiply over the
    flattened block (``Q.flat[1:] = P.flat[:-1] · S.flat[:-1]``; the age-0 cells it touches are reset). State in
    ``dtype`` (float32 by default: half the memory traffic); per-region sums are BLAS matrix–vector products in
    ``dtype`` (float32: relative rounding of about 1e-7, the accounting identity then holds to a few 1e-7); only the
    years in ``keep`` are kept. Equivalence with ``engine.project`` is tested (float64: 1e-10; float32: 1e-5).
    """
    base = np.asarray(base)
    R = base.shape[0]
    A = N_AGES
    C = 2 * A  # cells per region
    lo, hi = FERTILE_AGES[0], FERTILE_AGES[1] + 1
    surv = np.ascontiguousarray(survival_rates, dtype=dtype)  # (T_s, U, 2, 101), small
    infant = np.asarray(infant_survival, dtype=np.float64)  # (T_s, U, 2)
    n_surv = surv.shape[0]
    unit_index = np.asarray(unit_index, dtype=np.intp)
    fert_all = np.asarray(asfr)[:, lo:hi].astype(dtype)
    rates_all = np.asarray(migration_rates)
    path = np.ones(horizon) if migration_path is None else np.asarray(migration_path, dtype=np.float64)
    share_male = sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
    split = np.array([share_male, 1.0 - share_male])
    keep = sorted(k for k in set(keep) if 0 <= k <= horizon)
    totals = np.empty((horizon + 1, R))
    births, deaths, net_mig = (np.zeros((horizon, R)) for _ in range(3))
    totals[0] = base.sum(axis=(1, 2), dtype=np.float64)
    snapshots = {k: np.empty((R, 2, A)) for k in keep}
    if 0 in snapshots:
        snapshots[0][...] = base
    neg_surv = np.negative(surv)  # −S: the survivors step writes −Q, which the capping needs (saves one pass)
    ones = np.ones(C, dtype=dtype)  # per-region sums as matrix-vector products (BLAS, no temporaries)
    c = max(1, min(int(chunk_size), R))
    # preallocated block buffers (flat: one contiguous row of 2 × 101 cells per region), reused for every block
    buf = np.empty((6, c * C), dtype=dtype)
    buf_w = np.empty((c, hi - lo), dtype=dtype)
    for start in range(0, R, c):
        stop = min(start + c, R)
        n = stop - start
        flat = [b[: n * C] for b in buf]  # 1-d views
        X, Y, S, N, M, H = (f.reshape(n, 2, A) for f in flat)  # state ×2, −survival, −survivors, migration, rates/2
        Sf, Nf, Mf, Hf = flat[2:]
        # views of the two state buffers (P = start of year, Q = end of year), swapped every year
        views = [
            (Z, Zf, Zf.reshape(n, C), Zf[:-1], Z[:, :, 0], Z[:, :, -1], Z[:, FEMALE, lo:hi])
            for Z, Zf in ((X, flat[0]), (Y, flat[1]))
        ]
        S_last, N_first, N_last, M_first = S[:, :, -1], N[:, :, 0], N[:, :, -1], M[:, :, 0]
        Nf_tail, Sf_head = Nf[1:], Sf[:-1]
        M2, N2 = Mf.reshape(n, C), Nf.reshape(n, C)
        W = buf_w[:n]
        X[...] = base[start:stop]
        np.multiply(rates_all[start:stop], 0.5, out=H)  # half rates ("mid" basis), cast to dtype in one pass
        has_mig = bool(H.any())
        fert = fert_all[start:stop]
        units = unit_index[start:stop]
        h0 = 0.5 * rates_all[start:stop, :, 0]  # (n, 2) float64
        p_i, q_i = 0, 1
        start_total = views[0][2] @ ones
        for t in range(horizon):
            _P, Pf, _P2, P_head, P_first, P_last, P_fem = views[p_i]
            Q, Qf, Q2, _Q_head, Q_first, _Q_last, Q_fem = views[q_i]
            tt = min(t, n_surv - 1)
            if t == 0 or tt != min(t - 1, n_surv - 1):
                np.take(neg_surv[tt], units, axis=0, out=S)
                born_alive = infant[tt][units] * split  # (n, 2): share of the births per sex alive on 31.12.
                infant_deaths = 1.0 - born_alive.sum(axis=1)  # (n,) share of births dying in the birth year
            # survivors move up one year of age: one contiguous multiply over the flat block (N = −survivors);
            # the age-0 cells receive the neighbouring open age group and are reset, the open age group keeps its
            # own survivors
            np.multiply(P_head, Sf_head, out=Nf_tail)
            N_first[...] = 0.0
            N_last += P_last * S_last
            survived = -(N2 @ ones)
            scale = float(path[min(t, path.size - 1)]) if path.size else 1.0
            migrating = has_mig and scale != 0.0
            if migrating:
                np.subtract(Pf, Nf, out=Mf)  # P + Q: migration basis "mid", rate × (start + end population) / 2
                np.multiply(Mf, Hf, out=Mf)
                if scale != 1.0:
                    Mf *= scale
                np.maximum(Mf, Nf, out=Mf)  # capping: migration ≥ −survivors, no negative cells
                M_first[...] = 0.0  # age 0 after the births
                np.subtract(Mf, Nf, out=Qf)  # Q = survivors + migration
            else:
                np.negative(Nf, out=Qf)
            np.add(P_fem, Q_fem, out=W)
            B = 0.5 * np.einsum("ij,ij->i", W, fert)
            infants = B[:, None] * born_alive
            if migrating:
                m0 = (scale * h0) * (P_first + infants)
                np.maximum(m0, -infants, out=m0)
                M_first[...] = m0
                Q_first[...] = infants + m0
                net_mig[t, start:stop] = M2 @ ones
            else:
                Q_first[...] = infants
            births[t, start:stop] = B
            deaths[t, start:stop] = (start_total - survived) + B * infant_deaths
            start_total = Q2 @ ones
            totals[t + 1, start:stop] = start_total
            if t + 1 in snapshots:
                snapshots[t + 1][start:stop] = Q
            p_i, q_i = q_i, p_i
    return FastProjection(totals, births, deaths, net_mig, snapshots)


def pyramid(P: np.ndarray) -> dict[str, list[float]]:
    """(2, 101) -> {"male": [...], "female": [...]} in PYRAMID_GROUPS (rounded to 0.1)."""
    groups = np.add.reduceat(P, PYRAMID_LOWER, axis=-1)
    return {"male": [round(float(v), 1) for v in groups[0]], "female": [round(float(v), 1) for v in groups[1]]}


def newest_official_totals(inputs: Inputs, after_year: int) -> dict[str, tuple[int, float]]:
    """Newest official total per region later than ``after_year``: Observation totals or Region.population."""
    out: dict[str, tuple[int, float]] = {}
    for (key, year), value in inputs.population_totals.items():
        if year > after_year and value > 0 and (key not in out or year > out[key][0]):
            out[key] = (year, value)
    for key, info in inputs.regions.items():
        if info["population"] and info["population_date"] is not None:
            year = info["population_date"].year
            if year > after_year and (key not in out or year > out[key][0]):
                out[key] = (year, float(info["population"]))
    return out


# --- projection of one scenario (shared by compute_all and compute_scenario) ------------------------------------


@dataclass
class ProjectionSetup:
    """Everything the projection of any scenario needs: inputs of all regions, horizon and re-basing targets."""

    keys: list[str]
    base_year: int
    horizon_year: int
    pin: ProjectionInputs
    rebase_year: np.ndarray  # (R,) year of the newer official total (-1: none)
    rebase_value: np.ndarray  # (R,)
    keep: set[int]
    basis: str

    @property
    def horizon(self) -> int:
        return self.horizon_year - self.base_year


def _base_keys(tables: dict[str, AgeTable]) -> tuple[int, list[str]]:
    """The base year (newest year with population by age) and the regions that have it."""
    base_year = max(t.year for t in tables.values())
    return base_year, sorted(k for k, t in tables.items() if t.year == base_year)


def _projection_setup(
    inputs: Inputs,
    keys: list[str],
    P: np.ndarray,
    base_year: int,
    newest: dict[str, tuple[int, float]],
    horizon_year: int | None,
) -> ProjectionSetup:
    newest_year = max([y for (_k, y) in inputs.population_totals] + [y for y, _v in newest.values()] + [base_year])
    horizon_year = horizon_year or newest_year + DEFAULT_HORIZON_YEARS
    horizon = horizon_year - base_year
    pin = projection_inputs(inputs, keys, P, base_year)
    rebase_year = np.array([newest[k][0] if k in newest and newest[k][0] <= horizon_year else -1 for k in keys])
    rebase_value = np.array([newest[k][1] if k in newest and newest[k][0] <= horizon_year else np.nan for k in keys])
    keep = {0, horizon} | {int(y) - base_year for y in set(rebase_year.tolist()) if y > 0}
    proj_basis = (
        f"Basis 31.12.{base_year}; Geburten, Sterbefälle, Wanderungen {base_year}"
        + (
            f" (Niveau: Residualsaldo {max(MIGRATION_ASSUMPTION.first_year, ZENSUS_2011_FIRST_YEAR)}–{base_year}"
            f", gedämpft {100 * MIGRATION_ASSUMPTION.damping:g} %/Jahr)"
            if any("residual net migration" in note and "Kreise" in note for note in pin.notes)
            else ""
        )
        + "; "
        + (f"neu basiert auf amtlichen Stand {sorted(set(rebase_year[rebase_year > 0].tolist()))}" if newest else "")
    )[:300]
    return ProjectionSetup(keys, base_year, horizon_year, pin, rebase_year, rebase_value, keep, proj_basis)


def own_scenario_subset(official_key: str, index: dict[str, int]) -> list[int]:
    """Indices of the regions a Kommune's own scenario is projected for: its Gemeinde (or Kreis), Kreis and Land."""
    ak = official_key or ""
    return sorted({index[k] for k in (ak, ak[:5], ak[:2]) if k and k in index})


def _project_scenario(
    setup: ProjectionSetup, scenario: ProjectionScenario, subset: list[int]
) -> tuple[np.ndarray, list[Projection], int]:
    """Project ``scenario`` for the regions ``subset`` (indices into ``setup.keys``), re-based to newer totals.

    Returns the re-based totals (T+1, len(subset)), the unsaved Projection rows and the number of re-based regions.
    """
    pin, keys, base_year, horizon = setup.pin, setup.keys, setup.base_year, setup.horizon
    R = len(keys)
    sub = subset if len(subset) < R else slice(None)
    sub_pin = (
        pin
        if len(subset) == R
        else ProjectionInputs(
            keys=[keys[i] for i in subset],
            base_year=base_year,
            base=pin.base[sub],
            asfr=pin.asfr[sub],
            mortality_factor=pin.mortality_factor[sub],
            migration_rates=pin.migration_rates[sub],
            migration=pin.migration,
        )
    )
    result = project_regions(sub_pin, _scenario_preset(scenario), horizon, keep=setup.keep)
    tot = result.totals.copy()
    factor = np.ones(tot.shape[1])
    ry, rv = setup.rebase_year[sub], setup.rebase_value[sub]
    # Re-basing is phased in linearly from the base year (factor 1) to the year of the newer official
    # total (factor r) and held afterwards: the path meets the official level without a jump.
    years_index = np.arange(tot.shape[0])
    for j in range(tot.shape[1]):
        if ry[j] > 0:
            off = ry[j] - base_year
            if tot[off, j] > 0:
                factor[j] = rv[j] / tot[off, j]
                ramp = np.minimum(years_index / off, 1.0) if off > 0 else np.ones(tot.shape[0])
                tot[:, j] *= 1.0 + (factor[j] - 1.0) * ramp
    tot_lists = np.round(tot.T, 1).tolist()
    grouped = {}  # year offset -> (R, 2, 19) nested lists, scaled where re-based, rounded in one pass
    for off, snap in result.snapshots.items():
        ramp = np.minimum(off / np.maximum(ry - base_year, 1), 1.0)
        scale = np.where(ry > 0, 1.0 + (factor - 1.0) * ramp, 1.0)
        grouped[off] = np.round(np.add.reduceat(snap, PYRAMID_LOWER, axis=-1) * scale[:, None, None], 1).tolist()
    rows = []
    for j, k in enumerate(sub_pin.keys):
        pyramids = {}
        for off, g in grouped.items():
            if off in (0, horizon) or (ry[j] > 0 and off == ry[j] - base_year):
                pyramids[str(base_year + off)] = {"male": g[j][0], "female": g[j][1]}
        rows.append(
            Projection(
                region_key=k,
                scenario=scenario,
                base_year=base_year,
                horizon_year=setup.horizon_year,
                totals=tot_lists[j],
                pyramids=pyramids,
                basis=setup.basis,
            )
        )
    return tot, rows, int((ry > 0).sum())


# --- main entry point -------------------------------------------------------------------------------------------


@dataclass
class ComputeSummary:
    regions: int = 0
    base_year: int | None = None
    horizon_year: int | None = None
    indicator_values: int = 0
    projections: int = 0
    profiles: int = 0
    rebased: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_line(self) -> str:
        return (
            f"{self.regions} regions, base {self.base_year}, horizon {self.horizon_year}: "
            f"{self.indicator_values} indicator values, {self.projections} projections ({self.rebased} re-based), "
            f"{self.profiles} profiles in {sum(self.seconds.values()):.1f} s"
        )


def _basis(inputs: Inputs, dataset_ids: Iterable[int], what: str) -> str:
    codes = sorted({inputs.tables.get(i) or "?" for i in dataset_ids})
    return f"{what} (Tabelle {', '.join(codes)})"[:300]


def _scenario_preset(scenario: ProjectionScenario) -> engine.Scenario:
    return engine.Scenario(
        scenario.code,
        fertility_factor=scenario.fertility_factor,
        life_expectancy_shift_years=scenario.life_expectancy_shift,
        migration_factor=scenario.migration_factor,
    )


def project_regions(
    pin: ProjectionInputs, scenario: engine.Scenario, horizon: int, keep: Iterable[int] = (), dtype=np.float32
) -> FastProjection:
    """Project all regions of ``pin`` under ``scenario`` for ``horizon`` years (life-expectancy gain phased in)."""
    rates, infant, unit_index = survival_tables(
        pin.mortality_factor, _hazard_multipliers(scenario.life_expectancy_shift_years, max(horizon, 1))
    )
    path = pin.migration.path(horizon)
    factor = float(scenario.migration_factor)
    if factor != 1.0 or path is not None:  # scenario factor and damping as one scalar per year (no (R, 2, 101) copy)
        path = factor * (np.ones(max(horizon, 1)) if path is None else path)
    ff = float(scenario.fertility_factor)
    return run_projection(
        pin.base,
        asfr=pin.asfr if ff == 1.0 else pin.asfr * ff,
        survival_rates=rates,
        infant_survival=infant,
        unit_index=unit_index,
        migration_rates=pin.migration_rates,
        horizon=horizon,
        keep=keep,
        dtype=dtype,
        migration_path=path,
    )


def _insert_indicators(rows: dict[tuple[str, int], list[tuple[str, float]]], basis: dict[str, str]) -> int:
    """Insert indicator values with ``executemany`` (several times faster than ``bulk_create`` for 200,000 rows)."""
    meta = IndicatorValue._meta
    quote = connection.ops.quote_name
    fields = ["region_key", "indicator", "year", "value", "basis", "computed_at"]
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    now = timezone.now()
    params = [
        (k, name, year, v, basis.get(name, "")[:300], now) for (name, year), values in rows.items() for k, v in values
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 20_000):
            cursor.executemany(sql, params[start : start + 20_000])
    return len(params)


def compute_all(*, horizon_year: int | None = None, progress: Progress = None) -> ComputeSummary:
    """Recompute indicators, projections and profiles for every region with official data (see module doc)."""
    from . import comparison

    say = progress or (lambda _message: None)
    summary = ComputeSummary()
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = round(now - clock, 3)
        clock = now

    scenarios = ensure_preset_scenarios()
    inputs = load_inputs()
    lap("load")
    tables = inputs.population_ages
    if not tables:
        summary.notes.append("no population by age: nothing computed")
        return summary
    base_year, keys = _base_keys(tables)
    summary.base_year = base_year
    older = len(tables) - len(keys)
    if older:
        summary.notes.append(f"{older} regions have only older age data and were skipped")
    say(f"{len(keys)} regions with population by age {base_year}")
    P = expand_all(tables, keys)
    summary.regions = len(keys)
    lap("expand")

    # --- indicators --------------------------------------------------------------------------------------------
    R = len(keys)

    def vector(source: dict[tuple[str, int], float], year: int) -> np.ndarray:
        return np.array([source.get((k, year), np.nan) for k in keys])

    births, deaths = vector(inputs.births, base_year), vector(inputs.deaths, base_year)
    in_tables = age_tables(inputs.in_migration, year=base_year, allow_total=True)
    out_tables = age_tables(inputs.out_migration, year=base_year, allow_total=True)
    in_mig = np.array([in_tables[k].counts.sum() if k in in_tables else np.nan for k in keys])
    out_mig = np.array([out_tables[k].counts.sum() if k in out_tables else np.nan for k in keys])
    ind = engine.compute_indicators(P, births=births, deaths=deaths, in_migration=in_mig, out_migration=out_mig)
    total_now = ind["total"]
    for span in (5, 10):
        past = vector(inputs.population_totals, base_year - span)
        now = np.array([inputs.population_totals.get((k, base_year), total_now[i]) for i, k in enumerate(keys)])
        with np.errstate(divide="ignore", invalid="ignore"):
            ind[f"change_pct_{span}y"] = np.where(past > 0, (now / past - 1.0) * 100.0, np.nan)
    area = np.array([float(inputs.regions.get(k, {}).get("area_km2") or np.nan) for k in keys])
    newest = newest_official_totals(inputs, base_year)
    density_pop = np.array([newest[k][1] if k in newest else total_now[i] for i, k in enumerate(keys)])
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(area > 0, density_pop / area, np.nan)
    density_year = np.array([newest[k][0] if k in newest else base_year for k in keys])
    lap("indicators")

    age_ids = {tables[k].dataset_id for k in keys}
    pop_basis = _basis(inputs, age_ids, f"Bevölkerung nach Alter 31.12.{base_year}")
    rows: dict[tuple[str, int], list[tuple[str, float]]] = defaultdict(list)
    basis: dict[str, str] = {}
    vital_basis = f"Geburten/Sterbefälle {base_year} und Bevölkerung 31.12.{base_year}"
    mig_basis = f"Zu-/Fortzüge {base_year} und Bevölkerung 31.12.{base_year}"
    for name, values in ind.items():
        if name in ("natural_balance", "natural_balance_per_1000", "births_per_1000_women_15_44"):
            basis[name] = vital_basis
        elif name in ("net_migration", "net_migration_per_1000"):
            basis[name] = mig_basis
        elif name.startswith("change_pct_"):
            span = name.split("_")[2].rstrip("y")
            basis[name] = f"Bevölkerungsstand 31.12.{base_year - int(span)} und 31.12.{base_year}"
        else:
            basis[name] = pop_basis
        for i, k in enumerate(keys):
            if np.isfinite(values[i]):
                rows[(name, base_year)].append((k, float(values[i])))
    basis["density_per_km2"] = "Bevölkerung (neuester amtlicher Stand) je km² Fläche (Gemeindeverzeichnis)"
    for i, k in enumerate(keys):
        if np.isfinite(density[i]):
            rows[("density_per_km2", int(density_year[i]))].append((k, float(density[i])))

    # --- projection --------------------------------------------------------------------------------------------
    setup = _projection_setup(inputs, keys, P, base_year, newest, horizon_year)
    summary.horizon_year = horizon_year = setup.horizon_year
    summary.notes.extend(setup.pin.notes)
    projection_rows = []
    todo = [(s, list(range(R))) for s in scenarios]
    own = ProjectionScenario.objects.filter(municipality__isnull=False).select_related("municipality")
    index = {k: i for i, k in enumerate(keys)}
    for s in own:
        subset = own_scenario_subset(s.municipality.official_key, index)
        if subset:
            todo.append((s, subset))
    medium_change = np.full(R, np.nan)
    medium_rebased_total = np.full(R, np.nan)
    for scenario, subset in todo:
        t0 = time.perf_counter()
        tot, scenario_rows, rebased = _project_scenario(setup, scenario, subset)
        summary.seconds[f"project_{scenario.code}"] = round(time.perf_counter() - t0, 3)
        if scenario.code == "medium" and scenario.municipality_id is None:
            medium_change = (tot[-1] / tot[0] - 1.0) * 100.0
            medium_rebased_total = tot[-1]
            summary.rebased = rebased
        projection_rows.extend(scenario_rows)
    lap("projection")
    basis["projected_change_pct"] = f"Vorausberechnung mittlere Variante {base_year}–{horizon_year}"
    basis["projected_population"] = basis["projected_change_pct"]
    for i, k in enumerate(keys):
        if np.isfinite(medium_change[i]):
            rows[("projected_change_pct", horizon_year)].append((k, float(medium_change[i])))
            rows[("projected_population", horizon_year)].append((k, float(medium_rebased_total[i])))

    # --- profiles ----------------------------------------------------------------------------------------------
    features = {
        "population": np.array([newest[k][1] if k in newest else total_now[i] for i, k in enumerate(keys)]),
        "change_pct_5y": ind["change_pct_5y"],
        "share_under_18": ind["share_under_3"] + ind["share_3_5"] + ind["share_6_17"],
        "share_65_plus": ind["share_65_plus"],
        "old_age_dependency_ratio": ind["old_age_dependency_ratio"],
        "median_age": ind["median_age"],
        "net_migration_per_1000": ind.get("net_migration_per_1000", np.full(R, np.nan)),
        "natural_balance_per_1000": ind.get("natural_balance_per_1000", np.full(R, np.nan)),
        "projected_change_pct": medium_change,
        "density": density,
    }
    levels = [level_of(k, inputs.regions) for k in keys]
    profiles = comparison.build_profiles(keys, levels, features)
    lap("profiles")

    with transaction.atomic():
        for name, year in rows:
            IndicatorValue.objects.filter(indicator=name, year=year).delete()
        summary.indicator_values = _insert_indicators(rows, basis)
        Projection.objects.filter(scenario__in=[s for s, _ in todo]).delete()
        Projection.objects.bulk_create(projection_rows, batch_size=1000)
        summary.projections = len(projection_rows)
        summary.profiles = comparison.store_profiles(profiles)
    lap("store")
    counts = Counter(levels)
    say(f"levels: {dict(counts)}")
    return summary


# --- one Kommune scenario (background task) ---------------------------------------------------------------------

#: Steps reported by :func:`compute_scenario` through ``progress`` (labels: ``ProjectionScenario.Step``).
SCENARIO_STEPS = ("load", "prepare", "project", "store")


class NoScenarioRegions(Exception):
    """None of the Kommune's regions (Gemeinde or Kreis, Kreis, Land) has population by age in the base year."""


class ScenarioChanged(Exception):
    """The scenario was changed or deleted while it was computed: the newer computation writes the result."""


def _assumptions(scenario: ProjectionScenario) -> tuple:
    return (scenario.fertility_factor, scenario.life_expectancy_shift, scenario.migration_factor)


def compute_scenario(
    scenario: ProjectionScenario, *, progress: Progress = None, horizon_year: int | None = None
) -> int:
    """Project only ``scenario`` (a Kommune's own one) for the Kommune's regions; returns the number of rows.

    The same path as the Kommune scenarios in :func:`compute_all` (same inputs of all regions, same re-basing), so
    the result is comparable to the presets: the horizon defaults to that of the stored medium preset. The
    scenario's Projection rows are replaced in one transaction. ``progress`` receives the names of
    :data:`SCENARIO_STEPS`. Raises :class:`NoScenarioRegions` when none of the regions has data and
    :class:`ScenarioChanged` when the assumptions changed (or the scenario was deleted) in the meantime.
    """
    say = progress or (lambda _step: None)
    say("load")
    inputs = load_inputs()
    tables = inputs.population_ages
    if not tables:
        raise NoScenarioRegions
    say("prepare")
    base_year, keys = _base_keys(tables)
    index = {k: i for i, k in enumerate(keys)}
    official_key = scenario.municipality.official_key if scenario.municipality_id else ""
    subset = own_scenario_subset(official_key, index)
    if not subset:
        raise NoScenarioRegions
    if horizon_year is None:
        horizon_year = (
            Projection.objects.filter(
                scenario__municipality__isnull=True,
                scenario__code="medium",
                region_key__in=[keys[i] for i in subset],
                base_year=base_year,
            )
            .values_list("horizon_year", flat=True)
            .first()
        )
    P = expand_all(tables, keys)
    setup = _projection_setup(inputs, keys, P, base_year, newest_official_totals(inputs, base_year), horizon_year)
    say("project")
    _tot, rows, _rebased = _project_scenario(setup, scenario, subset)
    say("store")
    with transaction.atomic():
        current = ProjectionScenario.objects.select_for_update().filter(pk=scenario.pk).first()
        if current is None or _assumptions(current) != _assumptions(scenario):
            raise ScenarioChanged
        Projection.objects.filter(scenario=scenario).delete()
        Projection.objects.bulk_create(rows)
    return len(rows)
