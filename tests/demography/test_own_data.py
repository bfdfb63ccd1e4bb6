"""A Kommune's own data: CSV upload, list, detail, CSV download, delete, tenancy."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.demography.models import Dataset, DatasetFormat, Observation
from daks.demography.statistics import StatisticsImportError, own_data_import, parse_own_data

from .factories import DatasetFactory

pytestmark = pytest.mark.django_db

GOOD = """alter;geschlecht;anzahl;ortsteil
0;m;12;Nord
0;w;15;Nord
0;d;1;Nord
1-2;männlich;20;Nord
1-2;weiblich;22;Nord
75+;insgesamt;230;Nord
0;m;3;Süd
"""


def url(name, municipality, **kwargs):
    return reverse(f"own_data:{name}", kwargs={"municipality_slug": municipality.slug, **kwargs})


def upload(client, municipality, content, *, name="ewo.csv", title="Einwohnermelderegister 2024"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        url("upload", municipality),
        {"title": title, "reference_date": "2024-12-31", "file": SimpleUploadedFile(name, data, "text/csv")},
        HTTP_ACCEPT_LANGUAGE="de",
    )


# --- parsing -------------------------------------------------------------------------------------------


def test_parse_maps_diverse_into_total_only():
    rows = parse_own_data(GOOD.encode())
    as_dict = {(d, a, s): v for d, a, s, v in rows}
    assert as_dict[("Nord", "0", "male")] == 12
    assert as_dict[("Nord", "0", "female")] == 15
    assert as_dict[("Nord", "0", "total")] == 28  # 12 + 15 + 1 (d)
    assert as_dict[("Nord", "1-2", "total")] == 42
    assert as_dict[("Nord", "75+", "total")] == 230
    assert ("Nord", "75+", "male") not in as_dict
    assert as_dict[("Süd", "0", "total")] == 3


def test_parse_english_headers_comma_cp1252():
    data = "age,sex,count\n37,male,5\n37,female,6\ntotal,total,11\n".encode("cp1252")
    rows = parse_own_data(data)
    assert ("", "37", "total", 11) in rows and ("", "total", "total", 11) in rows


def test_parse_reports_every_bad_line():
    data = """alter;geschlecht;anzahl
0;m;12
x;m;3
1;q;4
2;w;-1
0;m;13
3;w;1,5
4
5;insgesamt;1
5;m;2
"""
    with pytest.raises(StatisticsImportError) as info:
        parse_own_data(data.encode())
    errors = info.value.errors
    assert "Zeile 3: Alter „x“ wird nicht erkannt (z. B. 37, 0-2, 75+, insgesamt)" in errors
    assert "Zeile 4: Geschlecht „q“ wird nicht erkannt (m, w, d oder insgesamt)" in errors
    assert "Zeile 5: Anzahl „-1“ ist keine ganze Zahl ≥ 0" in errors
    assert any(e.startswith("Zeile 6: doppelte Angabe") and "Zeile 2" in e for e in errors)
    assert "Zeile 7: Anzahl „1,5“ ist keine ganze Zahl ≥ 0" in errors
    assert any(e.startswith("Zeile 8: zu wenige Spalten") for e in errors)
    assert len(errors) == 6
    # the inconsistent total is only found once every line is fine
    with pytest.raises(StatisticsImportError) as info:
        parse_own_data(b"alter;geschlecht;anzahl\n5;insgesamt;1\n5;m;2\n")
    assert info.value.errors == ["Zeile 2: insgesamt 1 ist kleiner als die Summe der Geschlechter (2)"]


def test_parse_missing_columns():
    with pytest.raises(StatisticsImportError, match="„anzahl“"):
        parse_own_data(b"alter;geschlecht\n1;m\n")


def test_service_stores_own_dataset(municipality, coordinator):
    result = own_data_import(
        municipality=municipality,
        user=coordinator,
        file=GOOD.encode(),
        filename="ewo.csv",
        title="EWO",
        reference_date=dt.date(2024, 12, 31),
    )
    dataset = result.dataset
    assert dataset.municipality == municipality and dataset.format == DatasetFormat.OWN_CSV
    assert dataset.source == "Eigene Daten der Kommune Musterstadt" and dataset.licence == ""
    assert dataset.imported_by == coordinator and dataset.is_official is False
    assert result.districts == ["Nord", "Süd"]
    obs = Observation.objects.get(dataset=dataset, district="Nord", age_group="1-2", sex="total")
    assert (obs.region_key, obs.value, obs.age_from, obs.age_to, obs.year) == ("09162999", 42, 1, 2, 2024)
    assert obs.date == dt.date(2024, 12, 31) and obs.variable == "population"
    # never among the official figures
    assert not Observation.objects.filter(dataset__municipality__isnull=True).exists()
    assert AuditLogEntry.objects.filter(action="demography.dataset.uploaded", municipality=municipality).exists()


def test_service_region_key_without_official_key(municipality, coordinator):
    municipality.official_key = ""
    municipality.save()
    result = own_data_import(
        municipality=municipality, user=coordinator, file=GOOD.encode(), title="x", reference_date=dt.date(2024, 1, 1)
    )
    assert set(result.dataset.observations.values_list("region_key", flat=True)) == {f"K{municipality.pk}"}


# --- views ---------------------------------------------------------------------------------------------


def test_upload_happy_path(login, municipality, coordinator):
    client = login(coordinator)
    assert client.get(url("upload", municipality)).status_code == 200
    response = upload(client, municipality, GOOD)
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", municipality, pk=dataset.pk)
    assert dataset.value_count == Observation.objects.count() == 9
    page = client.get(url("detail", municipality, pk=dataset.pk), HTTP_ACCEPT_LANGUAGE="de")
    content = page.content.decode()
    assert page.status_code == 200 and "Einwohnermelderegister 2024" in content
    assert content.count("<h1") == 1 and 'scope="col"' in content and "Nord" in content
    assert "31.12.24" in content or "31.12.2024" in content
    listing = client.get(url("list", municipality), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Einwohnermelderegister 2024" in listing and "button--danger" in listing


def test_upload_bad_lines_shows_report_and_saves_nothing(login, municipality, coordinator):
    response = upload(login(coordinator), municipality, "alter;geschlecht;anzahl\n0;m;12\nabc;w;3\n1;w;viele\n")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Zeile 3: Alter „abc“ wird nicht erkannt" in content
    assert "Zeile 4: Anzahl „viele“ ist keine ganze Zahl" in content
    assert Dataset.objects.count() == 0 and Observation.objects.count() == 0


def test_upload_same_file_twice(login, municipality, coordinator):
    client = login(coordinator)
    upload(client, municipality, GOOD)
    response = upload(client, municipality, GOOD)
    assert response.status_code == 200
    assert Dataset.objects.count() == 1


def test_reader_may_list_but_not_upload(login, municipality, reader):
    DatasetFactory(municipality=municipality, format=DatasetFormat.OWN_CSV, title="Register 2023")
    client = login(reader)
    listing = client.get(url("list", municipality))
    assert listing.status_code == 200 and "Register 2023" in listing.content.decode()
    assert "button--danger" not in listing.content.decode()
    assert client.get(url("upload", municipality)).status_code == 403
    assert upload(client, municipality, GOOD).status_code == 403
    assert Dataset.objects.count() == 1


def test_outsider_gets_404(login, municipality, outsider, other_municipality):
    dataset = DatasetFactory(municipality=municipality, format=DatasetFormat.OWN_CSV)
    client = login(outsider)
    for name in ("list", "upload"):
        assert client.get(url(name, municipality)).status_code == 404
    for name in ("detail", "download"):
        assert client.get(url(name, municipality, pk=dataset.pk)).status_code == 404
        # through the outsider's own Kommune, the id of another Kommune's dataset is unknown, too
        assert client.get(url(name, other_municipality, pk=dataset.pk)).status_code == 404
    assert client.post(url("delete", other_municipality, pk=dataset.pk)).status_code == 404
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_official_dataset_not_reachable(login, municipality, coordinator):
    official = DatasetFactory()
    client = login(coordinator)
    assert client.get(url("detail", municipality, pk=official.pk)).status_code == 404
    assert client.post(url("delete", municipality, pk=official.pk)).status_code == 404


def test_csv_download_has_exactly_the_values(login, municipality, coordinator):
    client = login(coordinator)
    upload(client, municipality, GOOD)
    dataset = Dataset.objects.get()
    response = client.get(url("download", municipality, pk=dataset.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == "alter;geschlecht;anzahl;ortsteil"
    assert sorted(lines[1:]) == sorted(
        [
            "0;m;12;Nord",
            "0;w;15;Nord",
            "0;insgesamt;28;Nord",
            "1-2;m;20;Nord",
            "1-2;w;22;Nord",
            "1-2;insgesamt;42;Nord",
            "75+;insgesamt;230;Nord",
            "0;m;3;Süd",
            "0;insgesamt;3;Süd",
        ]
    )
    assert len(lines) - 1 == dataset.value_count == Observation.objects.count()
    # the download is itself a valid upload with the same values
    assert sorted(parse_own_data(response.content)) == sorted(parse_own_data(GOOD.encode()))


def test_delete(login, municipality, coordinator, reader):
    upload(login(coordinator), municipality, GOOD)
    dataset = Dataset.objects.get()
    assert login(reader).post(url("delete", municipality, pk=dataset.pk)).status_code == 403
    client = login(coordinator)
    assert client.get(url("delete", municipality, pk=dataset.pk)).status_code == 405
    response = client.post(url("delete", municipality, pk=dataset.pk))
    assert response.status_code == 302 and response["Location"] == url("list", municipality)
    assert Dataset.objects.count() == 0 and Observation.objects.count() == 0
    assert AuditLogEntry.objects.filter(action="demography.dataset.deleted").exists()
