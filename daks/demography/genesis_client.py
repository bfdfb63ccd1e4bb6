"""Minimal client for the GENESIS-Online web service (REST interface "2020"), standard library only.

Only ``data/tablefile`` is used: one table as flat file (``format=ffcsv``), which
:func:`daks.demography.statistics.statistics_import` imports like a downloaded file.

Since July 2025 the service accepts only ``POST``: the parameters go in the form body
(``application/x-www-form-urlencoded``), the access data in the request headers ``username`` and ``password``
(so they never end up in URLs or server logs). Settings:

* ``DAKS_GENESIS_URL`` – base URL, default ``https://www-genesis.destatis.de/genesisWS/rest/2020/``
  (the Regionaldatenbank uses ``https://www.regionalstatistik.de/genesisws/rest/2020/``)
* ``DAKS_GENESIS_USERNAME`` / ``DAKS_GENESIS_PASSWORD`` – default the guest access ``GAST``/``GAST``

The answer is the CSV itself, a ZIP archive containing it, or – on errors – JSON with a ``Status``
(``Code``, ``Content``, ``Type``); the latter raises :class:`GenesisError` with the German message.
Tests inject an ``opener`` (anything with ``open(request, timeout=…)``), they never use the network.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from typing import Any

from django.conf import settings

DEFAULT_URL = "https://www-genesis.destatis.de/genesisWS/rest/2020/"
DEFAULT_USERNAME = "GAST"
DEFAULT_PASSWORD = "GAST"  # noqa: S105 (the public guest access, documented by Destatis)
TIMEOUT = 120  # seconds; large tables take a while on the server side
#: Status codes that are not errors (0 = erfolgreich, 22 = erfolgreich mit Parameteranpassung).
OK_CODES = frozenset({0, 22})
#: The table is too large for a direct download; the service offers a background job instead.
CODE_JOB_NEEDED = 98


class GenesisError(Exception):
    """The web service refused the request or could not be reached (German message)."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


def _config() -> tuple[str, str, str]:
    url = getattr(settings, "DAKS_GENESIS_URL", "") or DEFAULT_URL
    if not url.endswith("/"):
        url += "/"
    username = getattr(settings, "DAKS_GENESIS_USERNAME", "") or DEFAULT_USERNAME
    password = getattr(settings, "DAKS_GENESIS_PASSWORD", "") or DEFAULT_PASSWORD
    return url, username, password


def build_request(code: str, **params: Any) -> urllib.request.Request:
    """The POST request for ``data/tablefile`` (``None`` parameters are left out)."""
    url, username, password = _config()
    if not url.startswith(("https://", "http://")):
        raise GenesisError(f"DAKS_GENESIS_URL muss mit https:// beginnen: {url}")
    form = {
        "name": code,
        "area": "all",
        "compress": "false",
        "transpose": "false",
        "format": "ffcsv",
        "language": "de",
    }
    form.update({k: str(v) for k, v in params.items() if v is not None and v != ""})
    body = urllib.parse.urlencode(form).encode("ascii")
    return urllib.request.Request(  # noqa: S310 (scheme checked above)
        url + "data/tablefile",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "text/csv, application/zip, application/json",
            "User-Agent": "DAKS (https://github.com/) statistics import",
            "username": username,
            "password": password,
        },
    )


def _status_error(payload: Any) -> GenesisError | None:
    """A GenesisError for a JSON answer with an error status, else None."""
    if not isinstance(payload, dict):
        return None
    status = payload.get("Status") if isinstance(payload.get("Status"), dict) else payload
    code = status.get("Code")
    content = str(status.get("Content") or "").strip()
    kind = str(status.get("Type") or "")
    try:
        code = int(code) if code is not None else None
    except (TypeError, ValueError):
        code = None
    if code in OK_CODES and kind.lower() not in ("fehler", "error"):
        return None
    if code == CODE_JOB_NEEDED:
        return GenesisError(
            f"Die Tabelle ist zu groß für einen direkten Abruf (Code 98): {content} – bitte die Jahre "
            "einschränken (--startyear/--endyear) oder die Datei über regionalstatistik.de herunterladen.",
            code=code,
        )
    message = content or "unbekannter Fehler"
    return GenesisError(f"GENESIS-Webservice meldet Fehler {code if code is not None else '?'}: {message}", code=code)


def _unpack(body: bytes, content_type: str) -> bytes:
    """The CSV bytes of an answer: plain CSV, a ZIP with the CSV, or a JSON error (raises)."""
    if body[:4] == b"PK\x03\x04" or "zip" in content_type:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
                csv_names = [n for n in names if n.lower().endswith(".csv")] or names
                if not csv_names:
                    raise GenesisError("Die ZIP-Antwort des GENESIS-Webservice enthält keine Datei.")
                return archive.read(csv_names[0])
        except zipfile.BadZipFile as exc:
            raise GenesisError("Die ZIP-Antwort des GENESIS-Webservice ist beschädigt.") from exc
    stripped = body.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped[:1] == b"{" or "json" in content_type:
        try:
            payload = json.loads(stripped.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise GenesisError("Unerwartete Antwort des GENESIS-Webservice (kein CSV, kein gültiges JSON).") from exc
        error = _status_error(payload)
        raise error or GenesisError("Der GENESIS-Webservice hat keine Tabelle geliefert.")
    if not stripped:
        raise GenesisError("Der GENESIS-Webservice hat eine leere Antwort geliefert.")
    return body


def fetch_table(
    code: str,
    *,
    area: str = "all",
    startyear: int | None = None,
    endyear: int | None = None,
    regionalvariable: str | None = None,
    regionalkey: str | None = None,
    session: Any = None,
    timeout: float = TIMEOUT,
) -> bytes:
    """Fetch one table as ffcsv bytes. ``session`` is an opener (``urllib.request.build_opener()`` by default).

    Raises :class:`GenesisError` (German message) for error answers, HTTP errors, timeouts and network errors.
    """
    request = build_request(
        code,
        area=area,
        startyear=startyear,
        endyear=endyear,
        regionalvariable=regionalvariable,
        regionalkey=regionalkey,
    )
    opener = session or urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
            content_type = (response.headers.get("Content-Type") or "").lower()
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        try:
            error = _status_error(json.loads(body.decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            error = None
        raise error or GenesisError(f"GENESIS-Webservice antwortet mit HTTP-Status {exc.code}.", code=exc.code) from exc
    except TimeoutError as exc:
        raise GenesisError(f"Zeitüberschreitung: keine Antwort des GENESIS-Webservice nach {timeout:g} s.") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise GenesisError(f"Zeitüberschreitung: keine Antwort des GENESIS-Webservice nach {timeout:g} s.") from exc
        raise GenesisError(f"GENESIS-Webservice nicht erreichbar: {exc.reason}") from exc
    return _unpack(body, content_type)
