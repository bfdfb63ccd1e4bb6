"""Two-factor authentication required per Kommune for the Koordination (docs/security.md)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from daks.api import tokens
from daks.api.models import TokenScope
from daks.core.models import AuditLogEntry
from daks.municipalities import services
from daks.municipalities.mfa import second_factor_missing
from daks.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

SETTINGS_FIELD = "require_mfa_for_coordination"


def activate(user, kind=Authenticator.Type.TOTP):
    Authenticator.objects.create(user=user, type=kind, data={"secret": "not-used-in-these-tests"})


def require(municipality, on=True):
    Municipality.objects.filter(pk=municipality.pk).update(require_mfa_for_coordination=on)
    municipality.refresh_from_db()


def settings_data(municipality, **changes):
    from daks.municipalities.forms import MunicipalitySettingsForm

    initial = MunicipalitySettingsForm.initial_for(municipality)
    data = {key: value for key, value in initial.items() if value not in (None, False)}
    data.update(changes)
    return data


def detail_url(municipality):
    return reverse("municipalities:detail", kwargs={"municipality_slug": municipality.slug})


def settings_url(municipality):
    return reverse("municipalities:settings", kwargs={"municipality_slug": municipality.slug})


# --- The setting ----------------------------------------------------------------------------------


def test_settings_page_offers_the_switch_to_the_coordination(login, coordinator, municipality):
    html = login(coordinator).get(settings_url(municipality)).content.decode()
    assert f'name="{SETTINGS_FIELD}"' in html
    assert f'<label for="id_{SETTINGS_FIELD}">' in html


def test_coordinator_without_second_factor_cannot_switch_it_on(login, coordinator, municipality):
    response = login(coordinator).post(
        settings_url(municipality), settings_data(municipality, **{SETTINGS_FIELD: "on"})
    )
    assert response.status_code == 200
    with translation.override("de"):
        expected = gettext(
            "Set up two-factor authentication for your own account first (My account → Two-factor "
            "authentication); otherwise you would lock yourself out of the workspace."
        )
    assert response.context["form"].errors[SETTINGS_FIELD] == [expected]
    assert f'id="id_{SETTINGS_FIELD}_error"' in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.require_mfa_for_coordination is False
    assert not AuditLogEntry.objects.filter(action="municipality.updated").exists()


def test_coordinator_with_second_factor_switches_it_on_and_off(login, coordinator, municipality):
    activate(coordinator)
    client = login(coordinator)
    response = client.post(settings_url(municipality), settings_data(municipality, **{SETTINGS_FIELD: "on"}))
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.require_mfa_for_coordination is True
    entry = AuditLogEntry.objects.get(action="municipality.updated")
    assert SETTINGS_FIELD in entry.data["fields"]
    response = client.post(settings_url(municipality), settings_data(municipality, **{SETTINGS_FIELD: ""}))
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.require_mfa_for_coordination is False


def test_service_refuses(coordinator, municipality):
    with translation.override("de"), pytest.raises(services.DomainError) as refused:
        services.municipality_update(actor=coordinator, municipality=municipality, require_mfa_for_coordination=True)
    assert refused.value.field == SETTINGS_FIELD
    municipality.refresh_from_db()
    assert municipality.require_mfa_for_coordination is False


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_other_roles_cannot_change_it(request, login, municipality, role):
    member = request.getfixturevalue(role)
    activate(member)
    response = login(member).post(settings_url(municipality), settings_data(municipality, **{SETTINGS_FIELD: "on"}))
    assert response.status_code == 403
    municipality.refresh_from_db()
    assert municipality.require_mfa_for_coordination is False


# --- Enforcement in the workspace ---------------------------------------------------------------------


def test_coordinator_without_second_factor_is_sent_to_the_setup_page(login, coordinator, municipality):
    require(municipality)
    client = login(coordinator)
    for url in (detail_url(municipality), settings_url(municipality), f"/kommunen/{municipality.slug}/prozesse/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "Musterstadt" in page.content.decode()
    assert '<html lang="de"' in page.content.decode()


def test_writes_are_refused_too(login, coordinator, municipality):
    require(municipality)
    response = login(coordinator).post(settings_url(municipality), settings_data(municipality, name="Umbenannt"))
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.name == "Musterstadt"


def test_htmx_requests_redirect_the_whole_page(login, coordinator, municipality):
    require(municipality)
    response = login(coordinator).get(detail_url(municipality), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_coordinator_with_second_factor_works_as_usual(login, coordinator, municipality):
    require(municipality)
    activate(coordinator)
    assert login(coordinator).get(detail_url(municipality)).status_code == 200


def test_recovery_codes_alone_are_no_second_factor(login, coordinator, municipality):
    require(municipality)
    activate(coordinator, Authenticator.Type.RECOVERY_CODES)
    assert login(coordinator).get(detail_url(municipality)).status_code == 302


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_other_roles_are_not_affected(request, login, municipality, role):
    require(municipality)
    member = request.getfixturevalue(role)
    assert login(member).get(detail_url(municipality)).status_code == 200


def test_only_the_kommune_that_requires_it(login, coordinator, municipality, other_municipality):
    from daks.municipalities.models import Membership, Role

    Membership.objects.create(municipality=other_municipality, user=coordinator, role=Role.COORDINATION)
    require(municipality)
    client = login(coordinator)
    assert client.get(detail_url(other_municipality)).status_code == 200
    assert client.get(detail_url(municipality)).status_code == 302


def test_non_members_still_get_404(login, outsider, municipality, client):
    require(municipality)
    activate(outsider)
    assert login(outsider).get(detail_url(municipality)).status_code == 404
    client.logout()
    assert client.get(detail_url(municipality)).status_code == 404


def test_no_extra_query_when_the_kommune_does_not_require_it(coordinator, municipality, django_assert_num_queries):
    from daks.municipalities.rules import membership_of

    membership_of(coordinator, municipality)
    with django_assert_num_queries(0):
        assert second_factor_missing(coordinator, municipality) is False


# --- API tokens -------------------------------------------------------------------------------------


def api_get(client, raw, municipality):
    return client.get(f"/api/v1/municipalities/{municipality.slug}/members", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_refuses_tokens_of_coordinators_without_second_factor(client, coordinator, contributor, municipality):
    _token, coordinator_raw = tokens.token_create(
        user=coordinator, municipality=municipality, name="Fachverfahren", scope=TokenScope.READ
    )
    _token, contributor_raw = tokens.token_create(
        user=contributor, municipality=municipality, name="Auswertung", scope=TokenScope.READ
    )
    assert api_get(client, coordinator_raw, municipality).status_code == 200
    require(municipality)
    response = api_get(client, coordinator_raw, municipality)
    assert response.status_code == 403
    assert "Musterstadt" in response.json()["detail"]
    assert api_get(client, contributor_raw, municipality).status_code == 200
    activate(coordinator)
    assert api_get(client, coordinator_raw, municipality).status_code == 200
