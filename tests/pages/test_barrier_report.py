"""The feedback mechanism of the accessibility statement: a reported barrier is stored and mailed to the editorial
office."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.network.rules import NETWORK_EDITOR_GROUP
from daks.pages.models import BarrierReport
from daks.pages.services import clean_page_address
from tests.accounts.conftest import check_page
from tests.factories import UserFactory
from tests.network.factories import de

pytestmark = pytest.mark.django_db

URL = "/barrierefreiheit/barriere-melden/"
DESCRIPTION = "Der Knopf „Speichern“ lässt sich mit der Tastatur nicht erreichen."


def data(**overrides):
    return {
        "description": DESCRIPTION,
        "page_url": "/werkzeugkoffer/",
        "name": "Bea Barriere",
        "email": "bea@example.org",
        "homepage": "",
    } | overrides


@pytest.fixture
def editor(db):
    user = UserFactory(email="redaktion@example.org", language="en")
    user.groups.add(Group.objects.get_or_create(name=NETWORK_EDITOR_GROUP)[0])
    return user


def test_addresses():
    assert reverse("pages:barrier_report") == URL
    assert reverse("pages:barrier_report_thanks") == URL + "danke/"


def test_form_page_prefills_the_page_from_seite(client):
    response = client.get(URL, {"seite": "/netzwerk/"})
    assert response.status_code == 200
    html = check_page(response)
    assert "<h1>Barriere melden</h1>" in html or "<h1>Report a barrier</h1>" in html
    assert 'name="page_url"' in html and 'value="/netzwerk/"' in html
    assert 'name="homepage"' in html and 'tabindex="-1"' in html
    assert "no-store" in response["Cache-Control"]


def test_valid_report_is_stored_mailed_on_commit_and_confirmed(
    client, settings, django_capture_on_commit_callbacks, editor, staff_user
):
    settings.DAKS_BASE_URL = "https://daks.example"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, data())
    assert response.status_code == 302 and response["Location"] == URL + "danke/"
    assert len(callbacks) == 1  # the mails leave only after the commit
    report = BarrierReport.objects.get()
    assert (report.description, report.page_url, report.name, report.email) == (
        DESCRIPTION,
        "/werkzeugkoffer/",
        "Bea Barriere",
        "bea@example.org",
    )
    assert not report.is_done
    # One mail each to the editorial office: superusers and the group "Netzwerk-Redaktion", in their language.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([editor.email, staff_user.email])
    to_editor = next(message for message in mail.outbox if message.to == [editor.email])
    assert to_editor.subject == "[DAKS] A barrier has been reported"
    for text in [DESCRIPTION, "bea@example.org", "Bea Barriere", "https://daks.example/werkzeugkoffer/"]:
        assert text in to_editor.body, text
    admin_path = reverse("admin:pages_barrierreport_change", args=[report.pk])
    assert f"https://daks.example{admin_path}" in to_editor.body
    # The audit log records that a report arrived, not what it says or who sent it.
    entry = AuditLogEntry.objects.get(action="pages.barrier_report.received")
    assert entry.data == {"report": report.pk}
    assert "bea" not in str(entry.__dict__).lower() and "Tastatur" not in str(entry.__dict__)
    page = client.get(response["Location"])
    assert page.status_code == 200
    check_page(page)


def test_name_and_email_are_optional(client, django_capture_on_commit_callbacks, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"description": DESCRIPTION})
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    assert (report.name, report.email, report.page_url) == ("", "", "")
    assert len(mail.outbox) == 1 and de("not given") in mail.outbox[0].body


def test_configured_feedback_address_receives_the_reports(
    client, settings, django_capture_on_commit_callbacks, editor, staff_user
):
    settings.DAKS_ACCESSIBILITY_FEEDBACK_EMAIL = ["barrierefreiheit@kommune.example"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, data()).status_code == 302
    assert [message.to for message in mail.outbox] == [["barrierefreiheit@kommune.example"]]
    assert mail.outbox[0].subject == "[DAKS] " + de("A barrier has been reported")


def test_report_is_kept_even_without_recipients(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, data()).status_code == 302
    assert BarrierReport.objects.count() == 1 and not mail.outbox


def test_honeypot_refuses_with_german_message_and_writes_nothing(
    client, django_capture_on_commit_callbacks, staff_user
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data(homepage="http://spam.example"))
    assert response.status_code == 422
    assert "Ihre Nachricht konnte nicht gesendet werden" in response.content.decode()
    assert not BarrierReport.objects.exists() and not mail.outbox
    assert not AuditLogEntry.objects.filter(action="pages.barrier_report.received").exists()


def test_rate_limit(client, settings, django_capture_on_commit_callbacks, staff_user):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"barrier_report_ip": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            assert client.post(URL, data()).status_code == 302
        response = client.post(URL, data())
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert BarrierReport.objects.count() == 2 and len(mail.outbox) == 2


def test_the_default_rate_limit_exists():
    from daks.workshops.participation import DEFAULT_RATE_LIMITS

    count, seconds = DEFAULT_RATE_LIMITS["barrier_report_ip"]
    assert 0 < count <= 10 and seconds >= 600


@pytest.mark.parametrize(
    ("overrides", "german"),
    [
        ({"description": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"description": "kaputt"}, "mindestens 10 Zeichen"),
        ({"description": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        # Valid in form, but longer than the column (254): refused by the form, not by the database.
        ({"email": "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".de"}, "höchstens 254 Zeichen"),
        ({"page_url": "/" + "x" * 500}, "höchstens 500 Zeichen"),
    ],
)
def test_bad_input_shows_german_errors_and_writes_nothing(
    client, django_capture_on_commit_callbacks, staff_user, overrides, german
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data(**overrides))
    assert response.status_code == 422
    html = check_page(response)
    assert german in html
    assert "Bitte prüfen Sie die markierten Felder." in html
    assert 'aria-invalid="true"' in html
    assert not BarrierReport.objects.exists() and not mail.outbox


def test_too_many_links_are_refused(client, django_capture_on_commit_callbacks, staff_user):
    spam = "Billig! http://a.example http://b.example http://c.example http://d.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data(description=spam))
    assert response.status_code == 422
    assert de("Please send at most three links.") in response.content.decode()
    assert not BarrierReport.objects.exists()


def test_only_get_and_post():
    from django.test import Client

    assert Client().put(URL).status_code == 405
    assert Client().post(URL + "danke/").status_code == 405


def test_page_address_is_cleaned(settings):
    settings.DAKS_BASE_URL = "https://daks.example"
    assert clean_page_address("") == ""
    assert clean_page_address("  /werkzeugkoffer/?q=pflege#treffer ") == "/werkzeugkoffer/"
    assert clean_page_address("https://daks.example/netzwerk/?land=DE-BY") == "/netzwerk/"
    # Personal links never reach the editorial office: their secret part is replaced.
    assert clean_page_address("/mitmachen/AbC123geheimerToken_x/ideen/neu/") == "/mitmachen/…/ideen/neu/"
    assert clean_page_address("https://daks.example/umfrage/geheim-456789/") == "/umfrage/…/"
    assert clean_page_address("/veranstaltungen/anmeldung/geheim987654/") == "/veranstaltungen/anmeldung/…/"
    # Unknown own addresses and anything else stay as entered (without query on own addresses).
    assert clean_page_address("/gibt-es-nicht/?x=1") == "/gibt-es-nicht/"
    assert clean_page_address("https://andere.example/seite?x=1") == "https://andere.example/seite?x=1"
    assert clean_page_address("die Startseite") == "die Startseite"


def test_secret_in_submitted_address_is_not_stored(client, django_capture_on_commit_callbacks, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data(page_url="/umfrage/SehrGeheimesToken123/"))
    assert BarrierReport.objects.get().page_url == "/umfrage/…/"
    assert "SehrGeheimesToken123" not in mail.outbox[0].body


def test_every_page_links_to_the_form_with_its_address(client):
    html = client.get("/werkzeugkoffer/").content.decode()
    assert f'href="{URL}?seite=%2Fwerkzeugkoffer%2F"' in html
    assert 'href="/leichte-sprache/" hreflang="de"' in html


def test_statement_links_to_the_form(client):
    html = client.get("/barrierefreiheit/").content.decode()
    assert f'href="{URL}"' in html
    assert 'id="report-barrier-heading"' in html


def test_admin_lists_and_closes_reports(client, staff_user):
    report = BarrierReport.objects.create(description=DESCRIPTION, page_url="/netzwerk/")
    client.force_login(staff_user)
    assert DESCRIPTION in client.get(reverse("admin:pages_barrierreport_changelist")).content.decode()
    url = reverse("admin:pages_barrierreport_change", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"is_done": "on", "note": "Antwort am 2. Dezember verschickt."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_done and report.description == DESCRIPTION  # the report itself stays as received
    assert client.get(reverse("admin:pages_barrierreport_add")).status_code == 403
