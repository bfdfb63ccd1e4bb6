"""The GENESIS web-service client with recorded responses (tests/demography/cassettes) – never the network."""

import base64
import io
import json
import urllib.error
import urllib.parse
from email.message import Message
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from daks.demography import genesis_client
from daks.demography.genesis_client import GenesisError, fetch_table
from daks.demography.management.commands import fetch_statistics
from daks.demography.models import Dataset, DatasetFormat, Observation

CASSETTES = Path(__file__).parent / "cassettes"


def cassette(name):
    data = json.loads((CASSETTES / name).read_text(encoding="utf-8"))
    response = data["response"]
    return response["status"], response["headers"], base64.b64decode(response["body_base64"])


class FakeResponse(io.BytesIO):
    def __init__(self, body, headers):
        super().__init__(body)
        self.headers = Message()
        for key, value in headers.items():
            self.headers[key] = value


class Opener:
    """Replays one recorded response and remembers the requests."""

    def __init__(self, name=None, *, error=None):
        self.name = name
        self.error = error
        self.requests = []

    def open(self, request, timeout=None):
        self.requests.append((request, timeout))
        if self.error is not None:
            raise self.error
        status, headers, body = cassette(self.name)
        if status >= 400:
            raise urllib.error.HTTPError(request.full_url, status, "error", headers, io.BytesIO(body))
        return FakeResponse(body, headers)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tests must not use the network")

    monkeypatch.setattr(genesis_client.urllib.request, "build_opener", refuse)


def test_request_is_post_with_credentials_in_headers(settings):
    settings.DAKS_GENESIS_USERNAME = "kommune"
    settings.DAKS_GENESIS_PASSWORD = "geheim"
    opener = Opener("tablefile_12411-01-01-4_csv.json")
    fetch_table("12411-01-01-4", startyear=2024, regionalvariable="KREISE", session=opener)
    request, timeout = opener.requests[0]
    assert request.get_method() == "POST"
    assert request.full_url == "https://www-genesis.destatis.de/genesisWS/rest/2020/data/tablefile"
    assert request.get_header("Username") == "kommune" and request.get_header("Password") == "geheim"
    form = urllib.parse.parse_qs(request.data.decode())
    assert form["name"] == ["12411-01-01-4"] and form["format"] == ["ffcsv"] and form["startyear"] == ["2024"]
    assert form["regionalvariable"] == ["KREISE"] and "endyear" not in form
    assert "geheim" not in request.full_url and "password" not in form
    assert timeout == genesis_client.TIMEOUT


def test_defaults_guest_and_custom_url(settings):
    settings.DAKS_GENESIS_URL = "https://www.regionalstatistik.de/genesisws/rest/2020"
    for name in ("DAKS_GENESIS_USERNAME", "DAKS_GENESIS_PASSWORD"):
        if hasattr(settings, name):
            delattr(settings, name)
    opener = Opener("tablefile_12411-01-01-4_csv.json")
    fetch_table("12411-01-01-4", session=opener)
    request, _ = opener.requests[0]
    assert request.full_url == "https://www.regionalstatistik.de/genesisws/rest/2020/data/tablefile"
    assert request.get_header("Username") == "GAST"


def test_csv_body():
    data = fetch_table("12411-01-01-4", session=Opener("tablefile_12411-01-01-4_csv.json"))
    assert data.startswith(b"\xef\xbb\xbfstatistics_code;")


def test_zip_body_is_unpacked():
    data = fetch_table("12411-01-01-4", session=Opener("tablefile_12411-01-01-4_zip.json"))
    assert data == cassette("tablefile_12411-01-01-4_csv.json")[2]


def test_error_json_raises_german_message():
    with pytest.raises(GenesisError) as info:
        fetch_table("99999-0001", session=Opener("tablefile_error_90.json"))
    assert info.value.code == 90
    assert "Die angeforderte Tabelle ist nicht vorhanden" in info.value.message


def test_table_too_large():
    with pytest.raises(GenesisError, match="zu groß") as info:
        fetch_table("12411-0018", session=Opener("tablefile_error_98.json"))
    assert info.value.code == 98


def test_timeout():
    with pytest.raises(GenesisError, match="Zeitüberschreitung"):
        fetch_table("12411-01-01-4", session=Opener(error=TimeoutError("timed out")))
    with pytest.raises(GenesisError, match="Zeitüberschreitung"):
        fetch_table("12411-01-01-4", session=Opener(error=urllib.error.URLError(TimeoutError("timed out"))))


def test_unreachable():
    with pytest.raises(GenesisError, match="nicht erreichbar"):
        fetch_table("12411-01-01-4", session=Opener(error=urllib.error.URLError("Name or service not known")))


def test_http_error_with_json_status():
    body = json.dumps({"Status": {"Code": 15, "Content": "Ungültige Anmeldung", "Type": "Fehler"}}).encode()
    error = urllib.error.HTTPError("https://x", 401, "Unauthorized", Message(), io.BytesIO(body))
    with pytest.raises(GenesisError, match="Ungültige Anmeldung"):
        fetch_table("12411-01-01-4", session=Opener(error=error))


# --- the command -----------------------------------------------------------------------------------------


@pytest.fixture
def replay(monkeypatch):
    def use(name):
        monkeypatch.setattr(fetch_statistics.Command, "opener", Opener(name))

    return use


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("fetch_statistics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_fetches_and_imports(replay):
    replay("tablefile_12411-01-01-4_zip.json")
    out, _ = run("12411-01-01-4", "--startyear", "2024")
    assert out.strip().splitlines()[-1] == "imported 63 values for 58 regions"
    dataset = Dataset.objects.get()
    assert dataset.format == DatasetFormat.GENESIS_API
    assert dataset.source == "GENESIS-Online (Web-Service)"
    assert dataset.downloaded_on is not None
    assert Observation.objects.get(region_key="01001", sex="total", year=2024).value == 96326


@pytest.mark.django_db
def test_command_dry_run(replay):
    replay("tablefile_12411-01-01-4_csv.json")
    out, _ = run("12411-01-01-4", "--dry-run")
    assert out.strip().splitlines()[-1] == "validated 63 values for 58 regions (dry run, nothing written)"
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_command_error(replay):
    replay("tablefile_error_90.json")
    with pytest.raises(CommandError, match="99999-0001"):
        run("99999-0001")
    assert Dataset.objects.count() == 0
