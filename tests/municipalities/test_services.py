from datetime import timedelta

import pytest
from django.utils import timezone

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities import services
from daks.municipalities.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Municipality,
    Role,
    VerificationMethod,
)
from tests.factories import InvitationFactory, JoinRequestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def create(user, **overrides):
    data = {"name": "Neustadt", "kind": "stadt", "country": "DE", "state": "DE-BY", "official_key": "09162000"}
    data.update(overrides)
    return services.municipality_create(user=user, **data)


# --- Registration -----------------------------------------------------------------------------


def test_create_makes_the_user_coordinator_and_logs(user):
    municipality = create(user)
    assert municipality.slug == "neustadt"
    assert municipality.created_by == user
    assert Membership.objects.get(municipality=municipality).role == Role.COORDINATION
    assert AuditLogEntry.objects.filter(action="municipality.created", municipality=municipality).exists()
    assert not municipality.is_verified


def test_slug_transliterates_umlauts_and_avoids_duplicates(user):
    first = create(user, name="Münster-Süd Straße", kind="quartier", official_key="")
    second = create(user, name="Münster-Süd Straße", kind="quartier", official_key="")
    assert first.slug == "muenster-sued-strasse"
    assert second.slug == "muenster-sued-strasse-2"


def test_slug_never_uses_a_reserved_word(user):
    assert create(user, name="Neu", official_key="09162001").slug == "neu-2"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("0916200", "8 Ziffern"),
        ("091620001", "8 Ziffern"),
        ("09A62000", "nur Ziffern"),
        ("08111000", "Baden-Württemberg"),
        ("17000000", "01 bis 16"),
    ],
)
def test_invalid_ags_is_rejected_on_the_field(user, key, message):
    with pytest.raises(DomainError) as info:
        create(user, official_key=key)
    assert info.value.field == "official_key"
    assert message in info.value.message
    assert Municipality.objects.count() == 0


def test_ags_with_spaces_is_normalised(user):
    assert create(user, official_key=" 09 162 000 ").official_key == "09162000"


def test_district_key_is_padded_to_eight_digits(user):
    district = create(user, name="Landkreis München", kind="landkreis", official_key="09184")
    assert district.official_key == "09184000"


def test_verbandsgemeinde_may_use_nine_digits(user):
    assert create(user, name="VG Beispiel", kind="verband", official_key="091620001").official_key == "091620001"


def test_austrian_and_swiss_keys(user):
    graz = create(user, name="Graz", country="AT", state="AT-6", official_key="60101")
    zurich = create(user, name="Zürich", country="CH", state="CH-ZH", official_key="0261")
    assert graz.official_key == "60101"
    assert zurich.official_key == "261"
    with pytest.raises(DomainError, match="5 Ziffern"):
        create(user, name="Wien", country="AT", state="AT-9", official_key="9")
    with pytest.raises(DomainError, match="anderen Bundesland"):
        create(user, name="Linz", country="AT", state="AT-4", official_key="50101")
    with pytest.raises(DomainError, match="BFS"):
        create(user, name="Bern", country="CH", state="CH-BE", official_key="35100")


def test_state_must_belong_to_country(user):
    with pytest.raises(DomainError) as info:
        create(user, country="AT")
    assert info.value.field == "state"
    assert Municipality.objects.count() == 0


def test_key_required_for_municipalities_but_optional_for_quartier(user):
    with pytest.raises(DomainError) as info:
        create(user, official_key="")
    assert info.value.field == "official_key"
    quarter = create(user, name="Nordviertel", kind="quartier", official_key="")
    assert quarter.official_key == ""
    # Several Kommunen without key may coexist.
    create(user, name="Südviertel", kind="quartier", official_key="")
    create(user, name="Förderverein", kind="verein", official_key="")


def test_duplicate_key_raises_and_writes_nothing(user):
    existing = create(user)
    other = UserFactory()
    counts = (Municipality.objects.count(), Membership.objects.count(), AuditLogEntry.objects.count())
    with pytest.raises(services.DuplicateMunicipality) as info:
        create(other, name="Neustadt (Doppelt)", official_key="09 162 000")
    assert info.value.existing == existing
    assert info.value.field == "official_key"
    assert "bereits" in info.value.message
    assert counts == (Municipality.objects.count(), Membership.objects.count(), AuditLogEntry.objects.count())


@pytest.mark.parametrize(
    ("email", "website", "verified"),
    [
        ("amt@neustadt.de", "https://www.neustadt.de", True),
        ("amt@rathaus.neustadt.de", "neustadt.de", True),
        ("amt@gmail.com", "https://www.neustadt.de", False),
        ("amt@neustadt.de.evil.org", "https://neustadt.de", False),
        ("amt@neustadt.de", "", False),
    ],
)
def test_email_domain_verification(email, website, verified):
    user = UserFactory(email=email)
    municipality = create(user, website=website)
    assert municipality.is_verified is verified
    if verified:
        assert municipality.verification_method == VerificationMethod.EMAIL_DOMAIN


def test_update_rechecks_editorial_verification_when_identity_changes(municipality, coordinator):
    assert municipality.verification_method == VerificationMethod.EDITORIAL
    services.municipality_update(actor=coordinator, municipality=municipality, description="Neu")
    municipality.refresh_from_db()
    assert municipality.is_verified
    services.municipality_update(actor=coordinator, municipality=municipality, name="Musterstadt am See")
    municipality.refresh_from_db()
    assert not municipality.is_verified


def test_update_rejects_key_of_another_municipality(municipality, other_municipality, coordinator):
    with pytest.raises(DomainError) as info:
        services.municipality_update(
            actor=coordinator, municipality=municipality, state="DE-BW", official_key="08111999"
        )
    assert info.value.field == "official_key"


def test_verify_and_unverify_need_staff(municipality, coordinator, staff_user):
    with pytest.raises(DomainError):
        services.municipality_verify(actor=coordinator, municipality=municipality)
    services.municipality_unverify(actor=staff_user, municipality=municipality)
    assert not Municipality.objects.get(pk=municipality.pk).is_verified
    services.municipality_verify(actor=staff_user, municipality=municipality)
    assert Municipality.objects.get(pk=municipality.pk).verification_method == VerificationMethod.EDITORIAL


# --- Team -------------------------------------------------------------------------------------


def membership(user, municipality):
    return Membership.objects.get(user=user, municipality=municipality)


def test_role_change(municipality, coordinator, contributor):
    services.membership_change_role(
        actor=coordinator, membership=membership(contributor, municipality), role=Role.READER
    )
    assert membership(contributor, municipality).role == Role.READER
    with pytest.raises(DomainError) as info:
        services.membership_change_role(
            actor=coordinator, membership=membership(contributor, municipality), role="boss"
        )
    assert info.value.field == "role"


def test_the_only_coordinator_cannot_be_demoted(municipality, coordinator, contributor):
    with pytest.raises(DomainError, match="einzige"):
        services.membership_change_role(
            actor=coordinator, membership=membership(coordinator, municipality), role=Role.CONTRIBUTOR
        )
    assert membership(coordinator, municipality).role == Role.COORDINATION


def test_remove_member(municipality, coordinator, contributor):
    services.membership_remove(actor=coordinator, membership=membership(contributor, municipality))
    assert not Membership.objects.filter(user=contributor).exists()


def test_remove_refuses_self_and_last_coordinator(municipality, coordinator):
    second = MembershipFactory(municipality=municipality, role=Role.COORDINATION).user
    with pytest.raises(DomainError):
        services.membership_remove(actor=coordinator, membership=membership(coordinator, municipality))
    services.membership_remove(actor=coordinator, membership=membership(second, municipality))
    # Now the only coordinator: even another (hypothetical) actor cannot remove them.
    with pytest.raises(DomainError):
        services.membership_remove(actor=second, membership=membership(coordinator, municipality))
    assert membership(coordinator, municipality).role == Role.COORDINATION


def test_leave(municipality, coordinator, contributor):
    services.membership_leave(user=contributor, municipality=municipality)
    assert not Membership.objects.filter(user=contributor).exists()


def test_last_coordinator_cannot_leave_and_sole_member_must_delete(municipality, coordinator, contributor):
    with pytest.raises(DomainError, match="übergeben"):
        services.membership_leave(user=coordinator, municipality=municipality)
    services.membership_leave(user=contributor, municipality=municipality)
    with pytest.raises(DomainError, match="einzige Mitglied"):
        services.membership_leave(user=coordinator, municipality=municipality)
    assert membership(coordinator, municipality)


def test_leave_refuses_non_member(municipality, coordinator, outsider):
    with pytest.raises(DomainError):
        services.membership_leave(user=outsider, municipality=municipality)


def test_hand_over(municipality, coordinator, contributor):
    services.coordination_hand_over(
        actor=coordinator, municipality=municipality, new_coordinator=membership(contributor, municipality)
    )
    assert membership(contributor, municipality).role == Role.COORDINATION
    assert membership(coordinator, municipality).role == Role.CONTRIBUTOR


def test_hand_over_rejects_self_foreign_member_and_non_coordinator(
    municipality, other_municipality, coordinator, contributor, outsider
):
    with pytest.raises(DomainError):
        services.coordination_hand_over(
            actor=coordinator, municipality=municipality, new_coordinator=membership(coordinator, municipality)
        )
    with pytest.raises(DomainError):
        services.coordination_hand_over(
            actor=coordinator, municipality=municipality, new_coordinator=membership(outsider, other_municipality)
        )
    with pytest.raises(DomainError):
        services.coordination_hand_over(
            actor=contributor, municipality=municipality, new_coordinator=membership(coordinator, municipality)
        )
    assert membership(coordinator, municipality).role == Role.COORDINATION
    assert Membership.objects.filter(municipality=municipality, role=Role.COORDINATION).count() == 1


# --- Invitations ------------------------------------------------------------------------------


def test_invitation_create_stores_only_the_hash(municipality, coordinator):
    invitation, token = services.invitation_create(
        actor=coordinator, municipality=municipality, email=" Neu@Example.org ", role=Role.READER
    )
    assert invitation.email == "neu@example.org"
    assert token not in invitation.token_hash
    assert services.invitation_for_token(token) == invitation
    assert invitation.expires_at > timezone.now() + timedelta(days=1)


def test_invitation_create_rejects_members_duplicates_and_bad_input(municipality, coordinator, contributor):
    with pytest.raises(DomainError) as info:
        services.invitation_create(actor=coordinator, municipality=municipality, email=contributor.email, role="reader")
    assert info.value.field == "email"
    services.invitation_create(actor=coordinator, municipality=municipality, email="a@example.org", role="reader")
    with pytest.raises(DomainError, match="bereits eingeladen"):
        services.invitation_create(actor=coordinator, municipality=municipality, email="A@example.org", role="reader")
    with pytest.raises(DomainError) as info:
        services.invitation_create(actor=coordinator, municipality=municipality, email="b@example.org", role="boss")
    assert info.value.field == "role"
    with pytest.raises(DomainError):
        services.invitation_create(actor=coordinator, municipality=municipality, email="kein-at", role="reader")
    assert Invitation.objects.count() == 1


def test_resend_invalidates_old_token(municipality, coordinator):
    invitation, old = services.invitation_create(
        actor=coordinator, municipality=municipality, email="neu@example.org", role=Role.READER
    )
    new = services.invitation_resend(actor=coordinator, invitation=invitation)
    assert new != old
    assert services.invitation_for_token(old) is None
    assert services.invitation_for_token(new).sent_count == 2


def test_revoke_and_resend_after_revoke(municipality, coordinator):
    invitation = InvitationFactory(municipality=municipality)
    services.invitation_revoke(actor=coordinator, invitation=invitation)
    assert invitation.revoked_at
    with pytest.raises(DomainError):
        services.invitation_resend(actor=coordinator, invitation=invitation)


def test_accept(municipality):
    invitee = UserFactory(email="neu@example.org")
    invitation = InvitationFactory(municipality=municipality, email="Neu@example.org", role=Role.ADVISOR, token="t1")
    JoinRequestFactory(municipality=municipality, user=invitee)
    membership = services.invitation_accept(user=invitee, token="t1")
    assert membership.role == Role.ADVISOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert JoinRequest.objects.get(user=invitee).status == JoinRequestStatus.APPROVED
    with pytest.raises(DomainError, match="bereits verwendet"):
        services.invitation_accept(user=invitee, token="t1")


def test_accept_expired(municipality):
    invitee = UserFactory(email="neu@example.org")
    InvitationFactory(municipality=municipality, email=invitee.email, token="t1")
    with pytest.raises(DomainError, match="abgelaufen"):
        services.invitation_accept(user=invitee, token="t1", now=timezone.now() + timedelta(days=15))
    assert not Membership.objects.filter(user=invitee).exists()


def test_accept_expired_with_time_machine(municipality, time_machine):
    invitee = UserFactory(email="neu@example.org")
    InvitationFactory(municipality=municipality, email=invitee.email, token="t1")
    time_machine.move_to(timezone.now() + timedelta(days=30))
    with pytest.raises(DomainError, match="abgelaufen"):
        services.invitation_accept(user=invitee, token="t1")


def test_accept_revoked_wrong_email_and_already_member(municipality, coordinator, contributor):
    invitation = InvitationFactory(municipality=municipality, email="neu@example.org", token="t1")
    services.invitation_revoke(actor=coordinator, invitation=invitation)
    with pytest.raises(DomainError, match="zurückgezogen"):
        services.invitation_accept(user=UserFactory(email="neu@example.org"), token="t1")

    InvitationFactory(municipality=municipality, email="zwei@example.org", token="t2")
    with pytest.raises(DomainError, match=r"zwei@example\.org"):
        services.invitation_accept(user=UserFactory(email="falsch@example.org"), token="t2")

    InvitationFactory(municipality=municipality, email=contributor.email, token="t3")
    with pytest.raises(DomainError, match="bereits Mitglied"):
        services.invitation_accept(user=contributor, token="t3")

    with pytest.raises(DomainError, match="nicht gültig"):
        services.invitation_accept(user=contributor, token="unbekannt")
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 0


# --- Join requests ----------------------------------------------------------------------------


def test_join_request_create_and_duplicate(municipality, coordinator, user):
    join_request = services.join_request_create(user=user, municipality=municipality, message=" Hallo ")
    assert join_request.message == "Hallo"
    with pytest.raises(DomainError, match="bereits"):
        services.join_request_create(user=user, municipality=municipality)
    with pytest.raises(DomainError, match="bereits Mitglied"):
        services.join_request_create(user=coordinator, municipality=municipality)
    assert JoinRequest.objects.count() == 1


def test_join_request_approve(municipality, coordinator, user):
    join_request = JoinRequestFactory(municipality=municipality, user=user)
    services.join_request_decide(actor=coordinator, join_request=join_request, approve=True, role=Role.READER)
    assert membership(user, municipality).role == Role.READER
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == coordinator
    with pytest.raises(DomainError, match="bereits entschieden"):
        services.join_request_decide(actor=coordinator, join_request=join_request, approve=False)


def test_join_request_decline_and_invalid_role(municipality, coordinator, user):
    join_request = JoinRequestFactory(municipality=municipality, user=user)
    with pytest.raises(DomainError):
        services.join_request_decide(actor=coordinator, join_request=join_request, approve=True, role="boss")
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING
    services.join_request_decide(actor=coordinator, join_request=join_request, approve=False)
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(user=user).exists()


def test_join_request_mails(municipality, coordinator, user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.join_request_create(user=user, municipality=municipality, message="Ich bin <b>neu</b>")
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert "Beitrittsanfrage" in mailoutbox[0].subject
    assert "Ich bin <b>neu</b>" in mailoutbox[0].body
    assert "/kommunen/musterstadt/team/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(actor=coordinator, join_request=join_request, approve=True)
    assert mailoutbox[1].to == [user.email]
    assert "Musterstadt" in mailoutbox[1].subject
    assert "angenommen" in mailoutbox[1].body
