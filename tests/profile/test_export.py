"""The Kommunalprofil export: the page, the PDF, ODT and XLSX downloads, access per role."""

import datetime

import pytest
from django.urls import reverse

from daks.profile import services
from daks.profile.models import Interview, InterviewStatus, InventoryItem, InventoryStatus

from ..demography.test_region_views import build_region_tree
from ..exports.readers import odt_document, odt_text, pdf_reader, pdf_text, xlsx_values, xlsx_workbook

pytestmark = pytest.mark.django_db

FORMATS = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture
def region_tree(process):
    tree = build_region_tree()
    process.municipality.official_key = tree["gemeinde"].key
    process.municipality.save()
    return tree


@pytest.fixture
def content(process, coordinator):
    """A profile with something in every chapter."""
    municipality = process.municipality
    kwargs = {"actor": coordinator, "municipality": municipality, "process": process}
    strength = services.swot_item_create(
        **kwargs, quadrant="strength", text="Starkes Vereinsleben", evidence="Interview"
    )
    services.swot_item_create(**kwargs, quadrant="weakness", text="Wenig Ärztinnen und Ärzte")
    services.swot_item_create(**kwargs, quadrant="opportunity", text="Zuzug junger Familien")
    services.swot_item_create(**kwargs, quadrant="threat", text="Schließung der Grundschule")
    services.field_of_action_create(
        **kwargs, title="Gesundheit und Pflege", description="Versorgung sichern.", swot_items=[strength]
    )
    services.field_of_action_create(**kwargs, title="Wohnen")
    services.interpretation_save(**kwargs, section="figures", text="Wir werden älter und weniger.")
    InventoryItem.objects.create(
        process=process,
        municipality=municipality,
        title="Bürgerbus",
        owner="Seniorenbeirat",
        status=InventoryStatus.RUNNING,
        start_year=2019,
        notes="Fährt dienstags.",
    )
    Interview.objects.create(
        process=process,
        municipality=municipality,
        interviewee="Bürgermeisterin",
        status=InterviewStatus.DONE,
        date=datetime.date(2026, 2, 3),
        summary="Der Ort braucht Treffpunkte.",
        key_statements="Mehr Begegnung\nBessere Busverbindungen",
    )
    Interview.objects.create(
        process=process,
        municipality=municipality,
        interviewee="Geplanter Gesprächspartner",
        status=InterviewStatus.PLANNED,
        summary="Noch nicht geführt",
    )


def download(client, urls, fmt):
    response = client.get(urls("export_download", format=fmt), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == FORMATS[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="kommunalprofil-musterstadt-2040.{fmt}"'
    return response.content


# --- page and access --------------------------------------------------------------------------------


def test_export_page_lists_the_three_downloads(login, reader, urls, process, region_tree):
    response = login(reader).get(urls("export"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    for fmt in FORMATS:
        assert urls("export_download", format=fmt) in html
    assert urls("export").endswith("/kommunalprofil/export/")
    assert urls("export_download", format="pdf").endswith("/kommunalprofil/export/kommunalprofil.pdf")


def test_export_is_a_page_of_step_2(process):
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    urls = [url for _label, url in STEPS[Step.PROFILE].page_links(process)]
    assert (
        reverse(
            "profile:export",
            kwargs={"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kommunalprofil"},
        )
        in urls
    )


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor", "reader"])
def test_every_member_may_export(request, role, login, urls, process):
    client = login(request.getfixturevalue(role))
    assert client.get(urls("export")).status_code == 200
    assert client.get(urls("export_download", format="xlsx")).status_code == 200


@pytest.mark.parametrize("name", ["export", "export_download"])
def test_outsider_and_anonymous_get_404(name, login, outsider, client, urls, process):
    """Non-members never learn that the workspace exists (the tenancy rule: 404, also for anonymous users)."""
    extra = {"format": "pdf"} if name == "export_download" else {}
    assert client.get(urls(name, **extra)).status_code == 404
    assert login(outsider).get(urls(name, **extra)).status_code == 404


def test_unknown_format_and_wrong_step_are_404(login, reader, urls, process):
    client = login(reader)
    assert client.get(urls("export_download", format="docx")).status_code == 404
    url = reverse(
        "profile:export", kwargs={"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kick-off"}
    )
    assert client.get(url).status_code == 404


def test_process_of_another_municipality_is_404(login, reader, process, other_process):
    url = reverse(
        "profile:export_download",
        kwargs={
            "municipality_slug": "musterstadt",
            "pk": other_process.pk,
            "step_slug": "kommunalprofil",
            "format": "pdf",
        },
    )
    assert login(reader).get(url).status_code == 404


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_has_title_page_toc_statistics_and_all_chapters(login, reader, urls, process, region_tree, content):
    data = download(login(reader), urls, "pdf")
    reader_ = pdf_reader(data)
    assert reader_.metadata.title.startswith("Kommunalprofil Musterstadt") or "Musterstadt" in reader_.metadata.title
    assert reader_.trailer["/Root"]["/Lang"] == "de"
    pages = [page.extract_text() for page in reader_.pages]
    text = "\n".join(pages)
    # title page
    # (new messages: German once the lead has compiled the catalogues, English until then)
    assert "Musterstadt" in pages[0] and "Musterstadt 2040" in pages[0]
    assert "Stand" in pages[0] or "As of" in pages[0]
    # table of contents with page numbers (target-counter)
    toc = pages[1]
    assert "Inhalt" in toc or "Table of contents" in toc
    assert "Kennzahlen" in toc and "Handlungsfelder" in toc
    swot_page = next(number for number, page in enumerate(pages, start=1) if "Starkes Vereinsleben" in page)
    fields_page = next(number for number, page in enumerate(pages, start=1) if "1. Gesundheit und Pflege" in page)
    toc_lines = [line.replace(" ", "").rstrip() for line in toc.splitlines()]
    assert any(line.startswith("SWOT") and line.endswith(f".{swot_page}") for line in toc_lines), toc_lines
    assert any(line.startswith("Handlungsfelder") and line.endswith(f".{fields_page}") for line in toc_lines)
    # statistics: German number formats, definitions, charts with tables, interpretation
    assert "Adenau, Stadt" in text
    assert "2.935" in text  # population, thousands separator
    assert "48,3" in text  # median age 48.25, one decimal
    assert "Altenquotient" in text and "je 100 Personen von 20 bis 64" in text  # a definition
    assert "Mittlere Variante" in text
    assert "Wir werden älter und weniger." in text
    # the other chapters
    assert "Bürgerbus" in text and "Seniorenbeirat" in text
    assert "Bürgermeisterin" in text and "Bessere Busverbindungen" in text
    assert "Geplanter Gesprächspartner" not in text
    for quadrant in ("Stärken", "Schwächen", "Chancen", "Risiken"):
        assert quadrant in text
    assert "Schließung der Grundschule" in text
    assert "Gesundheit und Pflege" in text and "Wohnen" in text
    # licence attribution of the official figures
    assert "dl-de/by-2-0" in text
    # running header and page numbers after the title page
    assert "Musterstadt" in pages[2]
    assert f"Seite 3 von {len(pages)}" in pages[2] or f"Page 3 of {len(pages)}" in pages[2]


def test_pdf_embeds_the_charts_as_vector_graphics(process, region_tree):
    from daks.profile.export_data import profile_export
    from daks.profile.exports import ProfilePdf

    html = ProfilePdf().html(profile_export(process=process))
    assert html.count("<svg") == 3
    assert 'id="chart-pyramid-title"' in html
    assert "<caption>" in html  # each chart followed by its data table


def test_example_data_stays_labelled(login, reader, urls, process, region_tree):
    from tests.demography.factories import DatasetFactory

    dataset = DatasetFactory(title="Beispieldatensatz", is_example=True)
    from tests.demography.factories import ObservationFactory

    ObservationFactory(dataset=dataset, region_key="07131001", year=2016, value=2890)
    client = login(reader)
    assert "Beispieldaten" in pdf_text(download(client, urls, "pdf"))
    assert "Beispieldaten" in odt_text(download(client, urls, "odt"))
    workbook = xlsx_workbook(download(client, urls, "xlsx"))
    source = "\n".join(str(row[0]) for row in xlsx_values(workbook[workbook.sheetnames[-1]]))
    assert "Beispieldaten" in source


# --- ODT ------------------------------------------------------------------------------------------


def test_odt_has_the_same_content_with_tables_and_a_toc(login, reader, urls, process, region_tree, content):
    from odf.table import Table
    from odf.text import TableOfContent

    data = download(login(reader), urls, "odt")
    document = odt_document(data)
    text = odt_text(data)
    for expected in (
        "Musterstadt",
        "Kennzahlen",
        "2.935",
        "48,3",
        "Wir werden älter und weniger.",
        "Bürgerbus",
        "Bessere Busverbindungen",
        "Starkes Vereinsleben",
        "Risiken",
        "Gesundheit und Pflege",
        "dl-de/by-2-0",
    ):
        assert expected in text, expected
    assert "Geplanter Gesprächspartner" not in text
    [toc] = document.getElementsByType(TableOfContent)
    assert "Handlungsfelder" in str(toc) and "Kennzahlen" in str(toc)
    assert len(document.getElementsByType(Table)) >= 5  # key figures, pyramid, time series, projection, inventory


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_indicator_table_and_the_source(login, reader, urls, process, region_tree):
    workbook = xlsx_workbook(download(login(reader), urls, "xlsx"))
    assert workbook.sheetnames[0] == "Kennzahlen"
    assert workbook.sheetnames[-1] in ("Quelle", "Source")
    assert len(workbook.sheetnames) >= 4
    figures = workbook["Kennzahlen"]
    assert figures["A1"].value.startswith("Kennzahlen von Adenau") or "Adenau" in figures["A1"].value
    assert figures["A2"].font.bold and figures.freeze_panes == "A3"
    rows = {row[0]: row for row in xlsx_values(figures)[2:]}
    median = next(row for label, row in rows.items() if label in ("Medianalter", "Median age"))
    assert median[2] == 48.3
    cell = next(c for c in figures["C"] if c.value == 48.3)
    assert cell.number_format == "#,##0.0"
    source = "\n".join(str(row[0]) for row in xlsx_values(workbook[workbook.sheetnames[-1]]))
    assert "dl-de/by-2-0" in source and "govdata.de" in source


# --- without statistics ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "09999998"])
def test_without_statistics_every_format_works_and_says_so(login, reader, urls, process, content, key):
    process.municipality.official_key = key
    process.municipality.save()
    client = login(reader)
    page = client.get(urls("export"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "alert--warning" in page
    pdf = pdf_text(download(client, urls, "pdf"))
    assert "Starkes Vereinsleben" in pdf and "Wir werden älter und weniger." in pdf
    assert ("09999998" in pdf) if key else ("amtlichen Schlüssel" in pdf or "official key" in pdf)
    assert "dl-de/by-2-0" not in pdf
    odt = odt_text(download(client, urls, "odt"))
    assert "Starkes Vereinsleben" in odt and "dl-de/by-2-0" not in odt
    workbook = xlsx_workbook(download(client, urls, "xlsx"))
    assert "Kennzahlen" not in workbook.sheetnames
    assert len(workbook.sheetnames) == 2


def test_export_queries_do_not_grow_with_the_content(process, coordinator, content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daks.profile.export_data import profile_export
    from daks.profile.exports import ProfileOdt

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            ProfileOdt().render(profile_export(process=process))
        return len(queries)

    before = count()
    kwargs = {"actor": coordinator, "municipality": process.municipality, "process": process}
    item = services.swot_item_create(**kwargs, quadrant="threat", text="Noch ein Risiko")
    services.field_of_action_create(**kwargs, title="Mobilität", swot_items=[item])
    InventoryItem.objects.create(process=process, municipality=process.municipality, title="Dorfladen")
    assert count() == before
