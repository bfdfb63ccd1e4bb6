"""Unit tests of the pure GV100AD parser (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from daks.demography.importers.gv100 import GV100Error, load_gv100ad, parse_gv100ad, parse_line

from . import builders as b


def test_land():
    record = parse_line(b.land("07", "Rheinland-Pfalz", "Mainz"), 1)
    assert (record.satzart, record.key, record.name, record.seat) == ("10", "07", "Rheinland-Pfalz", "Mainz")
    assert record.reference_date == dt.date(2025, 8, 31)
    assert record.population is None


def test_regierungsbezirk():
    record = parse_line(b.rb("071", "früher: Reg.-Bez. Koblenz"), 1)
    assert (record.satzart, record.key, record.name) == ("20", "071", "früher: Reg.-Bez. Koblenz")


def test_region_bw():
    record = parse_line(b.line("30", "0811", "Region Stuttgart", seat="Stuttgart"), 1)
    assert (record.satzart, record.key, record.name, record.seat) == ("30", "0811", "Region Stuttgart", "Stuttgart")


def test_kreis():
    record = parse_line(b.kreis("07131", "Ahrweiler"), 1)
    assert (record.satzart, record.key, record.kind_code, record.kind) == ("40", "07131", "44", "Landkreis")


def test_gemeindeverband_key_is_kreis_plus_verband():
    record = parse_line(b.verband("07131", "5001", "Adenau"), 1)
    assert (record.satzart, record.key, record.kind) == ("50", "071315001", "Verbandsgemeinde")


def test_gemeinde():
    record = parse_line(b.gemeinde("07131001", "5001", "Adenau, Stadt", kind="63", area=1856, pop=2935, male=1482), 3)
    assert record.line == 3
    assert (record.key, record.verband, record.name, record.kind) == ("07131001", "5001", "Adenau, Stadt", "Stadt")
    assert record.ars == "071315001001"
    assert record.verband_key == "071315001"
    assert record.area_km2 == Decimal("18.56")
    assert (record.population, record.population_male, record.population_female) == (2935, 1482, 1453)
    assert record.postal_code == "12345"


def test_real_line_layout():
    real = "6020250831010010000000Flensburg, Stadt" + " " * 84 + "61    000000056730000009632600000047651    24937*****"
    real = real.ljust(220)
    record = parse_line(real, 1)
    assert (record.key, record.name, record.kind) == ("01001000", "Flensburg, Stadt", "Kreisfreie Stadt")
    assert (record.area_km2, record.population, record.population_male) == (Decimal("56.73"), 96326, 47651)
    assert record.postal_code == "24937"


def test_unknown_satzart():
    with pytest.raises(GV100Error, match=r"^Zeile 17: Satzart 99 ist unbekannt$") as info:
        parse_line(b.line("99", "07", "X"), 17)
    assert (info.value.line, info.value.reason) == (17, "Satzart 99 ist unbekannt")


def test_population_not_a_number():
    text = b.gemeinde("07131001", "5001", "Adenau")
    text = text[:139] + "0000000abcd" + text[150:]
    with pytest.raises(GV100Error, match=r"^Zeile 20: Einwohnerzahl ist keine Zahl"):
        parse_line(text, 20)


@pytest.mark.parametrize("length", [219, 221, 0 + 100])
def test_wrong_line_length(length):
    text = b.land("07", "Rheinland-Pfalz").ljust(length)[:length]
    with pytest.raises(GV100Error, match=rf"^Zeile 5: Die Zeile hat {length} statt 220 Zeichen$"):
        parse_line(text, 5)


def test_other_field_errors():
    with pytest.raises(GV100Error, match="Gebietsstand '20251341' ist kein gültiges Datum"):
        parse_line(b.line("10", "07", "X", date="20251341"), 1)
    with pytest.raises(GV100Error, match="Regionalschlüssel '0A' ist ungültig"):
        parse_line(b.land("0A", "X"), 1)
    with pytest.raises(GV100Error, match="Der Name fehlt"):
        parse_line(b.land("07", ""), 1)
    with pytest.raises(GV100Error, match="Textkennzeichen 49 ist für Satzart 40 unbekannt"):
        parse_line(b.kreis("07131", "Ahrweiler", kind="49"), 1)
    with pytest.raises(GV100Error, match="Mehr männliche Einwohner"):
        parse_line(b.gemeinde("07131001", "5001", "Adenau", pop=10, male=11), 1)


def test_parse_skips_blank_lines_strips_bom_and_crlf():
    lines = ["\ufeff" + b.land("07", "Rheinland-Pfalz") + "\r\n", "\n", b.rb("071", "Koblenz") + "\r\n"]
    records = list(parse_gv100ad(lines))
    assert [(r.line, r.key) for r in records] == [(1, "07"), (3, "071")]


def test_parse_raises_first_error_without_handler():
    with pytest.raises(GV100Error, match="Zeile 2"):
        list(parse_gv100ad([b.land("07", "X"), b.line("99", "07", "X")]))


def test_load_collects_all_errors_with_line_numbers():
    lines = b.small_file()
    lines[2] = b.line("99", "07", "X")
    bad_number = b.gemeinde("07131002", "5001", "Antweiler")
    lines[9] = bad_number[:139] + "x" * 11 + bad_number[150:]
    lines[10] = lines[10][:200]
    records, errors = load_gv100ad(lines)
    assert [str(error) for error in errors] == [
        "Zeile 3: Satzart 99 ist unbekannt",
        "Zeile 10: Einwohnerzahl ist keine Zahl ('xxxxxxxxxxx')",
        "Zeile 11: Die Zeile hat 200 statt 220 Zeichen",
    ]
    assert len(records) == len(lines) - 3


def test_load_checks_the_file_as_a_whole():
    lines = [
        *b.small_file(),
        b.gemeinde("07131001", "5001", "Adenau, Stadt"),
        b.gemeinde("07999001", "0001", "Nirgendwo"),
        b.kreis("09162", "München"),
        b.line("10", "05", "Nordrhein-Westfalen", date="20241231"),
    ]
    _records, errors = load_gv100ad(lines)
    assert [str(error) for error in errors] == [
        "Zeile 16: Schlüssel 07131001 ist doppelt (zuerst in Zeile 9)",
        "Zeile 17: Kreis 07999 zu Schlüssel 07999001 fehlt",
        "Zeile 18: Land 09 zu Schlüssel 09162 fehlt",
        "Zeile 19: Gebietsstand 31.12.2024 weicht vom Gebietsstand der ersten Zeile (31.08.2025) ab",
    ]


def test_empty_file(tmp_path):
    records, errors = load_gv100ad(b.write(tmp_path, []))
    assert records == []
    assert [str(error) for error in errors] == ["Die Datei enthält keine Datensätze"]


def test_small_file_is_valid():
    records, errors = load_gv100ad(b.small_file())
    assert errors == []
    assert len(records) == 15


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "latin-1"])
def test_file_encodings(tmp_path, encoding):
    lines = [b.land("01", "Schleswig-Holstein", "Kiel"), b.kreis("01003", "Lübeck, Hansestadt", kind="41")]
    path = b.write(tmp_path, lines, encoding=encoding)
    records = list(parse_gv100ad(path))
    assert [r.name for r in records] == ["Schleswig-Holstein", "Lübeck, Hansestadt"]
    assert records[1].seat == "Lübeck, Hansestadt"


def test_cp1252_specific_characters(tmp_path):
    # "€" and "‚" exist in Windows-1252 only (0x80, 0x82), not in ISO-8859-1
    path = b.write(tmp_path, [b.land("01", "Süd‚Land €")], encoding="cp1252")
    assert next(parse_gv100ad(path)).name == "Süd‚Land €"
