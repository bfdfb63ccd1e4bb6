"""The workshop report as PDF and ODT: contents, privacy of names, downloads and permissions."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from daks.meetings.models import AgendaItem, MeetingInvitation
from daks.strategy.models import Actor
from daks.workshops import photos, report, to_plan
from daks.workshops.models import IdeaStatus, Phase, Vote, VotingScope
from tests.plans.factories import FieldOfActionFactory

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory
from .test_photos import jpeg_with_gps

SECRET = "Geheimrat Anonymus"


def _invite(meeting, name, *, member=None, actor=None, attended=True):
    return MeetingInvitation.objects.create(
        meeting=meeting,
        member=member,
        actor=actor,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        token_hash=name,
        attended=attended,
    )


@pytest.fixture
def filled(workshop, process, coordinator):
    """A held workshop: agenda, invitations, a link with (one named) participants, ideas, votes, a photo, a measure."""
    meeting = workshop.meeting
    meeting.decisions = "Der Bürgerbus wird geprüft."
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Kritikphase am Flipchart", owner="Moderation")
    _invite(meeting, "Katrin Koordinatorin", member=coordinator)
    consenting = Actor.objects.create(
        municipality=workshop.municipality, name="Seniorenbeirat", contact_consent=True, email="beirat@example.org"
    )
    _invite(meeting, "Seniorenbeirat Vorsitz", actor=consenting)
    withdrawn = Actor.objects.create(municipality=workshop.municipality, name="Heimatverein", contact_consent=False)
    _invite(meeting, "Heimatverein Kassenwart", actor=withdrawn)
    _invite(meeting, "Nicht Gekommen", member=coordinator, attended=False)

    link = ParticipationLinkFactory(workshop=workshop)
    named = ParticipantFactory(link=link, name=SECRET)
    others = [ParticipantFactory(link=link) for _number in range(4)]
    wohnen = FieldOfActionFactory(process=process, title="Wohnen", priority=1)
    pflege = FieldOfActionFactory(process=process, title="Pflege", priority=2)

    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, field_of_action=wohnen, text="Kritik: zu wenig Wohnungen")
    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, text="Kritik ohne Feld", participant=named, author_name=SECRET)
    IdeaFactory(workshop=workshop, phase=Phase.FANTASY, field_of_action=pflege, text="Fantasie: Gemeindeschwester")
    IdeaFactory(workshop=workshop, phase=Phase.FANTASY, text="Versteckte Idee", status=IdeaStatus.HIDDEN)
    first = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=wohnen, text="Umsetzung Alpha")
    second = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=pflege, text="Umsetzung Beta")
    third = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=pflege, text="Umsetzung Gamma")
    IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=pflege, text="Umsetzung Delta")
    for idea, count in ((first, 4), (second, 4), (third, 1)):
        for number in range(count):
            Vote.objects.create(workshop=workshop, idea=idea, participant=[named, *others][number])
    photos.photo_add(
        actor=coordinator,
        workshop=workshop,
        file=SimpleUploadedFile("p.jpg", jpeg_with_gps((800, 600))),
        caption="Pinnwand Verwirklichung",
        phase=Phase.REALISATION,
    )
    to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[first])
    return workshop


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def odt_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml").decode()
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def test_report_data(filled):
    data = report.report_data(filled)
    assert (data.invited, data.attended, data.link_participants) == (4, 3, 5)
    assert data.named_attendees == ["Katrin Koordinatorin", "Seniorenbeirat Vorsitz"]
    assert [group.ideas_count for group in data.phases] == [2, 1, 4]
    critique = data.phases[0]
    assert [group.title for group in critique.fields] == ["Wohnen", "Ohne Handlungsfeld"]
    (table,) = data.results
    assert [(row.rank, row.tied, row.idea.text, row.points) for row in table.rows] == [
        (1, True, "Umsetzung Alpha", 4),
        (1, True, "Umsetzung Beta", 4),
        (3, False, "Umsetzung Gamma", 1),
    ]
    assert table.unvoted == 1 and table.total_points == 9
    assert [idea.text for idea in data.carried] == ["Umsetzung Alpha"]


def test_per_phase_voting_gives_a_table_per_phase(filled):
    filled.voting_scope = VotingScope.PER_PHASE
    filled.save()
    data = report.report_data(filled)
    assert len(data.results) == 3
    assert [len(table.rows) for table in data.results] == [0, 0, 3]


def test_pdf_contents(filled):
    filename, mimetype, content = report.ReportPdf().render(report.report_data(filled))
    assert mimetype == "application/pdf" and filename.endswith(".pdf") and filename.startswith("dokumentation-")
    text = pdf_text(content)
    for expected in (
        filled.meeting.title,
        "Bürgerhaus",
        "Kritikphase am Flipchart",
        "Kritik: zu wenig Wohnungen",
        "Fantasie: Gemeindeschwester",
        "Umsetzung Alpha",
        "Umsetzung Delta",
        "Der Bürgerbus wird geprüft.",
        "Pinnwand Verwirklichung",
        "Katrin Koordinatorin",
        "Seniorenbeirat Vorsitz",
    ):
        assert expected in text, expected
    assert SECRET not in text and "Heimatverein Kassenwart" not in text and "Nicht Gekommen" not in text
    assert "Versteckte Idee" not in text
    # the ranking: Alpha and Beta share rank 1, Gamma is third
    assert re.search(r"1 = Umsetzung (Alpha|Beta) \S+ 4", text) and re.search(r"3 Umsetzung Gamma \S+ 1", text)
    # the photo's thumbnail is embedded (WeasyPrint may share one resource dictionary between pages)
    reader = PdfReader(io.BytesIO(content))
    assert {image.image.size for page in reader.pages for image in page.images} == {(480, 360)}


def test_pdf_phases_in_order(filled):
    html = report.ReportPdf().html(report.report_data(filled))
    positions = [html.index(text) for text in ("Kritik: zu wenig", "Fantasie: Gemeindeschwester", "Umsetzung Delta")]
    assert positions == sorted(positions)
    assert "data:image/jpeg;base64," in html


def test_odt_contents(filled):
    filename, mimetype, content = report.ReportOdt().render(report.report_data(filled))
    assert mimetype == "application/vnd.oasis.opendocument.text" and filename.endswith(".odt")
    text = odt_text(content)
    for expected in (
        "Kritikphase am Flipchart",
        "Kritik: zu wenig Wohnungen",
        "Kritik ohne Feld",
        "Umsetzung Alpha",
        "Der Bürgerbus wird geprüft.",
        "Pinnwand Verwirklichung",
        "Katrin Koordinatorin, Seniorenbeirat Vorsitz",
    ):
        assert expected in text, expected
    assert SECRET not in text and "Heimatverein" not in text and "Versteckte Idee" not in text
    assert re.search(r"1 = Umsetzung Alpha Wohnen 4 4", text)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(name.startswith("Pictures/") for name in archive.namelist())


def test_empty_workshop_renders(workshop):
    data = report.report_data(workshop)
    assert pdf_text(report.ReportPdf().render(data)[2])
    assert "Es wurden keine Punkte vergeben." in odt_text(report.ReportOdt().render(data)[2])


def test_download_for_members_only(reader, outsider, login, ws_url, filled, client):
    url = ws_url("workshops:report", workshop_pk=filled.pk, format="pdf")
    response = login(reader).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    odt = login(reader).get(ws_url("workshops:report", workshop_pk=filled.pk, format="odt"))
    assert odt.status_code == 200 and odt.content.startswith(b"PK")
    assert login(reader).get(ws_url("workshops:report", workshop_pk=filled.pk, format="docx")).status_code == 404
    assert login(outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_documentation_page_offers_downloads(reader, login, ws_url, filled):
    html = login(reader).get(ws_url("workshops:documentation", workshop_pk=filled.pk)).content.decode()
    assert ws_url("workshops:report", workshop_pk=filled.pk, format="pdf") in html
    assert ws_url("workshops:report", workshop_pk=filled.pk, format="odt") in html
    assert 'alt="Pinnwand Verwirklichung"' in html


def test_report_query_count(filled, django_assert_num_queries):
    with django_assert_num_queries(REPORT_QUERIES):
        report.report_data(filled)
    for number in range(5):
        IdeaFactory(workshop=filled, phase=Phase.CRITIQUE, text=f"Mehr {number}")
    with django_assert_num_queries(REPORT_QUERIES):
        report.report_data(filled)


REPORT_QUERIES = 6
