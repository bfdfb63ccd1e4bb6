import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from daks.core.models import AuditLogEntry
from daks.municipalities.models import Invitation, JoinRequest, JoinRequestStatus, Membership, Municipality, Role
from tests.factories import InvitationFactory, JoinRequestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def png(size=(20, 10), name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def registration(**overrides):
    data = {
        "name": "Neustadt",
        "kind": "stadt",
        "country": "DE",
        "state": "DE-BY",
        "official_key": "09162000",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return data


def counts():
    return (Municipality.objects.count(), Membership.objects.count(), AuditLogEntry.objects.count())


# --- Registration -----------------------------------------------------------------------------


def test_create_form_renders_grouped_states(login, user):
    response = login(user).get("/kommunen/neu/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<optgroup label="Deutschland">' in content
    assert '<optgroup label="Österreich">' in content
    assert 'value="CH-ZH"' in content


def test_create_registers_and_redirects_with_unverified_notice(login, user):
    client = login(user)
    response = client.post("/kommunen/neu/", registration(logo=png()), follow=True)
    municipality = Municipality.objects.get()
    assert response.redirect_chain[-1][0] == f"/kommunen/{municipality.slug}/"
    content = response.content.decode()
    assert "Neustadt wurde registriert" in content
    assert "noch nicht bestätigt" in content
    assert "nichts öffentlich veröffentlichen" in content
    assert municipality.logo.name.startswith("logos/")
    assert Membership.objects.get(municipality=municipality).role == Role.COORDINATION


def test_create_auto_verifies_matching_email_domain(login):
    user = UserFactory(email="buergermeister@neustadt.de")
    response = login(user).post("/kommunen/neu/", registration(website="www.neustadt.de"), follow=True)
    assert Municipality.objects.get().is_verified
    assert "noch nicht bestätigt" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"official_key": "1234"}, "official_key", "genau 8 Ziffern"),
        ({"official_key": "0916200A"}, "official_key", "nur Ziffern"),
        ({"official_key": "08111000"}, "official_key", "Baden-Württemberg"),
        ({"official_key": ""}, "official_key", "amtlichen Schlüssel"),
        ({"country": "AT"}, "state", "gehört nicht zum gewählten Land"),
        ({"state": "DE-XX"}, "state", "gültige Auswahl"),
        ({"kind": "dorf"}, "kind", "gültige Auswahl"),
        ({"name": ""}, "name", "erforderlich"),
    ],
)
def test_create_shows_german_errors_and_writes_nothing(login, user, data, field, message):
    before = counts()
    response = login(user).post("/kommunen/neu/", registration(**data), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "field--error" in response.content.decode()
    assert f'aria-describedby="id_{field}' in response.content.decode()
    assert counts() == before


def test_create_duplicate_offers_join_request(login, municipality, user):
    before = counts()
    response = login(user).post("/kommunen/neu/", registration(official_key="09162999"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Musterstadt ist bereits in DAKS registriert" in content
    assert 'href="/kommunen/beitreten/musterstadt/"' in content
    assert "Beitritt anfragen" in content
    assert counts() == before


def test_create_rejects_fake_and_too_large_logos(login, user, settings):
    client = login(user)
    fake = SimpleUploadedFile("logo.png", b"<svg>not really</svg>", content_type="image/png")
    response = client.post("/kommunen/neu/", registration(logo=fake))
    assert response.context["form"].errors["logo"]
    settings.DAKS_LOGO_MAX_BYTES = 50
    response = client.post("/kommunen/neu/", registration(logo=png()))
    assert "zu groß" in response.context["form"].errors["logo"][0]
    assert Municipality.objects.count() == 0


# --- Join requests ----------------------------------------------------------------------------


def test_join_request_page_and_submission(
    login, municipality, coordinator, user, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(user)
    response = client.get("/kommunen/beitreten/musterstadt/")
    content = response.content.decode()
    assert "Musterstadt" in content
    assert "Bayern" in content
    assert coordinator.email not in content  # only name, kind and state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kommunen/beitreten/musterstadt/", {"message": "Ich bin im Bauamt."})
    assert response.status_code == 302
    assert JoinRequest.objects.get(user=user).message == "Ich bin im Bauamt."
    assert mailoutbox[0].to == [coordinator.email]
    response = client.get("/kommunen/beitreten/musterstadt/")
    assert "bereits angefragt" in response.content.decode()
    response = client.post("/kommunen/beitreten/musterstadt/", {"message": ""})
    assert JoinRequest.objects.filter(user=user).count() == 1


def test_join_request_page_redirects_members(login, municipality, contributor):
    response = login(contributor).get("/kommunen/beitreten/musterstadt/")
    assert response.status_code == 302
    assert response["Location"] == "/kommunen/musterstadt/"


def test_join_request_decide_via_team_page(login, municipality, coordinator):
    approve = JoinRequestFactory(municipality=municipality)
    decline = JoinRequestFactory(municipality=municipality)
    client = login(coordinator)
    url = "/kommunen/musterstadt/team/anfragen/{}/"
    response = client.post(url.format(approve.pk), {"decision": "approve", "role": "reader"}, follow=True)
    assert "ist dem Team beigetreten" in response.content.decode()
    assert Membership.objects.get(user=approve.user).role == Role.READER
    client.post(url.format(decline.pk), {"decision": "decline"})
    assert JoinRequest.objects.get(pk=decline.pk).status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(user=decline.user).exists()


def test_join_request_decide_bad_input(login, municipality, coordinator):
    join_request = JoinRequestFactory(municipality=municipality)
    client = login(coordinator)
    url = f"/kommunen/musterstadt/team/anfragen/{join_request.pk}/"
    response = client.post(url, {"decision": "approve", "role": "chef"}, follow=True)
    assert "gültige Rolle" in response.content.decode()
    response = client.post(url, {"decision": "vielleicht"}, follow=True)
    assert "annehmen oder ablehnen" in response.content.decode()
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING
    assert not Membership.objects.filter(user=join_request.user).exists()


# --- Detail, settings, delete, leave ------------------------------------------------------------


def test_detail_shows_profile_and_links_by_permission(login, municipality, coordinator, reader):
    content = login(coordinator).get("/kommunen/musterstadt/").content.decode()
    assert "09162999" in content
    assert "Koordination" in content
    assert "/kommunen/musterstadt/einstellungen/" in content
    assert "/kommunen/musterstadt/loeschen/" in content
    assert "Team verwalten" in content
    assert "2 Mitglieder" in content
    content = login(reader).get("/kommunen/musterstadt/").content.decode()
    assert "/kommunen/musterstadt/einstellungen/" not in content
    assert "/kommunen/musterstadt/loeschen/" not in content
    assert "/kommunen/musterstadt/verlassen/" in content
    assert "Lesen" in content


def test_settings_update_and_logo(login, municipality, coordinator):
    client = login(coordinator)
    data = registration(name="Musterstadt", official_key="09162999", description="Kreisfreie Stadt")
    response = client.post("/kommunen/musterstadt/einstellungen/", {**data, "logo": png()})
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.description == "Kreisfreie Stadt"
    assert municipality.logo
    logo_path = municipality.logo.path
    response = client.get("/kommunen/musterstadt/einstellungen/")
    assert 'value="Kreisfreie' not in response.content.decode()  # textarea content, not value
    assert "Kreisfreie Stadt" in response.content.decode()
    client.post("/kommunen/musterstadt/einstellungen/", {**data, "remove_logo": "on"})
    municipality.refresh_from_db()
    assert not municipality.logo
    import os

    assert not os.path.exists(logo_path)


def test_settings_errors_write_nothing(login, municipality, other_municipality, coordinator):
    client = login(coordinator)
    data = registration(name="Musterstadt", state="DE-BW", official_key="08111999")
    response = client.post("/kommunen/musterstadt/einstellungen/", data)
    assert response.status_code == 200
    assert "bereits registriert" in response.context["form"].errors["official_key"][0]
    municipality.refresh_from_db()
    assert (municipality.state, municipality.official_key) == ("DE-BY", "09162999")


def test_delete(login, municipality, coordinator, contributor, password):
    """Deleting is scheduled with a grace period (details: tests/municipalities/test_deletion.py)."""
    InvitationFactory(municipality=municipality)
    client = login(coordinator)
    content = client.get("/kommunen/musterstadt/loeschen/").content.decode()
    assert "Mitgliedschaften</th><td>2</td>" in content
    assert "Einladungen</th><td>1</td>" in content
    response = client.post("/kommunen/musterstadt/loeschen/", {"confirm_name": "Musterstadtt", "password": password})
    assert "genauen Namen" in response.content.decode()
    municipality.refresh_from_db()
    assert not municipality.deletion_pending
    response = client.post("/kommunen/musterstadt/loeschen/", {"confirm_name": "Musterstadt", "password": password})
    assert response["Location"] == "/kommunen/musterstadt/"
    municipality.refresh_from_db()
    assert municipality.deletion_pending
    assert Invitation.objects.exists()  # nothing deleted before the grace period ends


def test_leave(login, municipality, coordinator, contributor):
    response = login(coordinator).post("/kommunen/musterstadt/verlassen/")
    assert response.status_code == 200
    assert "übergeben Sie die Koordination" in response.content.decode()
    assert Membership.objects.filter(user=coordinator).exists()
    response = login(contributor).post("/kommunen/musterstadt/verlassen/")
    assert response["Location"] == "/uebersicht/"
    assert not Membership.objects.filter(user=contributor).exists()
    response = login(coordinator).post("/kommunen/musterstadt/verlassen/")
    assert "einzige Mitglied" in response.content.decode()


# --- Team -------------------------------------------------------------------------------------


def test_team_page_for_coordination_and_reader(login, municipality, coordinator, reader):
    invitation = InvitationFactory(municipality=municipality, email="offen@example.org", invited_by=coordinator)
    join_request = JoinRequestFactory(municipality=municipality, message="Bitte <script>alert(1)</script>")
    content = login(coordinator).get("/kommunen/musterstadt/team/").content.decode()
    assert reader.email in content
    assert "offen@example.org" in content
    assert f"/team/einladungen/{invitation.pk}/erneut-senden/" in content
    assert f"/team/anfragen/{join_request.pk}/" in content
    assert "<script>alert(1)</script>" not in content
    assert "Rolle ändern" in content
    assert "Prozessbegleitung" in content  # role explanations
    assert "data-confirm=" in content
    content = login(reader).get("/kommunen/musterstadt/team/").content.decode()
    assert coordinator.email in content
    assert "offen@example.org" not in content
    assert "Rolle ändern" not in content
    assert join_request.user.email not in content


def _team_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get("/kommunen/musterstadt/team/").status_code == 200
    return len(context.captured_queries)


def test_team_page_query_count_is_constant(login, municipality, coordinator, django_assert_max_num_queries):
    client = login(coordinator)
    MembershipFactory(municipality=municipality)
    InvitationFactory(municipality=municipality, invited_by=coordinator)
    JoinRequestFactory(municipality=municipality)
    few = _team_queries(client)
    for _i in range(5):
        MembershipFactory(municipality=municipality, role=Role.READER)
        InvitationFactory(municipality=municipality)
        JoinRequestFactory(municipality=municipality)
    many = _team_queries(client)
    assert many == few
    with django_assert_max_num_queries(9):  # incl. the unread-notification badge
        client.get("/kommunen/musterstadt/team/")


def test_role_change_via_view(login, municipality, coordinator, contributor):
    target = Membership.objects.get(user=contributor)
    client = login(coordinator)
    response = client.post(
        f"/kommunen/musterstadt/team/mitglieder/{target.pk}/rolle/", {"role": "advisor"}, follow=True
    )
    assert "hat jetzt die Rolle Prozessbegleitung" in response.content.decode()
    assert Membership.objects.get(pk=target.pk).role == Role.ADVISOR
    response = client.post(f"/kommunen/musterstadt/team/mitglieder/{target.pk}/rolle/", {"role": "chef"}, follow=True)
    assert "gültige Rolle" in response.content.decode()
    assert Membership.objects.get(pk=target.pk).role == Role.ADVISOR
    own = Membership.objects.get(user=coordinator)
    response = client.post(f"/kommunen/musterstadt/team/mitglieder/{own.pk}/rolle/", {"role": "reader"}, follow=True)
    assert "einzige Person in der Koordination" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == Role.COORDINATION


def test_remove_via_view(login, municipality, coordinator, contributor):
    target = Membership.objects.get(user=contributor)
    client = login(coordinator)
    response = client.post(f"/kommunen/musterstadt/team/mitglieder/{target.pk}/entfernen/", follow=True)
    assert "aus dem Team entfernt" in response.content.decode()
    assert not Membership.objects.filter(pk=target.pk).exists()
    own = Membership.objects.get(user=coordinator)
    response = client.post(f"/kommunen/musterstadt/team/mitglieder/{own.pk}/entfernen/", follow=True)
    assert "Kommune verlassen" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_hand_over_via_view(login, municipality, coordinator, contributor):
    client = login(coordinator)
    response = client.get("/kommunen/musterstadt/team/uebergeben/")
    assert "Mitarbeit" in response.content.decode()
    target = Membership.objects.get(user=contributor)
    response = client.post("/kommunen/musterstadt/team/uebergeben/", {"member": target.pk})
    assert response.status_code == 302
    assert Membership.objects.get(user=contributor).role == Role.COORDINATION
    assert Membership.objects.get(user=coordinator).role == Role.CONTRIBUTOR


def test_hand_over_rejects_self_and_foreign(login, municipality, coordinator, outsider):
    client = login(coordinator)
    for pk in [Membership.objects.get(user=coordinator).pk, Membership.objects.get(user=outsider).pk, "x"]:
        response = client.post("/kommunen/musterstadt/team/uebergeben/", {"member": pk})
        assert response.status_code == 200
        assert response.context["form"].errors["member"]
    assert Membership.objects.get(user=coordinator).role == Role.COORDINATION
    assert Membership.objects.get(user=outsider).role == Role.COORDINATION


def test_concurrent_settings_edits_are_not_silently_lost(login, coordinator, municipality, db):
    from daks.core.models import AuditLogEntry
    from daks.municipalities import services

    url = f"/kommunen/{municipality.slug}/einstellungen/"
    client = login(coordinator)
    form = client.get(url).context["form"]
    started_from = form.initial["version"]
    # Somebody else saves first.
    services.municipality_update(actor=coordinator, municipality=municipality, website="https://www.anders.example")
    data = {
        "name": "Musterstadt am See",
        "kind": "stadt",
        "country": "DE",
        "state": "DE-BY",
        "official_key": municipality.official_key,
        "website": "https://www.musterstadt.example",
        "description": "",
        "version": started_from,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "inzwischen" in content
    assert "https://www.anders.example" in content  # the other person's value is shown
    municipality.refresh_from_db()
    assert municipality.name == "Musterstadt"  # nothing overwritten
    assert AuditLogEntry.objects.filter(action="municipality.updated").count() == 1
    # Saving again after seeing the conflict keeps the user's version deliberately.
    data["version"] = response.context["form"].data["version"]
    assert client.post(url, data).status_code == 302
    municipality.refresh_from_db()
    assert municipality.name == "Musterstadt am See"
