"""Parser for the Destatis Gemeindeverzeichnis GV100AD (fixed-width text file).

Pure Python, no Django imports: usable from scripts and easy to unit-test.

Layout (1-based, inclusive columns; every line is exactly 220 characters, cut by characters):

==========  =====================================================================================
1–2         Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (only Baden-Württemberg), 40 Kreis,
            50 Gemeindeverband, 60 Gemeinde
3–10        Gebietsstand YYYYMMDD
11–12       Land
13          Regierungsbezirk
14          Region (Satzart 30 only)
14–15       Kreis
16–18       Gemeinde (Satzart 60)
19–22       Gemeindeverband (Satzart 50 and 60)
23–72       Name
73–122      Sitz der Verwaltung (Satzart 10, 20, 30, 40, 50)
123–124     Textkennzeichen (Satzart 40, 50, 60)
129–139     Fläche in ha (Satzart 60)
140–150     Bevölkerung insgesamt (Satzart 60)
151–161     Bevölkerung männlich (Satzart 60)
166–170     Postleitzahl des Verwaltungssitzes (Satzart 60)
==========  =====================================================================================

Encoding: since the edition of 31.08.2025 the file is UTF-8 with BOM; older editions are ISO-8859-1.
:func:`read_lines` tries ``utf-8-sig`` first and falls back to ``cp1252`` (and ``latin-1`` for bytes
that cp1252 does not define).

Error messages are German because they are shown to the data steward who runs the import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from os import PathLike
from pathlib import Path

LINE_LENGTH = 220

SATZART_LAND = "10"
SATZART_REGIERUNGSBEZIRK = "20"
SATZART_REGION = "30"
SATZART_KREIS = "40"
SATZART_GEMEINDEVERBAND = "50"
SATZART_GEMEINDE = "60"
SATZARTEN = (
    SATZART_LAND,
    SATZART_REGIERUNGSBEZIRK,
    SATZART_REGION,
    SATZART_KREIS,
    SATZART_GEMEINDEVERBAND,
    SATZART_GEMEINDE,
)

#: Textkennzeichen → label, per Satzart (Datensatzbeschreibung GV100AD).
KIND_LABELS: dict[str, dict[str, str]] = {
    SATZART_KREIS: {
        "41": "Kreisfreie Stadt",
        "42": "Stadtkreis",
        "43": "Kreis",
        "44": "Landkreis",
        "45": "Regionalverband",
    },
    SATZART_GEMEINDEVERBAND: {
        "50": "Verbandsfreie Gemeinde",
        "51": "Amt",
        "52": "Samtgemeinde",
        "53": "Verbandsgemeinde",
        "54": "Verwaltungsgemeinschaft",
        "55": "Kirchspielslandgemeinde",
        "56": "Verwaltungsverband",
        "57": "Verwaltungsgemeinschaft (Trägermodell)",
        "58": "Erfüllende Gemeinde",
    },
    SATZART_GEMEINDE: {
        "60": "Markt",
        "61": "Kreisfreie Stadt",
        "62": "Stadtkreis",
        "63": "Stadt",
        "64": "Kreisangehörige Gemeinde",
        "65": "Gemeindefreies Gebiet, bewohnt",
        "66": "Gemeindefreies Gebiet, unbewohnt",
        "67": "Große Kreisstadt",
    },
}
#: Satzart 50 Textkennzeichen for the "verbandsfreie Gemeinde" pseudo-entries (no real Verband).
VERBANDSFREI = "50"


@dataclass(frozen=True, slots=True)
class Record:
    """One parsed line. ``key`` is the official key of the level (see ``Satzart``)."""

    line: int
    satzart: str
    reference_date: dt.date
    key: str
    name: str
    seat: str = ""
    kind_code: str = ""
    # Satzart 60 only
    verband: str = ""
    area_ha: int | None = None
    population: int | None = None
    population_male: int | None = None
    postal_code: str = ""

    @property
    def kind(self) -> str:
        return KIND_LABELS.get(self.satzart, {}).get(self.kind_code, "")

    @property
    def ars(self) -> str:
        """Amtlicher Regionalschlüssel: 12 digits for Gemeinden, otherwise the ARS prefix of the level."""
        if self.satzart == SATZART_GEMEINDE:
            return self.key[:5] + self.verband + self.key[5:]
        return self.key

    @property
    def verband_key(self) -> str:
        """The 9-digit Gemeindeverband key of a Gemeinde (Land + RB + Kreis + Verband)."""
        return self.key[:5] + self.verband if self.satzart == SATZART_GEMEINDE else ""

    @property
    def area_km2(self) -> Decimal | None:
        return None if self.area_ha is None else Decimal(self.area_ha) / 100

    @property
    def population_female(self) -> int | None:
        if self.population is None or self.population_male is None:
            return None
        return self.population - self.population_male


class GV100Error(ValueError):
    """A line of the file is invalid. ``str(error)`` is the German message with the line number."""

    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"Zeile {line}: {reason}" if line else reason)


def decode(data: bytes) -> str:
    """Decode the file: UTF-8 (with or without BOM), else Windows-1252, else ISO-8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_lines(path: str | PathLike) -> list[str]:
    return decode(Path(path).read_bytes()).split("\n")


# Column slices (0-based, end-exclusive) of the 1-based inclusive columns in the module docstring.
_SATZART = slice(0, 2)
_DATE = slice(2, 10)
_NAME = slice(22, 72)
_SEAT = slice(72, 122)
_KIND = slice(122, 124)
_AREA = slice(128, 139)
_POP = slice(139, 150)
_MALE = slice(150, 161)
_PLZ = slice(165, 170)

# Key length and slice per Satzart.
_KEY = {
    SATZART_LAND: slice(10, 12),
    SATZART_REGIERUNGSBEZIRK: slice(10, 13),
    SATZART_REGION: slice(10, 14),
    SATZART_KREIS: slice(10, 15),
    SATZART_GEMEINDE: slice(10, 18),
}


def _number(text: str, label: str, lineno: int) -> int:
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise GV100Error(lineno, f"{label} ist keine Zahl ({text!r})")
    return int(text)


def parse_line(line: str, lineno: int) -> Record:
    """Parse one line (without the line ending). Raises :class:`GV100Error`."""
    if len(line) != LINE_LENGTH:
        raise GV100Error(lineno, f"Die Zeile hat {len(line)} statt {LINE_LENGTH} Zeichen")
    satzart = line[_SATZART]
    if satzart not in SATZARTEN:
        raise GV100Error(lineno, f"Satzart {satzart.strip() or '(leer)'} ist unbekannt")
    raw_date = line[_DATE]
    try:
        if not raw_date.isdigit():
            raise ValueError
        reference_date = dt.date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:8]))
    except ValueError:
        raise GV100Error(lineno, f"Gebietsstand {raw_date.strip()!r} ist kein gültiges Datum (JJJJMMTT)")
    if satzart == SATZART_GEMEINDEVERBAND:
        key = line[10:15] + line[18:22]
    else:
        key = line[_KEY[satzart]]
    if not (key.isascii() and key.isdigit()):
        raise GV100Error(lineno, f"Regionalschlüssel {key.strip()!r} ist ungültig (nur Ziffern erwartet)")
    name = line[_NAME].strip()
    if not name:
        raise GV100Error(lineno, "Der Name fehlt")
    kind_code = line[_KIND].strip()
    if satzart in KIND_LABELS and kind_code not in KIND_LABELS[satzart]:
        raise GV100Error(lineno, f"Textkennzeichen {kind_code or '(leer)'} ist für Satzart {satzart} unbekannt")
    if satzart != SATZART_GEMEINDE:
        return Record(
            line=lineno,
            satzart=satzart,
            reference_date=reference_date,
            key=key,
            name=name,
            seat=line[_SEAT].strip(),
            kind_code=kind_code,
        )
    verband = line[18:22]
    if not (verband.isascii() and verband.isdigit()):
        raise GV100Error(lineno, f"Gemeindeverband {verband.strip()!r} ist ungültig (vier Ziffern erwartet)")
    area = _number(line[_AREA], "Fläche", lineno)
    population = _number(line[_POP], "Einwohnerzahl", lineno)
    male = _number(line[_MALE], "Zahl der männlichen Einwohner", lineno)
    if male > population:
        raise GV100Error(lineno, f"Mehr männliche Einwohner ({male}) als Einwohner insgesamt ({population})")
    return Record(
        line=lineno,
        satzart=satzart,
        reference_date=reference_date,
        key=key,
        name=name,
        kind_code=kind_code,
        verband=verband,
        area_ha=area,
        population=population,
        population_male=male,
        postal_code=line[_PLZ].strip(),
    )


def parse_gv100ad(
    source: str | PathLike | Iterable[str],
    *,
    on_error: Callable[[GV100Error], None] | None = None,
) -> Iterator[Record]:
    """Yield the records of a GV100AD file.

    ``source`` is a path or an iterable of already decoded lines (a BOM on the first line and line
    endings are removed). Empty lines are skipped. Without ``on_error`` the first invalid line raises
    :class:`GV100Error`; with ``on_error`` the error is passed to it and the line is skipped.
    """
    lines = read_lines(source) if isinstance(source, str | PathLike) else source
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            yield parse_line(line, lineno)
        except GV100Error as error:
            if on_error is None:
                raise
            on_error(error)


def load_gv100ad(source: str | PathLike | Iterable[str]) -> tuple[list[Record], list[GV100Error]]:
    """Parse the whole file and check it as a whole.

    Returns ``(records, errors)``; ``errors`` holds every line error plus file-level problems (duplicate
    keys, a region without its Land, a Gemeinde(verband) without its Kreis (except for the areas directly
    under a Land, Kreis digits ``000``), mixed Gebietsstand, no records at all).
    """
    errors: list[GV100Error] = []
    records = list(parse_gv100ad(source, on_error=errors.append))
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        first = seen.setdefault((record.satzart, record.key), record.line)
        if first != record.line:
            errors.append(GV100Error(record.line, f"Schlüssel {record.key} ist doppelt (zuerst in Zeile {first})"))
    if records:
        reference_date = records[0].reference_date
        for record in records:
            if record.reference_date != reference_date:
                errors.append(
                    GV100Error(
                        record.line,
                        f"Gebietsstand {record.reference_date:%d.%m.%Y} weicht vom Gebietsstand der ersten "
                        f"Zeile ({reference_date:%d.%m.%Y}) ab",
                    )
                )
                break
        for record in records:
            if record.satzart == SATZART_LAND:
                continue
            if (SATZART_LAND, record.key[:2]) not in seen:
                errors.append(GV100Error(record.line, f"Land {record.key[:2]} zu Schlüssel {record.key} fehlt"))
            elif (
                record.satzart in (SATZART_GEMEINDEVERBAND, SATZART_GEMEINDE)
                and record.key[2:5] != "000"  # gemeindefreie Gebiete directly under the Land (07000999)
                and (SATZART_KREIS, record.key[:5]) not in seen
            ):
                errors.append(GV100Error(record.line, f"Kreis {record.key[:5]} zu Schlüssel {record.key} fehlt"))
    elif not errors:
        errors.append(GV100Error(0, "Die Datei enthält keine Datensätze"))
    errors.sort(key=lambda error: error.line)
    return records, errors
