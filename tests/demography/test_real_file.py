"""Import of the real Gemeindeverzeichnis GV100AD (Gebietsstand 31.08.2025, ~16,000 records).

The file is imported once per module (committed to the test database, removed again at the end); each test
runs in its own rolled-back transaction on top of it. Skipped when the shared data directory is missing.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from daks.demography import selectors
from daks.demography.models import Level, Region, RegionKeyChange
from daks.demography.services import ImportValidationError, regions_import

from . import builders as b

GV100AD = Path(settings.DAKS_DATA_DIR) / "raw" / "GV100AD_31082025.txt"

pytestmark = [
    pytest.mark.skipif(
        not GV100AD.exists(), reason=f"real GV100AD file not found at {GV100AD} (set DAKS_DATA_DIR to shared/data)"
    ),
    pytest.mark.django_db,
]


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield regions_import(path=GV100AD)
        RegionKeyChange.objects.all().delete()
        Region.objects.update(parent=None)
        Region.objects.all().delete()


def _counts():
    return {level: Region.objects.filter(level=level).count() for level in Level.values}


def test_counts(imported):
    summary = imported
    assert summary.as_line() == "imported 15987 regions (16 Länder, 400 Kreise, 4590 Gemeindeverbände, 10952 Gemeinden)"
    assert _counts() == {
        "bund": 1,
        "land": 16,
        "regierungsbezirk": 29,
        "kreis": 400,
        "gemeindeverband": 4590,
        "gemeinde": 10952,
    }


def test_population(imported):
    gemeinden = Region.objects.filter(level=Level.GEMEINDE)
    assert gemeinden.aggregate(total=Sum("population"))["total"] == 83_577_140
    assert gemeinden.aggregate(total=Sum("population_male"))["total"] == 41_241_701
    assert Region.objects.get(key="DG").population == 83_577_140
    assert Region.objects.filter(level=Level.KREIS).aggregate(total=Sum("population"))["total"] == 83_577_140
    berlin = selectors.region_by_key("11000000")
    assert (berlin.level, berlin.population, berlin.kind) == (Level.GEMEINDE, 3_685_265, "Kreisfreie Stadt")
    assert str(Region.objects.get(key="DG").area_km2) == "357683.88"


def test_parent_chain_of_a_gemeinde_in_a_verbandsgemeinde(imported):
    adenau = selectors.region_by_key("07131001")
    assert adenau.ars == "071315001001"
    chain = [(region.level, region.key) for region in selectors.ancestors(adenau)]
    assert chain == [
        (Level.GEMEINDEVERBAND, "071315001"),
        (Level.KREIS, "07131"),
        (Level.REGIERUNGSBEZIRK, "071"),
        (Level.LAND, "07"),
        (Level.BUND, "DG"),
    ]
    assert selectors.region_by_key("071315001").kind == "Verbandsgemeinde"
    assert adenau in selectors.children(selectors.region_by_key("071315001"))
    assert not Region.objects.filter(parent=None).exclude(level=Level.BUND).exists()


def test_search(imported):
    results = selectors.search_regions("köln", limit=5)
    assert results[0].name == "Köln, Stadt"
    assert {region.key for region in results} >= {"05315", "05315000"}
    assert "08126066" in {region.key for region in selectors.search_regions("ÖHRINGEN")}
    assert {region.key for region in selectors.search_regions("07131", limit=100)} >= {"07131", "07131001"}


def test_reimport_changes_nothing(imported):
    before = _counts()
    summary = regions_import(path=GV100AD)
    assert (summary.created, summary.updated, summary.deactivated) == (0, 0, 0)
    assert summary.unchanged == 15988
    assert _counts() == before
    assert RegionKeyChange.objects.count() == 0


def test_invalid_file_writes_nothing(imported, tmp_path):
    lines = GV100AD.read_text(encoding="utf-8-sig").split("\n")
    first = next(index for index, line in enumerate(lines) if line.startswith("60"))
    lines[first] = lines[first][:139] + "x" * 11 + lines[first][150:]
    lines[99] = b.line("99", "07", "X")
    path = b.write(tmp_path, lines)
    with pytest.raises(ImportValidationError) as info:
        regions_import(path=path)
    assert info.value.errors == [
        f"Zeile {first + 1}: Einwohnerzahl ist keine Zahl ('xxxxxxxxxxx')",
        "Zeile 100: Satzart 99 ist unbekannt",
    ]
    with pytest.raises(CommandError, match="Zeile 100: Satzart 99 ist unbekannt"):
        call_command("import_regions", path, stdout=StringIO())
    assert Region.objects.count() == 15988
    assert RegionKeyChange.objects.count() == 0


def test_dry_run_of_a_changed_file(imported, tmp_path):
    lines = [line for line in GV100AD.read_text(encoding="utf-8-sig").split("\n") if line[10:18] != "07131001"]
    out = StringIO()
    call_command("import_regions", b.write(tmp_path, lines), "--dry-run", stdout=out)
    assert "1 deactivated" in out.getvalue()
    assert "[dry run, nothing written] imported 15986 regions" in out.getvalue()
    assert Region.objects.get(key="07131001").active
    assert RegionKeyChange.objects.count() == 0
