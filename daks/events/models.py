"""Events of the network (Veranstaltungen): online seminars, regional workshop meetings, conferences.

An ``Event`` is run by the editorial office of the network; people register without an account
(``Registration``). With a capacity, registrations are confirmed while places are free and go to the waiting
list afterwards; a cancellation moves the first of the waiting list up (see ``services``). The personal link of
a registration carries a random token of which only the SHA-256 hash is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel


class EventKind(models.TextChoices):
    ONLINE_SEMINAR = "online_seminar", _("Online seminar")
    REGIONAL_MEETING = "regional_meeting", _("Regional workshop meeting")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other event")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


class Event(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.ONLINE_SEMINAR)
    description = models.TextField(
        _("description"), blank=True, max_length=20000, help_text=_("Markdown: headings, lists, bold, links.")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Only confirmed participants see it: in their confirmation e-mail and on their personal page."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. When all places are taken, new registrations go to the waiting list."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: registration until the start.")
    )
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    contact = models.TextField(_("organiser contact"), blank=True, max_length=1000)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Material after the event
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    slides_url = models.URLField(_("slides (link)"), max_length=500, blank=True)
    slides_file = models.FileField(_("slides (file)"), upload_to="events/slides/", blank=True)
    tools = models.ManyToManyField(
        "toolbox.Tool", verbose_name=_("tools of the toolbox"), blank=True, related_name="events"
    )
    #: A regional workshop meeting of a group of Kommunen (shown on the group's page).
    group = models.ForeignKey(
        "network.MunicipalityGroup",
        verbose_name=_("group of municipalities"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def deadline(self):
        """The end of registration: the deadline, or the start of the event."""
        if self.registration_deadline and self.registration_deadline < self.starts_at:
            return self.registration_deadline
        return self.starts_at

    @property
    def has_material(self) -> bool:
        return bool(self.recording_url or self.slides_url or self.slides_file)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(TimeStampedModel):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation or municipality"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    consent_at = models.DateTimeField(_("privacy consent given at"))
    promoted_at = models.DateTimeField(_("moved up from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="events_registration_one_active_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"
