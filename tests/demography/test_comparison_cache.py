"""The profile matrices behind ``similar_regions`` are read once per process and computation (load test, issue 11).

Before, every page with similar regions loaded and decoded all profiles of the level (~11,000 Gemeinden, two JSON
fields each): most of the time of the Kommunalprofil's statistics page and of its XLSX export.
"""

import pytest

from daks.demography import comparison
from daks.demography.comparison import similar_regions
from daks.demography.models import Level, RegionProfile
from daks.demography.pipeline import compute_all

from .test_pipeline import build_synthetic


@pytest.fixture
def computed(db):
    build_synthetic()
    compute_all()
    comparison._MATRICES.clear()


def ranking(key, **kwargs):
    return [(item.region_key, item.distance, item.reasons) for item in similar_regions(key, **kwargs)]


def test_a_warm_call_needs_one_query_and_gives_the_same_answer(computed, django_assert_num_queries):
    with django_assert_num_queries(2):  # the region with the table's fingerprint, then the level's profiles
        cold = ranking("09999001", k=3)
    with django_assert_num_queries(1):
        warm = ranking("09999001", k=3)
    assert warm == cold and cold[0][0] == "09999002"
    with django_assert_num_queries(2):  # two calls with other filters: the same matrix
        assert ranking("09999001", within="kreis", k=1)[0][0] == "09999002"
        assert [key for key, _d, _r in ranking("09999001", candidates=["09999003"])] == ["09999003"]


def test_profiles_stored_again_are_read_again(computed):
    before = ranking("09999001", k=3)
    profile = RegionProfile.objects.get(region_key="09999003")
    twin = RegionProfile.objects.get(region_key="09999001")
    profile.vector, profile.values = twin.vector, twin.values
    profile.save()  # a change in this process clears the cache at once
    after = ranking("09999001", k=3)
    assert after != before
    assert after[0][0] == "09999003" and after[0][1] == 0.0


def test_a_change_by_another_process_moves_the_fingerprint(computed, django_assert_num_queries):
    ranking("09999001", k=10)
    vector = RegionProfile.objects.get(region_key="09999001").vector
    # Another process: rows written and deleted without this process's signals or store_profiles().
    RegionProfile.objects.bulk_create(
        [RegionProfile(region_key="09999009", level=Level.GEMEINDE, vector=vector, values={})]
    )
    with django_assert_num_queries(2):
        added = ranking("09999001", k=10)
    assert added[0][0] == "09999009" and added[0][2] == []  # no raw values: no reasons
    RegionProfile.objects.filter(region_key="09999009").delete()
    with django_assert_num_queries(2):
        assert ranking("09999001", k=10)[0][0] == "09999002"


def test_a_new_computation_clears_the_cache(computed):
    ranking("09999001", k=3)
    assert comparison._MATRICES
    compute_all()
    assert not comparison._MATRICES
    assert ranking("09999001", k=3)[0][0] == "09999002"
