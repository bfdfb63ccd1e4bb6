"""Step 2 (Kommunalprofil): SWOT board, fields of action (Handlungsfelder), inventory and interviews of a process."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel
from daks.core.storage import private_storage


class Quadrant(models.TextChoices):
    STRENGTH = "strength", _("Strengths")
    WEAKNESS = "weakness", _("Weaknesses")
    OPPORTUNITY = "opportunity", _("Opportunities")
    THREAT = "threat", _("Threats")


#: The usual topic fields of a demography strategy, offered as one-click starting points.
SUGGESTED_TOPICS = [
    "Öffentlichkeitsarbeit",
    "Wohnen",
    "Intra- und interkommunale Kooperation",
    "Digitalisierung",
    "Demokratieförderung",
    "Bürgerbeteiligung",
    "Bürgerschaftliches Engagement",
    "Begegnung/Beratung/Selbsthilfe",
    "Fördermittel",
    "Gesundheit und Pflege",
    "Arbeit und Wirtschaft",
    "Demografiestrategie",
    "Integration",
]


class SwotItem(TimeStampedModel):
    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="swot_items",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="swot_items",
    )
    quadrant = models.CharField(_("quadrant"), max_length=20, choices=Quadrant.choices)
    text = models.TextField(_("statement"), max_length=1000)
    evidence = models.TextField(
        _("evidence"), blank=True, max_length=2000, help_text=_("Data, interview or source the statement rests on.")
    )
    evidence_url = models.URLField(_("link to the evidence"), blank=True, max_length=500)
    evidence_indicator = models.CharField(
        _("indicator as evidence"), max_length=60, blank=True, help_text=_("Code of an indicator of the engine.")
    )
    evidence_inventory = models.ForeignKey(
        "profile.InventoryItem",
        verbose_name=_("inventory entry as evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swot_items",
    )
    evidence_interview = models.ForeignKey(
        "profile.Interview",
        verbose_name=_("interview as evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swot_items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SWOT entry")
        verbose_name_plural = _("SWOT entries")
        ordering = ["process", "quadrant", "position", "id"]
        indexes = [models.Index(fields=["process", "quadrant", "position"], name="profile_swot_order_idx")]

    def __str__(self):
        return f"{self.get_quadrant_display()}: {self.text[:60]}"


class FieldOfAction(TimeStampedModel):
    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="fields_of_action",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="fields_of_action",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    priority = models.PositiveIntegerField(_("priority"), default=0, help_text=_("Rank: 1 is the most important."))
    swot_items = models.ManyToManyField(
        SwotItem, verbose_name=_("supporting SWOT entries"), blank=True, related_name="fields_of_action"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        ordering = ["process", "priority", "id"]

    def __str__(self):
        return self.title


class InterpretationSection(models.TextChoices):
    """The statistics sections of the Kommunalprofil, each with one interpretation text."""

    FIGURES = "figures", _("Key figures")
    AGE_STRUCTURE = "age_structure", _("Age structure")
    DEVELOPMENT = "development", _("Population development")
    PROJECTION = "projection", _("Population projection")
    COMPARISON = "comparison", _("Comparison")


class ProfileInterpretation(TimeStampedModel):
    """What the editors of a process read from one statistics section (their interpretation)."""

    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="profile_interpretations",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="profile_interpretations",
    )
    section = models.CharField(_("section"), max_length=20, choices=InterpretationSection.choices)
    text = models.TextField(_("interpretation"), blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
        ordering = ["process", "section"]
        constraints = [
            models.UniqueConstraint(fields=["process", "section"], name="profile_interpretation_unique_section")
        ]

    def __str__(self):
        return f"{self.get_section_display()}: {self.text[:60]}"


class InventoryKind(models.TextChoices):
    MEASURE = "measure", _("Measure")
    PROJECT = "project", _("Project")
    CONCEPT = "concept", _("Concept")
    PLAN = "plan", _("Plan")
    FACILITY = "facility", _("Facility")
    SERVICE = "service", _("Service or offer")


class InventoryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


def inventory_upload_to(instance, filename):
    """Uploaded documents live under the Kommune; the stored name never trusts the client's path."""
    return f"inventory/{instance.municipality_id}/{filename}"


class InventoryItem(TimeStampedModel):
    """One entry of the inventory (Bestandsaufnahme): what already exists in the Kommune."""

    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="inventory_items",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="inventory_items",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InventoryKind.choices, default=InventoryKind.PROJECT)
    field_of_action = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("field of action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventory_items",
    )
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("Topic field, if no field of action fits yet.")
    )
    owner = models.CharField(
        _("responsible"), max_length=200, blank=True, help_text=_("Office, organisation or person.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InventoryStatus.choices, default=InventoryStatus.RUNNING
    )
    start_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    document = models.FileField(
        _("document"), upload_to=inventory_upload_to, storage=private_storage, blank=True, max_length=300
    )
    document_name = models.CharField(_("original file name"), max_length=200, blank=True)
    document_type = models.CharField(_("document type"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inventory entry")
        verbose_name_plural = _("inventory entries")
        ordering = ["process", "title", "id"]

    def __str__(self):
        return self.title


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class Interview(TimeStampedModel):
    """A qualitative interview of the Kommunalprofil: with whom, when, summary and key statements."""

    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    actor = models.ForeignKey(
        "strategy.Actor",
        verbose_name=_("interviewee (actor)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )
    interviewee = models.CharField(
        _("interviewee"), max_length=200, blank=True, help_text=_("Name or role, if not in the actors register.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    date = models.DateField(_("date"), null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    key_statements = models.TextField(
        _("key statements"), blank=True, max_length=5000, help_text=_("One statement per line.")
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["process", "date", "id"]

    def __str__(self):
        return self.interviewee or (self.actor.name if self.actor_id else str(_("Interview")))

    @property
    def statements(self) -> list[str]:
        return [line.strip() for line in self.key_statements.splitlines() if line.strip()]
