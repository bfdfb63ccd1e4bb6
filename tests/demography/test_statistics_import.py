"""Import of GENESIS/regionalstatistik tables into datasets and observations (statistics.statistics_import)."""

import itertools
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from daks.core.models import AuditLogEntry
from daks.demography.models import OFFICIAL_LICENCE, OFFICIAL_SOURCE, Dataset, DatasetFormat, Observation
from daks.demography.statistics import (
    StatisticsImportError,
    age_bounds,
    dataset_delete,
    statistics_import,
)

from .factories import DatasetFactory

SAMPLES = Path(settings.DAKS_DATA_DIR) / "samples"
CLASSIC_POP = "genesis_classic_12411-01-01-4_cp1252.csv"
CLASSIC_DEATHS = "genesis_classic_12613-01-01-4_utf8.csv"
FFCSV_DE = "ffcsv_12411-01-01-4_de.csv"
FFCSV_EN = "ffcsv_12411-01-01-4_en.csv"
ZENSUS = "ffcsv_zensus_1000A-2022_de_mit_qualitaet.csv"

pytestmark = pytest.mark.django_db


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"real sample {path} not available (set DAKS_DATA_DIR to the shared data folder)")
    return path


def value(**filters):
    return Observation.objects.get(**filters).value


def counts():
    return Dataset.objects.count(), Observation.objects.count()


# --- real samples ---------------------------------------------------------------------------------


def test_classic_population_flensburg_2015():
    summary = statistics_import(source=sample(CLASSIC_POP))
    assert summary.created and not summary.already_imported
    assert (summary.values, summary.regions) == (1578, 526)
    dataset = summary.dataset
    assert dataset.table_code == "12411-01-01-4"
    assert dataset.format == DatasetFormat.GENESIS_CLASSIC
    assert dataset.source == OFFICIAL_SOURCE and dataset.licence == OFFICIAL_LICENCE
    assert dataset.data_as_of == "Stand: 14.12.2017 / 15:51:18"
    assert dataset.title.startswith("Bevölkerungsstand: Bevölkerung nach Geschlecht")
    assert dataset.file_name == CLASSIC_POP
    assert (dataset.value_count, dataset.region_count) == (1578, 526)
    assert dataset.observations.count() == 1578
    flensburg = {"region_key": "01001", "variable": "population", "year": 2015, "age_group": "total"}
    assert value(sex="total", **flensburg) == 85942
    assert value(sex="male", **flensburg) == 42767
    assert value(sex="female", **flensburg) == 43175
    assert value(region_key="DG", variable="population", year=2015, sex="total") == 82175684
    obs = Observation.objects.get(sex="total", **flensburg)
    assert obs.date.isoformat() == "2015-12-31"
    assert (obs.age_from, obs.age_to, obs.district) == (None, None, "")
    # "-" (dissolved Kreise) = exactly zero with the sign kept as flag
    assert Observation.objects.filter(flag="-", value=0).exists()


def test_classic_deaths_germany_2015():
    summary = statistics_import(source=sample(CLASSIC_DEATHS))
    assert (summary.values, summary.regions) == (33138, 526)
    assert value(region_key="DG", variable="deaths", year=2015, sex="total") == 925200
    assert value(region_key="DG", variable="deaths", year=2015, sex="female") == 475688
    assert value(region_key="01001", variable="deaths", year=2015, sex="total") == 1064
    assert Observation.objects.filter(variable="deaths").values("year").distinct().count() == 21


@pytest.mark.parametrize("name", [FFCSV_DE, FFCSV_EN])
def test_ffcsv_population_2024(name):
    summary = statistics_import(source=sample(name))
    assert (summary.values, summary.regions) == (1467, 489)
    assert summary.dataset.format == DatasetFormat.GENESIS_FFCSV
    assert summary.dataset.table_code == "12411-01-01-4"
    flensburg = {"region_key": "01001", "variable": "population", "year": 2024}
    assert value(sex="total", **flensburg) == 96326
    assert value(sex="male", **flensburg) == 47651
    assert value(sex="female", **flensburg) == 48675


def test_zensus_keeps_totals_of_extra_dimensions():
    summary = statistics_import(source=sample(ZENSUS))
    # 17 regions (DG + 16 Länder) x 10 age groups (9 groups + total), only "Einwanderungsgeschichte: Insgesamt"
    assert (summary.values, summary.regions) == (170, 17)
    assert summary.skipped == 1190
    assert any("Einwanderungsgeschichte" in w for w in summary.warnings)
    obs = Observation.objects.get(region_key="DG", age_group="60-69")
    assert (obs.value, obs.flag, obs.age_from, obs.age_to, obs.year) == (11059795, "e", 60, 69, 2022)
    assert Observation.objects.get(region_key="DG", age_group="80+").age_to is None


def test_reimport_is_idempotent():
    path = sample(CLASSIC_POP)
    statistics_import(source=path)
    before = counts()
    again = statistics_import(source=path)
    assert again.created is False and again.already_imported
    assert again.dataset.pk == Dataset.objects.get().pk
    assert counts() == before
    assert again.as_line() == "imported 0 values for 0 regions"


def test_dry_run_writes_nothing():
    summary = statistics_import(source=sample(CLASSIC_DEATHS), dry_run=True)
    assert (summary.values, summary.created, summary.dataset) == (33138, False, None)
    assert counts() == (0, 0)
    assert summary.as_line() == "validated 33138 values for 526 regions (dry run, nothing written)"


def test_progress_callback():
    calls = []
    statistics_import(source=sample(CLASSIC_DEATHS), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (33138, 33138)
    assert all(total == 33138 for _, total in calls)


# --- malformed input: nothing written ---------------------------------------------------------------

CLASSIC = """GENESIS-Tabelle: 12411-01-01-4
Bevölkerungsstand: Bevölkerung nach Geschlecht;;;;
- Stichtag 31.12. -;;;;
regionale Tiefe: Kreise und krfr. Städte;;;;
Bevölkerungsstand (Anzahl);;;;
;;31.12.2015;31.12.2015;31.12.2015
;;Insgesamt;männlich;weiblich
DG;Deutschland;82175684;40514123;41661561
01001;      Flensburg, Kreisfreie Stadt;85942;42767;43175
__________
Stand: 10.10.2017 / 19:19:45
"""


def test_small_classic_text_imports():
    summary = statistics_import(source=CLASSIC.encode("cp1252"), filename="t.csv")
    assert (summary.values, summary.regions) == (6, 2)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (CLASSIC.replace("85942", "85x42").encode("utf-8"), "keine Zahl"),
        (CLASSIC.replace(";43175", "").encode("utf-8"), "Werte erwartet"),
        (
            CLASSIC.replace("__________", "01001;      Flensburg, Kreisfreie Stadt;1;2;3\n__________").encode("utf-8"),
            "Doppelter Wert für Flensburg",
        ),
        (CLASSIC.encode("utf-16-le"), "unbekanntes Format"),  # UTF-16 without BOM
        (b"\x00\xff\xfe garbage \x81\x9d\n\x00\x00", "unbekanntes Format"),
        (
            "\ufeffstatistics_code;time;1_variable_code;1_variable_attribute_code;value\n12411;2024\n".encode(),
            "Spalten erwartet",
        ),
        (b"statistics_code;time;1_variable_code;1_variable_attribute_code\n12411;2024;KREISE;01001\n", "value"),
        (CLASSIC.split("DG;")[0].encode("utf-8"), "keine Datenzeilen"),
    ],
    ids=[
        "text-in-number",
        "missing-column",
        "duplicate-key",
        "utf16-no-bom",
        "binary-garbage",
        "truncated-ff",
        "missing-value-column",
        "truncated-classic",
    ],
)
def test_malformed_files_write_nothing(data, expected):
    DatasetFactory()  # an existing dataset stays untouched
    before = counts()
    with pytest.raises(StatisticsImportError) as info:
        statistics_import(source=data, filename="bad.csv")
    assert counts() == before
    assert any(expected in e for e in info.value.errors), info.value.errors
    assert "nichts importiert" in info.value.message


def test_duplicate_message_names_region_and_values():
    data = CLASSIC.replace("__________", "01001;      Flensburg, Kreisfreie Stadt;1;2;3\n__________")
    with pytest.raises(StatisticsImportError) as info:
        statistics_import(source=data.encode())
    assert (
        "Doppelter Wert für Flensburg, Kreisfreie Stadt (01001), population 2015, total, alle Altersgruppen: "
        "85942 und 1" in info.value.errors
    )


def test_truncated_real_file(tmp_path):
    data = sample(CLASSIC_DEATHS).read_bytes()
    cut = data[: len(data) // 2]
    cut = cut[: cut.rfind(b"\n") - 7]  # cut in the middle of a data line
    with pytest.raises(StatisticsImportError):
        statistics_import(source=cut)
    assert counts() == (0, 0)


def test_unsupported_table():
    data = CLASSIC.replace("12411-01-01-4", "99999-01-01-4").replace("Bevölkerungsstand (Anzahl)", "Kühe (Anzahl)")
    with pytest.raises(StatisticsImportError) as info:
        statistics_import(source=data.encode())
    assert "Tabelle 99999-01-01-4 wird nicht unterstützt" in info.value.errors[0]
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("label", "bounds"), [("0-2", (0, 2)), ("75+", (75, None)), ("37", (37, 37)), ("total", (None, None))]
)
def test_age_bounds(label, bounds):
    assert age_bounds(label) == bounds


def test_age_bounds_rejects_raw_labels():
    with pytest.raises(ValueError, match="nicht erkannt"):
        age_bounds("Kinder")


# --- the command ----------------------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_statistics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports():
    out, _ = run(str(sample(CLASSIC_POP)))
    assert out.strip().splitlines()[-1] == "imported 1578 values for 526 regions"
    assert "Format classic" in out
    assert Observation.objects.count() == 1578


def test_command_dry_run():
    out, _ = run(str(sample(FFCSV_DE)), "--dry-run")
    assert out.strip().splitlines()[-1] == "validated 1467 values for 489 regions (dry run, nothing written)"
    assert counts() == (0, 0)


def test_command_reimport_says_already_imported():
    run(str(sample(CLASSIC_POP)))
    out, _ = run(str(sample(CLASSIC_POP)))
    assert "bereits importiert" in out
    assert out.strip().splitlines()[-1] == "imported 0 values for 0 regions"
    assert Dataset.objects.count() == 1


def test_command_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CLASSIC.replace("85942", "viele"), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run(str(bad))
    assert "Zeile 9: „viele“ ist keine Zahl" in str(info.value)
    assert counts() == (0, 0)


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        run(str(tmp_path / "nope.csv"))


# --- speed ------------------------------------------------------------------------------------------------


def _large_classic(rows: int = 11_200) -> bytes:
    """A classic table shaped like 12411-02-03-5 (Gemeinden x 3 sexes x 18 age groups): 604,800 values."""
    bounds = [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75]
    ages = [f"{a} bis unter {b} Jahre" for a, b in itertools.pairwise(bounds)]
    ages += ["75 Jahre und mehr", "Insgesamt"]
    cols = [(s, a) for s in ("Insgesamt", "männlich", "weiblich") for a in ages]
    lines = [
        "GENESIS-Tabelle: 12411-02-03-5",
        "Bevölkerungsstand: Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. -;",
        "regionale Tiefe: Gemeinden;",
        "Bevölkerungsstand (Anzahl);",
        ";;" + ";".join("31.12.2015" for _ in cols),
        ";;" + ";".join(s for s, _ in cols),
        ";;" + ";".join(a for _, a in cols),
    ]
    values = ";".join(str(100 + i) for i in range(len(cols)))
    lines += [f"{(g % 16) + 1:02d}{g:06d};        Gemeinde {g};{values}" for g in range(rows)]
    lines += ["__________", "Stand: 10.10.2017 / 19:19:45"]
    return ("\n".join(lines) + "\n").encode("cp1252")


def test_large_table_imports_completely_with_progress():
    data = _large_classic()
    progress = []
    summary = statistics_import(source=data, filename="big.csv", progress=lambda d, t: progress.append(d))
    assert summary.values == 604_800
    assert Observation.objects.count() == 604_800
    assert len(progress) >= 12  # every 50,000 values


# --- deleting -------------------------------------------------------------------------------------------


def test_dataset_delete_own(municipality, coordinator):
    dataset = DatasetFactory(municipality=municipality)
    Observation.objects.create(dataset=dataset, region_key="x", variable="population", year=2020, sex="total")
    dataset_delete(actor=coordinator, dataset=dataset)
    assert counts() == (0, 0)
    entry = AuditLogEntry.objects.get(action="demography.dataset.deleted")
    assert entry.municipality == municipality and entry.actor == coordinator


def test_dataset_delete_refuses_official(staff_user):
    from daks.core.errors import DomainError

    dataset = DatasetFactory()
    with pytest.raises(DomainError):
        dataset_delete(actor=staff_user, dataset=dataset)
    assert Dataset.objects.count() == 1


def test_failure_during_insert_rolls_back():
    def boom(done, total):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        statistics_import(source=sample(CLASSIC_DEATHS), progress=boom)
    assert counts() == (0, 0)
