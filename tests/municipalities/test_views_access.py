"""Who gets what under /kommunen/<slug>/…: outsiders and anonymous users 404, members without permission 403."""

import pytest
from django.urls import reverse

from daks.municipalities.models import Membership
from tests.factories import InvitationFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db

MEMBERS = ["coordinator", "contributor", "reader", "advisor"]

# view name → (method, roles allowed)
PAGES = {
    "detail": ("get", MEMBERS),
    "team": ("get", MEMBERS),
    "leave": ("get", MEMBERS),
    "settings": ("get", ["coordinator"]),
    "delete": ("get", ["coordinator"]),
    "invite": ("get", ["coordinator"]),
    "hand_over": ("get", ["coordinator"]),
    "invitation_resend": ("post", ["coordinator"]),
    "invitation_revoke": ("post", ["coordinator"]),
    "member_role": ("post", ["coordinator"]),
    "member_remove": ("post", ["coordinator"]),
    "join_request_decide": ("post", ["coordinator"]),
}


@pytest.fixture
def urls(municipality, coordinator, contributor, reader, advisor):
    invitation = InvitationFactory(municipality=municipality)
    join_request = JoinRequestFactory(municipality=municipality)
    target = Membership.objects.get(user=contributor, municipality=municipality)
    slug = {"municipality_slug": municipality.slug}
    pk_for = {
        "invitation_resend": invitation.pk,
        "invitation_revoke": invitation.pk,
        "member_role": target.pk,
        "member_remove": target.pk,
        "join_request_decide": join_request.pk,
    }
    return {
        name: reverse(f"municipalities:{name}", kwargs={**slug, **({"pk": pk_for[name]} if name in pk_for else {})})
        for name in PAGES
    }


def _request(client, method, url):
    if method == "post":
        return client.post(url, {"role": "reader", "decision": "decline"})
    return client.get(url)


@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_gets_404(client, urls, name):
    method, _allowed = PAGES[name]
    assert _request(client, method, urls[name]).status_code == 404


@pytest.mark.parametrize("name", list(PAGES))
def test_member_of_another_municipality_gets_404(login, urls, outsider, name):
    method, _allowed = PAGES[name]
    assert _request(login(outsider), method, urls[name]).status_code == 404


@pytest.mark.parametrize("name", list(PAGES))
def test_staff_without_membership_gets_404(login, urls, staff_user, name):
    method, _allowed = PAGES[name]
    assert _request(login(staff_user), method, urls[name]).status_code == 404


@pytest.mark.parametrize("role", MEMBERS)
@pytest.mark.parametrize("name", list(PAGES))
def test_members_by_role(request, login, urls, role, name):
    method, allowed = PAGES[name]
    response = _request(login(request.getfixturevalue(role)), method, urls[name])
    if role in allowed:
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", [name for name, (method, _r) in PAGES.items() if method == "post"])
def test_post_only_endpoints_refuse_get(login, urls, coordinator, name):
    assert login(coordinator).get(urls[name]).status_code == 405


def test_unknown_municipality_is_404(login, coordinator):
    assert login(coordinator).get("/kommunen/gibt-es-nicht/").status_code == 404


def test_child_objects_of_another_municipality_are_404(login, municipality, other_municipality, coordinator, outsider):
    foreign_invitation = InvitationFactory(municipality=other_municipality)
    foreign_member = Membership.objects.get(user=outsider)
    foreign_request = JoinRequestFactory(municipality=other_municipality)
    client = login(coordinator)
    slug = municipality.slug
    for url in [
        f"/kommunen/{slug}/team/einladungen/{foreign_invitation.pk}/widerrufen/",
        f"/kommunen/{slug}/team/einladungen/{foreign_invitation.pk}/erneut-senden/",
        f"/kommunen/{slug}/team/mitglieder/{foreign_member.pk}/rolle/",
        f"/kommunen/{slug}/team/mitglieder/{foreign_member.pk}/entfernen/",
        f"/kommunen/{slug}/team/anfragen/{foreign_request.pk}/",
    ]:
        assert client.post(url, {"role": "reader", "decision": "approve"}).status_code == 404, url
    foreign_invitation.refresh_from_db()
    assert foreign_invitation.revoked_at is None
    assert Membership.objects.filter(user=outsider, municipality=other_municipality).exists()


@pytest.mark.parametrize("path", ["/kommunen/neu/", "/kommunen/beitreten/musterstadt/"])
def test_login_required_pages_redirect_anonymous_users(client, municipality, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
