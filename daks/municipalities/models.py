import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel

from .regions import STATE_CHOICES, Country


class MunicipalityKind(models.TextChoices):
    MUNICIPALITY = "gemeinde", _("Municipality (Gemeinde)")
    TOWN = "stadt", _("Town or city (Stadt)")
    DISTRICT = "landkreis", _("District (Landkreis)")
    ASSOCIATION_OF_MUNICIPALITIES = "verband", _("Amt / Verbandsgemeinde / Samtgemeinde")
    QUARTER = "quartier", _("Neighbourhood (Stadtteil/Quartier)")
    REGION = "region", _("Region or alliance (Region/Verbund)")
    ASSOCIATION = "verein", _("Association (Verband/Verein)")


# Kinds for which an official key is optional (they have none of their own).
KEY_OPTIONAL_KINDS = {MunicipalityKind.QUARTER, MunicipalityKind.REGION, MunicipalityKind.ASSOCIATION}


class VerificationMethod(models.TextChoices):
    EMAIL_DOMAIN = "email_domain", _("E-mail domain matches the website")
    EDITORIAL = "editorial", _("Confirmed by the editorial office")


class Municipality(TimeStampedModel):
    """The tenant: a Kommune, district, association … that runs its strategy work in DAKS."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.GERMANY)
    state = models.CharField(_("state"), max_length=8, choices=STATE_CHOICES)
    official_key = models.CharField(
        _("official key"),
        max_length=12,
        blank=True,
        help_text=_("Germany: AGS (8 digits); Austria: Gemeindekennziffer (5 digits); Switzerland: BFS number."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("short description"), blank=True, max_length=2000)
    # Members with the Koordination role open the workspace only with two-factor authentication (docs/security.md).
    require_mfa_for_coordination = models.BooleanField(
        _("Require two-factor authentication for the coordination"), default=False
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_method = models.CharField(
        _("verified by"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Deletion of the whole workspace with a grace period (docs/deletion.md): any Koordination member can cancel
    # until ``deletion_scheduled_for``; the purge (``purge_deletions``) deletes it afterwards.
    deletion_requested_at = models.DateTimeField(_("deletion requested at"), null=True, blank=True, editable=False)
    deletion_scheduled_for = models.DateTimeField(
        _("to be deleted on"), null=True, blank=True, editable=False, db_index=True
    )
    deletion_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deletion requested by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the request took offline at once (portrait, published plans), restored when the deletion is cancelled.
    deletion_hidden = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "official_key"],
                condition=~Q(official_key=""),
                name="unique_official_key_per_country",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def deletion_pending(self) -> bool:
        return self.deletion_scheduled_for is not None

    @property
    def can_publish(self) -> bool:
        """Unverified Kommunen (and Kommunen scheduled for deletion) can work but cannot publish anything publicly."""
        return self.is_verified and not self.deletion_pending

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("municipalities:detail", kwargs={"municipality_slug": self.slug})


class Role(models.TextChoices):
    COORDINATION = "coordination", _("Coordination")
    CONTRIBUTOR = "contributor", _("Contributor")
    READER = "reader", _("Reader")
    ADVISOR = "advisor", _("Process advisor")


ROLE_HELP = {
    Role.COORDINATION: _("Manages the team and the settings, can delete the municipality, edits everything."),
    Role.CONTRIBUTOR: _("Edits all content of the workspace."),
    Role.READER: _("Reads everything, changes nothing."),
    Role.ADVISOR: _("External advisor: edits content, cannot manage the team."),
}


class Membership(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__name", "user__name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(TimeStampedModel):
    """An e-mail invitation into a Kommune's team; the link carries a single-use token (stored hashed)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    message = models.TextField(_("personal message"), blank=True, max_length=1000)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("valid until"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.municipality}"

    def is_pending(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class JoinRequest(TimeStampedModel):
    """A registered user asks to join an existing Kommune; Koordination approves or declines."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.municipality}"
