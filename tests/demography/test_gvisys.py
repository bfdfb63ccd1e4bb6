"""The GV-ISys extract (AuszugGV<n>QAktuell.xlsx): parser, import service and the import_regions command.

The workbooks are built with openpyxl in the published layout: a cover sheet, then the data sheet
``Onlineprodukt_Gemeinden<DDMMYYYY>`` with six title/header rows and the data from row 7 in the columns
A–T (Satzart, Textkennzeichen, Land, RB, Kreis, VB, Gem, Gemeindename, Fläche km², Bevölkerung insgesamt /
männlich / weiblich / je km², Postleitzahl, Längengrad, Breitengrad, Reisegebiet, Grad der Verstädterung).
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from daks.demography.importers import gvisys
from daks.demography.importers.gv100 import GV100Error
from daks.demography.models import Level, Region
from daks.demography.services import ImportValidationError, regions_import

from . import builders as b

SHEET = "Onlineprodukt_Gemeinden30062024"
HEADER = [
    ["Alle politisch selbständigen Gemeinden mit ausgewählten Merkmalen am 30.06.2024 (2. Quartal)"],
    [],
    [
        "Satzart",
        "Text-kennzeichen",
        "Amtlicher Regionalschlüssel (ARS)",
        None,
        None,
        None,
        None,
        "Gemeindename",
        "Fläche km2",
        "Bevölkerung",
        None,
        None,
        None,
        "Post-leitzahl",
        "Geografische Mittelpunktkoordinaten",
        None,
        "Reisegebiet",
        None,
        "Grad der Verstädterung",
    ],
    [
        *[None] * 2,
        "Land",
        "RB",
        "Kreis",
        "VB",
        "Gem",
        *[None] * 2,
        "insgesamt",
        "männlich",
        "weiblich",
        "je km2",
        None,
        "Längengrad",
        "Breitengrad",
        "Schlüssel",
        "Bezeichnung",
        "Schlüssel",
        "Bezeichnung",
    ],
    [],
    list(range(1, 21)),
]
TRAVEL = ["071", "Eifel", "3", "gering besiedelt"]


def data_rows():
    """Rows 7–11: a Land, a Kreis, a Verbandsgemeinde and two of its Gemeinden."""
    return [
        ["10", None, "07", None, None, None, None, "Rheinland-Pfalz"],
        ["40", "44", "07", "1", "31", None, None, "Ahrweiler"],
        ["50", "53", "07", "1", "31", "5001", None, "Adenau"],
        # coordinates as text with a decimal comma (as in some editions) …
        ["60", "63", "07", "1", "31", "5001", "001", "Adenau, Stadt", 18.56, 2935, 1482, 1453, 158, "53518",
         "6,933294", "50,382263", *TRAVEL],
        # … and as numbers (other editions)
        ["60", "64", "07", "1", "31", "5001", "002", "Barweiler", 10.0, 500, 240, 260, 50, "53534",
         6.862, 50.358, *TRAVEL],
    ]  # fmt: skip


def write(tmp_path, rows=None, *, header=None, sheet=SHEET, cover=True, name="AuszugGV2QAktuell.xlsx"):
    workbook = Workbook()
    if cover:
        workbook.active.title = "Deckblatt"
        workbook.active.append(["Gemeindeverzeichnis-Informationssystem GV-ISys"])
        data = workbook.create_sheet(sheet)
    else:
        data = workbook.active
        data.title = sheet
    for row in [*(HEADER if header is None else header), *(data_rows() if rows is None else rows)]:
        data.append(row)
    path = tmp_path / name
    workbook.save(path)
    return str(path)


def without_area_column(rows):
    """Header and rows of a workbook whose column I (Fläche) is missing: the columns from J on move left."""
    header = [[*row[:8], *row[9:]] if len(row) > 8 else row for row in HEADER]
    return header, [[*row[:8], *row[9:]] for row in rows]


def _state():
    return sorted(Region.objects.values_list("level", "key", "name", "active", "parent__key", "population", "lat"))


# --- parser -------------------------------------------------------------------------------------------------


def test_parse_records(tmp_path):
    records = list(gvisys.parse_gvisys(write(tmp_path)))
    assert [(r.line, r.satzart, r.key, r.name) for r in records] == [
        (7, "10", "07", "Rheinland-Pfalz"),
        (8, "40", "07131", "Ahrweiler"),
        (9, "50", "071315001", "Adenau"),
        (10, "60", "07131001", "Adenau, Stadt"),
        (11, "60", "07131002", "Barweiler"),
    ]
    adenau = records[3]
    assert isinstance(adenau, gvisys.gv100.Record)
    assert adenau.reference_date == dt.date(2024, 6, 30)
    assert (adenau.ars, adenau.verband_key, adenau.kind, adenau.postal_code) == (
        "071315001001",
        "071315001",
        "Stadt",
        "53518",
    )
    assert (adenau.area_ha, adenau.area_km2) == (1856, Decimal("18.56"))
    assert (adenau.population, adenau.population_male, adenau.population_female) == (2935, 1482, 1453)
    assert (adenau.lat, adenau.lon) == (Decimal("50.382263"), Decimal("6.933294"))
    assert (records[4].lat, records[4].lon) == (Decimal("50.358000"), Decimal("6.862000"))
    assert (records[1].kind, records[1].lat, records[1].seat) == ("Landkreis", None, "")


def test_numeric_key_cells_and_unbewohnt(tmp_path):
    rows = data_rows()
    rows[0][2] = 7  # a key part saved as a number loses its leading zero
    rows.append(["60", "66", "07", "1", "31", "5001", "999", "Gemeindefreies Gebiet", 1.5, None, None, None, None,
                 None, 0, 0])  # fmt: skip
    rows.append(["30", None, "08", "1", "1", None, None, "Region Stuttgart"])  # skipped, not imported
    rows.append([])
    rows.append(["1) Fläche: Stand 31.12.2023"])  # note below the table
    records, errors = gvisys.load_gvisys(write(tmp_path, rows))
    assert errors == []
    assert records[0].key == "07"
    area = records[-1]
    assert (area.key, area.population, area.population_male, area.area_ha, area.lat) == ("07131999", 0, 0, 150, None)


def test_reference_date_from_title_and_old_sheet_name(tmp_path):
    records = list(gvisys.parse_gvisys(write(tmp_path, sheet="Onlineprodukt_Gemeinden_310317")))
    assert records[0].reference_date == dt.date(2017, 3, 31)
    # no sheet with the usual name: the first sheet is read, the Gebietsstand comes from the title
    records = list(gvisys.parse_gvisys(write(tmp_path, sheet="Gemeinden", cover=False)))
    assert (len(records), records[0].reference_date) == (5, dt.date(2024, 6, 30))
    # … and if the first sheet is the cover sheet, there is nothing to import
    _records, errors = gvisys.load_gvisys(write(tmp_path, sheet="Gemeinden"))
    assert [str(e) for e in errors] == ["Das Tabellenblatt 'Deckblatt' enthält keine Datenzeilen (Satzart 10–60)"]
    # … and without any date
    header = [list(row) for row in HEADER]
    header[0] = ["Alle politisch selbständigen Gemeinden"]
    _records, errors = gvisys.load_gvisys(write(tmp_path, header=header, sheet="Gemeinden", cover=False))
    assert [str(e) for e in errors] == ["Gebietsstand nicht gefunden (weder im Blattnamen 'Gemeinden' noch im Titel)"]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (3, 9, "viele", "Zeile 10: Bevölkerung insgesamt ist keine Zahl ('viele')"),
        (3, 10, 3000, "Zeile 10: Mehr männliche Einwohner (3000) als Einwohner insgesamt (2935)"),
        (3, 11, 1000, "Zeile 10: Männlich (1482) + weiblich (1000) ergibt nicht die Einwohner insgesamt (2935)"),
        (3, 8, "groß", "Zeile 10: Fläche ist keine Zahl ('groß')"),
        (3, 6, "1", "Zeile 10: Spalte Gem: '1' ist ungültig (3 Ziffer(n) erwartet)"),
        (3, 6, "12a", "Zeile 10: Spalte Gem: '12a' ist ungültig (3 Ziffer(n) erwartet)"),
        (1, 4, None, "Zeile 8: Spalte Kreis: '(leer)' ist ungültig (2 Ziffer(n) erwartet)"),
        (3, 1, "69", "Zeile 10: Textkennzeichen 69 ist für Satzart 60 unbekannt"),
        (3, 0, "70", "Zeile 10: Satzart 70 ist unbekannt"),
        (3, 7, " ", "Zeile 10: Der Name fehlt (Spalte H)"),
        (3, 15, None, "Zeile 10: Längengrad und Breitengrad müssen beide angegeben sein"),
        (3, 14, "50,382263", "Zeile 10: Koordinaten Längengrad 50.382263, Breitengrad 50.382263 liegen nicht in"),
    ],
)
def test_row_errors(tmp_path, row, column, value, message):
    rows = data_rows()
    rows[row][column] = value
    with pytest.raises(GV100Error) as raised:
        list(gvisys.parse_gvisys(write(tmp_path, rows)))
    assert str(raised.value).startswith(message)


def test_key_parts_stored_as_numbers_get_their_leading_zeros(tmp_path):
    rows = data_rows()
    rows[3][6] = 1  # a number cell: leading zeros restored
    assert [r.key for r in gvisys.parse_gvisys(write(tmp_path, rows))][3] == "07131001"


def test_missing_column_is_reported_by_the_header_check(tmp_path):
    header, rows = without_area_column(data_rows())
    records, errors = gvisys.load_gvisys(write(tmp_path, rows, header=header))
    assert records == []
    assert [str(e) for e in errors] == [
        "Zeile 7: Spalte J: Überschrift 'insgesamt' fehlt über der ersten Datenzeile — die Tabelle hat nicht den "
        "Aufbau des GV-ISys-Auszugs (Spalte fehlt oder verschoben?)"
    ]


def test_load_collects_all_errors_and_file_checks(tmp_path):
    rows = data_rows()
    rows[3][9] = "viele"
    rows.append(["60", "64", "07", "1", "32", "5001", "003", "Irgendwo", 1, 10, 5, 5, 10, "53000"])
    rows.append(["60", "64", "07", "1", "31", "5001", "002", "Barweiler", 1, 10, 5, 5, 10, "53000"])
    rows.append([None, None, "07", "1", "31", "5001", "004", "Ohne Satzart"])
    _records, errors = gvisys.load_gvisys(write(tmp_path, rows))
    assert [str(e) for e in errors] == [
        "Zeile 10: Bevölkerung insgesamt ist keine Zahl ('viele')",
        "Zeile 12: Kreis 07132 zu Schlüssel 07132003 fehlt",
        "Zeile 13: Schlüssel 07131002 ist doppelt (zuerst in Zeile 11)",
        "Zeile 14: Die Satzart fehlt (Spalte A)",
    ]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "Auszug.xlsx"
    path.write_text("kein Excel")
    assert gvisys.detect_format(path) == "gvisys"
    _records, errors = gvisys.load_gvisys(path)
    assert str(errors[0]).startswith("Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx)")


def test_detect_format(tmp_path):
    assert gvisys.detect_format(write(tmp_path, name="export")) == "gvisys"  # by content, without an extension
    assert gvisys.detect_format(b.write(tmp_path, b.small_file())) == "gv100ad"


# --- import service -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_workbook(tmp_path):
    summary = regions_import(path=write(tmp_path))
    assert summary.as_line() == "imported 5 regions (1 Länder, 1 Kreise, 1 Gemeindeverbände, 2 Gemeinden)"
    assert (summary.created, summary.reference_date, summary.population_date) == (
        6,
        dt.date(2024, 6, 30),
        dt.date(2023, 12, 31),
    )
    adenau = Region.objects.get(level=Level.GEMEINDE, key="07131001")
    assert (adenau.ars, adenau.kind, adenau.area_km2) == ("071315001001", "Stadt", Decimal("18.56"))
    assert (adenau.population, adenau.population_male, adenau.population_female) == (2935, 1482, 1453)
    assert (adenau.lat, adenau.lon) == (Decimal("50.382263"), Decimal("6.933294"))
    barweiler = Region.objects.get(level=Level.GEMEINDE, key="07131002")
    assert (barweiler.lat, barweiler.lon) == (Decimal("50.358"), Decimal("6.862"))
    assert adenau.source == (
        "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, "
        "Gebietsstand 30.06.2024, dl-de/by-2-0"
    )
    chain = []
    region = adenau
    while region.parent_id:
        region = region.parent
        chain.append((region.level, region.key))
    assert chain == [
        (Level.GEMEINDEVERBAND, "071315001"),
        (Level.KREIS, "07131"),
        (Level.LAND, "07"),
        (Level.BUND, "DG"),
    ]
    kreis = Region.objects.get(level=Level.KREIS, key="07131")
    assert (kreis.population, kreis.area_km2, kreis.kind, kreis.lat) == (3435, Decimal("28.56"), "Landkreis", None)

    again = regions_import(path=write(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


@pytest.mark.django_db
def test_import_keeps_coordinates_it_does_not_have(tmp_path):
    regions_import(path=write(tmp_path))
    Region.objects.filter(level=Level.KREIS).update(lat=Decimal("50.5"), lon=Decimal("7.0"))
    # a later GV100AD import (no coordinates) and a workbook with a Gemeinde without coordinates clear nothing
    regions_import(path=b.write(tmp_path, b.small_file()))
    adenau = Region.objects.get(level=Level.GEMEINDE, key="07131001")
    assert (adenau.lat, adenau.population) == (Decimal("50.382263"), 2935)
    rows = data_rows()
    rows[4][14:16] = [None, None]
    regions_import(path=write(tmp_path, rows))
    assert Region.objects.get(key="07131002").lat == Decimal("50.358")
    assert Region.objects.get(level=Level.KREIS, key="07131").lat == Decimal("50.5")
    # changed coordinates are updated
    rows[3][14:16] = ["6,9", "50,4"]
    summary = regions_import(path=write(tmp_path, rows))
    assert Region.objects.get(key="07131001").lat == Decimal("50.4")
    assert summary.updated >= 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("text in population", "Zeile 10: Bevölkerung insgesamt ist keine Zahl ('viele')"),
        ("missing column", "Zeile 7: Spalte J: Überschrift 'insgesamt' fehlt"),
    ],
)
def test_invalid_workbook_writes_nothing(tmp_path, case, message):
    regions_import(path=write(tmp_path))
    before = _state()
    rows = data_rows()
    rows[3][7] = "Adenau, neuer Name"  # a valid change that must not be written either
    header = None
    if case == "text in population":
        rows[3][9] = "viele"
    else:
        header, rows = without_area_column(rows)
    with pytest.raises(ImportValidationError) as raised:
        regions_import(path=write(tmp_path, rows, header=header))
    assert message in raised.value.message
    assert raised.value.message.startswith("Die Datei ist ungültig (1 Fehler), es wurde nichts importiert:")
    assert _state() == before


@pytest.mark.django_db
def test_explicit_format(tmp_path):
    with pytest.raises(ImportValidationError, match="Zeile 1: Die Zeile hat"):
        regions_import(path=write(tmp_path), format="gv100ad")
    with pytest.raises(ValueError, match="Unknown format"):
        regions_import(path=write(tmp_path), format="csv")


# --- command ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_workbook(tmp_path):
    out = StringIO()
    call_command("import_regions", write(tmp_path), stdout=out)
    output = out.getvalue()
    assert output.startswith("Format: GV-ISys extract (Excel workbook)\n")
    assert output.rstrip().endswith("imported 5 regions (1 Länder, 1 Kreise, 1 Gemeindeverbände, 2 Gemeinden)")
    assert Region.objects.get(key="07131001").lat == Decimal("50.382263")


@pytest.mark.django_db
def test_command_detects_text_file(tmp_path):
    out = StringIO()
    call_command("import_regions", b.write(tmp_path, b.small_file()), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Format: GV100AD (fixed-width text)\n")
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_command_invalid_workbook(tmp_path):
    rows = data_rows()
    rows[4][10] = "x"
    with pytest.raises(CommandError, match=r"Zeile 11: Bevölkerung männlich ist keine Zahl \('x'\)"):
        call_command("import_regions", write(tmp_path, rows), stdout=StringIO())
    assert Region.objects.count() == 0
