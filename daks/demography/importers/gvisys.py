"""Parser for the Gemeindeverzeichnis as the GV-ISys extract (Excel workbook, ``AuszugGV<n>QAktuell.xlsx``).

Destatis publishes the Gemeindeverzeichnis-Informationssystem (GV-ISys) every quarter as an Excel workbook
"Alle politisch selbständigen Gemeinden mit ausgewählten Merkmalen am <Datum>". The data are on the sheet
``Onlineprodukt_Gemeinden<DDMMYYYY>`` (older editions: ``Onlineprodukt_Gemeinden_<DDMMYY>``): a block of title
and header rows (rows 1–6 in the published editions), then one row per unit. Columns (A = first):

======  ==========================================================================================
A       Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (Baden-Württemberg), 40 Kreis,
        50 Gemeindeverband, 60 Gemeinde (text such as ``"60"``)
B       Textkennzeichen (same codes as GV100AD, Satzart 40, 50, 60)
C–G     Amtlicher Regionalschlüssel in parts: Land (2), RB (1), Kreis (2), VB (4), Gem (3)
H       Gemeindename (name of the unit)
I       Fläche in km²
J–L     Bevölkerung insgesamt, männlich, weiblich
M       Bevölkerung je km²
N       Postleitzahl (of the Verwaltungssitz)
O, P    Geografische Mittelpunktkoordinaten: Längengrad, Breitengrad (WGS84; a decimal comma as text in
        some editions, numbers in others; ``0`` for unbewohnte gemeindefreie Gebiete)
Q, R    Reisegebiet (Schlüssel, Bezeichnung) — not imported
S, T    Grad der Verstädterung (Schlüssel, Bezeichnung) — not imported
======  ==========================================================================================

Each row becomes the same :class:`~daks.demography.importers.gv100.Record` as a GV100AD line (area converted
from km² to hectares), as :class:`Record` with the coordinates added. The workbook has no Sitz der Verwaltung
(``seat`` stays empty). Satzart 30 rows (Regionen in Baden-Württemberg) are skipped: the import does not use
them. Row numbers in error messages are the Excel row numbers.

Pure Python plus openpyxl, no Django imports.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from os import PathLike
from pathlib import Path

from . import gv100
from .gv100 import GV100Error

FORMAT_GV100AD = "gv100ad"
FORMAT_GVISYS = "gvisys"
SHEET_PREFIX = "Onlineprodukt_Gemeinden"
#: The extract has about 16,000 rows. A sheet may claim row numbers far beyond that (``<row r="9999999999">``);
#: read-only openpyxl would then yield every empty row in between, so reading stops here.
MAX_ROWS = 100_000

# Column indices (0-based) of the data sheet.
SATZART, KIND, LAND, RB, KREIS, VB, GEM, NAME, AREA, POP, MALE, FEMALE, DENSITY, PLZ, LON, LAT = range(16)
#: Rows are padded to this many cells (A–P); the header check makes sure the columns are where expected.
MIN_COLUMNS = 16
#: Column → (letter, what the header block must mention there, normalised: lower case, no blanks/hyphens).
HEADER_LABELS = {
    LAND: ("C", "land"),
    RB: ("D", "rb"),
    KREIS: ("E", "kreis"),
    VB: ("F", "vb"),
    GEM: ("G", "gem"),
    NAME: ("H", "gemeindename"),
    POP: ("J", "insgesamt"),
    DENSITY: ("M", "jekm"),
    LON: ("O", "läng"),
    LAT: ("P", "breit"),
}
#: Key parts: column → (label, digits).
KEY_PARTS = {LAND: ("Land", 2), RB: ("RB", 1), KREIS: ("Kreis", 2), VB: ("VB", 4), GEM: ("Gem", 3)}
KEY_COLUMNS = {
    gv100.SATZART_LAND: (LAND,),
    gv100.SATZART_REGIERUNGSBEZIRK: (LAND, RB),
    gv100.SATZART_KREIS: (LAND, RB, KREIS),
    gv100.SATZART_GEMEINDEVERBAND: (LAND, RB, KREIS, VB),
    gv100.SATZART_GEMEINDE: (LAND, RB, KREIS, VB, GEM),
}
# Bounding box of Germany with a margin; catches swapped Längengrad/Breitengrad columns.
LAT_RANGE = (Decimal(47), Decimal("55.5"))
LON_RANGE = (Decimal("5.5"), Decimal("15.5"))
COORDINATE_PLACES = Decimal("0.000001")
UNBEWOHNT = "66"


@dataclass(frozen=True, slots=True)
class Record(gv100.Record):
    """A GV100AD record plus the geographic centre (WGS84) of a Gemeinde, when the workbook has one."""

    lat: Decimal | None = None
    lon: Decimal | None = None


def detect_format(path: str | PathLike) -> str:
    """``"gvisys"`` for an Excel workbook (ZIP magic bytes or the extension ``.xlsx``), else ``"gv100ad"``."""
    with open(path, "rb") as file:
        magic = file.read(4)
    if magic == b"PK\x03\x04" or Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return FORMAT_GVISYS
    return FORMAT_GV100AD


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _normalise(value) -> str:
    return re.sub(r"[\s\-\u00ad]", "", _text(value).lower()).replace("²", "2")


def _key_part(value, column: int, row: int) -> str:
    label, digits = KEY_PARTS[column]
    text = _text(value)
    if isinstance(value, int | float) and text.isdigit():
        text = text.zfill(digits)  # cells stored as numbers lose their leading zeros
    if not (text.isascii() and text.isdigit()) or len(text) != digits:
        shown = text or "(leer)"
        raise GV100Error(row, f"Spalte {label}: {shown!r} ist ungültig ({digits} Ziffer(n) erwartet)")
    return text


def _integer(value, label: str, row: int) -> int:
    if isinstance(value, bool):
        raise GV100Error(row, f"{label} ist keine Zahl ({value!r})")
    if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
        return int(value)
    text = _text(value).replace("\xa0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # thousands separators
        text = text.replace(".", "")
    if not (text.isascii() and text.isdigit()):
        raise GV100Error(row, f"{label} ist keine Zahl ({_text(value) or '(leer)'!r})")
    return int(text)


def _decimal(value, label: str, row: int) -> Decimal | None:
    """A number cell or text with a decimal comma (``"7,123"``, ``"1.234,5"``); ``None`` when empty."""
    if isinstance(value, bool):
        raise GV100Error(row, f"{label} ist keine Zahl ({value!r})")
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _text(value).replace("\xa0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise GV100Error(row, f"{label} ist keine Zahl ({_text(value)!r})")
    return number


def _coordinates(cells, row: int) -> tuple[Decimal | None, Decimal | None]:
    lon = _decimal(cells[LON], "Längengrad", row)
    lat = _decimal(cells[LAT], "Breitengrad", row)
    if not lon and not lat:  # empty or 0 (unbewohnte gemeindefreie Gebiete)
        return None, None
    if not lon or not lat:
        raise GV100Error(row, "Längengrad und Breitengrad müssen beide angegeben sein")
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise GV100Error(
            row,
            f"Koordinaten Längengrad {lon}, Breitengrad {lat} liegen nicht in Deutschland "
            "(Spalten O = Längengrad, P = Breitengrad; vertauscht?)",
        )
    return lat.quantize(COORDINATE_PLACES), lon.quantize(COORDINATE_PLACES)


def parse_row(cells: tuple, row: int, reference_date: dt.date) -> Record | None:
    """Parse one data row (the values of one Excel row). ``None`` for rows the import skips (Satzart 30)."""
    cells = (*cells, *(None,) * (MIN_COLUMNS - len(cells)))  # trailing empty cells may be missing
    satzart = _text(cells[SATZART])
    if satzart not in gv100.SATZARTEN:
        raise GV100Error(row, f"Satzart {satzart or '(leer)'} ist unbekannt")
    if satzart == gv100.SATZART_REGION:
        return None
    parts = {column: _key_part(cells[column], column, row) for column in KEY_COLUMNS[satzart]}
    key = "".join(part for column, part in parts.items() if column != VB or satzart != gv100.SATZART_GEMEINDE)
    name = _text(cells[NAME])
    if not name:
        raise GV100Error(row, "Der Name fehlt (Spalte H)")
    if len(name) > 200:  # the column's length (the fixed-width GV100AD has 50 characters)
        raise GV100Error(row, "Der Name ist länger als 200 Zeichen (Spalte H)")
    kind_code = _text(cells[KIND])
    if satzart in gv100.KIND_LABELS and kind_code not in gv100.KIND_LABELS[satzart]:
        raise GV100Error(row, f"Textkennzeichen {kind_code or '(leer)'} ist für Satzart {satzart} unbekannt")
    if len(kind_code) > 2:
        raise GV100Error(row, f"Textkennzeichen {kind_code[:20]!r} ist ungültig (höchstens zwei Zeichen, Spalte B)")
    common = {"line": row, "satzart": satzart, "reference_date": reference_date, "key": key, "name": name}
    if satzart != gv100.SATZART_GEMEINDE:
        return Record(**common, kind_code=kind_code)

    def number(column, label):
        # Unbewohnte gemeindefreie Gebiete may have empty cells instead of 0.
        if kind_code == UNBEWOHNT and _text(cells[column]) == "":
            return 0
        return _integer(cells[column], label, row)

    area_km2 = _decimal(cells[AREA], "Fläche", row)
    if area_km2 is None and kind_code != UNBEWOHNT:
        raise GV100Error(row, "Die Fläche fehlt (Spalte I)")
    area_km2 = area_km2 or Decimal(0)
    if area_km2 < 0:
        raise GV100Error(row, f"Fläche {area_km2} ist negativ")
    population = number(POP, "Bevölkerung insgesamt")
    male = number(MALE, "Bevölkerung männlich")
    if male > population:
        raise GV100Error(row, f"Mehr männliche Einwohner ({male}) als Einwohner insgesamt ({population})")
    if _text(cells[FEMALE]) != "":
        female = _integer(cells[FEMALE], "Bevölkerung weiblich", row)
        if male + female != population:
            raise GV100Error(
                row, f"Männlich ({male}) + weiblich ({female}) ergibt nicht die Einwohner insgesamt ({population})"
            )
    lat, lon = _coordinates(cells, row)
    plz = cells[PLZ]
    return Record(
        **common,
        kind_code=kind_code,
        verband=parts[VB],
        area_ha=int((area_km2 * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        population=population,
        population_male=male,
        postal_code=f"{plz:05d}" if isinstance(plz, int) else _text(plz),
        lat=lat,
        lon=lon,
    )


def _reference_date(sheet_name: str, header: list[tuple]) -> dt.date | None:
    """Gebietsstand from the sheet name (``…30062024`` / ``…_300624``), else from the title (``am 30.06.2024``)."""
    suffix = sheet_name[len(SHEET_PREFIX) :].lstrip("_ ") if sheet_name.startswith(SHEET_PREFIX) else ""
    try:
        if re.fullmatch(r"\d{8}", suffix):
            return dt.date(int(suffix[4:]), int(suffix[2:4]), int(suffix[:2]))
        if re.fullmatch(r"\d{6}", suffix):
            return dt.date(2000 + int(suffix[4:]), int(suffix[2:4]), int(suffix[:2]))
    except ValueError:
        pass
    for cells in header:
        for value in cells:
            if isinstance(value, dt.datetime | dt.date):
                continue
            match = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", _text(value))
            if match:
                try:
                    return dt.date(int(match[3]), int(match[2]), int(match[1]))
                except ValueError:
                    continue
    return None


def _check_header(header: list[tuple], first_row: int) -> None:
    """The header block above the first data row must name the columns where this parser expects them."""
    for column, (letter, label) in HEADER_LABELS.items():
        if not any(column < len(cells) and label in _normalise(cells[column]) for cells in header):
            raise GV100Error(
                first_row,
                f"Spalte {letter}: Überschrift {label!r} fehlt über der ersten Datenzeile — "
                "die Tabelle hat nicht den Aufbau des GV-ISys-Auszugs (Spalte fehlt oder verschoben?)",
            )


def _open(path: str | PathLike):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise GV100Error(0, f"Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): {error}")
    except Exception as error:  # damaged parts: XML syntax errors (expat, lxml) and the like
        raise GV100Error(0, f"Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): {error}") from None


def parse_gvisys(
    path: str | PathLike,
    *,
    on_error: Callable[[GV100Error], None] | None = None,
) -> Iterator[Record]:
    """Yield the records of a GV-ISys workbook (sheet ``Onlineprodukt_Gemeinden…``, else the first sheet).

    Without ``on_error`` the first invalid row raises :class:`GV100Error`; with ``on_error`` row errors are
    passed to it and the row is skipped. Errors about the file as a whole (not a workbook, no data rows,
    header block not as expected, no Gebietsstand) are always raised.
    """
    workbook = _open(path)
    try:
        names = workbook.sheetnames
        sheet_name = next((name for name in names if name.startswith(SHEET_PREFIX)), names[0])
        sheet = workbook[sheet_name]
        sheet.reset_dimensions()  # do not trust the stored dimensions (read-only mode would cut rows to them)
        rows = _rows(sheet)
        header: list[tuple] = []
        first_row, first_cells = 0, ()
        for number, cells in rows:
            if cells and _text(cells[0]) in gv100.SATZARTEN:
                first_row, first_cells = number, cells
                break
            header.append(cells)
        if not first_row:
            raise GV100Error(0, f"Das Tabellenblatt {sheet_name!r} enthält keine Datenzeilen (Satzart 10–60)")
        _check_header(header, first_row)
        reference_date = _reference_date(sheet_name, header)
        if reference_date is None:
            raise GV100Error(0, f"Gebietsstand nicht gefunden (weder im Blattnamen {sheet_name!r} noch im Titel)")

        for number, cells in itertools.chain([(first_row, first_cells)], rows):
            satzart = _text(cells[0]) if cells else ""
            if not satzart or not satzart.isdigit():
                # Blank rows and notes below the table (footnotes, ©-line); a row with a key but no Satzart is
                # an error.
                if not satzart and any(_text(value) for value in cells[LAND : NAME + 1]):
                    error = GV100Error(number, "Die Satzart fehlt (Spalte A)")
                    if on_error is None:
                        raise error
                    on_error(error)
                continue
            try:
                record = parse_row(cells, number, reference_date)
            except GV100Error as error:
                if on_error is None:
                    raise
                on_error(error)
                continue
            if record is not None:
                yield record
    except GV100Error:
        raise
    except Exception as error:  # read-only workbooks parse the sheet while iterating: damage shows only here
        raise GV100Error(0, f"Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): {error}") from None
    finally:
        workbook.close()


def _rows(sheet) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of ``sheet``; more than MAX_ROWS rows are refused."""
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise GV100Error(number, f"Die Tabelle hat mehr als {MAX_ROWS:,} Zeilen".replace(",", "."))
        yield number, cells


def load_gvisys(path: str | PathLike) -> tuple[list[Record], list[GV100Error]]:
    """Parse the whole workbook and check it as a whole (like :func:`gv100.load_gv100ad`).

    Returns ``(records, errors)``; ``errors`` holds every row error plus file-level problems (duplicate keys,
    a region without its Land, a Gemeinde(verband) without its Kreis, no records at all).
    """
    errors: list[GV100Error] = []
    try:
        records = list(parse_gvisys(path, on_error=errors.append))
    except GV100Error as error:
        return [], [*errors, error]
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        first = seen.setdefault((record.satzart, record.key), record.line)
        if first != record.line:
            errors.append(GV100Error(record.line, f"Schlüssel {record.key} ist doppelt (zuerst in Zeile {first})"))
    for record in records:
        if record.satzart == gv100.SATZART_LAND:
            continue
        if (gv100.SATZART_LAND, record.key[:2]) not in seen:
            errors.append(GV100Error(record.line, f"Land {record.key[:2]} zu Schlüssel {record.key} fehlt"))
        elif (
            record.satzart in (gv100.SATZART_GEMEINDEVERBAND, gv100.SATZART_GEMEINDE)
            and record.key[2:5] != "000"  # gemeindefreie Gebiete directly under the Land
            and (gv100.SATZART_KREIS, record.key[:5]) not in seen
        ):
            errors.append(GV100Error(record.line, f"Kreis {record.key[:5]} zu Schlüssel {record.key} fehlt"))
    if not records and not errors:
        errors.append(GV100Error(0, "Die Datei enthält keine Datensätze"))
    errors.sort(key=lambda error: error.line)
    return records, errors
