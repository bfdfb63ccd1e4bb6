"""Step 3 (Zukunftswerkstatt): workshops with idea boards, public participation, dot voting, photos.

A workshop is a meeting (``meetings.Meeting``: date, place, invitations, RSVP, minutes) plus the method of a
Zukunftswerkstatt: three phases — critique, fantasy, realisation — with ideas (cards) per phase and field of
action, clusters, supports (+1), dot votes and a participation link for people without an account.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel
from daks.core.storage import private_storage


class Phase(models.TextChoices):
    CRITIQUE = "critique", _("Critique phase")
    FANTASY = "fantasy", _("Fantasy phase")
    REALISATION = "realisation", _("Realisation phase")


class VotingScope(models.TextChoices):
    REALISATION = "realisation", _("Ideas of the realisation phase")
    PER_PHASE = "per_phase", _("Per phase (a budget in each phase)")
    ALL = "all", _("All ideas together")


class Workshop(TimeStampedModel):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    meeting = models.OneToOneField(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="workshop"
    )
    current_phase = models.CharField(_("current phase"), max_length=20, choices=Phase.choices, default=Phase.CRITIQUE)
    critique_minutes = models.PositiveSmallIntegerField(_("critique phase (minutes)"), default=45)
    fantasy_minutes = models.PositiveSmallIntegerField(_("fantasy phase (minutes)"), default=60)
    realisation_minutes = models.PositiveSmallIntegerField(_("realisation phase (minutes)"), default=75)
    votes_per_participant = models.PositiveSmallIntegerField(_("points per participant"), default=5)
    voting_scope = models.CharField(
        _("what is voted on"), max_length=20, choices=VotingScope.choices, default=VotingScope.REALISATION
    )
    voting_open = models.BooleanField(_("voting open"), default=False)
    moderator_notes = models.TextField(_("notes for the moderation"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("future workshop")
        verbose_name_plural = _("future workshops")
        ordering = ["-meeting__starts_at", "id"]

    def __str__(self):
        return str(self.meeting)


class Cluster(TimeStampedModel):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="clusters"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["workshop", "phase", "position", "id"]

    def __str__(self):
        return self.title


class ParticipationLink(TimeStampedModel):
    """A link for people without an account: unguessable token (stored hashed), time window, optional PIN."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="participation_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    pin = models.CharField(_("PIN"), max_length=8, blank=True, help_text=_("Optional; shown in the room."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    moderate_ideas = models.BooleanField(
        _("check ideas before they are shown"), default=True, help_text=_("New ideas wait in the moderation queue.")
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
        verbose_name = _("participation link")
        verbose_name_plural = _("participation links")
        ordering = ["workshop", "-opens_at"]


class Participant(models.Model):
    """Somebody taking part through a participation link (anonymous by default), identified by a cookie token."""

    link = models.ForeignKey(
        ParticipationLink, verbose_name=_("participation link"), on_delete=models.CASCADE, related_name="participants"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name (optional)"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name or f"#{self.pk}"


class IdeaStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for moderation")
    HIDDEN = "hidden", _("Hidden")


class Idea(TimeStampedModel):
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="ideas")
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    field_of_action = models.ForeignKey(
        "profile.FieldOfAction",
        verbose_name=_("field of action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    text = models.TextField(_("idea"), max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    author_name = models.CharField(_("name (optional)"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.VISIBLE)
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    measure = models.ForeignKey(
        "plans.Measure",
        verbose_name=_("measure in the plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        help_text=_("The measure (draft) this idea became."),
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["workshop", "phase", "position", "id"]
        indexes = [models.Index(fields=["workshop", "phase", "status"], name="workshops_idea_board_idx")]

    def __str__(self):
        return self.text[:60]


class Support(models.Model):
    """A +1 for an idea by a member or a participant (once each)."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="workshops_support_once_per_user"),
            models.UniqueConstraint(fields=["idea", "participant"], name="workshops_support_once_per_participant"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) ^ models.Q(participant__isnull=False),
                name="workshops_support_one_voter",
            ),
        ]

    def __str__(self):
        return f"+1 {self.idea}"


class Vote(models.Model):
    """One dot (point) of dot voting; a voter may put several dots on one idea within the budget."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="votes")
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [models.Index(fields=["workshop", "idea"], name="workshops_vote_idea_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) ^ models.Q(participant__isnull=False),
                name="workshops_vote_one_voter",
            ),
        ]

    def __str__(self):
        return f"• {self.idea}"


def photo_upload_to(instance, filename):
    return f"workshops/{instance.workshop.municipality_id}/{filename}"


class Photo(TimeStampedModel):
    """A photo of a flipchart or pin board (re-encoded, EXIF/location data stripped) with a thumbnail."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_upload_to, storage=private_storage, max_length=300)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=photo_upload_to, storage=private_storage, max_length=300, blank=True
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["workshop", "created_at", "id"]

    def __str__(self):
        return self.caption or self.image.name
