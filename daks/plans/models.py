"""Step 4 (Werkstattplan): the living strategy document — vision, goals, measures, milestones, versions.

Structure: fields of action (from the Kommunalprofil, ``profile.FieldOfAction``) → goals (Ziele) → measures
(Maßnahmen). A measure belongs to one field of action (its place in the document) and may serve several goals.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel


class MeasureStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    DROPPED = "dropped", _("Dropped")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    FAMILIES = "families", _("Families")
    WORKING_AGE = "working_age", _("People of working age")
    SENIORS = "seniors", _("Senior citizens")
    MIGRATION = "migration", _("People with a migration history")
    DISABILITIES = "disabilities", _("People with disabilities")
    ALL = "all", _("All")


class Plan(TimeStampedModel):
    """The Werkstattplan of one strategy process."""

    process = models.OneToOneField(
        "strategy.StrategyProcess", verbose_name=_("strategy process"), on_delete=models.CASCADE, related_name="plan"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="plans"
    )
    vision = models.TextField(_("guiding statement (vision)"), blank=True, max_length=10000, help_text=_("Markdown."))
    introduction = models.TextField(_("introduction"), blank=True, max_length=20000, help_text=_("Markdown."))
    published_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version shown on the public page; empty = not published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop plan")
        verbose_name_plural = _("workshop plans")

    def __str__(self):
        return str(self.process)


class Goal(TimeStampedModel):
    """A measurable goal (Ziel) within a field of action."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    field_of_action = models.ForeignKey(
        "profile.FieldOfAction", verbose_name=_("field of action"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    indicator_code = models.CharField(
        _("official indicator"),
        max_length=60,
        blank=True,
        help_text=_("Code of an indicator of the demography engine."),
    )
    indicator_name = models.CharField(
        _("own indicator"),
        max_length=200,
        blank=True,
        help_text=_("Name of an own indicator, if no official one fits."),
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "field_of_action__priority", "position", "id"]

    def __str__(self):
        return self.title


class Measure(TimeStampedModel):
    """A measure (Maßnahme): who does what by when with which money, towards which goals."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures")
    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    field_of_action = models.ForeignKey(
        "profile.FieldOfAction", verbose_name=_("field of action"), on_delete=models.CASCADE, related_name="measures"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("goals served"), blank=True, related_name="measures")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000, help_text=_("Markdown."))
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_measures",
    )
    partners = models.ManyToManyField("strategy.Actor", verbose_name=_("partners"), blank=True, related_name="measures")
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget_own = models.DecimalField(
        _("own funds (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    budget_third_party = models.DecimalField(
        _("third-party funding (EUR)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    budget_secured = models.DecimalField(
        _("secured (EUR)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("The part of the budget that is approved or granted."),
    )
    funding_programme = models.CharField(_("funding programme"), max_length=300, blank=True)
    funding_url = models.URLField(_("link to the funding programme"), blank=True, max_length=500)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.IDEA)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order within the field of action."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "field_of_action__priority", "position", "id"]
        indexes = [models.Index(fields=["plan", "status"], name="plans_measure_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="plans_measure_progress_range"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="plans_measure_period_order",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def budget_total(self) -> Decimal:
        return (self.budget_own or Decimal("0")) + (self.budget_third_party or Decimal("0"))


class Milestone(TimeStampedModel):
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["measure", "due_date", "id"]

    def __str__(self):
        return self.title


class PlanVersion(models.Model):
    """A frozen version (Fassung) of the plan, e.g. "Beschluss Stadtrat 03/2026": a JSON snapshot."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    snapshot = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["plan", "-date", "-id"]

    def __str__(self):
        return f"{self.name} ({self.date:%d.%m.%Y})"


class SavedFilter(models.Model):
    """A named link to a filtered measures table, saved by a member for the team."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["plan", "name"]

    def __str__(self):
        return self.name
