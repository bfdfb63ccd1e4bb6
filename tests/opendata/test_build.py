"""The open-data files: CSV and JSON parse, rows and values match the database, licence present, atomic writes."""

import csv
import datetime as dt
import hashlib
import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.utils.dateparse import parse_datetime

from daks.demography import engine
from daks.demography.engine.ages import N_AGES
from daks.demography.models import IndicatorValue, Projection, Region
from daks.demography.pipeline import compute_all
from daks.opendata import dictionary as d
from daks.opendata.build import MANIFEST, atomic_write, build_open_data
from daks.opendata.demo import seed_open_data
from daks.opendata.selectors import is_stale, read_manifest
from tests.demography.factories import DatasetFactory
from tests.demography.test_pipeline import build_synthetic

from .factories import BASE_YEAR, HISTORICAL_KEY, HORIZON_YEAR, ODD_NAME

pytestmark = pytest.mark.django_db

ATTRIBUTION = "© Statistische Ämter des Bundes und der Länder"


def read_csv(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without BOM"
    assert b"\r\n" in raw, "RFC 4180 line ends"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_indicator_csv_matches_the_database(built, open_data_dir):
    rows = read_csv(open_data_dir / "indikatoren.csv")
    assert list(rows[0]) == [column.name for column in d.INDICATOR_COLUMNS]
    assert len(rows) == IndicatorValue.objects.count() == 9
    by_key = {(r["region_key"], r["indicator"], int(r["year"])): r for r in rows}
    for value in IndicatorValue.objects.all():
        row = by_key[(value.region_key, value.indicator, value.year)]
        assert (float(row["value"]) if row["value"] else None) == value.value  # full precision, dot decimals
        assert row["basis"] == value.basis
    first = by_key[("09999001", "share_65_plus", BASE_YEAR)]
    assert first["value"] == "21.123456789"
    assert (first["region_name"], first["level"], first["unit"]) == (ODD_NAME, "gemeinde", "percent")
    assert by_key[("09999", "density_per_km2", 2024)]["unit"] == "inhabitants_per_km2"
    assert by_key[("09999002", "natural_balance_per_1000", BASE_YEAR)]["value"] == ""  # missing stays empty
    historical = by_key[(HISTORICAL_KEY, "total", BASE_YEAR)]
    assert (historical["region_name"], historical["level"]) == ("", "gemeinde")
    # Stable order: region key, indicator, year.
    keys = [(r["region_key"], r["indicator"], int(r["year"])) for r in rows]
    assert keys == sorted(keys)


def test_indicator_json_matches_the_csv_and_carries_the_licence(built, open_data_dir):
    document = read_json(open_data_dir / "indikatoren.json")
    meta, data = document["meta"], document["data"]
    assert meta["licence"] == {
        "id": "dl-de/by-2-0",
        "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "url": "https://www.govdata.de/dl-de/by-2-0",
    }
    assert meta["attribution"].startswith(ATTRIBUTION) and "Tabelle 12411-02-03-5" in meta["attribution"]
    assert meta["source"] and meta["generated_at"] == built.generated_at
    assert meta["tables"][0]["table_code"] == "12411-02-03-5"
    assert meta["contains_example_data"] is False
    assert [f["name"] for f in meta["fields"]] == [c.name for c in d.INDICATOR_COLUMNS]
    assert {i["code"] for i in meta["indicators"]} >= {"total", "share_65_plus", "median_age"}
    csv_rows = read_csv(open_data_dir / "indikatoren.csv")
    assert len(data) == len(csv_rows) == 9
    for record, row in zip(data, csv_rows, strict=True):
        assert record["region_key"] == row["region_key"] and record["indicator"] == row["indicator"]
        assert record["value"] == (float(row["value"]) if row["value"] else None)
    assert data[0]["region_key"] == "09999" and isinstance(data[0]["year"], int)


def test_projection_csv_is_long_format_of_the_presets_only(built, open_data_dir):
    rows = read_csv(open_data_dir / "prognosen.csv")
    assert list(rows[0]) == [column.name for column in d.PROJECTION_COLUMNS]
    presets = Projection.objects.filter(scenario__municipality__isnull=True)
    expected = sum(len(p.totals) + len(p.pyramids) * 2 * len(d.AGE_GROUPS) for p in presets)
    assert len(rows) == expected == 2 * 3 * (4 + 2 * 2 * 19)
    assert {r["scenario"] for r in rows} == {"low", "medium", "high"}  # the Kommune's own scenario is not published
    medium = Projection.objects.get(region_key="09999001", scenario__code="medium", scenario__municipality=None)
    totals = [r for r in rows if r["region_key"] == "09999001" and r["scenario"] == "medium" and r["sex"] == "total"]
    assert [int(r["year"]) for r in totals] == list(range(BASE_YEAR, HORIZON_YEAR + 1))
    assert [float(r["value"]) for r in totals] == medium.totals
    assert {r["age_group"] for r in totals} == {"total"}
    female = [
        r
        for r in rows
        if r["region_key"] == "09999001" and r["scenario"] == "medium" and r["sex"] == "female"
        and r["year"] == str(HORIZON_YEAR)
    ]  # fmt: skip
    assert [r["age_group"] for r in female] == list(d.AGE_GROUPS)
    assert [float(r["value"]) for r in female] == medium.pyramids[str(HORIZON_YEAR)]["female"]
    assert d.AGE_GROUPS[0] == "0-4" and d.AGE_GROUPS[-1] == "90+"


def test_projection_json_nests_by_region_and_scenario(built, open_data_dir):
    document = read_json(open_data_dir / "prognosen.json")
    data = document["data"]
    assert len(data) == 6  # 2 regions x 3 presets
    assert document["meta"]["age_groups"] == list(d.AGE_GROUPS)
    assert {s["code"] for s in document["meta"]["scenarios"]} == {"low", "medium", "high"}
    assert document["meta"]["attribution"].startswith(ATTRIBUTION)
    record = next(r for r in data if r["region_key"] == "09999" and r["scenario"] == "high")
    stored = Projection.objects.get(region_key="09999", scenario__code="high", scenario__municipality=None)
    assert (record["base_year"], record["horizon_year"]) == (BASE_YEAR, HORIZON_YEAR)
    assert list(record["totals"].values()) == stored.totals
    assert list(record["totals"]) == [str(y) for y in range(BASE_YEAR, HORIZON_YEAR + 1)]
    assert record["by_sex_and_age"] == stored.pyramids


def test_region_files(built, open_data_dir):
    rows = read_csv(open_data_dir / "regionen.csv")
    assert len(rows) == Region.objects.count() == 5
    first = next(r for r in rows if r["region_key"] == "09999001")
    assert first["name"] == ODD_NAME and first["parent_key"] == "09999" and first["ars"] == "099990001001"
    assert (first["population"], first["population_date"], first["reference_date"]) == (
        "4321",
        "2024-12-31",
        "2025-08-31",
    )
    assert (float(first["lat"]), float(first["lon"]), first["active"]) == (49.123456, 12.345678, "true")
    second = next(r for r in rows if r["region_key"] == "09999002")
    assert (second["active"], second["area_km2"]) == ("false", "")
    assert next(r for r in rows if r["region_key"] == "DG")["parent_key"] == ""
    document = read_json(open_data_dir / "regionen.json")
    assert len(document["data"]) == 5 and document["meta"]["reference_date"] == "2025-08-31"
    assert next(r for r in document["data"] if r["region_key"] == "09999002")["active"] is False


def test_licence_file_and_manifest(built, open_data_dir):
    text = (open_data_dir / "LIZENZ.txt").read_text(encoding="utf-8")
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in text
    assert "https://www.govdata.de/dl-de/by-2-0" in text
    assert ATTRIBUTION in text and "12411-02-03-5" in text and "Stand: 10.10.2017" in text
    manifest = read_manifest()
    assert set(manifest["files"]) == set(d.FILES_BY_NAME)
    for name, entry in manifest["files"].items():
        content = (open_data_dir / name).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert f"{name}: " in text or name == "LIZENZ.txt"
    assert manifest["files"]["indikatoren.csv"]["rows"] == 9
    assert manifest["files"]["prognosen.json"]["rows"] == 6
    assert manifest["sources"]["indicator_years"] == [BASE_YEAR, 2024]
    assert manifest["sources"]["projection_years"] == [BASE_YEAR, HORIZON_YEAR]
    assert sorted(p.name for p in open_data_dir.iterdir()) == sorted([*d.FILES_BY_NAME, MANIFEST])  # no temp files


def test_example_data_is_flagged(small_data, open_data_dir):
    DatasetFactory(is_example=True, table_code="", title="Beispieldaten")
    build_open_data()
    meta = read_json(open_data_dir / "indikatoren.json")["meta"]
    assert meta["contains_example_data"] is True and "Beispieldaten" in meta["note"]
    assert all(t["table_code"] for t in meta["tables"])  # the example dataset is not listed as a source table
    assert "Beispieldaten" in (open_data_dir / "LIZENZ.txt").read_text(encoding="utf-8")


def test_empty_database_gives_header_only_files(db, open_data_dir):
    summary = build_open_data()
    assert {f.name: f.rows for f in summary.files}["indikatoren.csv"] == 0
    assert read_csv(open_data_dir / "indikatoren.csv") == []
    assert (open_data_dir / "indikatoren.csv").read_text(encoding="utf-8").startswith("region_key,region_name,")
    assert read_json(open_data_dir / "prognosen.json")["data"] == []


# --- atomic writes ------------------------------------------------------------------------------------------------


def test_failed_write_keeps_the_previous_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "indikatoren.csv"
    target.write_text("old complete file\n", encoding="utf-8")

    def broken(out):
        out.write("region_key,half")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "old complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["indikatoren.csv"]


def test_a_reader_of_the_old_file_keeps_a_complete_version_during_a_rebuild(built, open_data_dir):
    path = open_data_dir / "indikatoren.csv"
    before = path.read_bytes()
    with path.open("rb") as download:  # a download in progress
        head = download.read(10)
        IndicatorValue.objects.filter(region_key="09999001").update(value=1.0)
        build_open_data()
        rest = download.read()
    assert head + rest == before  # the reader saw the old file to its end, never a mix
    assert path.read_bytes() != before
    assert (path.stat().st_mode & 0o777) == 0o644


# --- real pipeline output, command, task, demo --------------------------------------------------------------------


def test_every_indicator_of_the_engine_and_pipeline_is_described():
    P = np.ones((1, 2, N_AGES))
    one = np.ones(1)
    computed = engine.compute_indicators(
        P, previous=P, years=5, births=one, deaths=one, in_migration=one, out_migration=one, area_km2=one
    )
    pipeline_extras = {"change_pct_5y", "change_pct_10y", "projected_change_pct", "projected_population"}
    described = {i.code for i in d.indicators()}
    assert set(computed) | pipeline_extras <= described
    for indicator in d.indicators():
        assert str(indicator.label) and str(indicator.definition) and indicator.unit in d.UNIT_LABELS


def test_build_from_the_pipeline_and_the_command(db, open_data_dir):
    build_synthetic()
    compute_all()
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    output = out.getvalue()
    assert f"indikatoren.csv: {IndicatorValue.objects.count():,} rows" in output
    assert "manifest.json written" in output
    rows = read_csv(open_data_dir / "indikatoren.csv")
    described = {i.code for i in d.indicators()}
    assert {r["indicator"] for r in rows} <= described
    assert all(r["unit"] for r in rows)
    assert len(read_json(open_data_dir / "prognosen.json")["data"]) == Projection.objects.count()


def test_compute_demography_queues_the_build(db, open_data_dir):
    build_synthetic()
    out = io.StringIO()
    call_command("compute_demography", stdout=out)  # the test settings run tasks immediately
    assert "open data: rebuild queued" in out.getvalue()
    assert read_manifest()["files"]["indikatoren.csv"]["rows"] == IndicatorValue.objects.count() > 0
    assert not is_stale()


def test_seed_open_data_builds_only_when_stale(small_data, open_data_dir):
    out = io.StringIO()
    assert is_stale()
    assert seed_open_data(out) is True
    assert "indikatoren.csv (9 Zeilen)" in out.getvalue()
    assert not is_stale()
    assert seed_open_data(io.StringIO()) is False
    generated_at = parse_datetime(read_manifest()["generated_at"])
    IndicatorValue.objects.filter(region_key="09999").update(computed_at=generated_at + dt.timedelta(seconds=5))
    assert is_stale()  # recomputed after the build
