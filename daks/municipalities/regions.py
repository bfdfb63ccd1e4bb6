"""Countries, states and the validation of official keys (AGS, Gemeindekennziffer, BFS number)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.errors import DomainError


class Country(models.TextChoices):
    GERMANY = "DE", _("Germany")
    AUSTRIA = "AT", _("Austria")
    SWITZERLAND = "CH", _("Switzerland")


# ISO 3166-2 codes. German Länder carry the two-digit prefix of the AGS, Austrian states the first
# digit of the Gemeindekennziffer.
GERMAN_STATES = {
    "DE-SH": ("01", "Schleswig-Holstein"),
    "DE-HH": ("02", "Hamburg"),
    "DE-NI": ("03", "Niedersachsen"),
    "DE-HB": ("04", "Bremen"),
    "DE-NW": ("05", "Nordrhein-Westfalen"),
    "DE-HE": ("06", "Hessen"),
    "DE-RP": ("07", "Rheinland-Pfalz"),
    "DE-BW": ("08", "Baden-Württemberg"),
    "DE-BY": ("09", "Bayern"),
    "DE-SL": ("10", "Saarland"),
    "DE-BE": ("11", "Berlin"),
    "DE-BB": ("12", "Brandenburg"),
    "DE-MV": ("13", "Mecklenburg-Vorpommern"),
    "DE-SN": ("14", "Sachsen"),
    "DE-ST": ("15", "Sachsen-Anhalt"),
    "DE-TH": ("16", "Thüringen"),
}
AUSTRIAN_STATES = {
    "AT-1": ("1", "Burgenland"),
    "AT-2": ("2", "Kärnten"),
    "AT-3": ("3", "Niederösterreich"),
    "AT-4": ("4", "Oberösterreich"),
    "AT-5": ("5", "Salzburg"),
    "AT-6": ("6", "Steiermark"),
    "AT-7": ("7", "Tirol"),
    "AT-8": ("8", "Vorarlberg"),
    "AT-9": ("9", "Wien"),
}
SWISS_CANTONS = {
    f"CH-{code}": name
    for code, name in [
        ("AG", "Aargau"),
        ("AI", "Appenzell Innerrhoden"),
        ("AR", "Appenzell Ausserrhoden"),
        ("BE", "Bern"),
        ("BL", "Basel-Landschaft"),
        ("BS", "Basel-Stadt"),
        ("FR", "Freiburg"),
        ("GE", "Genf"),
        ("GL", "Glarus"),
        ("GR", "Graubünden"),
        ("JU", "Jura"),
        ("LU", "Luzern"),
        ("NE", "Neuenburg"),
        ("NW", "Nidwalden"),
        ("OW", "Obwalden"),
        ("SG", "St. Gallen"),
        ("SH", "Schaffhausen"),
        ("SO", "Solothurn"),
        ("SZ", "Schwyz"),
        ("TG", "Thurgau"),
        ("TI", "Tessin"),
        ("UR", "Uri"),
        ("VD", "Waadt"),
        ("VS", "Wallis"),
        ("ZG", "Zug"),
        ("ZH", "Zürich"),
    ]
}

STATES_BY_COUNTRY = {
    Country.GERMANY: {code: name for code, (_prefix, name) in GERMAN_STATES.items()},
    Country.AUSTRIA: {code: name for code, (_prefix, name) in AUSTRIAN_STATES.items()},
    Country.SWITZERLAND: dict(sorted(SWISS_CANTONS.items(), key=lambda item: item[1])),
}

STATE_CHOICES = [
    # The group label stays lazy: translated when rendered, not frozen at import (nor in migrations).
    (country.label, [(code, name) for code, name in states.items()])
    for country, states in STATES_BY_COUNTRY.items()
]


def state_country(state: str) -> str | None:
    for country, states in STATES_BY_COUNTRY.items():
        if state in states:
            return country.value
    return None


def state_name(state: str) -> str:
    for states in STATES_BY_COUNTRY.values():
        if state in states:
            return states[state]
    return state


def normalize_official_key(*, country: str, state: str, kind: str, key: str) -> str:
    """Validate an official key for ``country``/``state``/``kind`` and return its canonical form.

    Raises DomainError with a German message (via gettext) when the key is not valid. An empty key
    is returned unchanged; whether it is required is decided by the caller.
    """
    key = "".join(key.split())
    if not key:
        return ""
    if not key.isdigit():
        raise DomainError(_("The official key may contain digits only."), field="official_key")

    if country == Country.GERMANY:
        if kind == "landkreis" and len(key) == 5:
            key += "000"
        if (kind == "verband" and len(key) == 9) or len(key) == 8:
            prefix = key[:2]
        else:
            raise DomainError(
                _(
                    "The Amtlicher Gemeindeschlüssel (AGS) has exactly 8 digits, e.g. 09162000 for "
                    "München (districts: 5 digits; Ämter and Verbandsgemeinden: 9 digits)."
                ),
                field="official_key",
            )
        expected = GERMAN_STATES.get(state, (None,))[0]
        if prefix not in {p for p, _n in GERMAN_STATES.values()}:
            raise DomainError(_("An AGS starts with the number of the federal state, 01 to 16."), field="official_key")
        if expected and prefix != expected:
            raise DomainError(
                _("This AGS belongs to %(state)s, not to the selected federal state.")
                % {"state": GERMAN_STATES[next(c for c, (p, _n) in GERMAN_STATES.items() if p == prefix)][1]},
                field="official_key",
            )
        return key

    if country == Country.AUSTRIA:
        if (kind == "landkreis" and len(key) == 3) or len(key) == 5:
            expected = AUSTRIAN_STATES.get(state, (None,))[0]
            if key[0] == "0":
                raise DomainError(
                    _("A Gemeindekennziffer starts with the digit of the state, 1 to 9."), field="official_key"
                )
            if expected and key[0] != expected:
                raise DomainError(
                    _("This Gemeindekennziffer belongs to another state than the one selected."),
                    field="official_key",
                )
            return key
        raise DomainError(
            _("The Austrian Gemeindekennziffer has 5 digits (political districts: 3 digits)."),
            field="official_key",
        )

    if country == Country.SWITZERLAND:
        number = int(key)
        if len(key) > 4 or not 1 <= number <= 9999:
            raise DomainError(
                _("The BFS municipality number has 1 to 4 digits, e.g. 261 for Zürich."), field="official_key"
            )
        return str(number)

    raise DomainError(_("Please choose a country."), field="country")
