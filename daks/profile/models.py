"""Step 2 (Kommunalprofil): the SWOT board and the fields of action (Handlungsfelder) of a process."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel


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
