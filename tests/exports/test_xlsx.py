import pytest

from daks.exports.xlsx import Workbook, number_format, sheet_title

from .readers import xlsx_values, xlsx_workbook


def test_one_sheet_per_table_with_bold_frozen_header_and_number_formats():
    workbook = Workbook(title="Kommunalprofil")
    workbook.sheet(
        "Kennzahlen",
        ["Kennzahl", "Wert"],
        [["Einwohner", 2935], ["Medianalter", (48.3, "0.0")]],
        number_formats={1: number_format(0)},
    )
    workbook.sheet("Vorausberechnung", ["Jahr", "Mittlere Variante"], [[2025, 2900.0]], caption="Bevölkerung")
    loaded = xlsx_workbook(workbook.to_bytes())
    assert loaded.sheetnames == ["Kennzahlen", "Vorausberechnung"]
    sheet = loaded["Kennzahlen"]
    assert xlsx_values(sheet) == [["Kennzahl", "Wert"], ["Einwohner", 2935], ["Medianalter", 48.3]]
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["B3"].number_format == "0.0"
    assert sheet.column_dimensions["A"].width >= len("Medianalter")
    captioned = loaded["Vorausberechnung"]
    assert captioned["A1"].value == "Bevölkerung" and captioned["A2"].font.bold
    assert captioned.freeze_panes == "A3"
    assert loaded.properties.title == "Kommunalprofil"


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Quelle", [], "Quelle"),
        ("a/b:c*d?[e]", [], "a b c d  e"),
        ("x" * 40, [], "x" * 31),
        ("Kennzahlen", ["kennzahlen"], "Kennzahlen (2)"),
        ("", [], "Tabelle"),
    ],
)
def test_sheet_titles_are_valid(name, taken, expected):
    assert sheet_title(name, taken) == expected


def test_number_formats():
    assert number_format(0) == "#,##0"
    assert number_format(2) == "#,##0.00"
