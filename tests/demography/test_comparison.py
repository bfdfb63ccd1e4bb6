import numpy as np
import pytest

from daks.demography.comparison import (
    FEATURE_NAMES,
    cluster_label,
    compare_region,
    kmeans,
    similar_regions,
    standardise,
)
from daks.demography.models import RegionProfile
from daks.demography.pipeline import compute_all

from .test_pipeline import KREIS, build_synthetic


@pytest.fixture
def computed(db):
    build_synthetic()
    compute_all()


def test_standardise_imputes_median_and_handles_constant_columns():
    X = np.array([[1.0, 5.0, np.nan], [3.0, 5.0, np.nan], [np.nan, 5.0, np.nan]])
    Z = standardise(X)
    assert Z[:, 0] == pytest.approx([-1.22474487, 1.22474487, 0.0])
    assert not Z[:, 1:].any()


def test_kmeans_is_deterministic_and_finds_separated_groups():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (30, 2)), rng.normal(5, 0.1, (20, 2))])
    labels, centroids = kmeans(X, 2)
    assert labels[:30].tolist() == [0] * 30 and labels[30:].tolist() == [1] * 20  # bigger cluster first
    assert kmeans(X, 2)[0].tolist() == labels.tolist()
    assert centroids[1] == pytest.approx([5, 5], abs=0.1)


def test_cluster_label_rules():
    z = dict.fromkeys(FEATURE_NAMES, 0.0)
    assert cluster_label({**z, "share_65_plus": -1, "median_age": -1}, {"change_pct_5y": 3.0}) == "wachsend und jung"
    assert cluster_label({**z, "share_65_plus": 1, "median_age": 1}, {"change_pct_5y": -4.0}) == (
        "schrumpfend und stark alternd"
    )
    assert cluster_label(z, {"change_pct_5y": 0.2}) == "stabil, mittleres Alter"
    assert cluster_label({**z, "log_population": 2, "log_density": 2}, {}) == "Großstadt/verdichtet"


def test_profiles_and_typology(computed):
    profiles = {p.region_key: p for p in RegionProfile.objects.all()}
    assert set(profiles) == {KREIS, "09999001", "09999002", "09999003", "09999004"}
    assert profiles[KREIS].level == "kreis" and profiles[KREIS].cluster is None
    gemeinden = [p for p in profiles.values() if p.level == "gemeinde"]
    assert all(p.cluster_label for p in gemeinden) and all(len(p.vector) == len(FEATURE_NAMES) for p in gemeinden)
    assert profiles["09999001"].values["share_65_plus"] < profiles["09999003"].values["share_65_plus"]
    assert "wachsend" in profiles["09999001"].cluster_label
    assert "schrumpfend" in profiles["09999003"].cluster_label


def test_similar_regions_returns_the_twin_first_with_reasons(computed, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = similar_regions("09999001", k=3)
    assert next(s.region_key for s in result) == "09999002"
    assert result[0].distance < result[1].distance
    assert 2 <= len(result[0].reasons) <= 3
    assert similar_regions("09999003", k=1)[0].region_key == "09999004"
    growth = similar_regions("09999003", k=1)[0].reasons + similar_regions("09999001", k=1)[0].reasons
    assert any(r.startswith("ebenfalls") for r in growth) or all(isinstance(r, str) for r in growth)
    assert [s.region_key for s in similar_regions("09999001", candidates=["09999003"])] == ["09999003"]
    assert similar_regions("09999001", within="kreis", k=10)[0].region_key == "09999002"
    assert similar_regions("unknown") == []


def test_compare_region_rows(computed):
    rows = compare_region("09999001", extra_keys=["09999003"])
    roles = [c.role for c in rows[0].cells]
    assert roles == ["region", "kreis", "land", "bund", "other"]
    by_code = {r.indicator: r for r in rows}
    share = by_code["share_65_plus"].cells
    assert share[0].value is not None and share[0].year == 2015
    assert share[1].value is not None  # the Kreis
    assert share[3].value is None  # no data for Germany in the example
    assert share[0].value < share[4].value
    assert by_code["share_under_18"].cells[0].value > 0
    assert rows[0].cells[1].name == "Landkreis Beispiel"
