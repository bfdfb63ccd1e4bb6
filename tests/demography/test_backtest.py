import json

import numpy as np
import pytest
from django.core.management import call_command

from daks.demography import backtest
from daks.demography.backtest import evaluate, merge_json, run_backtest
from daks.demography.models import Region

from .test_pipeline import build_synthetic


def test_evaluate_known_errors_and_level_shift():
    keys = ["01001", "01002", "02000", "03001"]
    projected = np.array([100.0, 200.0, 300.0, 400.0])
    truth = {"01001": 110.0, "01002": 220.0, "02000": 330.0, "03001": 440.0, "09999": 5.0}
    r = evaluate("kreise", keys, projected, truth, len(truth))
    assert r.mape == pytest.approx(100 * 10 / 110, abs=1e-3)
    assert r.mape_national_adjusted == pytest.approx(0, abs=1e-9)  # a pure level shift
    assert r.mape_land_adjusted == pytest.approx(0, abs=1e-9)
    assert r.national_ratio == pytest.approx(1.1)
    assert (r.n, r.skipped_without_truth, r.skipped_without_projection) == (4, 0, 1)


def test_land_adjustment_removes_per_land_shifts():
    keys = ["01001", "01002", "03001"]
    r = evaluate("kreise", keys, np.array([100.0, 100.0, 100.0]), {"01001": 120.0, "01002": 120.0, "03001": 90.0}, 3)
    assert r.mape_land_adjusted == pytest.approx(0, abs=1e-9)
    assert r.mape_national_adjusted > 0


def test_backtest_on_synthetic_data_with_known_truth(db, tmp_path):
    build_synthetic()
    first = run_backtest()
    assert set(first) == {"kreise", "gemeinden"}
    # make the 2024 truth the projection itself, off by known factors
    import daks.demography.pipeline as pipeline

    inputs = pipeline.load_inputs()
    keys = sorted(inputs.population_ages)
    P = pipeline.expand_all(inputs.population_ages, keys)
    pin = pipeline.projection_inputs(inputs, keys, P, 2015)
    res = pipeline.project_regions(pin, backtest.engine.Scenario("sq", 1, 0, 1), 9, dtype=np.float64)
    projected = dict(zip(keys, res.totals[-1], strict=True))
    errors = {"09999001": 0.10, "09999002": -0.05, "09999003": 0.0, "09999004": 0.02}
    for key, e in errors.items():
        Region.objects.filter(key=key).update(population=round(projected[key] * (1 + e)))
    Region.objects.filter(key="09999").update(population=round(projected["09999"]))
    result = run_backtest()
    g = result["gemeinden"]
    expected = [abs(e) / (1 + e) * 100 for e in errors.values()]
    assert g.n == 4 and g.mape == pytest.approx(np.mean(expected), abs=0.02)
    assert result["kreise"].mape == pytest.approx(0, abs=0.01)
    path = tmp_path / "engine.json"
    path.write_text(json.dumps({"regions": 11000}))
    call_command("backtest_projection", json=str(path))
    data = json.loads(path.read_text())
    assert data["regions"] == 11000 and data["backtest_count_gemeinden"] == 4
    assert data["backtest_mape_gemeinden"] == pytest.approx(g.mape)
    merge_json(path, {"x": 1})
    assert json.loads(path.read_text())["backtest_mape_kreise"] == result["kreise"].mape


def test_backtest_command_without_data(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("backtest_projection", json="")


def test_compare_migration_variants_and_payload(db):
    from daks.demography.pipeline import MigrationAssumption

    build_synthetic()
    variants = {"2015": MigrationAssumption(method="base_year"), "none": MigrationAssumption(method="zero")}
    results = backtest.compare_migration_variants(variants)
    assert set(results) == {"2015", "none"}
    assert set(results["2015"]) == {"kreise", "gemeinden"}
    # the synthetic Kreis gains migrants: without migration the projection is lower
    assert results["none"]["kreise"].signed_mean_error < results["2015"]["kreise"].signed_mean_error
    default = run_backtest()
    payload = backtest.results_payload(default)
    assert "residual net migration" in payload["backtest_variant"]
    assert payload["backtest_mape_kreise"] == default["kreise"].mape
