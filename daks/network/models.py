"""Models of the network app: Kommunenportraits (opt-in), contact consent, groups of Kommunen."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel
from daks.core.storage import private_storage


def portrait_image_upload_to(instance, filename):
    return f"network/portraits/{instance.municipality_id}/{filename}"


class Portrait(TimeStampedModel):
    """How a Kommune presents itself in the network. Public only when ``is_public`` (opt-in by the Koordination)
    and the Kommune is verified; the key figures come from the demography engine, never from this model."""

    municipality = models.OneToOneField(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="portrait",
    )
    is_public = models.BooleanField(_("show the portrait publicly in the network"), default=False)
    description = models.TextField(_("description"), blank=True, max_length=10000, help_text=_("Markdown."))
    image = models.ImageField(
        _("photo or logo"), upload_to=portrait_image_upload_to, storage=private_storage, blank=True, max_length=300
    )
    image_alt = models.CharField(
        _("description of the image"),
        max_length=300,
        blank=True,
        help_text=_("For people who cannot see the image, e.g. “Marktplatz mit Rathaus”."),
    )
    topics = models.ManyToManyField(
        "toolbox.TopicField", verbose_name=_("topic fields"), blank=True, related_name="portraits"
    )
    share_stage = models.BooleanField(
        _("share our process stage with the network office"),
        default=False,
        help_text=_(
            "The network office (and the pages of groups we belong to) then show which step of the strategy "
            "process we are at."
        ),
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contact persons"), blank=True, related_name="portrait_contacts"
    )
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portrait")
        verbose_name_plural = _("portraits")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def is_visible(self) -> bool:
        """Shown publicly: opted in and the Kommune is verified (unverified Kommunen publish nothing)."""
        return self.is_public and self.municipality.can_publish

    def get_absolute_url(self) -> str:
        return reverse("network:portrait", kwargs={"municipality_slug": self.municipality.slug})


class ContactConsent(models.Model):
    """A member agreed to be a contact person of their Kommune (given and withdrawn by the member only)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="contact_consents"
    )
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to be a contact person")
        verbose_name_plural = _("consents to be a contact person")
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="network_consent_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"


class GroupKind(models.TextChoices):
    COHORT = "cohort", _("Model-project cohort")
    REGIONAL = "regional", _("Regional cluster")
    OTHER = "other", _("Other group")


class MunicipalityGroup(TimeStampedModel):
    """A group of Kommunen defined by the network's editorial office (a cohort, a regional cluster …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices, default=GroupKind.COHORT)
    description = models.TextField(_("description"), blank=True, max_length=10000, help_text=_("Markdown."))
    members = models.ManyToManyField(
        "municipalities.Municipality", verbose_name=_("members"), blank=True, related_name="network_groups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("group of municipalities")
        verbose_name_plural = _("groups of municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:group", kwargs={"slug": self.slug})
