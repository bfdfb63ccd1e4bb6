"""Tests for the GENESIS / regionalstatistik.de parsers (classic CSV and ffcsv)."""

import contextlib
import csv
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daks.demography.importers.genesis import (
    KNOWN_TABLES,
    StatisticsFileError,
    canonical_age_group,
    detect_format,
    normalize_region_key,
    parse_number,
    parse_statistics_file,
)

DATA_DIR = Path(os.environ.get("DAKS_DATA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "data"))
SAMPLES = DATA_DIR / "samples"
DEMOGRAFIE = DATA_DIR / "demografie"


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample file {path} not available (set DAKS_DATA_DIR to the shared data folder)")
    return path


def by_key(table, key, **filters):
    return [r for r in table.records if r.original_key == key and all(getattr(r, k) == v for k, v in filters.items())]


def one(table, key, **filters):
    hits = by_key(table, key, **filters)
    assert len(hits) == 1, hits
    return hits[0]


CLASSIC = """GENESIS-Tabelle: 12411-01-01-4
Bevölkerungsstand: Bevölkerung nach Geschlecht;;;;
- Stichtag 31.12. -;;;;
regionale Tiefe: Kreise und krfr. Städte;;;;
Bevölkerungsstand (Anzahl);;;;
;;31.12.2015;31.12.2015;31.12.2015
;;Insgesamt;männlich;weiblich
DG;Deutschland;82175684;40514123;41661561
01;  Schleswig-Holstein;2858714;1399458;1459256
01001;      Flensburg, Kreisfreie Stadt;85942;42767;43175
03159;      Göttingen, Landkreis;-;-;-
__________
"zu  ""gesamter Tabelle"":
ab dem Berichtsjahr 2011: nach dem Zensus 2011"
"© Statistische Ämter des Bundes und der Länder, Deutschland, 2017."
Stand: 14.12.2017 / 15:51:18
"""

FFCSV_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label;value_q\n"
)


def ff_row(key, name, sex_code, sex_label, value, q=""):
    return (
        f"12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;2024-12-31;KREISE;Kreise;{key};{name};"
        f"GES;Geschlecht;{sex_code};{sex_label};{value};Anzahl;BEVSTD;Bevölkerungsstand;{q}\n"
    )


# --------------------------------------------------------------------------------------------- format detection


def test_detect_format_classic_and_ffcsv():
    assert detect_format(CLASSIC.encode("cp1252")) == "classic"
    assert (
        detect_format(("\ufeff" + FFCSV_HEADER + ff_row("01001", "Flensburg", "", "Insgesamt", 1)).encode()) == "ffcsv"
    )
    # a classic table whose code line is missing is still recognised as classic (and then rejected, see below)
    assert detect_format(b";;Insgesamt\nDG;Deutschland;5\n") == "classic"


@pytest.mark.parametrize("data", [b"", b"hello world", b"a,b,c\n1,2,3\n", b"\x00\xff\xfe" * 10, b"PK\x03\x04zip"])
def test_detect_format_unknown(data):
    with pytest.raises(StatisticsFileError) as exc:
        detect_format(data)
    assert exc.value.errors[0].reason == "unbekanntes Format: weder GENESIS-CSV noch ffcsv"
    with pytest.raises(StatisticsFileError, match="unbekanntes Format"):
        parse_statistics_file(data)


# --------------------------------------------------------------------------------------------- numbers and signs


@pytest.mark.parametrize(
    ("text", "value", "flag"),
    [
        ("1234", 1234, ""),
        ("1.234", 1234, ""),
        ("1.234.567", 1234567, ""),
        ("12,5", 12.5, ""),
        ("1.234,75", 1234.75, ""),
        ("-7", -7, ""),
        ("-1.234,5", -1234.5, ""),
        (" 42 ", 42, ""),
        ("-", 0, "-"),
        (".", None, "."),
        ("x", None, "x"),
        ("/", None, "/"),
        ("...", None, "..."),
        ("…", None, "…"),
        ("(123)", 123, "()"),
        ("(12,5)", 12.5, "()"),
        ("()", None, "()"),
        ("0", 0, "0"),
        ("0,0", 0.0, "0"),
        ("", None, ""),
    ],
)
def test_parse_number_german_and_special_signs(text, value, flag):
    assert parse_number(text) == (value, flag)
    assert type(parse_number(text)[0]) is type(value)


@pytest.mark.parametrize("text", ["1.2a4", "12.5", "1,2,3", "abc", "1 234", "--", "1.23", "(x"])
def test_parse_number_rejects_garbage(text):
    with pytest.raises(ValueError, match="ist keine Zahl"):
        parse_number(text)


def test_parse_number_ffcsv_decimal_point_and_comma():
    assert parse_number("12.5", decimal=".") == (12.5, "")
    assert parse_number("12,5", decimal=".") == (12.5, "")
    assert parse_number("-", decimal=".") == (0, "-")


def test_special_signs_in_classic_file():
    text = (
        CLASSIC.replace("85942;42767;43175", "(85942);.;x")
        .replace("2858714;1399458;1459256", "/;...;…")
        .replace("82175684;40514123;41661561", "1.234;12,5;0")
    )
    table = parse_statistics_file(text.encode("utf-8"))
    fl = {r.sex: (r.value, r.flag) for r in by_key(table, "01001")}
    assert fl == {"total": (85942, "()"), "male": (None, "."), "female": (None, "x")}
    sh = {r.sex: (r.value, r.flag) for r in by_key(table, "01")}
    assert sh == {"total": (None, "/"), "male": (None, "..."), "female": (None, "…")}
    de = {r.sex: (r.value, r.flag) for r in by_key(table, "DG")}
    assert de == {"total": (1234, ""), "male": (12.5, ""), "female": (0, "0")}
    assert {r.flag for r in by_key(table, "03159")} == {"-"}
    assert {r.value for r in by_key(table, "03159")} == {0}


# --------------------------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("DG", ("DG", "bund")),
        ("01", ("01", "land")),
        ("031", ("031", "regierungsbezirk")),
        ("01001", ("01001", "kreis")),
        ("0713101", ("0713101", "gemeindeverband")),
        ("01051001", ("01051001", "gemeinde")),
        ("0713100007", ("07131007", "gemeinde")),  # verbandsfreie Gemeinde RP (10 digits)
        ("0713101001", ("07131001", "gemeinde")),
        ("03151401002", ("03151002", "gemeinde")),  # Gemeinde in a Samtgemeinde (11 digits)
        ("010010000000", ("01001000", "gemeinde")),  # ARS (Zensus)
    ],
)
def test_normalize_region_key(key, expected):
    assert normalize_region_key(key) == expected


@pytest.mark.parametrize("key", ["", "1", "1234", "123456", "123456789", "DE", "0100A", "1234567890123", "٠١"])
def test_normalize_region_key_invalid(key):
    with pytest.raises(ValueError, match="kein gültiger Regionalschlüssel"):
        normalize_region_key(key)


def test_samtgemeinde_8_digit_key_is_gemeindeverband():
    text = (
        "GENESIS-Tabelle: 12411-01-01-5\nBevölkerung;;\nBevölkerungsstand (Anzahl);;\n31.12.2015;;\n;;Insgesamt\n"
        "03251;      Diepholz, Landkreis;100\n"
        "03251012;        Diepholz;40\n"
        "03251401;        Altes Amt Lemförde, Samtgemeinde;60\n"
        "03251401009;        Brockum;20\n"
        "03251402;        Barnstorf;40\n"
    )
    table = parse_statistics_file(text.encode())
    levels = {r.original_key: (r.region_key, r.level) for r in table.records}
    assert levels == {
        "03251": ("03251", "kreis"),
        "03251012": ("03251012", "gemeinde"),
        "03251401": ("03251401", "gemeindeverband"),
        "03251401009": ("03251009", "gemeinde"),
        "03251402": ("03251402", "gemeinde"),
    }
    assert {r.date for r in table.records} == {dt.date(2015, 12, 31)}


# ------------------------------------------------------------------------------------- header, footer, encodings


def test_classic_header_and_footer():
    table = parse_statistics_file(CLASSIC.encode("cp1252"))
    assert table.table_code == "12411-01-01-4"
    assert table.format == "classic"
    assert table.encoding == "cp1252"
    assert table.title == "Bevölkerungsstand: Bevölkerung nach Geschlecht - Stichtag 31.12. -"
    assert "regionale Tiefe: Kreise und krfr. Städte" in table.title_lines
    assert table.stand == "14.12.2017 / 15:51:18"
    assert any("Zensus 2011" in n for n in table.footnotes)
    assert any(n.startswith("©") for n in table.footnotes)
    assert len(table.records) == 4 * 3  # footer lines are not data
    fl = one(table, "01001", sex="female")
    assert (fl.region_name, fl.level, fl.value, fl.year, fl.date) == (
        "Flensburg, Kreisfreie Stadt",
        "kreis",
        43175,
        2015,
        dt.date(2015, 12, 31),
    )
    assert fl.variable == "population" and fl.age_group == "total"
    assert one(table, "03159", sex="total").region_name == "Göttingen, Landkreis"


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda s: s.encode("cp1252"), "cp1252"),
        (lambda s: s.encode("utf-8"), "utf-8"),
        (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8-sig"),
        (lambda s: s.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
    ],
)
def test_classic_encodings(encode, encoding):
    table = parse_statistics_file(encode(CLASSIC))
    assert table.encoding == encoding
    assert one(table, "03159", sex="male").region_name == "Göttingen, Landkreis"
    assert one(table, "DG", sex="total").value == 82175684


def test_ffcsv_synthetic_quality_flags_and_decimal_comma():
    text = "\ufeff" + FFCSV_HEADER + ff_row("01001", "Flensburg", "GESM", "männlich", "12,5", "e")
    text += ff_row("01001", "Flensburg", "GESW", "weiblich", "-", "")
    text += ff_row("01001", "Flensburg", "", "Insgesamt", ".", "")
    table = parse_statistics_file(text.encode("utf-8"))
    vals = {r.sex: (r.value, r.flag) for r in table.records}
    assert vals == {"male": (12.5, "e"), "female": (0, "-"), "total": (None, ".")}


def test_age_group_labels():
    assert canonical_age_group("unter 3 Jahre") == "0-2"
    assert canonical_age_group("3 bis unter 6 Jahre") == "3-5"
    assert canonical_age_group("75 Jahre und mehr") == "75+"
    assert canonical_age_group("unter 1 Jahr") == "0"
    assert canonical_age_group("37 bis unter 38 Jahre") == "37"
    assert canonical_age_group("10 bis 19 Jahre") == "10-19"
    assert canonical_age_group("80 Jahre und älter") == "80+"
    assert canonical_age_group("ALT060B069") == "60-69"
    assert canonical_age_group("ALT080BXXX") == "80+"
    assert canonical_age_group("Insgesamt") == "total"
    assert canonical_age_group("Altersgruppen (unter 3 bis 75 u.m.)") is None


# --------------------------------------------------------------------------------------------- malformed input


def test_malformed_classic_collects_all_errors_with_line_numbers():
    text = CLASSIC.replace("85942;42767;43175", "1.2a4;42767;abc").replace("01;  Schleswig", "0100A;  Schleswig")
    with pytest.raises(StatisticsFileError) as exc:
        parse_statistics_file(text.encode("utf-8"))
    messages = [e.message for e in exc.value.errors]
    assert "Zeile 9: „0100A“ ist kein gültiger Regionalschlüssel" in messages
    assert "Zeile 10: „1.2a4“ ist keine Zahl" in messages
    assert "Zeile 10: „abc“ ist keine Zahl" in messages
    assert len(messages) == 3
    assert "Zeile 10: „1.2a4“ ist keine Zahl" in str(exc.value)


def test_missing_code_line():
    text = CLASSIC.split("\n", 1)[1]  # drop "GENESIS-Tabelle: …"
    with pytest.raises(StatisticsFileError) as exc:
        parse_statistics_file(text.encode("utf-8"))
    assert exc.value.errors[0].line == 1
    assert exc.value.errors[0].reason.startswith("Kopfzeile mit Tabellencode fehlt")


def test_classic_without_data_or_header():
    with pytest.raises(StatisticsFileError, match="keine Datenzeilen gefunden"):
        parse_statistics_file(b"GENESIS-Tabelle: 12411-01-01-4\nTitel;;\n;;Insgesamt\n__________\nStand: heute\n")
    with pytest.raises(StatisticsFileError, match="Spaltenkopf fehlt"):
        parse_statistics_file(b"GENESIS-Tabelle: 12411-01-01-4\nDG;Deutschland;5\n")


def test_classic_short_row():
    text = CLASSIC.replace("85942;42767;43175", "85942;42767")
    with pytest.raises(StatisticsFileError) as exc:
        parse_statistics_file(text.encode())
    assert [e.message for e in exc.value.errors] == ["Zeile 10: 3 Werte erwartet, 2 gefunden"]


def test_malformed_ffcsv():
    with pytest.raises(StatisticsFileError, match="Spalte „value“ fehlt"):
        parse_statistics_file(b"statistics_code;time;foo\n12411;2024;1\n")
    text = FFCSV_HEADER + ff_row("01001", "Flensburg", "", "Insgesamt", "1a") + "12411;zu kurz\n"
    text += ff_row("9999", "Nirgendwo", "", "Insgesamt", "5")
    with pytest.raises(StatisticsFileError) as exc:
        parse_statistics_file(text.encode())
    assert [e.message for e in exc.value.errors] == [
        "Zeile 2: „1a“ ist keine Zahl",
        "Zeile 3: 18 Spalten erwartet, 2 gefunden",
        "Zeile 4: „9999“ ist kein gültiger Regionalschlüssel",
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_statistics_file_error(data):
    with contextlib.suppress(StatisticsFileError):
        parse_statistics_file(data)


_cell = st.sampled_from(
    ["", "DG", "01", "01001", "2015", "31.12.2015", "-", ".", "x", "1.234", "12,5", "abc", '"', "Insgesamt"]
)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(["GENESIS-Tabelle: 12411-01-01-4\n", "", FFCSV_HEADER, "\ufeff" + FFCSV_HEADER]),
    rows=st.lists(st.lists(st.one_of(_cell, st.text(max_size=8)), max_size=7), max_size=12),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]),
)
def test_structured_garbage_only_raises_statistics_file_error(prefix, rows, encoding):
    text = prefix + "\n".join(";".join(r) for r in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    with contextlib.suppress(StatisticsFileError):
        parse_statistics_file(data)


# --------------------------------------------------------------------------------------------- real samples


def test_sample_classic_12411_01_01_4_cp1252():
    table = parse_statistics_file(sample("genesis_classic_12411-01-01-4_cp1252.csv"))
    assert (table.format, table.encoding, table.table_code) == ("classic", "cp1252", "12411-01-01-4")
    assert table.stand == "14.12.2017 / 15:51:18"
    assert {r.date for r in table.records} == {dt.date(2015, 12, 31)}
    assert {r.variable for r in table.records} == {"population"}
    de = {r.sex: r.value for r in by_key(table, "DG")}
    assert de == {"total": 82175684, "male": 40514123, "female": 41661561}
    assert one(table, "01001", sex="total").value == 85942
    assert one(table, "03", sex="total").level == "land"
    assert one(table, "031", sex="total").level == "regierungsbezirk"
    assert one(table, "01003", sex="total").region_name == "Lübeck, Hansestadt, Kreisfreie Stadt"
    gö = one(table, "03159", sex="total")
    assert (gö.value, gö.flag) == (0, "-")  # dissolved Kreis listed with "-"
    # the Kreise plus the city states Hamburg and Berlin (2-digit rows only) add up to Germany
    totals = {r.original_key: r.value for r in table.records if r.sex == "total"}
    assert sum(v for k, v in totals.items() if len(k) == 5) + totals["02"] + totals["11"] == 82175684
    assert sum(v for k, v in totals.items() if len(k) == 2 and k != "DG") == 82175684


def test_sample_classic_12411_matches_derived_csv():
    table = parse_statistics_file(sample("genesis_classic_12411-01-01-4_cp1252.csv"))
    derived = DEMOGRAFIE / "bev_gemeinden_2008_2015.csv"
    if not derived.exists():
        pytest.skip(f"{derived} not available")
    with derived.open(encoding="utf-8") as fh:
        rows = {r["regionalschluessel"]: r for r in csv.DictReader(fh)}
    compared = 0
    for r in table.records:
        d = rows.get(r.original_key)
        col = {"total": "insg_2015", "male": "m_2015", "female": "w_2015"}[r.sex]
        if d and d[col]:
            assert int(d[col]) == r.value, r
            compared += 1
    assert compared > 1300


def test_sample_classic_12613_01_01_4_utf8():
    table = parse_statistics_file(sample("genesis_classic_12613-01-01-4_utf8.csv"))
    assert (table.format, table.encoding, table.table_code) == ("classic", "utf-8", "12613-01-01-4")
    assert table.stand == "10.10.2017 / 17:37:09"
    assert {r.year for r in table.records} == set(range(1995, 2016))
    assert {r.variable for r in table.records} == {"deaths"}
    assert {r.date for r in table.records} == {None}
    de = {r.sex: r.value for r in by_key(table, "DG", year=2015)}
    assert de == {"total": 925200, "male": 449512, "female": 475688}
    assert one(table, "01003", year=2015, sex="total").region_name == "Lübeck, Hansestadt, Kreisfreie Stadt"
    assert len(table.records) == 21 * 526 * 3


def test_sample_classic_12613_matches_derived_csv():
    table = parse_statistics_file(sample("genesis_classic_12613-01-01-4_utf8.csv"))
    derived = DEMOGRAFIE / "sterbefaelle_kreise_1995_2015.csv"
    if not derived.exists():
        pytest.skip(f"{derived} not available")
    with derived.open(encoding="utf-8") as fh:
        rows = {(int(r["jahr"]), r["regionalschluessel"]): r for r in csv.DictReader(fh)}
    compared = 0
    for r in table.records:
        d = rows.get((r.year, r.original_key))
        col = {"total": "insgesamt", "male": "maennlich", "female": "weiblich"}[r.sex]
        if d and d[col]:
            assert int(d[col]) == r.value, r
            compared += 1
    assert compared == 33075


@pytest.mark.parametrize("name", ["ffcsv_12411-01-01-4_de.csv", "ffcsv_12411-01-01-4_en.csv"])
def test_sample_ffcsv_12411(name):
    table = parse_statistics_file(sample(name))
    assert (table.format, table.encoding, table.table_code) == ("ffcsv", "utf-8-sig", "12411-01-01-4")
    assert len(table.records) == 1467
    assert {r.date for r in table.records} == {dt.date(2024, 12, 31)}
    assert {r.variable for r in table.records} == {"population"}
    assert one(table, "01002", sex="female").value == 129136  # Kiel
    pankow = one(table, "11003003", sex="total")
    assert (pankow.value, pankow.level, pankow.region_key) == (409453, "gemeinde", "11003003")
    kreise = [r for r in table.records if r.sex == "total" and r.level == "kreis"]
    assert sum(r.value for r in kreise) == 83577140  # SOURCES.md: sum over the 400 Kreise
    assert sum(1 for r in table.records if r.flag == "-") == 222
    assert all(r.value == 0 for r in table.records if r.flag == "-")


def test_sample_ffcsv_de_and_en_have_the_same_values():
    de = parse_statistics_file(sample("ffcsv_12411-01-01-4_de.csv"))
    en = parse_statistics_file(sample("ffcsv_12411-01-01-4_en.csv"))
    assert de.title == "Fortschreibung des Bevölkerungsstandes"
    assert en.title == "Rolled forward population estimates"
    assert {(r.region_key, r.sex, r.value) for r in de.records} == {(r.region_key, r.sex, r.value) for r in en.records}


def test_sample_ffcsv_zensus_with_quality_column():
    table = parse_statistics_file(sample("ffcsv_zensus_1000A-2022_de_mit_qualitaet.csv"))
    assert (table.format, table.table_code) == ("ffcsv", "1000A")
    assert len(table.records) == 1360
    assert {r.date for r in table.records} == {dt.date(2022, 5, 15)}
    assert {r.age_group for r in table.records} == {
        "total",
        "0-9",
        "10-19",
        "20-29",
        "30-39",
        "40-49",
        "50-59",
        "60-69",
        "70-79",
        "80+",
    }
    totals = [r for r in table.records if r.age_group == "total" and r.extra[0][1] == "Insgesamt"]
    de = [r for r in totals if r.region_key == "DG"]
    assert [(r.value, r.flag, r.level) for r in de] == [(82719540, "e", "bund")]  # raw line 28
    assert (
        one(table, "09", age_group="total", extra=(("Einwanderungsgeschichte (ausführlich)", "Insgesamt"),)).value
        == 13038724
    )
    assert sum(r.value for r in totals if r.level == "land") == 82711282
    flags = {r.flag for r in table.records}
    assert flags == {"e", "-"}
    assert sum(1 for r in table.records if r.flag == "e") == 1003


# --------------------------------------------------------------------------------------------- performance


def _gemeinde_table_from_derived(path: Path) -> bytes:
    """Rebuild a classic 12411-02-03-5 download (header layout as in the real regionalstatistik file)."""
    ages = [
        "unter 3 Jahre", "3 bis unter 6 Jahre", "6 bis unter 10 Jahre", "10 bis unter 15 Jahre",
        "15 bis unter 18 Jahre", "18 bis unter 20 Jahre", "20 bis unter 25 Jahre", "25 bis unter 30 Jahre",
        "30 bis unter 35 Jahre", "35 bis unter 40 Jahre", "40 bis unter 45 Jahre", "45 bis unter 50 Jahre",
        "50 bis unter 55 Jahre", "55 bis unter 60 Jahre", "60 bis unter 65 Jahre", "65 bis unter 75 Jahre",
        "75 Jahre und mehr", "Insgesamt",
    ]  # fmt: skip
    suffixes = [
        "00_03", "03_06", "06_10", "10_15", "15_18", "18_20", "20_25", "25_30", "30_35", "35_40",
        "40_45", "45_50", "50_55", "55_60", "60_65", "65_75", "75_plus", "total",
    ]  # fmt: skip
    n = 3 * len(ages)
    pad = ";" * (n + 1)
    lines = [
        "GENESIS-Tabelle: 12411-02-03-5",
        "Bevölkerungsstand: Bevölkerung nach Geschlecht" + pad,
        "und Altersgruppen (17) - Stichtag 31.12. -" + pad,
        "regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden" + pad,
        "Bevölkerungsstand (Anzahl)" + pad,
        "31.12.2015" + pad,
        ";;" + ";".join(s for s in ("Insgesamt", "männlich", "weiblich") for _ in ages),
        ";;" + ";".join(["Altersgruppen (unter 3 bis 75 u.m.)"] * n),
        ";;" + ";".join(ages * 3),
    ]
    indent = {"deutschland": 0, "land": 2, "regierungsbezirk": 4, "kreis": 6}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            values = [r[f"{p}_{s}"] or "." for p in ("insg", "m", "w") for s in suffixes]
            name = " " * indent.get(r["ebene"], 8) + r["name"]
            lines.append(";".join([r["regionalschluessel"], name, *values]))
    lines += ["__________", "Stand: 10.10.2017 / 19:19:45", ""]
    return "\n".join(lines).encode("cp1252", errors="replace")


def test_gemeinde_table_content():
    derived = DEMOGRAFIE / "bev_altersgruppen_gemeinden_2015.csv"
    if not derived.exists():
        pytest.skip(f"{derived} not available (needed to build the large Gemeinde table)")
    data = _gemeinde_table_from_derived(derived)
    table = parse_statistics_file(data)
    assert table.table_code == "12411-02-03-5"
    assert len({r.original_key for r in table.records}) > 11000
    assert len(table.records) > 11000 * 54
    gemeinde_total = [r for r in table.records if r.level == "gemeinde" and r.sex == "total" and r.age_group == "total"]
    # SOURCES.md: the 11,092 Gemeinde rows of the derived file add up exactly to Germany. There, kreisfreie Städte,
    # Hamburg and Berlin count as Gemeinden; here they are 5-/2-digit rows without member Gemeinden.
    keys = {r.original_key for r in table.records}
    has_members = {k[:5] for k in keys if len(k) > 5}
    city_kreise = [
        r
        for r in table.records
        if r.level == "kreis" and r.original_key not in has_members and r.sex == "total" and r.age_group == "total"
    ]
    city_states = [one(table, k, sex="total", age_group="total") for k in ("02", "11")]
    total = sum(r.value or 0 for r in gemeinde_total + city_kreise + city_states)
    assert len(gemeinde_total) + len(city_kreise) + 2 == 11092
    assert total == 82175684
    assert one(table, "DG", sex="total", age_group="total").value == 82175684
    albersdorf = one(table, "01051001", sex="total", age_group="0-2")
    assert (albersdorf.value, albersdorf.level, albersdorf.region_key) == (97, "gemeinde", "01051001")
    assert one(table, "01051001", sex="female", age_group="75+").value == 286
    adenbuettel = by_key(table, "03151406001", sex="total", age_group="total")
    assert adenbuettel and adenbuettel[0].region_key == "03151001"
    assert one(table, "03151401", sex="total", age_group="total").level == "gemeindeverband"
    assert one(table, "0713101", sex="total", age_group="total").level == "gemeindeverband"


def test_known_tables_documented():
    import daks.demography.importers.genesis as genesis

    for code in KNOWN_TABLES:
        assert code in genesis.__doc__
