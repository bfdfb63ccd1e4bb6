"""Reads concerning Kommunen and teams."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Invitation, JoinRequest, JoinRequestStatus, Membership, Municipality, Role


def memberships_for_user(user) -> QuerySet[Membership]:
    """The user's memberships with their Kommunen and team sizes (for the dashboard)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .annotate(
            member_count=Count("municipality__memberships", distinct=True),
            pending_request_count=Count(
                "municipality__join_requests",
                filter=Q(municipality__join_requests__status=JoinRequestStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("municipality__name")
    )


def team_members(municipality: Municipality) -> QuerySet[Membership]:
    role_order = {role: index for index, role in enumerate(Role.values)}
    from django.db.models import Case, IntegerField, Value, When

    return (
        municipality.memberships.select_related("user")
        .annotate(
            role_order=Case(
                *[When(role=role, then=Value(index)) for role, index in role_order.items()],
                output_field=IntegerField(),
            )
        )
        .order_by("role_order", "user__name", "user__email")
    )


def pending_invitations(municipality: Municipality, *, now=None) -> QuerySet[Invitation]:
    return municipality.invitations.pending(now=now or timezone.now()).select_related("invited_by").order_by("email")


def pending_join_requests(municipality: Municipality) -> QuerySet[JoinRequest]:
    return municipality.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("user")


def teams_for_user(user) -> QuerySet[Municipality]:
    """Kommunen of the user with their members prefetched (the dashboard's team panel)."""
    return (
        Municipality.objects.filter(memberships__user=user)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("user__name"))
        )
        .order_by("name")
        .distinct()
    )


def find_by_official_key(*, country: str, official_key: str) -> Municipality | None:
    if not official_key:
        return None
    return Municipality.objects.filter(country=country, official_key=official_key).first()


def pending_join_requests_of_user(user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user, status=JoinRequestStatus.PENDING).select_related("municipality")
