"""Open-data pages and downloads: honest before the build, cacheable, no cookies, only the published files."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.http import http_date

from daks.opendata import dictionary as d
from daks.opendata.build import build_open_data

pytestmark = pytest.mark.django_db

INDEX = "/offene-daten/"
DICTIONARY = "/offene-daten/datenlexikon/"
DATAPACKAGE = "/offene-daten/datapackage.json"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"


def file_url(name):
    return f"/offene-daten/dateien/{name}"


def assert_public(response):
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def assert_accessible_tables(html):
    tables = html.count("<table")
    assert tables and html.count("<caption>") == tables
    headers = re.findall(r"<th\b[^>]*>", html)
    assert headers and all("scope=" in th for th in headers)


def test_urls():
    assert reverse("opendata:index") == INDEX
    assert reverse("opendata:dictionary") == DICTIONARY
    assert reverse("opendata:file", args=["prognosen.csv"]) == file_url("prognosen.csv")


def test_index_before_the_build_says_so_and_offers_no_download(client, small_data, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The files have not been generated yet" in html
    assert "indikatoren.csv: not generated yet" in html
    assert "/offene-daten/dateien/" not in html
    assert LICENCE in html and 'href="https://www.govdata.de/dl-de/by-2-0"' in html
    assert "© Statistische Ämter des Bundes und der Länder" in html
    assert f'href="{reverse("api_docs")}"' in html and f'href="{DICTIONARY}"' in html
    assert_public(response)
    assert_accessible_tables(html)
    assert client.get(file_url("indikatoren.csv")).status_code == 404  # nothing fake to download


def test_index_after_the_build_lists_every_file(client, built, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "not generated yet" not in html
    for spec in d.FILES:
        assert f'href="{file_url(spec.name)}"' in html
    assert "12411-02-03-5" in html and "Stand: 10.10.2017" in html  # the official table and its date
    assert "Base year 2015, horizon 2018" in html and "Years 2015–2024" in html
    rows = {f.name: f.rows for f in built.files}
    assert f'<td class="num">{rows["prognosen.csv"]:,}</td>' in html
    assert_public(response)
    assert_accessible_tables(html)


def test_index_is_german_by_default(client, db):
    response = client.get(INDEX)
    assert response.status_code == 200 and 'lang="de"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("indikatoren.csv", "text/csv; charset=utf-8; header=present"),
        ("indikatoren.json", "application/json"),
        ("prognosen.csv", "text/csv; charset=utf-8; header=present"),
        ("prognosen.json", "application/json"),
        ("regionen.csv", "text/csv; charset=utf-8; header=present"),
        ("regionen.json", "application/json"),
        ("LIZENZ.txt", "text/plain; charset=utf-8"),
    ],
)
def test_download(client, built, open_data_dir, name, content_type):
    response = client.get(file_url(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert b"".join(response.streaming_content) == (open_data_dir / name).read_bytes()
    stat = (open_data_dir / name).stat()
    assert response["Last-Modified"] == http_date(int(stat.st_mtime))
    assert response["ETag"] == f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    assert "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_public(response)
    if name.endswith((".csv", ".txt")):
        assert 'rel="license"' in response["Link"]


def test_conditional_requests_answer_304(client, built):
    first = client.get(file_url("indikatoren.csv"))
    etag, modified = first["ETag"], first["Last-Modified"]
    b"".join(first.streaming_content)  # consumed through the test client, which closes the file
    again = client.get(file_url("indikatoren.csv"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    since = client.get(file_url("indikatoren.csv"), HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    changed = client.get(file_url("indikatoren.csv"), HTTP_IF_NONE_MATCH='"other"')
    assert changed.status_code == 200
    b"".join(changed.streaming_content)  # consumed through the test client, which closes the file


def test_a_rebuild_changes_the_etag(client, built):
    first = client.get(file_url("indikatoren.csv"))
    b"".join(first.streaming_content)  # consumed through the test client, which closes the file
    build_open_data()
    second = client.get(file_url("indikatoren.csv"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    b"".join(second.streaming_content)  # consumed through the test client, which closes the file


def test_head_request(client, built):
    response = client.head(file_url("regionen.csv"))
    assert response.status_code == 200 and response["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "nope.csv",
        "manifest.json",  # internal, not published
        "INDIKATOREN.CSV",
        ".indikatoren.csv.abc.tmp",
        "..%2Fmanifest.json",
        "..%2F..%2F..%2Fmanage.py",
        "%2E%2E%2Fsettings.py",
        "..",
        "indikatoren.csv%00.txt",
    ],
)
def test_unknown_file_names_are_404(client, built, path):
    assert client.get(file_url(path)).status_code == 404


def test_traversal_outside_the_pattern_is_404(client, built):
    assert client.get("/offene-daten/dateien/../../manage.py").status_code == 404
    assert client.get("/offene-daten/dateien/sub/indikatoren.csv").status_code == 404


def test_writes_are_refused(client, built):
    assert client.post(file_url("indikatoren.csv")).status_code == 405
    assert client.post(INDEX).status_code == 405


def test_data_dictionary_lists_every_column_and_indicator(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # the preset scenarios
        response = client.get(DICTIONARY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in d.DATASETS:
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    for indicator in d.indicators():
        assert f"<code>{indicator.code}</code>" in html
        assert str(indicator.definition) in html.replace("&#x27;", "'")
    for unit in d.UNITS:
        assert f"<code>{unit.code}</code>" in html
    assert "Persons aged 65 and over per 100 persons aged 20 to 64" in html  # reused from the demography app
    assert "<code>medium</code>" in html and "<code>90+</code>" in html
    assert LICENCE in html and "RFC 4180" in html
    assert_public(response)
    assert_accessible_tables(html)


def test_datapackage_before_and_after_the_build(client, small_data, open_data_dir):
    before = json.loads(client.get(DATAPACKAGE).content)
    assert before["licenses"][0]["name"] == "dl-de/by-2-0"
    assert all("bytes" not in resource for resource in before["resources"])
    assert before["created"] is None
    build_open_data()
    response = client.get(DATAPACKAGE)
    assert response["Content-Type"] == "application/json"
    assert_public(response)
    package = json.loads(response.content)
    resources = {r["path"].rsplit("/", 1)[1]: r for r in package["resources"]}
    assert set(resources) == set(d.FILES_BY_NAME)
    csv_resource = resources["indikatoren.csv"]
    header = (open_data_dir / "indikatoren.csv").read_bytes().decode("utf-8").split("\r\n", 1)[0]
    assert [f["name"] for f in csv_resource["schema"]["fields"]] == header.split(",")
    assert csv_resource["dialect"]["delimiter"] == ","
    assert csv_resource["bytes"] == (open_data_dir / "indikatoren.csv").stat().st_size
    assert csv_resource["hash"].startswith("sha256:") and csv_resource["rows"] == 9
    assert csv_resource["path"] == "http://testserver/offene-daten/dateien/indikatoren.csv"
    assert {i["code"] for i in package["indicators"]} == {i.code for i in d.indicators()}
    assert package["attribution"].startswith("© Statistische Ämter des Bundes und der Länder")
    assert {s["code"] for s in package["scenarios"]} == {"low", "medium", "high"}
