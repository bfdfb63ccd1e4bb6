"""Selectors on a small imported file."""

import pytest

from daks.demography import selectors
from daks.demography.models import Level, Region
from daks.demography.services import regions_import

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(tmp_path):
    regions_import(path=b.write(tmp_path, b.small_file()))


def test_region_by_key(regions):
    assert selectors.region_by_key("07131001").name == "Adenau, Stadt"
    assert selectors.region_by_key("DG").level == Level.BUND
    assert selectors.region_by_key("99999") is None
    assert selectors.region_by_key("07131", level=Level.KREIS).name == "Ahrweiler"


def test_search_by_name_prefix_first_and_case_insensitive_umlauts(regions):
    keys = [region.key for region in selectors.search_regions("ADENAU")]
    assert keys == ["071315001", "07131001"]  # higher level first
    assert [r.key for r in selectors.search_regions("früher")] == ["071"]
    assert [r.key for r in selectors.search_regions("FRÜHER")] == ["071"]
    assert selectors.search_regions("ahrweiler")[0].key == "07131"  # prefix before "Bad Neuenahr-Ahrweiler"
    assert len(selectors.search_regions("a", limit=3)) == 3
    assert selectors.search_regions("  ") == []


def test_search_by_key_prefix_and_inactive(regions):
    found = {(r.level, r.key) for r in selectors.search_regions("0713100")}
    assert found == {
        (Level.GEMEINDEVERBAND, "071310007"),
        *((Level.GEMEINDE, key) for key in ["07131001", "07131002", "07131003", "07131007"]),
    }
    Region.objects.filter(key="07131003").update(active=False)
    assert "07131003" not in {r.key for r in selectors.search_regions("0713100")}
    assert "07131003" in {r.key for r in selectors.search_regions("0713100", active_only=False)}


def test_children_and_ancestors(regions):
    vg = selectors.region_by_key("071315001")
    assert [r.key for r in selectors.children(vg)] == ["07131001", "07131002", "07131003"]
    assert [r.key for r in selectors.ancestors(selectors.region_by_key("02000000"))] == ["02000", "02", "DG"]
    assert selectors.ancestors(selectors.region_by_key("DG")) == []


def test_admin_lists_regions_read_only(regions, staff_user, login):
    client = login(staff_user)
    response = client.get("/admin/demography/region/", {"level": "gemeinde", "land": "07", "q": "adenau"})
    assert response.status_code == 200
    assert "Adenau, Stadt" in response.text
    assert "Antweiler" not in response.text
    region = Region.objects.get(key="07131001")
    response = client.get(f"/admin/demography/region/{region.pk}/change/")
    assert response.status_code == 200
    assert 'name="_save"' not in response.text and 'name="_continue"' not in response.text
    assert client.get("/admin/demography/region/add/").status_code == 403
    assert client.get("/admin/demography/regionkeychange/").status_code == 200
