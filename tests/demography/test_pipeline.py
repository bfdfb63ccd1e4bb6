import datetime as dt

import numpy as np
import pytest

from daks.demography import engine
from daks.demography.models import (
    IndicatorValue,
    Level,
    Observation,
    Projection,
    ProjectionScenario,
    RegionProfile,
)
from daks.demography.pipeline import (
    age_tables,
    compute_all,
    ensure_preset_scenarios,
    project_regions,
    run_projection,
    survival_tables,
)

from .factories import DatasetFactory, RegionFactory

GROUPS = [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75]
MIG_GROUPS = [0, 18, 25, 30, 50, 65]
KREIS = "09999"
GEMEINDEN = ["09999001", "09999002", "09999003", "09999004"]
AGES = np.arange(101)


def _label(lo, hi):
    return f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}")


def _bounds(lowers):
    return [(lo, (lowers[i + 1] - 1) if i + 1 < len(lowers) else None) for i, lo in enumerate(lowers)]


def shape(kind: str) -> np.ndarray:
    """Single-year age shape (101,) of a young or an old population."""
    if kind == "young":
        s = 1.2 * np.exp(-0.5 * ((AGES - 35) / 18) ** 2) + 0.3
    else:
        s = 0.6 + 1.2 * np.exp(-0.5 * ((AGES - 62) / 12) ** 2)
    return s * np.where(AGES > 70, 0.9 ** (AGES - 70), 1.0)


def gemeinde_groups(kind: str, size: float) -> np.ndarray:
    s = shape(kind)
    single = np.stack([s * 0.49, s * 0.51]) / (s.sum()) * size
    return np.round(np.add.reduceat(single, GROUPS, axis=-1))


SPEC = {  # kind, size 2015, size 2010, population 2024, in/out per group scale
    "09999001": ("young", 10_000, 9_000, 11_500, 0.04),
    "09999002": ("young", 9_500, 8_600, 10_800, 0.04),
    "09999003": ("old", 3_000, 3_400, 2_600, -0.02),
    "09999004": ("old", 2_000, 2_250, 1_700, -0.02),
}


def obs(dataset, key, variable, year, sex, lo=None, hi=None, value=0.0, total=False):
    return Observation(
        dataset=dataset,
        region_key=key,
        variable=variable,
        year=year,
        sex=sex,
        age_group="total" if total else _label(lo, hi),
        age_from=None if total else lo,
        age_to=None if total else hi,
        value=float(value),
    )


def build_synthetic(*, with_2024=True, migration=True):
    """A Kreis with four Gemeinden (two young and growing, two old and shrinking) and all data types."""
    RegionFactory(level=Level.LAND, key="09", name="Bayern", population=None, area_km2=70_000)
    RegionFactory(
        level=Level.KREIS,
        key=KREIS,
        name="Landkreis Beispiel",
        population=sum(s[3] for s in SPEC.values()) if with_2024 else None,
        population_date=dt.date(2024, 12, 31) if with_2024 else None,
        area_km2=400,
    )
    for key, (_kind, _size, _s2010, pop2024, _m) in SPEC.items():
        RegionFactory(
            level=Level.GEMEINDE,
            key=key,
            name=f"Gemeinde {key[-1]}",
            population=pop2024 if with_2024 else None,
            population_date=dt.date(2024, 12, 31) if with_2024 else None,
            area_km2=50 if "young" in _kind else 100,
        )
    ages_ds = DatasetFactory(table_code="12411-02-03-5")
    single_ds = DatasetFactory(table_code="12411-04-02-4")
    totals_ds = DatasetFactory(table_code="12411-01-01-5")
    vital_ds = DatasetFactory(table_code="12612-01-01-4")
    mig_ds = DatasetFactory(table_code="12711-01-03-5")
    rows = []
    kreis_single = np.zeros((2, 101))
    for key, (kind, size, size2010, _p, mig) in SPEC.items():
        groups = gemeinde_groups(kind, size)
        for s, sex in enumerate(("male", "female")):
            for (lo, hi), value in zip(_bounds(GROUPS), groups[s], strict=True):
                rows.append(obs(ages_ds, key, "population", 2015, sex, lo, hi, value))
        rows.append(obs(ages_ds, key, "population", 2015, "total", value=groups.sum(), total=True))
        for year, value in ((2005, size2010 * 0.95), (2010, size2010), (2015, groups.sum())):
            rows.append(obs(totals_ds, key, "population", year, "total", value=value, total=True))
        s = shape(kind)
        kreis_single += np.stack([s * 0.49, s * 0.51]) / s.sum() * size
        if migration:
            pop_groups = np.add.reduceat(groups, [GROUPS.index(g) for g in MIG_GROUPS], axis=-1)
            for sx, sex in enumerate(("male", "female")):
                for (lo, hi), p in zip(_bounds(MIG_GROUPS), pop_groups[sx], strict=True):
                    inflow = round(p * (0.06 + mig))
                    rows.append(obs(mig_ds, key, "in_migration", 2015, sex, lo, hi, inflow))
                    rows.append(obs(mig_ds, key, "out_migration", 2015, sex, lo, hi, round(p * 0.06)))
            for variable in ("in_migration", "out_migration"):  # an all-ages total row as the loader writes it
                rows.append(obs(mig_ds, key, variable, 2015, "total", value=1.0, total=True))
    lowers = [*range(90), 90]
    for s, sex in enumerate(("male", "female")):
        for lo, hi in _bounds(lowers):
            value = kreis_single[s, lo:].sum() if hi is None else kreis_single[s, lo]
            rows.append(obs(single_ds, KREIS, "population", 2015, sex, lo, hi, round(value)))
    total_kreis = sum(gemeinde_groups(k, s).sum() for k, s, *_ in SPEC.values())
    rows.append(obs(vital_ds, KREIS, "births", 2015, "total", value=round(total_kreis * 0.009), total=True))
    rows.append(obs(vital_ds, KREIS, "deaths", 2015, "total", value=round(total_kreis * 0.012), total=True))
    Observation.objects.bulk_create(rows)


@pytest.fixture
def synthetic(db):
    build_synthetic()


def test_ensure_preset_scenarios_recreates_them(db):
    ProjectionScenario.objects.all().delete()
    presets = ensure_preset_scenarios()
    assert [s.code for s in presets] == ["low", "medium", "high"]
    assert ProjectionScenario.objects.get(code="high").migration_factor == pytest.approx(1.4)
    assert len(ensure_preset_scenarios()) == 3 and ProjectionScenario.objects.count() == 3


def test_age_tables_pick_finest_scheme_and_validate():
    rows = [
        ("01", 2015, "male", "0-4", 0, 4, 5.0, 1),
        ("01", 2015, "male", "5+", 5, None, 5.0, 1),
        ("01", 2015, "female", "0-4", 0, 4, 6.0, 1),
        ("01", 2015, "female", "5+", 5, None, 4.0, 1),
        ("02", 2015, "male", "0-4", 0, 4, 5.0, 1),  # gap: no open group -> skipped
        ("02", 2015, "female", "0-4", 0, 4, 5.0, 1),
        ("03", 2015, "total", "0-4", 0, 4, 8.0, 1),  # totals only -> split 50:50
        ("03", 2015, "total", "5+", 5, None, 2.0, 1),
    ]
    tables = age_tables(rows)
    assert set(tables) == {"01", "03"}
    assert tables["01"].lowers == (0, 5)
    assert tables["01"].counts.tolist() == [[5.0, 5.0], [6.0, 4.0]]
    assert tables["03"].sex_split and tables["03"].counts.tolist() == [[4.0, 1.0], [4.0, 1.0]]


def test_indicators_are_stored_with_hand_checkable_values(synthetic):
    summary = compute_all()
    assert summary.base_year == 2015 and summary.horizon_year == 2044
    groups = gemeinde_groups("old", 3_000)
    share65 = groups[:, GROUPS.index(65) :].sum() / groups.sum() * 100
    stored = IndicatorValue.objects.get(region_key="09999003", indicator="share_65_plus", year=2015)
    assert stored.value == pytest.approx(share65, rel=1e-9)
    assert "12411-02-03-5" in stored.basis
    total = IndicatorValue.objects.get(region_key="09999003", indicator="total", year=2015).value
    assert total == pytest.approx(groups.sum())
    change = IndicatorValue.objects.get(region_key="09999003", indicator="change_pct_5y", year=2015).value
    assert change == pytest.approx((groups.sum() / 3_400 - 1) * 100)
    change10 = IndicatorValue.objects.get(region_key="09999003", indicator="change_pct_10y", year=2015).value
    assert change10 == pytest.approx((groups.sum() / (3_400 * 0.95) - 1) * 100)
    # Kreis rates: births/deaths per 1,000, migration from the Gemeinden's own in/out figures
    kreis_total = IndicatorValue.objects.get(region_key=KREIS, indicator="total", year=2015).value
    natural = IndicatorValue.objects.get(region_key=KREIS, indicator="natural_balance_per_1000", year=2015).value
    births = Observation.objects.get(region_key=KREIS, variable="births").value
    deaths = Observation.objects.get(region_key=KREIS, variable="deaths").value
    assert natural == pytest.approx((births - deaths) / kreis_total * 1000)
    assert IndicatorValue.objects.filter(region_key="09999001", indicator="net_migration_per_1000").get().value > 0
    density = IndicatorValue.objects.get(region_key="09999003", indicator="density_per_km2")
    assert density.year == 2024 and density.value == pytest.approx(2_600 / 100)


def test_projections_for_every_preset_with_rebasing(synthetic):
    compute_all()
    assert Projection.objects.count() == 3 * 5  # 3 presets × (Kreis + 4 Gemeinden)
    for p in Projection.objects.filter(region_key="09999001"):
        base = gemeinde_groups("young", 10_000).sum()
        assert p.base_year == 2015 and p.horizon_year == 2044 and len(p.totals) == 30
        assert p.totals[0] == pytest.approx(base, abs=0.05)
        assert p.totals[2024 - 2015] == pytest.approx(11_500, abs=0.05)  # re-based exactly
        assert set(p.pyramids) == {"2015", "2024", "2044"}
        assert sum(p.pyramids["2015"]["male"]) + sum(p.pyramids["2015"]["female"]) == pytest.approx(base, abs=1)
        assert sum(p.pyramids["2024"]["male"]) + sum(p.pyramids["2024"]["female"]) == pytest.approx(11_500, abs=1)
        assert len(p.pyramids["2044"]["male"]) == 19
        # the re-basing is phased in: no jump in the year of the official total
        steps = [abs(b - a) for a, b in zip(p.totals, p.totals[1:], strict=False)]
        assert steps[2024 - 2015 - 1] < 2 * max(steps[: 2024 - 2015 - 1]) + 1
    low, medium, high = (
        Projection.objects.get(region_key="09999001", scenario__code=c).totals[-1] for c in ("low", "medium", "high")
    )
    assert low < medium < high  # positive migration and fertility ordering
    change = IndicatorValue.objects.get(region_key="09999003", indicator="projected_change_pct", year=2044).value
    assert change < 0


def test_accounting_identity_of_the_pipeline_projection(synthetic):
    from daks.demography.pipeline import expand_all, load_inputs, projection_inputs

    inputs = load_inputs()
    keys = sorted(inputs.population_ages)
    P = expand_all(inputs.population_ages, keys)
    pin = projection_inputs(inputs, keys, P, 2015)
    young, old = pin.migration_rates[keys.index("09999001")], pin.migration_rates[keys.index("09999003")]
    assert young.mean() > 0.02 and old.mean() < young.mean()  # shrunk towards the Kreis rate
    result = project_regions(pin, engine.SCENARIOS["medium"], 20, keep={0, 20})
    assert result.accounting_error().max() < 1e-6
    assert result.totals[0] == pytest.approx(P.sum(axis=(1, 2)))


def test_fast_projection_matches_engine_project():
    rng = np.random.default_rng(1)
    base = rng.uniform(0, 100, size=(7, 2, 101))
    asfr = engine.default_asfr()[None] * rng.uniform(0.8, 1.2, size=(7, 1))
    rates = rng.normal(0, 0.05, size=(7, 2, 101))
    rates[0] = -0.9  # heavy outflow: capping
    mortality = np.array([1.0, 1.0, 1.2, 0.9, 1.0, 1.1, 1.0])
    surv_rates, infant, unit = survival_tables(mortality, np.ones((1, 2)))
    fast = run_projection(
        base,
        asfr=asfr,
        survival_rates=surv_rates,
        infant_survival=infant,
        unit_index=unit,
        migration_rates=rates,
        horizon=10,
        keep={10},
        dtype=np.float64,
    )
    for r in range(7):
        schedule = engine.SurvivalSchedule(rates=surv_rates[0][unit[r]][None], infant=infant[0][unit[r]][None])
        ref = engine.project(
            base[r : r + 1], survival=schedule, asfr=asfr[r : r + 1], migration_rates=rates[r : r + 1], horizon=10
        )
        np.testing.assert_allclose(fast.totals[:, r], ref.totals[:, 0], rtol=1e-12)
        np.testing.assert_allclose(fast.births[:, r], ref.births[:, 0], rtol=1e-12)
        np.testing.assert_allclose(fast.deaths[:, r], ref.deaths[:, 0], rtol=1e-10)
        np.testing.assert_allclose(fast.snapshots[10][r], ref.final[0], rtol=1e-10, atol=1e-9)
    fast32 = run_projection(
        base,
        asfr=asfr,
        survival_rates=surv_rates,
        infant_survival=infant,
        unit_index=unit,
        migration_rates=rates,
        horizon=10,
    )
    np.testing.assert_allclose(fast32.totals, fast.totals, rtol=1e-5)


def test_recompute_is_idempotent(synthetic):
    first = compute_all()
    counts = (IndicatorValue.objects.count(), Projection.objects.count(), RegionProfile.objects.count())
    second = compute_all()
    assert (IndicatorValue.objects.count(), Projection.objects.count(), RegionProfile.objects.count()) == counts
    assert first.indicator_values == second.indicator_values


def test_without_migration_and_without_newer_totals(db):
    build_synthetic(with_2024=False, migration=False)
    summary = compute_all()
    assert any("zero net migration" in note for note in summary.notes)
    assert summary.horizon_year == 2035 and summary.rebased == 0
    p = Projection.objects.get(region_key="09999001", scenario__code="medium")
    assert set(p.pyramids) == {"2015", "2035"}


def test_kommune_scenario_projects_its_own_regions(synthetic, municipality):
    municipality.official_key = "09999002"
    municipality.save()
    ProjectionScenario.objects.create(municipality=municipality, code="eigene", name="Eigene", migration_factor=2)
    compute_all()
    own = Projection.objects.filter(scenario__code="eigene")
    assert sorted(own.values_list("region_key", flat=True)) == [KREIS, "09999002"]


@pytest.mark.parametrize("extra", [0, 6])
def test_query_count_does_not_depend_on_regions(synthetic, django_assert_max_num_queries, extra):
    ds = DatasetFactory(table_code="12411-02-03-5")
    rows = []
    for n in range(extra):
        groups = gemeinde_groups("young", 1000 + n)
        for s, sex in enumerate(("male", "female")):
            for (lo, hi), value in zip(_bounds(GROUPS), groups[s], strict=True):
                rows.append(obs(ds, f"0999910{n}", "population", 2015, sex, lo, hi, value))
    Observation.objects.bulk_create(rows)
    compute_all()  # warm-up (creates presets, first writes)
    with django_assert_max_num_queries(80):
        compute_all()


def test_fast_projection_blocks_damping_and_net_migration_match_engine():
    """Block boundaries (chunk_size), the per-year migration multipliers and net migration against engine.project."""
    rng = np.random.default_rng(3)
    R, T = 11, 8
    base = rng.uniform(0, 100, size=(R, 2, 101))
    asfr = engine.default_asfr()[None] * rng.uniform(0.8, 1.2, size=(R, 1))
    rates = rng.normal(0, 0.05, size=(R, 2, 101))
    rates[2] = -0.8  # capping
    mortality = rng.choice([0.9, 1.0, 1.1], size=R)
    surv_rates, infant, unit = survival_tables(mortality, np.linspace(1.0, 0.9, T)[:, None] * np.ones((1, 2)))
    path = 0.95 ** np.arange(T)
    kwargs = {
        "asfr": asfr,
        "survival_rates": surv_rates,
        "infant_survival": infant,
        "unit_index": unit,
        "migration_rates": rates,
        "horizon": T,
        "keep": {0, 3, T},
        "migration_path": path,
    }
    fast = run_projection(base, dtype=np.float64, chunk_size=4, **kwargs)
    one_block = run_projection(base, dtype=np.float64, chunk_size=R, **kwargs)
    np.testing.assert_allclose(fast.totals, one_block.totals, rtol=1e-13)
    np.testing.assert_allclose(fast.snapshots[3], one_block.snapshots[3], rtol=1e-13)
    for r in range(R):
        schedule = engine.SurvivalSchedule(rates=surv_rates[:, unit[r]][:, None], infant=infant[:, unit[r]][:, None])
        per_year = path[:, None, None, None] * rates[r : r + 1][None]
        ref = engine.project(
            base[r : r + 1], survival=schedule, asfr=asfr[r : r + 1], migration_rates=per_year, horizon=T
        )
        np.testing.assert_allclose(fast.totals[:, r], ref.totals[:, 0], rtol=1e-12)
        np.testing.assert_allclose(fast.births[:, r], ref.births[:, 0], rtol=1e-12)
        np.testing.assert_allclose(fast.deaths[:, r], ref.deaths[:, 0], rtol=1e-10)
        np.testing.assert_allclose(fast.net_migration[:, r], ref.net_migration[:, 0], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(fast.snapshots[T][r], ref.final[0], rtol=1e-10, atol=1e-9)
    fast32 = run_projection(base, **kwargs)
    np.testing.assert_allclose(fast32.totals, fast.totals, rtol=1e-5)
    assert fast32.accounting_error().max() < 1e-6


def _inputs_with_series(migration_2012_2015: float):
    """Kreis 09999 with two Gemeinden: totals 2011/2015 and births/deaths 2012-2015 (Kreis level)."""
    from daks.demography.pipeline import Inputs

    births = {("09999", y): 900.0 for y in range(2012, 2016)}
    deaths = {("09999", y): 1200.0 for y in range(2012, 2016)}
    n2011 = 100_000.0
    n2015 = n2011 + 4 * (900.0 - 1200.0) + migration_2012_2015
    totals = {("09999", 2011): n2011, ("09999", 2015): n2015, ("09999", 2010): 120_000.0}
    return Inputs({}, totals, births, deaths, [], [], {}, {}), n2011, n2015


def test_migration_level_scaled_to_residual_average_keeps_age_profile():
    from daks.demography.pipeline import MigrationAssumption, adjust_migration_level, residual_migration_rates

    inputs, n2011, n2015 = _inputs_with_series(migration_2012_2015=2_000.0)
    expected = 2_000.0 / 4 / ((n2011 + n2015) / 2)
    assert residual_migration_rates(inputs, ["09999"], 2011, 2015) == {"09999": pytest.approx(expected)}
    # the Zensus break: never before 2011 (the 2010 total is on the old basis)
    keys = ["09999", "09999001", "09999002"]
    rng = np.random.default_rng(0)
    P = rng.uniform(50, 150, size=(3, 2, 101))
    rates = np.abs(rng.normal(0.01, 0.004, size=(3, 2, 101)))  # 2015: strong immigration
    for assumption in (MigrationAssumption(first_year=2011), MigrationAssumption(first_year=2005)):
        out, notes = adjust_migration_level(inputs, keys, P, rates, 2015, assumption)
        assert notes and "2011" in notes[0]
        kreis_rate = (out[0] * P[0]).sum() / P[0].sum()
        gemeinden_rate = (out[1:] * P[1:]).sum() / P[1:].sum()
        assert kreis_rate == pytest.approx(expected) and gemeinden_rate == pytest.approx(expected)
        factor = out[1:] / rates[1:]
        np.testing.assert_allclose(factor, factor.flat[0])  # one factor per Kreis: the 2015 age profile is kept
    blend, _ = adjust_migration_level(inputs, keys, P, rates, 2015, MigrationAssumption(weight=0.5))
    full, _ = adjust_migration_level(inputs, keys, P, rates, 2015, MigrationAssumption())
    np.testing.assert_allclose(blend, 0.5 * (rates + full))
    shifted, _ = adjust_migration_level(inputs, keys, P, rates, 2015, MigrationAssumption(method="shift"))
    assert (shifted[1:] * P[1:]).sum() / P[1:].sum() == pytest.approx(expected)
    same, _ = adjust_migration_level(inputs, keys, P, rates, 2015, MigrationAssumption(method="base_year"))
    np.testing.assert_array_equal(same, rates)
    zero, _ = adjust_migration_level(inputs, keys, P, rates, 2015, MigrationAssumption(method="zero"))
    assert not zero.any()
    # without the series the base-year rates are kept (reported)
    bare, notes = adjust_migration_level(inputs, ["08111"], P[:1], rates[:1], 2015, MigrationAssumption())
    np.testing.assert_array_equal(bare, rates[:1])
    assert notes and "no population" in notes[0]


def test_migration_damping_path():
    from daks.demography.pipeline import MigrationAssumption

    assert MigrationAssumption(damping=0.0).path(5) is None
    np.testing.assert_allclose(MigrationAssumption(damping=0.1).path(3), [1.0, 0.9, 0.81])
