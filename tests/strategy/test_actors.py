"""Actors register (Akteursregister): services, import/export, matrix, pages per role."""

import datetime
import io
import zipfile

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.strategy import actor_io, actor_services
from daks.strategy.actor_charts import matrix_svg
from daks.strategy.models import Actor, ActorKind, Sector, Step
from daks.strategy.steps import STEPS

from ..factories import MunicipalityFactory
from .test_tasks import ProcessFactory

EDITORS = ["coordinator", "contributor", "advisor"]
HEADER = "name;art;organisation;sektor;rolle;einfluss;interesse;email;telefon;einwilligung\n"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Akteur {n}")
    sector = Sector.CIVIL_SOCIETY


def url(name, municipality, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"municipality_slug": municipality.slug, **kwargs})


def upload(content: bytes, name="akteure.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- services -------------------------------------------------------------------------------------


def test_create_normalises_and_records_consent(municipality, coordinator):
    record = actor_services.actor_create(
        actor=coordinator,
        municipality=municipality,
        name="  Sportverein   Musterstadt ",
        organisation="ignored for organisations",
        sector=Sector.CULTURE,
        influence=4,
        interest=5,
        email="vorstand@sv.example",
        contact_consent=True,
    )
    assert record.name == "Sportverein Musterstadt"
    assert record.organisation == ""
    assert record.consent_date is not None
    assert AuditLogEntry.objects.filter(action="strategy.actor.created").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"influence": 0}, "influence"),
        ({"interest": 6}, "interest"),
        ({"sector": "nope"}, "sector"),
        ({"kind": "robot"}, "kind"),
        ({"email": "kein-mail"}, "email"),
        ({"email": "a@b.example"}, "contact_consent"),  # contact data without consent
        ({"phone": "0123 45", "contact_consent": False}, "contact_consent"),
        ({"phone": "<script>", "contact_consent": True}, "phone"),
    ],
)
def test_create_validation(municipality, coordinator, fields, field):
    data = {"name": "Kita Sonnenschein", **fields}
    with pytest.raises(DomainError) as error:
        actor_services.actor_create(actor=coordinator, municipality=municipality, **data)
    assert error.value.field == field
    assert not Actor.objects.exists()


def test_update_detects_a_concurrent_change(municipality, coordinator, contributor):
    record = ActorFactory(municipality=municipality, name="Rathaus")
    stale = record.version
    actor_services.actor_update(actor=contributor, record=record, expected_version=stale, influence=5)
    with pytest.raises(actor_services.ActorEditConflict) as conflict:
        actor_services.actor_update(actor=coordinator, record=record, expected_version=stale, name="Anders")
    assert conflict.value.current.influence == 5
    record.refresh_from_db()
    assert (record.name, record.influence) == ("Rathaus", 5)


def test_withdrawing_consent_requires_removing_contact_data(municipality, coordinator):
    record = actor_services.actor_create(
        actor=coordinator,
        municipality=municipality,
        name="Pfarrerin",
        kind=ActorKind.PERSON,
        phone="+49 30 1234",
        contact_consent=True,
    )
    with pytest.raises(DomainError):
        actor_services.actor_update(actor=coordinator, record=record, contact_consent=False)
    record = actor_services.actor_update(actor=coordinator, record=record, contact_consent=False, phone="")
    assert (record.phone, record.consent_date) == ("", None)


# --- import / export ------------------------------------------------------------------------------


def test_import_good_csv(login, municipality, coordinator):
    content = (
        "\ufeff"
        + HEADER
        + "Seniorenbeirat;Organisation;;Zivilgesellschaft;Beirat;4;5;beirat@example.org;;ja\n"
        + "Erika Muster;Person;Rathaus;verwaltung;Leitung;5;3;;;nein\n"
        + ";;;;;;;;;\n"
    ).encode()
    response = login(coordinator).post(url("actor_import", municipality), {"file": upload(content)})
    assert response.status_code == 302
    assert list(Actor.objects.order_by("name").values_list("name", "kind", "sector", "influence", "email")) == [
        ("Erika Muster", ActorKind.PERSON, Sector.ADMINISTRATION, 5, ""),
        ("Seniorenbeirat", ActorKind.ORGANISATION, Sector.CIVIL_SOCIETY, 4, "beirat@example.org"),
    ]
    assert AuditLogEntry.objects.filter(action="strategy.actor.imported").get().data["count"] == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER + 'A;Organisation;;;;"3;3;;;nein\n', "CSV"),  # unclosed quote
        (HEADER + "A;Organisation;;;;viel;3;;;nein\n", "Zeile 2"),  # text in influence
        (HEADER + "A;;;;;3;3;;;nein\nB;;;;;3;hoch;;;nein\n", "Zeile 3"),
        (HEADER + "A;;;;;3;3;a@b.example;;nein\n", "Zeile 2"),  # contact without consent
        (HEADER + "A;;;Raumfahrt;;3;3;;;nein\n", "Raumfahrt"),
        ("foo;bar\n1;2\n", "Zeile 1"),  # missing headers
    ],
)
def test_import_bad_csv_writes_nothing(login, municipality, coordinator, content, expected):
    ActorFactory(municipality=municipality, name="Bestehend")
    response = login(coordinator).post(
        url("actor_import", municipality), {"file": upload(content.encode())}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page or expected in str(response.context["form"].errors)
    assert list(Actor.objects.values_list("name", flat=True)) == ["Bestehend"]


def test_import_all_or_nothing_reports_every_row(login, municipality, coordinator):
    content = (HEADER + "Gut;;;;;3;3;;;nein\nSchlecht;;;;;9;3;;;nein\nAuchSchlecht;;;;;3;x;;;vielleicht\n").encode()
    response = login(coordinator).post(url("actor_import", municipality), {"file": upload(content)})
    errors = response.context["import_errors"]
    assert [error.split(":")[0] for error in errors] == ["Zeile 3", "Zeile 4", "Zeile 4"]
    assert len(errors) == 3
    assert not Actor.objects.exists()


def test_import_refuses_disguised_and_too_large_files(login, municipality, coordinator):
    client = login(coordinator)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    big = (HEADER + "A;;;;;3;3;;;nein\n" * 150_000).encode()
    assert len(big) > actor_io.MAX_IMPORT_BYTES
    for content, name, message in [
        (png, "akteure.csv", "weder eine CSV"),
        (zip_buffer.getvalue(), "akteure.xlsx", "keine Excel-Arbeitsmappe"),
        (big, "akteure.csv", "zu groß"),
    ]:
        response = client.post(url("actor_import", municipality), {"file": upload(content, name)})
        assert response.status_code == 200
        assert message in str(response.context["form"].errors["file"])
    assert not Actor.objects.exists()


def test_import_xlsx_by_content_even_with_csv_name(login, municipality, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(actor_io.HEADERS)
    sheet.append(["Tafel e. V.", "Organisation", None, "Gesundheit_Pflege", "Ausgabe", 2, 4, None, None, "nein"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = login(coordinator).post(url("actor_import", municipality), {"file": upload(buffer.getvalue(), "x.csv")})
    assert response.status_code == 302
    assert Actor.objects.get().sector == Sector.HEALTH


def test_reader_cannot_import(login, municipality, reader):
    response = login(reader).post(url("actor_import", municipality), {"file": upload(HEADER.encode())})
    assert response.status_code == 403


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_round_trip(login, municipality, other_municipality, coordinator, extension):
    ActorFactory(
        municipality=municipality,
        name="=Formel GmbH",
        sector=Sector.BUSINESS,
        influence=5,
        interest=2,
        email="info@formel.example",
        phone="+49 30 1",
        contact_consent=True,
        consent_date=datetime.date(2026, 1, 1),
    )
    ActorFactory(
        municipality=municipality,
        name="Pastor Kurz",
        kind=ActorKind.PERSON,
        organisation="Gemeinde",
        sector=Sector.CHURCH,
        influence=2,
        interest=4,
    )
    # stored without consent via the ORM would violate the constraint, so no such row exists; the export
    # still only writes contact data where consent is recorded.
    client = login(coordinator)
    response = client.get(url("actor_export", municipality, extension=extension))
    assert response.status_code == 200
    data = response.content
    if extension == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        assert b";" in data.splitlines()[0]
        assert b"'=Formel GmbH" in data
    else:
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert rows[0] == tuple(actor_io.HEADERS)
    fields = ("name", "kind", "organisation", "sector", "influence", "interest", "email", "phone", "contact_consent")
    before = sorted(Actor.objects.filter(municipality=municipality).values_list(*fields))

    # import into another Kommune where the coordinator is also a member
    from daks.municipalities.models import Role

    from ..factories import MembershipFactory

    MembershipFactory(municipality=other_municipality, user=coordinator, role=Role.COORDINATION)
    response = client.post(url("actor_import", other_municipality), {"file": upload(data, f"x.{extension}")})
    assert response.status_code == 302, response.context and response.context.get("import_errors")
    after = sorted(Actor.objects.filter(municipality=other_municipality).values_list(*fields))
    assert after == before


def test_export_unknown_format_is_404(login, municipality, reader):
    assert login(reader).get(url("actor_export", municipality, extension="pdf")).status_code == 404


# --- matrix ---------------------------------------------------------------------------------------


def test_matrix_svg_stacks_points_and_labels_quadrants(municipality):
    actors = [ActorFactory(municipality=municipality, name=f"A<{i}>", influence=4, interest=4) for i in range(14)]
    actors.append(ActorFactory(municipality=municipality, name="Klein", kind=ActorKind.PERSON, influence=1, interest=1))
    svg = str(matrix_svg(actors, title="Matrix"))
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    for label in ("Eng einbinden", "Zufriedenstellen", "Informieren", "Beobachten"):  # German default
        assert label in svg
    assert "A&lt;0&gt;" in svg and "A<0>" not in svg
    assert "+3" in svg  # 14 points in one cell: 11 shown, "+3"
    assert svg.count('class="matrix__point"') == 12
    assert "style=" not in svg and "<script" not in svg


def test_matrix_page_has_chart_and_table(login, municipality, reader):
    ActorFactory(municipality=municipality, name="Bürgermeisterin", influence=5, interest=5)
    content = login(reader).get(url("actor_matrix", municipality), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<svg" in content and 'role="img"' in content
    assert "<table>" in content and "Bürgermeisterin" in content and "Manage closely" in content


# --- pages, tenancy -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*EDITORS, "reader"])
def test_members_see_list_contact_only_with_consent(request, login, municipality, role):
    ActorFactory(municipality=municipality, name="Mit", email="mit@example.org", contact_consent=True)
    ActorFactory(municipality=municipality, name="Ohne")
    content = login(request.getfixturevalue(role)).get(url("actors", municipality)).content.decode()
    assert "mit@example.org" in content and "Ohne" in content
    assert (url("actor_create", municipality) in content) == (role != "reader")


def test_list_filters_and_sorts(login, municipality, reader):
    ActorFactory(municipality=municipality, name="Zeitung", sector=Sector.MEDIA, influence=2)
    ActorFactory(municipality=municipality, name="Amt", sector=Sector.ADMINISTRATION, influence=5)
    ActorFactory(municipality=municipality, name="Person X", kind=ActorKind.PERSON, organisation="Zeitungshaus")
    client = login(reader)

    def names(query):
        return [a.name for a in client.get(url("actors", municipality) + query).context["actors"]]

    assert names("?sektor=medien") == ["Zeitung"]
    assert names("?art=person") == ["Person X"]
    assert names("?suche=zeitung") == ["Person X", "Zeitung"]
    assert names("?sortierung=einfluss")[0] == "Amt"
    assert names("?sektor=quatsch") == ["Amt", "Person X", "Zeitung"]


def test_list_query_count_is_constant(login, municipality, coordinator, django_assert_num_queries):
    client = login(coordinator)
    ActorFactory.create_batch(2, municipality=municipality)
    client.get(url("actors", municipality))  # warm up (session, caches)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("actors", municipality))
    ActorFactory.create_batch(20, municipality=municipality)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url("actors", municipality))
    assert len(few.captured_queries) <= 8


@pytest.mark.parametrize("role", EDITORS)
def test_editors_create_edit_delete(request, login, municipality, role):
    client = login(request.getfixturevalue(role))
    assert client.get(url("actor_create", municipality)).status_code == 200
    response = client.post(
        url("actor_create", municipality),
        {
            "kind": "person",
            "name": "Frau Beispiel",
            "organisation": "Verein",
            "sector": "bildung",
            "influence": "2",
            "interest": "5",
            "email": "fb@example.org",
            "contact_consent": "on",
        },
    )
    assert response.status_code == 302
    record = Actor.objects.get()
    assert (record.organisation, record.email, record.contact_consent) == ("Verein", "fb@example.org", True)
    form = client.get(url("actor_edit", municipality, pk=record.pk)).context["form"]
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "name": "Frau Dr. Beispiel",
        "contact_consent": "on",
    }
    assert client.post(url("actor_edit", municipality, pk=record.pk), data).status_code == 302
    assert Actor.objects.get().name == "Frau Dr. Beispiel"
    assert client.post(url("actor_delete", municipality, pk=record.pk)).status_code == 302
    assert not Actor.objects.exists()


def test_edit_conflict_shows_both_versions(login, municipality, coordinator, contributor):
    record = ActorFactory(municipality=municipality, name="Rathaus", influence=3)
    stale = record.version
    actor_services.actor_update(actor=contributor, record=record, name="Rathaus (neu)")
    response = login(coordinator).post(
        url("actor_edit", municipality, pk=record.pk),
        {
            "kind": "organisation",
            "name": "Rathaus alt",
            "sector": "zivilgesellschaft",
            "influence": "4",
            "interest": "3",
            "version": stale,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rathaus (neu)" in content and 'value="Rathaus alt"' in content
    assert Actor.objects.get().name == "Rathaus (neu)"
    assert response.context["form"]["version"].value() == Actor.objects.get().version


def test_reader_gets_403_on_writes_and_a_read_only_page(login, municipality, reader):
    record = ActorFactory(municipality=municipality)
    client = login(reader)
    assert client.get(url("actor_create", municipality)).status_code == 403
    assert client.post(url("actor_create", municipality), {"name": "X"}).status_code == 403
    assert client.post(url("actor_edit", municipality, pk=record.pk), {"name": "X"}).status_code == 403
    assert client.post(url("actor_delete", municipality, pk=record.pk)).status_code == 403
    assert client.get(url("actor_import", municipality)).status_code == 403
    detail = client.get(url("actor_edit", municipality, pk=record.pk))
    assert detail.status_code == 200 and '<form method="post"' not in detail.content.decode().split("<main")[-1]
    assert Actor.objects.get().name == record.name


def test_other_municipalities_get_404(login, municipality, other_municipality, coordinator, outsider):
    foreign = ActorFactory(municipality=other_municipality)
    client = login(coordinator)
    assert client.get(url("actor_edit", municipality, pk=foreign.pk)).status_code == 404
    assert client.post(url("actor_delete", municipality, pk=foreign.pk)).status_code == 404
    assert client.get(url("actors", other_municipality)).status_code == 404
    assert login(outsider).get(url("actors", municipality)).status_code == 404
    assert Actor.objects.filter(pk=foreign.pk).exists()


def test_kickoff_step_links_to_the_register(login, municipality, coordinator):
    process = ProcessFactory(municipality=municipality)
    links = {str(label): link for label, link in STEPS[Step.KICKOFF].page_links(process)}
    link = links["Akteure"] if "Akteure" in links else links["Actors"]
    assert link == f"/kommunen/{municipality.slug}/prozesse/akteure/prozess/{process.pk}/kick-off/"
    client = login(coordinator)
    response = client.get(link)
    assert response.status_code == 200 and response.context["process"] == process
    assert client.get(url("actors_for_step", municipality, pk=process.pk, step_slug="gibt-es-nicht")).status_code == 404
    foreign = ProcessFactory()
    assert client.get(url("actors_for_step", municipality, pk=foreign.pk, step_slug="kick-off")).status_code == 404
