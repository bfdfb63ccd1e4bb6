"""Build GV100AD fixed-width lines for tests (220 characters, layout as in daks/demography/importers/gv100.py)."""

DATE = "20250831"


def put(chars: list[str], start: int, text: str) -> None:
    """Write ``text`` at the 1-based column ``start``."""
    chars[start - 1 : start - 1 + len(text)] = list(text)


def line(satzart, key, name, *, verband="", kind="", seat="", area=None, pop=None, male=None, date=DATE) -> str:
    chars = [" "] * 220
    put(chars, 1, satzart)
    put(chars, 3, date)
    put(chars, 11, key)
    if verband:
        put(chars, 19, verband)
    put(chars, 23, name[:50])
    if seat:
        put(chars, 73, seat[:50])
    if kind:
        put(chars, 123, kind)
    if area is not None:
        put(chars, 129, str(area).rjust(11, "0"))
        put(chars, 140, str(pop).rjust(11, "0"))
        put(chars, 151, str(male).rjust(11, "0"))
        put(chars, 166, "12345")
    return "".join(chars)


def land(key, name, seat=""):
    return line("10", key, name, seat=seat)


def rb(key, name):
    return line("20", key, name)


def kreis(key, name, kind="44"):
    return line("40", key, name, kind=kind, seat=name)


def verband(kreis_key, verband_key, name, kind="53"):
    return line("50", kreis_key, name, verband=verband_key, kind=kind, seat=name)


def gemeinde(ags, verband_key, name, *, kind="64", area=1000, pop=100, male=50):
    return line("60", ags, name, verband=verband_key, kind=kind, area=area, pop=pop, male=male)


def small_file() -> list[str]:
    """Two Länder: Rheinland-Pfalz with a Regierungsbezirk, a Verbandsgemeinde and a verbandsfreie Gemeinde,
    and Hamburg (kreisfreie Stadt, no Regierungsbezirk)."""
    return [
        land("02", "Hamburg", "Hamburg"),
        kreis("02000", "Hamburg, Freie und Hansestadt", kind="41"),
        verband("02000", "0000", "Hamburg, Freie und Hansestadt", kind="50"),
        gemeinde("02000000", "0000", "Hamburg, Freie und Hansestadt", kind="61", area=75509, pop=1862565, male=950677),
        land("07", "Rheinland-Pfalz", "Mainz"),
        rb("071", "früher: Reg.-Bez. Koblenz"),
        kreis("07131", "Ahrweiler"),
        verband("07131", "5001", "Adenau"),
        gemeinde("07131001", "5001", "Adenau, Stadt", kind="63", area=1856, pop=2935, male=1482),
        gemeinde("07131002", "5001", "Antweiler", area=540, pop=500, male=240),
        gemeinde("07131003", "5001", "Aremberg", area=460, pop=200, male=101),
        verband("07131", "0007", "Bad Neuenahr-Ahrweiler, Stadt", kind="50"),
        gemeinde("07131007", "0007", "Bad Neuenahr-Ahrweiler, Stadt", kind="63", area=6340, pop=28000, male=13500),
        # a gemeindefreies Gebiet directly under the Land (Kreis digits 000), as 07000999 in the real file
        verband("07000", "9999", "Gemeinsames deutsch-luxemburgisches Hoheitsgebiet", kind="50"),
        gemeinde(
            "07000999", "9999", "Gemeinsames deutsch-luxemburgisches Hoheitsgebiet", kind="66", area=620, pop=0, male=0
        ),
    ]


def write(tmp_path, lines, name="GV100AD_test.txt", encoding="utf-8-sig") -> str:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return str(path)
