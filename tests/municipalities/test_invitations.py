import re
from datetime import timedelta

import pytest
from django.utils import timezone

from daks.municipalities.models import Invitation, Membership, Role
from daks.municipalities.views import INVITATION_SESSION_KEY
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, django_capture_on_commit_callbacks, **data):
    data = {"email": "neu@example.org", "role": "reader", "message": "", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/kommunen/musterstadt/team/einladen/", data, follow=True)


def link_in(mail):
    return re.search(r"http://\S+/kommunen/einladung/(\S+)/", mail.body)


def test_invite_sends_mail_with_working_link(
    login, client, municipality, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(
        login(coordinator), django_capture_on_commit_callbacks, message="Hallo <b>Kollegin</b>,\nbis bald!"
    )
    assert "Einladung an neu@example.org gesendet" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.role == Role.READER
    assert invitation.invited_by == coordinator
    mail = mailoutbox[0]
    assert mail.to == ["neu@example.org"]
    assert mail.subject == "[DAKS] Einladung in das Team von Musterstadt"
    assert str(coordinator) in mail.body
    assert "Ihre Rolle: Lesen" in mail.body
    assert "Hallo <b>Kollegin</b>,\nbis bald!" in mail.body  # plain text, not escaped
    assert "&lt;" not in mail.body
    assert mail.alternatives == []
    match = link_in(mail)
    assert match
    token = match.group(1)
    assert token not in invitation.token_hash

    # The link works for an anonymous visitor, who is offered signing up or in.
    client.logout()
    response = client.get(f"/kommunen/einladung/{token}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Musterstadt" in content
    assert "Lesen" in content
    assert f"/accounts/signup/?next=/kommunen/einladung/{token}/" in content
    assert f"/accounts/login/?next=/kommunen/einladung/{token}/" in content
    assert client.session[INVITATION_SESSION_KEY] == token
    assert response["Referrer-Policy"] == "same-origin"


def test_invite_form_errors_write_nothing(
    login, municipality, coordinator, contributor, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    response = invite(client, django_capture_on_commit_callbacks, email=contributor.email)
    assert "bereits Mitglied" in response.context["form"].errors["email"][0]
    response = invite(client, django_capture_on_commit_callbacks, role="chef")
    assert response.context["form"].errors["role"]
    response = invite(client, django_capture_on_commit_callbacks, email="kein-mail")
    assert response.context["form"].errors["email"]
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


def test_anonymous_post_redirects_to_login(client, municipality):
    InvitationFactory(municipality=municipality, token="tok")
    response = client.post("/kommunen/einladung/tok/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/kommunen/einladung/tok/")
    assert client.session[INVITATION_SESSION_KEY] == "tok"
    assert not Membership.objects.filter(user__email__startswith="invited").exists()


def test_accept_by_logged_in_user(login, municipality):
    invitee = UserFactory(email="neu@example.org")
    InvitationFactory(municipality=municipality, email="neu@example.org", role=Role.ADVISOR, token="tok")
    client = login(invitee)
    session = client.session
    session[INVITATION_SESSION_KEY] = "tok"
    session.save()
    response = client.get("/kommunen/einladung/tok/")
    assert "Einladung annehmen" in response.content.decode()
    response = client.post("/kommunen/einladung/tok/", follow=True)
    assert response.redirect_chain[-1][0] == "/kommunen/musterstadt/"
    assert "Willkommen im Team von Musterstadt" in response.content.decode()
    assert Membership.objects.get(user=invitee).role == Role.ADVISOR
    assert INVITATION_SESSION_KEY not in client.session
    # The link is used up now.
    response = client.get("/kommunen/einladung/tok/")
    assert response.status_code == 410
    assert "bereits verwendet" in response.content.decode()


def test_accept_with_wrong_email_shows_error(login, municipality):
    InvitationFactory(municipality=municipality, email="neu@example.org", token="tok")
    other = UserFactory(email="anders@example.org")
    client = login(other)
    assert "andere Adresse" in client.get("/kommunen/einladung/tok/").content.decode()
    response = client.post("/kommunen/einladung/tok/")
    assert response.status_code == 200
    assert "an neu@example.org gesendet" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    assert Invitation.objects.get().accepted_at is None


def test_accept_when_already_member(login, municipality, contributor):
    InvitationFactory(municipality=municipality, email=contributor.email, token="tok")
    client = login(contributor)
    assert "bereits Mitglied" in client.get("/kommunen/einladung/tok/").content.decode()
    response = client.post("/kommunen/einladung/tok/")
    assert "bereits Mitglied" in response.content.decode()
    assert Membership.objects.filter(user=contributor).count() == 1


@pytest.mark.parametrize(
    ("state", "status", "message"),
    [
        ("expired", 410, "abgelaufen"),
        ("used", 410, "bereits verwendet"),
        ("revoked", 410, "zurückgezogen"),
        ("unknown", 404, "nicht gültig"),
    ],
)
def test_unusable_invitations(login, client, municipality, state, status, message):
    invitee = UserFactory(email="neu@example.org")
    now = timezone.now()
    fields = {
        "expired": {"expires_at": now - timedelta(minutes=1)},
        "used": {"accepted_at": now},
        "revoked": {"revoked_at": now},
        "unknown": {},
    }[state]
    InvitationFactory(municipality=municipality, email=invitee.email, token="tok", **fields)
    token = "anders" if state == "unknown" else "tok"
    response = client.get(f"/kommunen/einladung/{token}/")
    assert response.status_code == status
    assert message in response.content.decode()
    assert INVITATION_SESSION_KEY not in client.session
    response = login(invitee).post(f"/kommunen/einladung/{token}/")
    assert response.status_code == status
    assert not Membership.objects.filter(user=invitee).exists()


def test_expiry_with_time_machine(client, municipality, time_machine):
    InvitationFactory(municipality=municipality, token="tok")
    assert client.get("/kommunen/einladung/tok/").status_code == 200
    time_machine.move_to(timezone.now() + timedelta(days=15))
    assert client.get("/kommunen/einladung/tok/").status_code == 410


def test_resend_and_revoke_via_team_page(
    login, client, municipality, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    second = MembershipFactory(municipality=municipality, role=Role.COORDINATION).user
    invitation = InvitationFactory(municipality=municipality, email="neu@example.org", token="alt", invited_by=second)
    staff_client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/kommunen/musterstadt/team/einladungen/{invitation.pk}/erneut-senden/", follow=True
        )
    assert "erneut gesendet" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert invitation.invited_by == coordinator
    new_token = link_in(mailoutbox[0]).group(1)
    assert new_token != "alt"
    assert staff_client.get("/kommunen/einladung/alt/").status_code == 404
    assert staff_client.get(f"/kommunen/einladung/{new_token}/").status_code == 200

    response = staff_client.post(f"/kommunen/musterstadt/team/einladungen/{invitation.pk}/widerrufen/", follow=True)
    assert "zurückgezogen" in response.content.decode()
    assert Invitation.objects.get().revoked_at is not None
    assert staff_client.get(f"/kommunen/einladung/{new_token}/").status_code == 410
    response = staff_client.post(f"/kommunen/musterstadt/team/einladungen/{invitation.pk}/erneut-senden/", follow=True)
    assert "bereits angenommen oder zurückgezogen" in response.content.decode()
    assert len(mailoutbox) == 1
