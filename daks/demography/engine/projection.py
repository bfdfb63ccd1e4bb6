"""Cohort-component population projection for many regions at once (pure numpy).

State ``P[t]`` has shape ``(R, 2, 101)`` (regions x sex [0 = male, 1 = female] x single ages 0..99, 100+) and
refers to 31 December of year ``t``. One projection step (see docs/methods.md, "Projection model"):

1. Survival: ``survivors[a] = P[a] * S[a]``; survivors move to age ``a + 1``; the 100+ cell keeps its own survivors
   (``S[100]``) and receives the survivors of age 99 (open age group accumulates).
2. Net migration for ages 1..100: ``rate[a] * base[a] + count[a]`` with ``base`` = mid-year population
   ``0.5 * (P_start[a] + Q[a])`` (``Q`` = closed end-of-year population, default) or ``P_start[a]``
   (``migration_basis="start"``); migration is indexed by period age.
3. Births: ``B = sum_a ASFR[a] * W[a]`` with ``W`` = mean of the female population aged ``a`` at the start and at
   the end of the year (after steps 1-2, default) or the start population (``births_basis="start"``). Split by the
   sex ratio at birth (male per female, default 1.05); infants alive at 31 December = births * ``L0 / l0``
   (infant survival from the life table, "S0 adjustment").
4. Net migration for age 0 (same rule as step 2, with the infants as end-of-year population).
5. Clamp: a cell never becomes negative. If a net outflow exceeds the population of the cell, the outflow is capped
   at that population; the amount not realised is recorded in ``capped`` (>= 0).

Accounting identity (exact up to floating rounding, per region and year):
``P[t+1].sum() == P[t].sum() + births[t] - deaths[t] + net_migration[t]`` where ``net_migration`` is the
*effective* (capped) migration and ``deaths`` includes the deaths of infants born in the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .ages import MAX_AGE, N_AGES

MALE = 0
FEMALE = 1
FERTILE_AGES = (15, 49)  # inclusive; ASFR must be 0 outside
DEFAULT_SEX_RATIO_AT_BIRTH = 1.05
DEFAULT_HORIZON = 20
_INFANT_AX = 0.1  # average fraction of the first year lived by infants who die (deaths concentrate early)

# ---------------------------------------------------------------------------------------------------------------------
# Compact default German life table, probabilities of dying q_x for ages 0..99 and 100+ (index 100).
# APPROXIMATION, not official figures: a smooth parametric schedule (infant value + declining childhood mortality +
# young-adult "accident hump" + Gompertz-Makeham adult mortality) whose Gompertz level was calibrated so that life
# expectancy at birth (computed with :func:`life_table`) equals the Destatis Sterbetafel 2021/2023 values of about
# 78.2 years (men) and 82.9 years (women); infant mortality q_0 of about 0.0034 / 0.0029 as in that table. Values at
# individual ages can deviate from the official table by up to roughly 20 % (e.g. men at 90+ are somewhat too low).
# Replace with the official table (Destatis 12621-0001) when the importer provides it.
# ---------------------------------------------------------------------------------------------------------------------
# fmt: off
_QX_MALE = (
    0.0034, 0.00046989, 0.000381448, 0.000312563, 0.000258913, 0.000217128, 0.000184585, 0.000159239,
    0.000153772, 0.000162763, 0.000174183, 0.000189248, 0.000209584, 0.000237132, 0.00027384, 0.000321147,
    0.000379317, 0.000446799, 0.000519878, 0.000592875, 0.000659001, 0.000711759, 0.000746505, 0.000761683,
    0.00075929, 0.00074441, 0.000723991, 0.000705279, 0.00069443, 0.000695649, 0.000711006, 0.000740783,
    0.000784119, 0.000839686, 0.000906207, 0.000982766, 0.00106892, 0.00116466, 0.00127039, 0.00138676,
    0.00151465, 0.00165511, 0.00180934, 0.00197867, 0.00216457, 0.00236864, 0.00259267, 0.0028386,
    0.00310856, 0.0034049, 0.00373018, 0.00408722, 0.0044791, 0.00490922, 0.00538128, 0.00589934,
    0.00646787, 0.00709175, 0.00777633, 0.00852746, 0.00935155, 0.0102556, 0.0112473, 0.0123351,
    0.0135282, 0.0148364, 0.016271, 0.0178437, 0.0195676, 0.0214571, 0.0235275, 0.0257958,
    0.0282804, 0.0310011, 0.0339798, 0.0372399, 0.0408068, 0.044708, 0.0489734, 0.0536349,
    0.058727, 0.0642866, 0.0703532, 0.0769692, 0.0841794, 0.0920314, 0.100575, 0.109864,
    0.119953, 0.130899, 0.142761, 0.155599, 0.169475, 0.184447, 0.200577, 0.21792,
    0.23653, 0.256454, 0.277732, 0.300396, 0.324462,
)
_QX_FEMALE = (
    0.0029, 0.000369932, 0.000303594, 0.000251927, 0.000211688, 0.000180348, 0.000155939, 0.00013693,
    0.000122125, 0.000110594, 9.90646e-05, 0.000104928, 0.000112535, 0.000122487, 0.000135389, 0.000151697,
    0.000171517, 0.000194414, 0.000219306, 0.000244525, 0.000268075, 0.000288051, 0.000303109, 0.000312839,
    0.000317902, 0.000319896, 0.000320984, 0.000323426, 0.000329169, 0.000339581, 0.000355403, 0.000376855,
    0.000403828, 0.000436087, 0.000473435, 0.000515803, 0.000563286, 0.000616139, 0.00067476, 0.000739664,
    0.000811465, 0.000890869, 0.000978667, 0.00107574, 0.00118307, 0.00130173, 0.00143292, 0.00157796,
    0.00173831, 0.00191558, 0.00211156, 0.00232821, 0.00256772, 0.00283247, 0.00312514, 0.00344865,
    0.00380624, 0.00420148, 0.00463833, 0.00512114, 0.00565472, 0.00624438, 0.00689598, 0.00761597,
    0.00841147, 0.00929033, 0.0102612, 0.0113336, 0.012518, 0.013826, 0.0152703, 0.0168648,
    0.0186249, 0.0205674, 0.0227108, 0.0250753, 0.0276831, 0.0305586, 0.0337281, 0.0372207,
    0.0410679, 0.0453038, 0.0499659, 0.0550943, 0.0607327, 0.066928, 0.0737308, 0.0811951,
    0.0893785, 0.0983423, 0.108151, 0.118873, 0.130578, 0.14334, 0.157233, 0.172332,
    0.188713, 0.206449, 0.22561, 0.246257, 0.268447,
)
# fmt: on

#: Default life table q_x, shape (2, 101): [male, female] x ages 0..100+ (see comment above).
DEFAULT_QX = np.array([_QX_MALE, _QX_FEMALE], dtype=float)


# --- life table --------------------------------------------------------------------------------------------------


def life_table(qx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(l, L, T)`` for probabilities of dying ``qx`` of shape (..., 101), radix ``l_0 = 1``.

    ``L_x = l_x - (1 - a_x) d_x`` with ``a_x = 0.5`` (``a_0 = 0.1``); open group ``L_100+ = l_100 / m_100`` with
    ``m_100 = 2 q_100 / (2 - q_100)``; ``T_x = sum_{y >= x} L_y``; life expectancy ``e_x = T_x / l_x``.
    """
    q = np.clip(np.asarray(qx, dtype=float), 0.0, 1.0)
    if q.shape[-1] != N_AGES:
        raise ValueError("qx must have 101 ages in its last axis")
    q = q.copy()
    q[..., MAX_AGE] = np.maximum(q[..., MAX_AGE], 1e-6)  # the open group must eventually die out
    lead = q.shape[:-1]
    l_ = np.concatenate([np.ones((*lead, 1)), np.cumprod(1.0 - q[..., :-1], axis=-1)], axis=-1)
    d = l_ * q
    L = l_ - 0.5 * d
    L[..., 0] = l_[..., 0] - (1.0 - _INFANT_AX) * d[..., 0]
    q100 = q[..., MAX_AGE]
    L[..., MAX_AGE] = l_[..., MAX_AGE] * (2.0 - q100) / (2.0 * q100)
    T = np.cumsum(L[..., ::-1], axis=-1)[..., ::-1]
    return l_, L, T


def life_expectancy(qx: np.ndarray) -> np.ndarray:
    """Life expectancy at birth e_0 for ``qx`` (..., 101) -> (...)."""
    return life_table(qx)[2][..., 0]


def shift_life_expectancy(qx: np.ndarray, shift_years: float, iterations: int = 60) -> np.ndarray:
    """Scale the hazards ``mu_x = -ln(1 - q_x)`` by one factor ``f`` per schedule so e_0 changes by ``shift_years``.

    ``q'_x = 1 - exp(-f mu_x)``; ``f`` is found by bisection on ``ln f`` in [-8, 8] (vectorised over all leading
    axes). Proportional scaling keeps the age pattern of mortality; targets outside the reachable range are clamped.
    """
    q = np.clip(np.asarray(qx, dtype=float), 0.0, 1.0 - 1e-12)
    if shift_years == 0:
        return q.copy()
    mu = -np.log1p(-q)
    target = life_expectancy(q) + shift_years
    lo = np.full(q.shape[:-1], -8.0)
    hi = np.full(q.shape[:-1], 8.0)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        e = life_expectancy(-np.expm1(-np.exp(mid)[..., None] * mu))
        too_long = e > target  # hazards too low -> increase f
        lo = np.where(too_long, mid, lo)
        hi = np.where(too_long, hi, mid)
    f = np.exp(0.5 * (lo + hi))
    return -np.expm1(-f[..., None] * mu)


@dataclass(frozen=True)
class SurvivalSchedule:
    """Survival ratios for the projection.

    ``rates`` (..., 2, 101): probability that a person aged ``a`` on 31 Dec is alive (aged ``a+1``) one year later
    (``rates[..., 100]`` for the 100+ group staying in it). ``infant`` (..., 2): share of births alive on 31 Dec of
    the birth year (``L_0 / l_0``). Leading axes: ``(R|1,)`` constant, or ``(T, R|1)`` one schedule per year.
    """

    rates: np.ndarray
    infant: np.ndarray

    def __post_init__(self) -> None:
        rates = np.asarray(self.rates, dtype=float)
        infant = np.asarray(self.infant, dtype=float)
        if rates.shape[-2:] != (2, N_AGES) or rates.ndim not in (2, 3, 4):
            raise ValueError(f"survival rates must have shape ([T,] [R,] 2, {N_AGES}), got {rates.shape}")
        if rates.ndim == 2:
            rates = rates[None]
        try:
            infant = np.broadcast_to(infant, rates.shape[:-1]).copy()
        except ValueError:
            raise ValueError(f"infant survival must broadcast to {rates.shape[:-1]}, got {infant.shape}") from None
        for name, arr in (("rates", rates), ("infant", infant)):
            if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
                raise ValueError(f"survival {name} must lie in [0, 1]")
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "infant", infant)

    @property
    def by_year(self) -> bool:
        return self.rates.ndim == 4

    def at(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rates (R|1, 2, 101), infant (R|1, 2))`` for projection year ``t`` (0-based)."""
        if self.by_year:
            i = min(t, self.rates.shape[0] - 1)
            return self.rates[i], self.infant[i]
        return self.rates, self.infant


def survival_from_life_table(
    qx: np.ndarray | None = None, life_expectancy_shift_years: float = 0.0
) -> SurvivalSchedule:
    """Build survival ratios from a life table ``qx`` (..., 2, 101) (default :data:`DEFAULT_QX`).

    ``S_a = L_{a+1} / L_a`` for a = 0..98, ``S_99 = S_100+ = T_100 / T_99`` (closing the open group as in Preston et
    al., *Demography*, 2001, ch. 6), infant survival ``L_0 / l_0``. With ``life_expectancy_shift_years`` != 0 the
    mortality schedule is first adjusted with :func:`shift_life_expectancy`.
    """
    q = DEFAULT_QX if qx is None else np.asarray(qx, dtype=float)
    if q.shape[-2:] != (2, N_AGES):
        raise ValueError(f"qx must have shape (..., 2, {N_AGES})")
    if life_expectancy_shift_years:
        q = shift_life_expectancy(q, life_expectancy_shift_years)
    l_, L, T = life_table(q)
    S = np.empty_like(L)
    S[..., : MAX_AGE - 1] = L[..., 1:MAX_AGE] / L[..., : MAX_AGE - 1]
    closing = T[..., MAX_AGE] / T[..., MAX_AGE - 1]
    S[..., MAX_AGE - 1] = closing
    S[..., MAX_AGE] = closing
    infant = L[..., 0] / l_[..., 0]
    if S.ndim == 2:  # a single (2, 101) table -> leading region axis of length 1
        S, infant = S[None], infant[None]
    return SurvivalSchedule(rates=np.clip(S, 0.0, 1.0), infant=infant)


def survival_for_scenario(
    qx: np.ndarray | None,
    life_expectancy_shift_years: float,
    horizon: int = DEFAULT_HORIZON,
    phase_in: bool = True,
) -> SurvivalSchedule:
    """Survival for a scenario: the e_0 gain is phased in linearly (``shift * t / horizon`` in year t = 1..horizon).

    With ``phase_in=False`` (or no shift) the full shift applies from the first year and one constant schedule is
    returned. Phase-in materialises one schedule per year: use it with national/Land life tables (leading shape
    ``(1,)``), not with 11,000 regional tables.
    """
    if not life_expectancy_shift_years or not phase_in:
        return survival_from_life_table(qx, life_expectancy_shift_years)
    schedules = [survival_from_life_table(qx, life_expectancy_shift_years * (t + 1) / horizon) for t in range(horizon)]
    return SurvivalSchedule(
        rates=np.stack([s.rates for s in schedules]), infant=np.stack([s.infant for s in schedules])
    )


# --- fertility --------------------------------------------------------------------------------------------------


def default_asfr(tfr: float = 1.35, mean_age: float = 31.5, sd: float = 5.5) -> np.ndarray:
    """Illustrative age-specific fertility rates (101,): a normal curve over ages 15..49 scaled to ``tfr``.

    Defaults approximate Germany 2023 (TFR about 1.35, mean age of mothers about 31.5); not official rates.
    """
    ages = np.arange(N_AGES) + 0.5
    shape = np.exp(-0.5 * ((ages - mean_age) / sd) ** 2)
    shape[: FERTILE_AGES[0]] = 0.0
    shape[FERTILE_AGES[1] + 1 :] = 0.0
    return shape / shape.sum() * tfr


# --- scenarios --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """Projection variant: multiplies fertility and migration inputs and shifts life expectancy at birth.

    ``life_expectancy_shift_years`` is the gain in e_0 reached at the end of the horizon (phased in linearly).
    """

    name: str
    fertility_factor: float = 1.0
    life_expectancy_shift_years: float = 0.0
    migration_factor: float = 1.0
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.fertility_factor < 0:
            raise ValueError("fertility_factor must be >= 0")
        if not self.label:
            object.__setattr__(self, "label", self.name)


#: Presets (ratios loosely follow the spread of the Destatis variants G1-G3 / L1-L3 / W1-W3, see docs/methods.md).
SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("low", fertility_factor=0.9, life_expectancy_shift_years=1.0, migration_factor=0.6, label="niedrig"),
        Scenario("medium", fertility_factor=1.0, life_expectancy_shift_years=2.0, migration_factor=1.0, label="mittel"),
        Scenario("high", fertility_factor=1.1, life_expectancy_shift_years=3.0, migration_factor=1.4, label="hoch"),
    )
}


# --- projection -------------------------------------------------------------------------------------------------


@dataclass
class ProjectionResult:
    """Projection output. ``population``: (T+1, R, 2, 101) or None (``keep_years=False``); components (T, R)."""

    population: np.ndarray | None
    final: np.ndarray
    totals: np.ndarray  # (T+1, R)
    births: np.ndarray  # (T, R)
    deaths: np.ndarray  # (T, R), including infants born and dying in the same year
    net_migration: np.ndarray  # (T, R), effective (after capping)
    capped: np.ndarray  # (T, R), outflow not realised because a cell would have become negative (>= 0)
    scenario: Scenario | None = None

    @property
    def horizon(self) -> int:
        return self.births.shape[0]

    def accounting_error(self) -> np.ndarray:
        """Relative error of ``P(t+1) = P(t) + B - D + M`` per year and region, (T, R)."""
        expected = self.totals[:-1] + self.births - self.deaths + self.net_migration
        scale = np.maximum(np.abs(self.totals[1:]), 1.0)
        return np.abs(self.totals[1:] - expected) / scale


def _as_regions(x: np.ndarray | None, tail: tuple[int, ...], name: str) -> np.ndarray | None:
    """Validate an input with trailing shape ``tail`` and optional leading (R|1,) or (T, R|1) axes."""
    if x is None:
        return None
    a = np.asarray(x, dtype=float)
    if a.shape[a.ndim - len(tail) :] != tail or a.ndim > len(tail) + 2:
        raise ValueError(f"{name} must have shape ([T,] [R,] {', '.join(map(str, tail))}), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    while a.ndim < len(tail) + 1:
        a = a[None]
    return a


def _at_year(a: np.ndarray | None, t: int, tail_ndim: int) -> np.ndarray | None:
    if a is None or a.ndim == tail_ndim + 1:
        return a
    return a[min(t, a.shape[0] - 1)]


def _cap(cells: np.ndarray, migration: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(effective migration, capped amount per cell)``; effective >= -cells."""
    effective = np.maximum(migration, -cells)
    return effective, effective - migration


def project(
    base: np.ndarray,
    *,
    survival: SurvivalSchedule,
    asfr: np.ndarray | None = None,
    sex_ratio_at_birth: float = DEFAULT_SEX_RATIO_AT_BIRTH,
    migration_rates: np.ndarray | None = None,
    migration_counts: np.ndarray | None = None,
    horizon: int = DEFAULT_HORIZON,
    births_basis: str = "mean",
    migration_basis: str = "mid",
    keep_years: bool = True,
) -> ProjectionResult:
    """Project ``base`` (R, 2, 101) ``horizon`` years ahead (all regions at once; loop over years only).

    * ``asfr``: births per woman and year by age, (101,), (R|1, 101); must be 0 outside ages 15-49. None = no births.
    * ``migration_rates``: net migrants per person and year, (R|1, 2, 101) or per year (T, R|1, 2, 101).
    * ``migration_counts``: absolute net migrants per year, same shapes; added to the rate-based migration.
    * ``births_basis``: ``"mean"`` (mean of start and end female population) or ``"start"``.
    * ``migration_basis``: ``"mid"`` (mean of start and closed end population of the same age) or ``"start"``.
    """
    P = np.asarray(base, dtype=float)
    if P.ndim != 3 or P.shape[1:] != (2, N_AGES):
        raise ValueError(f"base population must have shape (R, 2, {N_AGES}), got {P.shape}")
    if not np.all(np.isfinite(P)) or np.any(P < 0):
        raise ValueError("base population must be finite and non-negative")
    if horizon < 0:
        raise ValueError("horizon must be >= 0")
    if births_basis not in ("mean", "start") or migration_basis not in ("mid", "start"):
        raise ValueError("births_basis must be 'mean'|'start' and migration_basis 'mid'|'start'")
    if sex_ratio_at_birth <= 0:
        raise ValueError("sex_ratio_at_birth must be positive")
    R = P.shape[0]
    fert = _as_regions(asfr, (N_AGES,), "asfr")
    if fert is not None:
        if fert.ndim != 2:
            raise ValueError("asfr must have shape (101,) or (R|1, 101)")
        if np.any(fert < 0):
            raise ValueError("asfr must be non-negative")
        outside = np.ones(N_AGES, dtype=bool)
        outside[FERTILE_AGES[0] : FERTILE_AGES[1] + 1] = False
        if np.any(fert[:, outside] != 0):
            raise ValueError("asfr must be 0 outside ages 15-49")
        fert = fert[:, FERTILE_AGES[0] : FERTILE_AGES[1] + 1]
    rates = _as_regions(migration_rates, (2, N_AGES), "migration_rates")
    counts = _as_regions(migration_counts, (2, N_AGES), "migration_counts")
    share_male = sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
    sex_split = np.array([share_male, 1.0 - share_male])

    shape_t = (horizon, R)
    births, deaths = np.zeros(shape_t), np.zeros(shape_t)
    net_mig, capped = np.zeros(shape_t), np.zeros(shape_t)
    totals = np.empty((horizon + 1, R))
    totals[0] = P.sum(axis=(1, 2))
    population = np.empty((horizon + 1, *P.shape)) if keep_years else None
    if population is not None:
        population[0] = P
    lo_f, hi_f = FERTILE_AGES[0], FERTILE_AGES[1] + 1

    for t in range(horizon):
        S, S0 = survival.at(t)
        rate_t, count_t = _at_year(rates, t, 2), _at_year(counts, t, 2)

        # 1. survival and ageing
        survivors = P * S
        dead = (P - survivors).sum(axis=(1, 2))
        Q = np.empty_like(P)
        Q[:, :, 0] = 0.0
        Q[:, :, 1:] = survivors[:, :, :-1]
        Q[:, :, MAX_AGE] += survivors[:, :, MAX_AGE]

        # 2. migration ages 1..100
        mig_total = np.zeros(R)
        cap_total = np.zeros(R)
        if rate_t is not None or count_t is not None:
            M = np.zeros((R, 2, N_AGES - 1))
            if rate_t is not None:
                mig_base = P[:, :, 1:] if migration_basis == "start" else 0.5 * (P[:, :, 1:] + Q[:, :, 1:])
                M += rate_t[:, :, 1:] * mig_base
            if count_t is not None:
                M += count_t[:, :, 1:]
            eff, cap = _cap(Q[:, :, 1:], M)
            Q[:, :, 1:] += eff
            mig_total += eff.sum(axis=(1, 2))
            cap_total += cap.sum(axis=(1, 2))

        # 3. births and infants (age 0 on 31 Dec)
        if fert is not None:
            women = P[:, FEMALE, lo_f:hi_f]
            if births_basis == "mean":
                women = 0.5 * (women + Q[:, FEMALE, lo_f:hi_f])
            B = (fert * women).sum(axis=1)
            born = B[:, None] * sex_split  # (R, 2)
            infants = born * S0
            Q[:, :, 0] = infants
            births[t] = B
            dead = dead + (born - infants).sum(axis=1)

        # 4. migration age 0
        if rate_t is not None or count_t is not None:
            M0 = np.zeros((R, 2))
            if rate_t is not None:
                mig_base0 = P[:, :, 0] if migration_basis == "start" else 0.5 * (P[:, :, 0] + Q[:, :, 0])
                M0 += rate_t[:, :, 0] * mig_base0
            if count_t is not None:
                M0 += count_t[:, :, 0]
            eff0, cap0 = _cap(Q[:, :, 0], M0)
            Q[:, :, 0] += eff0
            mig_total += eff0.sum(axis=1)
            cap_total += cap0.sum(axis=1)

        np.maximum(Q, 0.0, out=Q)  # removes -0.0 / rounding residue of fully emptied cells only
        P = Q
        deaths[t], net_mig[t], capped[t] = dead, mig_total, cap_total
        totals[t + 1] = P.sum(axis=(1, 2))
        if population is not None:
            population[t + 1] = P

    return ProjectionResult(
        population=population,
        final=P,
        totals=totals,
        births=births,
        deaths=deaths,
        net_migration=net_mig,
        capped=capped,
    )


def project_scenario(
    base: np.ndarray,
    scenario: Scenario,
    *,
    qx: np.ndarray | None = None,
    asfr: np.ndarray | None = None,
    migration_rates: np.ndarray | None = None,
    migration_counts: np.ndarray | None = None,
    horizon: int = DEFAULT_HORIZON,
    phase_in: bool = True,
    **kwargs,
) -> ProjectionResult:
    """Apply a :class:`Scenario` to base inputs and run :func:`project`.

    Fertility and migration inputs are multiplied by the scenario factors (negative migration is scaled as well);
    survival comes from ``qx`` (default life table) with the scenario's e_0 shift (:func:`survival_for_scenario`).
    """
    survival = survival_for_scenario(qx, scenario.life_expectancy_shift_years, horizon, phase_in)

    def scaled(x: np.ndarray | None, factor: float) -> np.ndarray | None:
        return None if x is None else np.asarray(x, dtype=float) * factor

    result = project(
        base,
        survival=survival,
        asfr=scaled(asfr, scenario.fertility_factor),
        migration_rates=scaled(migration_rates, scenario.migration_factor),
        migration_counts=scaled(migration_counts, scenario.migration_factor),
        horizon=horizon,
        **kwargs,
    )
    result.scenario = scenario
    return result


# --- migration rate estimation ------------------------------------------------------------------------------------


def estimate_migration_rates(
    net_migration_by_age_history: np.ndarray,
    population_history: np.ndarray,
    parent_rates: np.ndarray,
    weight_k: float,
    return_weights: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Net migration rates with shrinkage towards parent (Kreis/Land) rates.

    Inputs have a leading year axis: ``(Y, R, ...)`` (e.g. ``(Y, R, 2, 101)`` or age groups). Per cell, the raw
    rate is pooled over the years, ``r = sum_y net / sum_y pop``, with exposure ``n = sum_y pop`` (person-years).
    The estimate is ``w * r + (1 - w) * parent`` with ``w = n / (n + k)``: a cell with ``k`` person-years gets
    equal weight on its own and the parent rate; cells without exposure get the parent rate.
    ``parent_rates`` must broadcast to ``(R, ...)``.
    """
    net = np.asarray(net_migration_by_age_history, dtype=float)
    pop = np.asarray(population_history, dtype=float)
    if net.shape != pop.shape:
        raise ValueError("net migration and population histories must have the same shape (Y, R, ...)")
    if weight_k < 0:
        raise ValueError("weight_k must be >= 0")
    if np.any(pop < 0):
        raise ValueError("population must be non-negative")
    n = pop.sum(axis=0)
    total_net = net.sum(axis=0)
    parent = np.broadcast_to(np.asarray(parent_rates, dtype=float), n.shape)
    raw = np.zeros_like(n)
    np.divide(total_net, n, out=raw, where=n > 0)
    w = np.zeros_like(n)
    np.divide(n, n + weight_k, out=w, where=(n + weight_k) > 0)
    rates = w * raw + (1.0 - w) * parent
    return (rates, w) if return_weights else rates
