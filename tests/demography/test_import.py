"""The GV100AD import service on small constructed files."""

import datetime as dt
from decimal import Decimal

import pytest

from daks.demography.models import Level, Region, RegionKeyChange
from daks.demography.services import ImportValidationError, regions_import

from . import builders as b

pytestmark = pytest.mark.django_db


def _import(tmp_path, lines, **kwargs):
    return regions_import(path=b.write(tmp_path, lines), **kwargs)


def _state():
    return sorted(Region.objects.values_list("level", "key", "name", "active", "parent__key", "population"))


def test_import_small_file(tmp_path):
    summary = _import(tmp_path, b.small_file())
    assert summary.as_line() == "imported 15 regions (2 Länder, 2 Kreise, 4 Gemeindeverbände, 6 Gemeinden)"
    assert (summary.created, summary.updated, summary.unchanged) == (16, 0, 0)
    assert Region.objects.count() == 16

    deutschland = Region.objects.get(key="DG")
    assert (deutschland.level, deutschland.name, deutschland.parent) == (Level.BUND, "Deutschland", None)
    assert deutschland.population == 1862565 + 2935 + 500 + 200 + 28000
    assert deutschland.population_male + deutschland.population_female == deutschland.population

    adenau = Region.objects.get(level=Level.GEMEINDE, key="07131001")
    assert (adenau.ars, adenau.kind_code, adenau.kind) == ("071315001001", "63", "Stadt")
    assert adenau.area_km2 == Decimal("18.56")
    assert (adenau.population, adenau.population_male, adenau.population_female) == (2935, 1482, 1453)
    assert (adenau.lat, adenau.lon) == (None, None)
    assert adenau.reference_date == dt.date(2025, 8, 31)
    assert adenau.population_date == dt.date(2024, 12, 31)
    assert adenau.source == (
        "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 31.08.2025, dl-de/by-2-0"
    )
    chain = []
    region = adenau
    while region.parent_id:
        region = region.parent
        chain.append((region.level, region.key))
    assert chain == [
        (Level.GEMEINDEVERBAND, "071315001"),
        (Level.KREIS, "07131"),
        (Level.REGIERUNGSBEZIRK, "071"),
        (Level.LAND, "07"),
        (Level.BUND, "DG"),
    ]
    # Verbandsgemeinde and Kreis get the sums of their Gemeinden
    vg = Region.objects.get(key="071315001")
    assert (vg.population, vg.area_km2, vg.kind) == (2935 + 500 + 200, Decimal("28.56"), "Verbandsgemeinde")
    assert Region.objects.get(key="07131").population == 2935 + 500 + 200 + 28000
    # a verbandsfreie Gemeinde hangs directly below its Kreis, a Kreis without RB below its Land
    assert Region.objects.get(key="07131007").parent.key == "07131"
    assert Region.objects.get(key="02000").parent.key == "02"
    # a gemeindefreies Gebiet with Kreis digits 000 hangs below the Land
    assert Region.objects.get(key="07000999").parent.key == "07"
    assert RegionKeyChange.objects.count() == 0


def test_reimport_is_idempotent(tmp_path):
    _import(tmp_path, b.small_file())
    before = _state()
    summary = _import(tmp_path, b.small_file())
    assert (summary.created, summary.updated, summary.unchanged, summary.deactivated) == (0, 0, 16, 0)
    assert summary.as_line() == "imported 15 regions (2 Länder, 2 Kreise, 4 Gemeindeverbände, 6 Gemeinden)"
    assert _state() == before
    assert RegionKeyChange.objects.count() == 0


def test_merger_dissolves_renames_and_records_history(tmp_path):
    _import(tmp_path, b.small_file())
    merged = [
        line
        for line in b.small_file()
        if not line.startswith("6020250831071310") or line[10:18] not in {"07131003", "07131002"}
    ]
    # Aremberg (07131003) is merged into Antweiler, which is renamed; Bad Neuenahr-Ahrweiler joins the VG
    merged.insert(9, b.gemeinde("07131002", "5001", "Antweiler-Aremberg", area=1000, pop=700, male=341))
    merged = [line for line in merged if line[10:18] != "07131007"]
    merged.append(
        b.gemeinde("07131007", "5001", "Bad Neuenahr-Ahrweiler, Stadt", kind="63", area=6340, pop=28000, male=13500)
    )
    summary = _import(tmp_path, merged)

    assert summary.deactivated == 1
    assert summary.changes == {"dissolved": 1, "renamed": 1, "reparented": 1}
    aremberg = Region.objects.get(key="07131003")
    assert aremberg.active is False  # kept, not deleted
    assert Region.objects.get(key="07131002").name == "Antweiler-Aremberg"
    assert Region.objects.get(key="07131007").parent.key == "071315001"
    changes = {change.kind: change for change in RegionKeyChange.objects.all()}
    dissolved = changes["dissolved"]
    assert (dissolved.level, dissolved.old_key, dissolved.new_key, dissolved.old_name) == (
        Level.GEMEINDE,
        "07131003",
        None,
        "Aremberg",
    )
    assert dissolved.change_date == dt.date(2025, 8, 31)
    renamed = changes["renamed"]
    assert (renamed.old_key, renamed.new_key, renamed.old_name, renamed.new_name) == (
        "07131002",
        "07131002",
        "Antweiler",
        "Antweiler-Aremberg",
    )
    moved = changes["reparented"]
    assert (moved.old_key, moved.old_parent_key, moved.new_parent_key) == ("07131007", "07131", "071315001")

    # the same modified file again: nothing new
    summary = _import(tmp_path, merged)
    assert (summary.created, summary.updated, summary.deactivated) == (0, 0, 0)
    assert RegionKeyChange.objects.count() == 3

    # the old file again: Aremberg comes back
    summary = _import(tmp_path, b.small_file())
    assert Region.objects.get(key="07131003").active is True
    assert summary.changes["reactivated"] == 1


def test_invalid_file_writes_nothing(tmp_path):
    _import(tmp_path, b.small_file())
    before = _state()
    lines = b.small_file()
    lines[3] = lines[3].replace("Hamburg, Freie und Hansestadt", "Hamburg, neu                 ")
    lines[8] = b.line("99", "07", "X")
    with pytest.raises(ImportValidationError) as info:
        _import(tmp_path, lines)
    assert info.value.errors == ["Zeile 9: Satzart 99 ist unbekannt"]
    assert info.value.message.startswith("Die Datei ist ungültig (1 Fehler), es wurde nichts importiert:")
    assert _state() == before


def test_dry_run_writes_nothing(tmp_path):
    summary = _import(tmp_path, b.small_file(), dry_run=True)
    assert summary.dry_run
    assert summary.created == 16
    assert summary.as_line() == "imported 15 regions (2 Länder, 2 Kreise, 4 Gemeindeverbände, 6 Gemeinden)"
    assert Region.objects.count() == 0


def test_progress_callback(tmp_path):
    calls = []
    _import(tmp_path, b.small_file(), progress=lambda done, total: calls.append((done, total)), progress_every=5)
    assert calls == [(5, 16), (10, 16), (15, 16), (16, 16)]


def test_population_date_can_be_given(tmp_path):
    _import(tmp_path, b.small_file(), population_date=dt.date(2024, 6, 30))
    assert set(Region.objects.values_list("population_date", flat=True)) == {dt.date(2024, 6, 30)}
