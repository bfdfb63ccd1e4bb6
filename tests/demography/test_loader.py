"""The loader of a new installation: prepared official CSVs, coordinates, example data, ``load_demography``.

Tests on the real files of shared/data are skipped when the folder is missing. The Kreis files and the largest
Gemeinde file (full size, with a timing check) are loaded once per module; the two other big Gemeinde files are
tested on truncated copies.
"""

import io
import os
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum

from daks.demography import loader
from daks.demography.example_data import EXAMPLE_SOURCE, EXAMPLE_TOWN_KEY, create_example_data, remove_example_data
from daks.demography.loader import LoaderError, load_coordinates, load_file
from daks.demography.models import Dataset, DatasetFormat, Level, Observation, Region

from .factories import RegionFactory

DATA_DIR = Path(settings.DAKS_DATA_DIR)
DEMOGRAFIE = DATA_DIR / "demografie"
needs_shared_data = pytest.mark.skipif(
    not (DEMOGRAFIE / "bev_altersgruppen_gemeinden_2015.csv").exists(),
    reason=f"shared data not found at {DATA_DIR} (set DAKS_DATA_DIR to shared/data)",
)
pytestmark = pytest.mark.django_db

FULL_FILES = [
    "bev_altersgruppen_gemeinden_2015.csv",
    "bev_altersgruppen_kreise_2015.csv",
    "bev_altersjahre_kreise_2015.csv",
    "bev_geschlecht_kreise_2024.csv",
    "zensus2022_bev_gemeinden.csv",
    "geburten_kreise_1995_2015.csv",
    "sterbefaelle_kreise_1995_2015.csv",
    "sterbefaelle_altersgruppen_kreise_2015.csv",
    "geburten_alter_mutter_kreise_2015.csv",
    "wanderungen_kreise_2015.csv",
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the real files once (committed to the test database, removed again at the end)."""
    if not (DEMOGRAFIE / FULL_FILES[0]).exists():
        pytest.skip(f"shared data not found at {DATA_DIR}")
    with django_db_blocker.unblock():
        summaries = {name: load_file(DEMOGRAFIE / name) for name in FULL_FILES}
        yield summaries
        Dataset.objects.all().delete()


def _value(table_code, key, *, variable, year, sex="total", age_group="total"):
    return Observation.objects.get(
        dataset__table_code=table_code, region_key=key, variable=variable, year=year, sex=sex, age_group=age_group
    ).value


def _truncated(tmp_path, name, lines):
    target = tmp_path / name
    with open(DEMOGRAFIE / name, encoding="utf-8") as source:
        target.write_text("".join(line for _i, line in zip(range(lines), source, strict=False)), encoding="utf-8")
    return target


# --- Files that do not fit (no shared data needed) ---------------------------------------------------------------

BIRTHS_HEADER = "jahr,regionalschluessel,ebene,name,insgesamt,maennlich,weiblich\n"


def _births_file(tmp_path, body, header=BIRTHS_HEADER, name="geburten_kreise_1995_2015.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_small_file_loads_and_is_idempotent(tmp_path):
    path = _births_file(
        tmp_path, '2015,09162,kreis,"München, Landeshauptstadt",17009,8653,8356\n2014,09162,kreis,M,1,,1\n'
    )
    summary = load_file(path)
    assert (summary.values, summary.regions, summary.skipped) == (6, 1, False)
    missing = Observation.objects.get(year=2014, sex="male")
    assert (missing.value, missing.flag) == (None, ".")
    again = load_file(path)
    assert again.skipped
    assert Dataset.objects.count() == 1 and Observation.objects.count() == 6


def test_unknown_file_is_refused(tmp_path):
    path = _births_file(tmp_path, "2015,09162,kreis,M,1,1,0\n", name="irgendwas.csv")
    with pytest.raises(LoaderError, match=r"Unbekannte Datei „irgendwas\.csv“"):
        load_file(path)
    assert not Dataset.objects.exists()


def test_wrong_columns_are_refused(tmp_path):
    path = _births_file(
        tmp_path, "2015,09162,kreis,M,1,1\n", header="jahr,regionalschluessel,ebene,name,insgesamt,maennlich,divers\n"
    )
    with pytest.raises(LoaderError, match="es fehlen die Spalten weiblich; unerwartete Spalten divers"):
        load_file(path)
    assert not Dataset.objects.exists() and not Observation.objects.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2015,09162,kreis,M,1,zwei,1\n", "Zeile 3, Spalte maennlich: „zwei“ ist keine Zahl"),
        ("2015,Q9162,kreis,M,1,1,0\n", "Zeile 3: „Q9162“ ist kein gültiger Regionalschlüssel"),
        ("15.5.,09162,kreis,M,1,1,0\n", "Zeile 3: „15.5.“ ist kein Jahr"),
        ("2015,09162,kreis,M,1,1\n", "Zeile 3: 6 statt 7 Spalten"),
        ("2015,09161,kreis,M,1,1,0\n", "Zeile 3: Die Region 09161 kommt doppelt vor"),
    ],
)
def test_a_bad_line_writes_nothing(tmp_path, line, message):
    # the bad line comes after a good one that was already streamed into the insert
    path = _births_file(tmp_path, "2015,09161,kreis,Ingolstadt,1,1,0\n" + line)
    with pytest.raises(LoaderError, match=message):
        load_file(path)
    assert not Dataset.objects.exists() and not Observation.objects.exists()


def test_unknown_age_label_is_refused(tmp_path):
    path = tmp_path / "wanderungen_kreise_2015.csv"
    header = (
        "jahr,regionalschluessel,ebene,name,altersgruppe,zuzuege,zuzuege_m,zuzuege_w,zuzuege_ausland,"
        "zuzuege_ausland_m,zuzuege_ausland_w,fortzuege,fortzuege_m,fortzuege_w,fortzuege_ausland,"
        "fortzuege_ausland_m,fortzuege_ausland_w\n"
    )
    path.write_text(header + "2015,DG,deutschland,Deutschland,Senioren,1,1,0,0,0,0,1,1,0,0,0,0\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="Unbekannte Altersangabe „Senioren“"):
        load_file(path)
    assert not Dataset.objects.exists()


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "geburten_kreise_1995_2015.csv"
    path.write_bytes((BIRTHS_HEADER + "2015,09162,kreis,München,1,1,0\n").encode("cp1252"))
    with pytest.raises(LoaderError, match="nicht UTF-8"):
        load_file(path)
    assert not Dataset.objects.exists()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Insgesamt", (None, None)),
        ("unter 1 Jahr", (0, 0)),
        ("unter 3 Jahre", (0, 2)),
        ("3 bis unter 6 Jahre", (3, 5)),
        ("74 bis unter 75 Jahre", (74, 74)),
        ("90 Jahre und mehr", (90, None)),
        ("Hochbetagte", None),
    ],
)
def test_age_labels(label, expected):
    assert loader.parse_age_label(label) == expected
    if expected:
        assert loader.age_group_label(*expected) in {"total", "0", "0-2", "3-5", "74", "90+"}


# --- Coordinates -------------------------------------------------------------------------------------------------


def test_load_coordinates(tmp_path):
    gemeinde = RegionFactory(level=Level.GEMEINDE, key="09162000", name="München")
    kreis = RegionFactory(level=Level.KREIS, key="09162", name="München, Landeshauptstadt")
    untouched = RegionFactory(level=Level.GEMEINDE, key="07232503", name="Obergeckler")
    (tmp_path / "gemeinden.csv").write_text(
        "ags,name,lat,lon\n09162000,München,48.137108,11.575382\n07232503,Obergeckler,,\n", encoding="utf-8"
    )
    (tmp_path / "kreise.csv").write_text(
        "ags5,name,lat_bevgewichtet,lon_bevgewichtet\n09162,München,48.1371,11.5754\n", encoding="utf-8"
    )
    assert load_coordinates(tmp_path / "gemeinden.csv") == 2
    gemeinde.refresh_from_db()
    kreis.refresh_from_db()
    untouched.refresh_from_db()
    assert (str(gemeinde.lat), str(gemeinde.lon)) == ("48.137108", "11.575382")
    assert (str(kreis.lat), str(kreis.lon)) == ("48.137100", "11.575400")
    assert untouched.lat is None
    assert load_coordinates(tmp_path / "gemeinden.csv") == 0  # idempotent


# --- Example data ------------------------------------------------------------------------------------------------


def test_example_data_is_labelled_and_consistent():
    create_example_data()
    datasets = Dataset.objects.all()
    assert datasets.count() == 6
    for dataset in datasets:
        assert dataset.is_example and not dataset.is_official
        assert dataset.title.startswith("Beispieldaten")
        assert dataset.source == "Beispieldaten (von DAKS erzeugt)"
        assert dataset.format == DatasetFormat.EXAMPLE and dataset.table_code == ""
        assert dataset.attribution == "Beispieldaten (erzeugt, keine amtlichen Zahlen)"
    regions = Region.objects.all()
    assert {r.key[:2] for r in regions} == {"99"}  # no real key, no fake "Deutschland"
    assert all("(Beispieldaten)" in r.name and r.source == EXAMPLE_SOURCE for r in regions)
    town = Region.objects.get(level=Level.GEMEINDE, key=EXAMPLE_TOWN_KEY)
    assert (
        town.name == "Beispielstadt (Beispieldaten)" and town.parent.key == "99001" and town.parent.parent.key == "99"
    )

    def total(key, **filters):
        return Observation.objects.filter(region_key=key, **filters).aggregate(s=Sum("value"))["s"]

    groups = {"variable": "population", "year": 2015, "sex": "female", "dataset__title__contains": "Altersgruppen"}
    assert total(EXAMPLE_TOWN_KEY, age_group="total", **groups) == total(
        EXAMPLE_TOWN_KEY, age_from__isnull=False, **groups
    )
    # the Kreis is the sum of its Gemeinden, flows are consistent with the change of the population
    population = {"variable": "population", "sex": "total", "age_group": "total", "dataset__title__contains": "2024"}
    kreis_2024 = total("99001", year=2024, **population)
    assert kreis_2024 == sum(total(f"9900100{i}", year=2024, **population) for i in range(1, 6))
    flows = {"sex": "total", "age_group": "total", "year": 2013}
    change = total(EXAMPLE_TOWN_KEY, year=2013, **population) - total(EXAMPLE_TOWN_KEY, year=2012, **population)
    assert change == (
        total(EXAMPLE_TOWN_KEY, variable="births", **flows)
        - total(EXAMPLE_TOWN_KEY, variable="deaths", **flows)
        + total(EXAMPLE_TOWN_KEY, variable="in_migration", **flows)
        - total(EXAMPLE_TOWN_KEY, variable="out_migration", **flows)
    )

    count = Observation.objects.count()
    create_example_data()  # idempotent
    assert Observation.objects.count() == count and Dataset.objects.count() == 6
    assert remove_example_data() == 6
    assert not Region.objects.exists() and not Observation.objects.exists()


# --- The command -------------------------------------------------------------------------------------------------


def _run(*args):
    out = StringIO()
    call_command("load_demography", *args, "--skip-compute", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_without_data_loads_example_data(tmp_path, monkeypatch):
    monkeypatch.delenv("DAKS_ONLINE", raising=False)
    output = _run("--data-dir", str(tmp_path))
    assert "loading example data (Beispieldaten)" in output
    assert Dataset.objects.filter(is_example=True).count() == 6
    assert Region.objects.filter(key=EXAMPLE_TOWN_KEY).exists()


def test_command_with_a_file_loads_it_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.delenv("DAKS_ONLINE", raising=False)
    (tmp_path / "demografie").mkdir()
    _births_file(tmp_path / "demografie", "2015,09162,kreis,München,17009,8653,8356\n")
    first = _run("--data-dir", str(tmp_path))
    assert "geburten_kreise_1995_2015.csv: 3 values, 1 regions" in first
    assert not Dataset.objects.filter(is_example=True).exists()  # real data: no example data
    second = _run("--data-dir", str(tmp_path))
    assert "geburten_kreise_1995_2015.csv: skipped (already loaded)" in second
    assert "Loaded 0 new values in 0 datasets" in second
    assert Observation.objects.count() == 3


def test_command_example_option(tmp_path):
    output = _run("--example")
    assert "Beispielstadt has the key 99001001" in output
    assert Dataset.objects.filter(is_example=True).count() == 6


def test_command_reports_a_bad_file(tmp_path):
    from django.core.management import CommandError

    (tmp_path / "demografie").mkdir()
    _births_file(tmp_path / "demografie", "2015,09162,kreis,M,x,1,0\n")
    with pytest.raises(CommandError, match="„x“ ist keine Zahl"):
        _run("--data-dir", str(tmp_path))
    assert not Dataset.objects.exists()


def test_compute_is_called_unless_skipped(tmp_path, monkeypatch):
    import daks.demography.management.commands.load_demography as command

    calls = []
    monkeypatch.setattr(command, "get_commands", lambda: {"compute_demography": "demography"})
    monkeypatch.setattr(command, "call_command", lambda name, **kwargs: calls.append(name))
    call_command("load_demography", "--example", stdout=StringIO())
    assert calls == ["compute_demography"]
    monkeypatch.setattr(command, "get_commands", lambda: {})
    out = StringIO()
    Dataset.objects.all().delete()
    call_command("load_demography", "--example", stdout=out)
    assert "compute_demography not available yet" in out.getvalue()


def test_online_steps_are_off_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("DAKS_ONLINE", raising=False)
    monkeypatch.setenv("DAKS_GENESIS_USERNAME", "someone")
    monkeypatch.setattr(loader, "fetch_gv100ad", lambda *a, **k: pytest.fail("no download without DAKS_ONLINE=1"))
    _run("--data-dir", str(tmp_path))


# --- Download of the GV100AD ---------------------------------------------------------------------------------------


def test_fetch_gv100ad_needs_a_configured_https_url(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("DAKS_GV100AD_URL", raising=False)
    settings.DAKS_GV100AD_URL = ""
    with pytest.raises(LoaderError, match="keine Adresse"):
        loader.fetch_gv100ad(target_dir=tmp_path)
    with pytest.raises(LoaderError, match="nur über https"):
        loader.fetch_gv100ad("http://example.org/GV100AD.zip", target_dir=tmp_path)


def test_fetch_gv100ad_unpacks_the_zip(tmp_path, monkeypatch):
    content = "1020250831" + " " * 210 + "\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("GV100AD_31082025.txt", content)
        zf.writestr("Datensatzbeschreibung.pdf", b"%PDF")

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    seen = {}

    def urlopen(request, timeout):
        seen["timeout"] = timeout
        return Response(archive.getvalue())

    monkeypatch.setattr(loader.urllib.request, "urlopen", urlopen)
    path = loader.fetch_gv100ad("https://www.destatis.de/GV100AD_31082025.zip", target_dir=tmp_path)
    assert path == tmp_path / "GV100AD_31082025.txt"
    assert path.read_text(encoding="utf-8") == content
    assert seen["timeout"] <= 30
    assert loader.gv100ad_reference_date(path).isoformat() == "2025-08-31"


def test_online_is_enabled_only_explicitly(monkeypatch):
    monkeypatch.delenv("DAKS_ONLINE", raising=False)
    assert not loader.online_enabled()
    monkeypatch.setenv("DAKS_ONLINE", "1")
    assert loader.online_enabled()


# --- Real files (last: the module fixture keeps them in the database until the end of the module) ---------------


@needs_shared_data
def test_largest_file_full_size_and_germany_sum(loaded):
    summary = loaded["bev_altersgruppen_gemeinden_2015.csv"]
    assert summary.values == 11_703 * 54
    assert summary.regions == 11_703
    dataset = Dataset.objects.get(pk=summary.dataset_id)
    assert dataset.format == DatasetFormat.DERIVED_CSV
    assert dataset.table_code == "12411-02-03-5"
    assert dataset.source.endswith("(aufbereitet: datenguide/genesapi-data)")
    assert dataset.data_as_of == "Stichtag 31.12.2015"
    assert not dataset.is_example and dataset.is_official
    assert dataset.value_count == summary.values

    gemeinden = Observation.objects.filter(
        dataset=dataset, variable="population", sex="total", age_group="total", region_key__regex=r"^\d{8}$"
    ).exclude(region_key__in=_verband_keys())
    assert gemeinden.count() == 11_092
    assert gemeinden.aggregate(s=Sum("value"))["s"] == 82_175_684
    assert _value("12411-02-03-5", "DG", variable="population", year=2015) == 82_175_684
    munich = Observation.objects.get(dataset=dataset, region_key="09162000", sex="female", age_group="75+")
    assert munich.age_from == 75 and munich.age_to is None and str(munich.date) == "2015-12-31"
    first = Observation.objects.get(dataset=dataset, region_key="01", sex="male", age_group="0-2")
    assert (first.value, first.age_from, first.age_to) == (36_224, 0, 2)
    groups = set(Observation.objects.filter(dataset=dataset).values_list("age_group", flat=True))
    assert groups == {"total", "0-2", "3-5", "6-9", "10-14", "15-17", "18-19"} | {
        f"{a}-{a + 4}" for a in range(20, 65, 5)
    } | {"65-74", "75+"}


def _verband_keys():
    # 8-digit Samtgemeinde/Amt keys (ebene gemeindeverband) are stored as published, next to the AGS of Gemeinden
    import csv

    with open(DEMOGRAFIE / "bev_altersgruppen_gemeinden_2015.csv", encoding="utf-8") as handle:
        return [row["regionalschluessel"] for row in csv.DictReader(handle) if row["ebene"] == "gemeindeverband"]


@needs_shared_data
def test_kreis_files(loaded):
    kreise_2024 = Observation.objects.filter(
        dataset__table_code="12411-01-01-4", variable="population", sex="total", region_key__regex=r"^\d{5}$"
    )
    assert kreise_2024.count() == 400
    assert kreise_2024.aggregate(s=Sum("value"))["s"] == 83_577_140
    assert kreise_2024.first().date.isoformat() == "2024-12-31"

    assert _value("12411-02-03-4", "DG", variable="population", year=2015, age_group="0-2") == 2_200_407
    assert _value("12411-04-02-4", "DG", variable="population", year=2015, age_group="0") == 744_721
    single = set(Observation.objects.filter(dataset__table_code="12411-04-02-4").values_list("age_group", flat=True))
    assert single == {str(a) for a in range(75)} | {"75-79", "80-84", "85-89", "90+", "total"}

    # births and deaths of the Landeshauptstadt München (as in the file) and Germany
    assert _value("12612-01-01-4", "09162", variable="births", year=2015) == 17_009
    assert _value("12612-01-01-4", "09162", variable="births", year=2015, sex="male") == 8_653
    assert _value("12613-01-01-4", "09162", variable="deaths", year=2015) == 11_139
    assert _value("12612-01-01-4", "DG", variable="births", year=2015) == 737_575
    assert _value("12613-01-01-4", "DG", variable="deaths", year=2015) == 925_200
    births = Observation.objects.filter(dataset__table_code="12612-01-01-4")
    assert births.aggregate(y=Sum("year"))["y"] and set(births.values_list("year", flat=True)) == set(range(1995, 2016))
    assert not births.exclude(date=None).exists()  # flows have no reference date

    assert _value("12613-02-02-4", "DG", variable="deaths", year=2015, age_group="0") == 2_405
    assert Observation.objects.filter(dataset__table_code="12613-02-02-4", age_group="85+").exists()
    mother = Observation.objects.get(
        dataset__table_code="12612-02-01-4", region_key="DG", sex="total", age_group="0-19"
    )
    assert (mother.variable, mother.value, mother.age_from, mother.age_to) == ("births_by_mother_age", 15_755, 0, 19)

    assert _value("12711-02-02-4", "DG", variable="in_migration", year=2015, age_group="0-17") == 1_063_000
    assert _value("12711-02-02-4", "DG", variable="out_migration", year=2015, age_group="0-17") == 752_829
    assert _value("12711-02-02-4", "DG", variable="in_migration", year=2015, sex="male", age_group="65+") > 0

    zensus = Observation.objects.filter(dataset__table_code="1000A-0000")
    assert zensus.count() == 10_786
    assert zensus.aggregate(s=Sum("value"))["s"] == 82_711_282
    assert zensus.first().date.isoformat() == "2022-05-15" and zensus.first().year == 2022


@needs_shared_data
def test_gemeinde_time_series_on_truncated_copy(tmp_path):
    path = _truncated(tmp_path, "bev_gemeinden_2008_2015.csv", 700)  # includes the Berlin Bezirke (empty cells)
    summary = load_file(path)
    assert summary.values == 699 * 24
    sh = Observation.objects.get(region_key="01", year=2008, sex="total", dataset_id=summary.dataset_id)
    assert sh.value == 2_834_260 and sh.date.isoformat() == "2008-12-31" and sh.age_group == "total"
    empty = Observation.objects.filter(dataset_id=summary.dataset_id, value=None)
    assert empty.exists() and set(empty.values_list("flag", flat=True)) == {"."}


@needs_shared_data
def test_gemeinde_migration_on_truncated_copy(tmp_path):
    summary = load_file(_truncated(tmp_path, "wanderungen_gemeinden_2015.csv", 500))
    assert summary.values == 499 * 42
    out = Observation.objects.get(
        dataset_id=summary.dataset_id, region_key="01", variable="out_migration", sex="total", age_group="0-17"
    )
    assert (out.value, out.age_from, out.age_to, out.date) == (31_088, 0, 17, None)
    assert (
        Observation.objects.get(
            dataset_id=summary.dataset_id, region_key="01", variable="in_migration", sex="total", age_group="total"
        ).value
        == 247_179
    )


@needs_shared_data
def test_reload_is_skipped_before_parsing(loaded, monkeypatch):
    before = Observation.objects.count()

    def fail(*args, **kwargs):
        raise AssertionError("the file must not be parsed again")

    monkeypatch.setattr(loader, "_rows", fail)
    summary = load_file(DEMOGRAFIE / "bev_altersgruppen_gemeinden_2015.csv")
    assert summary.skipped and summary.values == 0
    assert Observation.objects.count() == before


@needs_shared_data
@pytest.mark.skipif(not os.environ.get("DAKS_SLOW_TESTS"), reason="full load of shared/data: set DAKS_SLOW_TESTS=1")
def test_load_shared_data_everything():  # pragma: no cover - about 25 s
    summaries = loader.load_shared_data(DATA_DIR)
    assert len([s for s in summaries if s.values]) == 12
    assert all(s.skipped for s in loader.load_shared_data(DATA_DIR))
