import pytest
from django.urls import reverse

from daks.municipalities.models import Role

from ..factories import JoinRequestFactory, MembershipFactory, MunicipalityFactory, UserFactory


def test_home_page_explains_the_platform_in_german(client, db):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="de">' in content
    for text in (
        "Kick-Off",
        "Kommunalprofil",
        "Zukunftswerkstatt",
        "Werkstattplan",
        "Zwischenbilanz",
        "Werkzeugkoffer",
        "Netzwerk",
        "Zum Inhalt springen",
    ):
        assert text in content


def test_home_page_in_english_when_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert '<html lang="en">' in content
    assert "Shaping demographic change together" in content


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_dashboard_lists_my_municipalities_roles_and_team(login, coordinator, municipality, other_municipality):
    colleague = MembershipFactory(municipality=municipality, role=Role.READER).user
    JoinRequestFactory(municipality=municipality)  # visible as a count to Koordination
    content = login(coordinator).get(reverse("core:dashboard")).content.decode()
    assert municipality.name in content
    assert "Koordination" in content
    assert colleague.name in content
    assert "1 offene Beitrittsanfrage" in content
    assert other_municipality.name not in content  # no foreign Kommunen
    assert "Sie haben keine offenen Aufgaben" in content


def test_dashboard_for_an_advisor_shows_all_accompanied_municipalities(login, db):
    advisor = UserFactory()
    towns = [MunicipalityFactory() for _ in range(3)]
    for town in towns:
        MembershipFactory(municipality=town, user=advisor, role=Role.ADVISOR)
    content = login(advisor).get(reverse("core:dashboard")).content.decode()
    for town in towns:
        assert town.name in content
    assert content.count("Prozessbegleitung") >= 3


def test_dashboard_without_membership_offers_to_register_a_municipality(login, user):
    content = login(user).get(reverse("core:dashboard")).content.decode()
    assert "Sie sind noch nicht Mitglied einer Kommune." in content
    assert reverse("municipalities:create") in content


def test_dashboard_query_count_does_not_grow_with_municipalities(login, django_assert_max_num_queries, db):
    user = UserFactory()
    for _ in range(8):
        town = MunicipalityFactory()
        MembershipFactory(municipality=town, user=user, role=Role.CONTRIBUTOR)
        MembershipFactory.create_batch(3, municipality=town)
    client = login(user)
    # + the unread-notification badge and "my measures"
    with django_assert_max_num_queries(10):
        assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.parametrize("path", ["/gibt-es-nicht/", "/kommunen/gibt-es-nicht/"])
def test_not_found_page_is_german(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_stale_form_gets_a_german_explanation(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@b.de", "password": "x"})
    assert response.status_code == 403
    assert "Formular abgelaufen" in response.content.decode()
