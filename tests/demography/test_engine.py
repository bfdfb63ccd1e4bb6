"""Tests of the pure-numpy demography engine (daks.demography.engine)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daks.demography.engine import (
    DEFAULT_QX,
    SCENARIOS,
    Scenario,
    SurvivalSchedule,
    aggregate_to_groups,
    compute_indicators,
    default_asfr,
    estimate_migration_rates,
    expand_age_groups,
    life_expectancy,
    parse_age_groups,
    project,
    project_scenario,
    shift_life_expectancy,
    survival_for_scenario,
    survival_from_life_table,
)

N = 101
WIDE_LABELS = [
    "00_03", "03_06", "06_10", "10_15", "15_18", "18_20", "20_25", "25_30", "30_35",
    "35_40", "40_45", "45_50", "50_55", "55_60", "60_65", "65_75", "75_plus",
]  # fmt: skip


def _survival(value, regions=1, infant=1.0):
    return SurvivalSchedule(rates=np.full((regions, 2, N), value), infant=np.full((regions, 2), infant))


# --- age expansion ----------------------------------------------------------------------------------------------


def test_parse_age_groups_styles():
    assert list(parse_age_groups(WIDE_LABELS)) == [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75]
    assert list(parse_age_groups(["0-2", "3-5", "6-9", "10-74", "75+"])) == [0, 3, 6, 10, 75]
    with pytest.raises(ValueError, match="contiguous"):
        parse_age_groups(["0-2", "4-5", "6+"])
    with pytest.raises(ValueError, match="open-ended"):
        parse_age_groups(["0-2", "3-5"])


@pytest.mark.parametrize("with_reference", [False, True])
def test_expansion_preserves_group_totals_and_is_non_negative(with_reference):
    rng = np.random.default_rng(1)
    lower = parse_age_groups(WIDE_LABELS)
    counts = rng.integers(0, 5000, size=(50, 2, lower.size)).astype(float)
    counts[3] = 0.0
    reference = None
    if with_reference:
        reference = rng.integers(0, 300, size=(50, 2, N)).astype(float)
        reference[:, :, 75:] = 0.0  # no reference in the top group -> default weights there
        reference[7] = 0.0
    single = expand_age_groups(counts, lower, reference=reference)
    assert single.shape == (50, 2, N)
    assert np.all(single >= 0)
    np.testing.assert_allclose(aggregate_to_groups(single, lower), counts, rtol=1e-12, atol=1e-9)


def test_expansion_default_weights_uniform_and_geometric_top():
    lower = [0, 3, 6, 10, 75]
    counts = np.array([[[30.0, 30.0, 40.0, 650.0, 1000.0]]])
    single = expand_age_groups(counts, lower, top_decline=0.8)[0, 0]
    np.testing.assert_allclose(single[0:3], 10.0)
    np.testing.assert_allclose(single[3:6], 10.0)
    np.testing.assert_allclose(single[6:10], 10.0)
    np.testing.assert_allclose(single[76:100] / single[75:99], 0.8)
    # 100+ holds the whole geometric tail: w_100 = r**25 / (1 - r), relative to w_75 = 1
    np.testing.assert_allclose(single[100] / single[75], 0.8**25 / 0.2)
    assert single[75:].sum() == pytest.approx(1000.0, rel=1e-12)


def test_expansion_follows_reference_shape():
    lower = [0, 3, 100]
    counts = np.array([[[60.0, 97.0, 5.0]]])
    reference = np.zeros((1, 1, N))
    reference[0, 0, :3] = [1.0, 2.0, 3.0]  # group 0-2 shaped 1:2:3; groups 3-99 and 100+ have no reference
    single = expand_age_groups(counts, lower, reference=reference)[0, 0]
    np.testing.assert_allclose(single[:3], [10.0, 20.0, 30.0])
    np.testing.assert_allclose(single[3:100], 1.0)
    assert single[100] == 5.0


def test_expansion_rejects_negative_counts():
    with pytest.raises(ValueError):
        expand_age_groups(np.array([[-1.0, 2.0]]), [0, 50])


# --- indicators -------------------------------------------------------------------------------------------------


def _pyramids():
    P = np.zeros((3, 2, N))
    P[0, 0, 10] = P[0, 0, 30] = 10.0  # men aged 10 and 30
    P[0, 1, 70] = P[0, 1, 85] = 10.0  # women aged 70 and 85
    P[1, :, :100] = 0.5  # one person per single age 0..99, half male and half female
    return P  # region 2 is empty


def test_indicators_hand_computed():
    P = _pyramids()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ind = compute_indicators(
            P,
            previous=P * 0.8,
            years=2,
            births=np.array([4.0, 3.0, 0.0]),
            deaths=np.array([2.0, 1.0, 0.0]),
            in_migration=np.array([10.0, 0.0, 1.0]),
            out_migration=np.array([6.0, 5.0, 0.0]),
            area_km2=np.array([2.0, 4.0, 0.0]),
        )
    np.testing.assert_allclose(ind["total"][:2], [40.0, 100.0])
    assert ind["total"][2] == 0.0
    np.testing.assert_allclose(ind["share_under_3"][:2], [0.0, 3.0])
    np.testing.assert_allclose(ind["share_3_5"][:2], [0.0, 3.0])
    np.testing.assert_allclose(ind["share_6_17"][:2], [25.0, 12.0])
    np.testing.assert_allclose(ind["share_18_24"][:2], [0.0, 7.0])
    np.testing.assert_allclose(ind["share_25_64"][:2], [25.0, 40.0])
    np.testing.assert_allclose(ind["share_65_plus"][:2], [50.0, 35.0])
    np.testing.assert_allclose(ind["share_80_plus"][:2], [25.0, 20.0])
    np.testing.assert_allclose(ind["youth_dependency_ratio"][:2], [100.0, 20 / 45 * 100])
    np.testing.assert_allclose(ind["old_age_dependency_ratio"][:2], [200.0, 35 / 45 * 100])
    np.testing.assert_allclose(ind["total_dependency_ratio"][:2], [300.0, 55 / 45 * 100])
    np.testing.assert_allclose(ind["mean_age"][:2], [(10.5 + 30.5 + 70.5 + 85.5) / 4, 50.0])
    # region 0: half (20) reached at the end of age 30 -> 31.0; region 1: 50 people below age 50 -> 50.0
    np.testing.assert_allclose(ind["median_age"][:2], [31.0, 50.0])
    np.testing.assert_allclose(ind["change_abs"][:2], [8.0, 20.0])
    np.testing.assert_allclose(ind["change_pct"][:2], [25.0, 25.0])
    np.testing.assert_allclose(ind["change_pct_per_year"][:2], (np.sqrt(1.25) - 1) * 100)
    np.testing.assert_allclose(ind["natural_balance_per_1000"][:2], [50.0, 20.0])
    np.testing.assert_allclose(ind["net_migration_per_1000"][:2], [100.0, -50.0])
    assert np.isnan(ind["births_per_1000_women_15_44"][0])  # no women aged 15-44
    assert ind["births_per_1000_women_15_44"][1] == pytest.approx(3 / 15 * 1000)
    np.testing.assert_allclose(ind["density_per_km2"][:2], [20.0, 25.0])
    # the empty region yields NaN for every ratio, no exception and no warning
    for key in ("share_65_plus", "mean_age", "median_age", "youth_dependency_ratio", "change_pct",
                "natural_balance_per_1000", "net_migration_per_1000", "density_per_km2"):  # fmt: skip
        assert np.isnan(ind[key][2]), key
    assert ind["net_migration"][2] == 1.0


def test_median_interpolates_within_single_year():
    P = np.zeros((1, 2, N))
    P[0, 0, 40] = 4.0  # 4 people aged 40: half is reached halfway through age 40
    ind = compute_indicators(P)
    assert ind["median_age"][0] == pytest.approx(40.5)
    assert ind["mean_age"][0] == pytest.approx(40.5)


def test_indicators_reference_population_and_shape_check():
    P = _pyramids()[:2]
    ind = compute_indicators(P, births=[4.0, 4.0], deaths=[0.0, 0.0], reference_population=[80.0, 200.0])
    np.testing.assert_allclose(ind["natural_balance_per_1000"], [50.0, 20.0])
    with pytest.raises(ValueError):
        compute_indicators(np.zeros((2, 101)))


# --- life table and survival -------------------------------------------------------------------------------------


def test_default_life_table_and_shift():
    e0 = life_expectancy(DEFAULT_QX)
    np.testing.assert_allclose(e0, [78.2, 82.9], atol=0.05)
    np.testing.assert_allclose(life_expectancy(shift_life_expectancy(DEFAULT_QX, 2.5)), e0 + 2.5, atol=1e-6)
    np.testing.assert_allclose(life_expectancy(shift_life_expectancy(DEFAULT_QX, -1.0)), e0 - 1.0, atol=1e-6)
    s = survival_from_life_table()
    assert s.rates.shape == (1, 2, N)
    assert np.all((s.rates > 0) & (s.rates < 1))
    assert np.all((s.infant > 0.99) & (s.infant < 1))
    longer = survival_from_life_table(life_expectancy_shift_years=3.0)
    assert np.all(longer.rates >= s.rates - 1e-12)


# --- projection -------------------------------------------------------------------------------------------------


def test_pure_ageing_without_mortality_fertility_and_migration():
    rng = np.random.default_rng(3)
    base = rng.uniform(0, 100, size=(4, 2, N))
    result = project(base, survival=_survival(1.0, 4), horizon=3)
    P = result.population
    for t in range(3):
        np.testing.assert_allclose(P[t + 1][:, :, 1:100], P[t][:, :, 0:99])
        np.testing.assert_allclose(P[t + 1][:, :, 100], P[t][:, :, 99] + P[t][:, :, 100])
        assert np.all(P[t + 1][:, :, 0] == 0)
    np.testing.assert_allclose(result.totals, np.broadcast_to(base.sum(axis=(1, 2)), (4, 4)))
    assert np.all(result.deaths == 0) and np.all(result.births == 0) and np.all(result.net_migration == 0)


def test_hand_computed_toy_projection():
    base = np.zeros((1, 2, N))
    base[0, 1, 30] = 1000.0  # 1000 women aged 30
    base[0, 0, 99] = 100.0  # 100 men aged 99
    rates = np.ones((1, 2, N))
    rates[0, 1, 30] = 0.9
    rates[0, 0, 99] = 0.5
    survival = SurvivalSchedule(rates=rates, infant=np.array([[0.99, 0.995]]))
    asfr = np.zeros(N)
    asfr[30], asfr[31] = 0.1, 0.2
    counts = np.zeros((1, 2, N))
    counts[0, 1, 31] = -950.0  # more than the 900 surviving women -> 50 capped
    result = project(base, survival=survival, asfr=asfr, migration_counts=counts, horizon=1)
    # births: mean exposure = 0.1 * (1000 + 0) / 2 + 0.2 * (0 + 0) / 2 (all survivors aged 31 left) = 50
    assert result.births[0, 0] == pytest.approx(50.0)
    boys, girls = 50 * 1.05 / 2.05, 50 / 2.05
    P1 = result.final[0]
    assert P1[0, 0] == pytest.approx(boys * 0.99)
    assert P1[1, 0] == pytest.approx(girls * 0.995)
    assert P1[0, 100] == pytest.approx(50.0)
    assert P1[1, 31] == 0.0
    assert result.net_migration[0, 0] == pytest.approx(-900.0)
    assert result.capped[0, 0] == pytest.approx(50.0)
    expected_deaths = 100 + 50 + boys * 0.01 + girls * 0.005
    assert result.deaths[0, 0] == pytest.approx(expected_deaths)
    assert result.totals[1, 0] == pytest.approx(50 + boys * 0.99 + girls * 0.995)
    # births_basis="start": 0.1 * 1000 = 100
    start = project(base, survival=survival, asfr=asfr, migration_counts=counts, horizon=1, births_basis="start")
    assert start.births[0, 0] == pytest.approx(100.0)


def test_migration_rate_bases():
    base = np.zeros((1, 2, N))
    base[0, 0, 40] = 100.0
    rates = np.zeros((1, 2, N))
    rates[0, 0, 40:42] = 0.1
    start = project(base, survival=_survival(1.0), migration_rates=rates, horizon=1, migration_basis="start")
    mid = project(base, survival=_survival(1.0), migration_rates=rates, horizon=1)
    assert start.net_migration[0, 0] == pytest.approx(10.0)  # 0.1 * 100 start population aged 40
    assert mid.net_migration[0, 0] == pytest.approx(10.0)  # 0.1 * (100 + 0)/2 at 40 + 0.1 * (0 + 100)/2 at 41


@st.composite
def _random_inputs(draw):
    regions = draw(st.integers(1, 4))
    horizon = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    base = rng.uniform(0, draw(st.sampled_from([0.0, 1.0, 50.0, 5000.0])), size=(regions, 2, N))
    base[rng.random(base.shape) < 0.3] = 0.0
    survival = SurvivalSchedule(rates=rng.uniform(0, 1, (regions, 2, N)), infant=rng.uniform(0.9, 1, (regions, 2)))
    asfr = np.zeros((regions, N))
    asfr[:, 15:50] = rng.uniform(0, 0.3, (regions, 35))
    low = draw(st.sampled_from([-0.05, -1.0, -5.0]))
    rates = rng.uniform(low, 0.2, (regions, 2, N))
    counts = rng.uniform(-50, 20, (regions, 2, N)) if draw(st.booleans()) else None
    return base, survival, asfr, rates, counts, horizon, draw(st.sampled_from(["mean", "start"]))


@settings(max_examples=60, deadline=None)
@given(_random_inputs())
def test_accounting_identity_and_capping(inputs):
    base, survival, asfr, rates, counts, horizon, births_basis = inputs
    result = project(
        base,
        survival=survival,
        asfr=asfr,
        migration_rates=rates,
        migration_counts=counts,
        horizon=horizon,
        births_basis=births_basis,
        migration_basis="start",
    )
    P = result.population
    assert np.all(P >= 0)
    assert np.all(result.capped >= 0)
    totals = P.sum(axis=(2, 3))
    expected = totals[:-1] + result.births - result.deaths + result.net_migration
    np.testing.assert_allclose(totals[1:], expected, rtol=1e-9, atol=1e-9)
    assert np.all(result.accounting_error() < 1e-9)
    # requested migration (start basis) = effective - capped
    for t in range(horizon):
        requested = (rates * P[t]).sum(axis=(1, 2)) + (0 if counts is None else counts.sum(axis=(1, 2)))
        np.testing.assert_allclose(result.net_migration[t] - result.capped[t], requested, rtol=1e-9, atol=1e-7)
    assert np.all(result.deaths >= -1e-9)


def test_large_negative_migration_is_capped_not_negative():
    base = np.full((2, 2, N), 10.0)
    rates = np.full((2, 2, N), -3.0)  # everybody leaves three times over
    result = project(base, survival=survival_from_life_table(), asfr=default_asfr(), migration_rates=rates, horizon=3)
    assert np.all(result.population >= 0)
    assert np.all(result.final == 0)
    assert np.all(result.capped[0] > 0)
    assert np.all(result.accounting_error() < 1e-12)


def test_vectorised_equals_separate_regions():
    rng = np.random.default_rng(7)
    R = 6
    base = rng.uniform(0, 1000, size=(R, 2, N))
    qx = np.clip(DEFAULT_QX[None] * rng.uniform(0.7, 1.3, size=(R, 2, 1)), 0, 1)
    survival = survival_from_life_table(qx)
    asfr = default_asfr()[None] * rng.uniform(0.8, 1.2, size=(R, 1))
    rates = rng.normal(0, 0.02, size=(R, 2, N))
    rates[2] = -0.9
    counts = rng.normal(0, 3, size=(R, 2, N))
    together = project(base, survival=survival, asfr=asfr, migration_rates=rates, migration_counts=counts, horizon=8)
    for r in range(R):
        alone = project(
            base[r : r + 1],
            survival=SurvivalSchedule(survival.rates[r : r + 1], survival.infant[r : r + 1]),
            asfr=asfr[r : r + 1],
            migration_rates=rates[r : r + 1],
            migration_counts=counts[r : r + 1],
            horizon=8,
        )
        np.testing.assert_allclose(together.population[:, r : r + 1], alone.population, rtol=1e-12, atol=1e-9)
        for name in ("births", "deaths", "net_migration", "capped"):
            np.testing.assert_allclose(getattr(together, name)[:, r], getattr(alone, name)[:, 0], rtol=1e-12, atol=1e-9)


def test_scenario_presets_are_ordered():
    assert [SCENARIOS[k].label for k in ("low", "medium", "high")] == ["niedrig", "mittel", "hoch"]
    rng = np.random.default_rng(11)
    base = rng.uniform(50, 500, size=(5, 2, N))
    rates = np.full((5, 2, N), 0.01)
    totals = {
        name: project_scenario(base, SCENARIOS[name], asfr=default_asfr(), migration_rates=rates).totals
        for name in ("low", "medium", "high")
    }
    assert totals["high"].shape == (21, 5)
    assert np.all(totals["high"][1:] >= totals["medium"][1:])
    assert np.all(totals["medium"][1:] >= totals["low"][1:])
    assert np.all(totals["high"][-1] > totals["low"][-1])


def test_user_defined_scenario_and_phase_in():
    base = np.full((1, 2, N), 100.0)
    custom = Scenario("test", fertility_factor=0.0, life_expectancy_shift_years=0.0, migration_factor=0.0)
    assert custom.label == "test"
    result = project_scenario(base, custom, asfr=default_asfr(), migration_rates=np.full((1, 2, N), 0.5), horizon=2)
    assert np.all(result.births == 0) and np.all(result.net_migration == 0)
    assert result.scenario is custom
    phased = project_scenario(base, SCENARIOS["high"], horizon=4)
    constant = project_scenario(base, SCENARIOS["high"], horizon=4, phase_in=False)
    assert phased.deaths[0, 0] > constant.deaths[0, 0]  # only a quarter of the e0 gain in the first year
    full = survival_from_life_table(life_expectancy_shift_years=3.0)
    np.testing.assert_allclose(survival_for_scenario(None, 3.0, horizon=4).rates[-1], full.rates)
    with pytest.raises(ValueError):
        Scenario("bad", fertility_factor=-1)


def test_input_validation():
    base = np.ones((1, 2, N))
    bad_asfr = np.zeros(N)
    bad_asfr[10] = 0.1
    with pytest.raises(ValueError, match="15-49"):
        project(base, survival=_survival(1.0), asfr=bad_asfr)
    with pytest.raises(ValueError):
        project(-base, survival=_survival(1.0))
    with pytest.raises(ValueError):
        SurvivalSchedule(rates=np.full((1, 2, N), 1.5), infant=1.0)


# --- migration rate estimation -----------------------------------------------------------------------------------


def test_estimate_migration_rates_shrinkage():
    net = np.array([[[10.0, 0.0, 5.0]], [[30.0, 0.0, 5.0]]])  # (years=2, regions=1, cells=3)
    pop = np.array([[[100.0, 0.0, 10.0]], [[300.0, 0.0, 10.0]]])
    parent = np.array([0.02, 0.03, 0.01])
    rates, w = estimate_migration_rates(net, pop, parent, weight_k=400.0, return_weights=True)
    # cell 0: n = 400, raw = 0.1, w = 0.5; cell 1: no exposure -> parent; cell 2: n = 20, raw = 0.5, w = 20/420
    np.testing.assert_allclose(w[0], [0.5, 0.0, 20 / 420])
    np.testing.assert_allclose(rates[0], [0.5 * 0.1 + 0.5 * 0.02, 0.03, 20 / 420 * 0.5 + 400 / 420 * 0.01])
    raw = estimate_migration_rates(net, pop, parent, weight_k=0.0)
    np.testing.assert_allclose(raw[0], [0.1, 0.03, 0.5])
