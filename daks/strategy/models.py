"""The strategy process of a Kommune: the five steps, their state and checklists, guidance, tasks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel


class Step(models.TextChoices):
    KICKOFF = "kickoff", _("Kick-off")
    PROFILE = "profile", _("Municipal profile")
    WORKSHOP = "workshop", _("Future workshop")
    PLAN = "plan", _("Workshop plan")
    REVIEW = "review", _("Interim review")


#: The order of the steps (1–5).
STEP_ORDER = {step: number for number, step in enumerate(Step.values, start=1)}


class StrategyProcess(TimeStampedModel):
    """One run through the five steps: the whole town, one Quartier, a new cycle after a Zwischenbilanz."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="processes",
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True, max_length=2000)
    region_key = models.CharField(
        _("region key"),
        max_length=12,
        blank=True,
        help_text=_("Optional official key of the Quartier or Kreis the process is about (default: the municipality)."),
    )
    start_date = models.DateField(_("start date"))
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinating team"), blank=True, related_name="coordinated_processes"
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
        verbose_name = _("strategy process")
        verbose_name_plural = _("strategy processes")
        ordering = ["-start_date", "title"]

    def __str__(self):
        return self.title


class StepStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class StepState(TimeStampedModel):
    """Status of one step in one process; "done" is set by the Koordination."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="step_states")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.OPEN)
    done_at = models.DateTimeField(_("marked done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("step status")
        verbose_name_plural = _("step statuses")
        constraints = [models.UniqueConstraint(fields=["process", "step"], name="strategy_step_state_unique")]

    def __str__(self):
        return f"{self.process}: {self.get_step_display()} ({self.get_status_display()})"


class StepGuidance(TimeStampedModel):
    """Guidance of a step, written in German, editable by the editorial office (admin). Markdown."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices, unique=True)
    purpose = models.TextField(_("what the step is for"))
    participants = models.TextField(_("who takes part"))
    pitfalls = models.TextField(_("typical pitfalls"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        ordering = ["step"]

    def __str__(self):
        return self.get_step_display()


class ChecklistItem(models.Model):
    """A tickable item of a step's checklist (the defaults are written by DAKS, editable in the admin)."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    code = models.SlugField(_("code"), max_length=60)
    text = models.CharField(_("text"), max_length=300)
    help_text = models.TextField(_("explanation"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required for the step"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["step", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "code"], name="strategy_checklist_item_unique")]

    def __str__(self):
        return self.text


class ChecklistTick(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="ticks")
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "item"], name="strategy_checklist_tick_unique")]

    def __str__(self):
        return f"{self.process}: {self.item}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Task(TimeStampedModel):
    """A task (Aufgabe) of a Kommune's team, in a process and step or on its own."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="tasks"
    )
    process = models.ForeignKey(
        StrategyProcess,
        verbose_name=_("strategy process"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    working_group = models.ForeignKey(
        "strategy.WorkingGroup",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    link_url = models.CharField(
        _("link"), max_length=300, blank=True, help_text=_("Page of the object the task belongs to (inside DAKS).")
    )
    link_label = models.CharField(_("link text"), max_length=200, blank=True)
    reminder_sent_for = models.DateField(
        _("reminder sent for due date"),
        null=True,
        blank=True,
        help_text=_("The due date the last reminder was sent for; a changed due date gets a new reminder."),
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
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_date"], name="strategy_task_assignee_idx")]

    def __str__(self):
        return self.title


# --- Actors register (Akteursregister, step 1 Kick-off) -------------------------------------------


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class Sector(models.TextChoices):
    ADMINISTRATION = "verwaltung", _("Administration")
    POLITICS = "politik", _("Politics")
    CIVIL_SOCIETY = "zivilgesellschaft", _("Civil society")
    BUSINESS = "wirtschaft", _("Business")
    EDUCATION = "bildung", _("Education")
    HEALTH = "gesundheit_pflege", _("Health and care")
    CHURCH = "kirche", _("Church and religious community")
    CULTURE = "kultur_sport", _("Culture and sport")
    MEDIA = "medien", _("Media")
    OTHER = "sonstiges", _("Other")


SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]


class Actor(TimeStampedModel):
    """An organisation or person relevant to a Kommune's strategy process (stakeholder).

    Contact data (e-mail, phone) may only be stored with the actor's consent (``contact_consent``);
    the services enforce this, and pages and exports show contact data only where consent is recorded.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="actors"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices, default=ActorKind.ORGANISATION)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("For persons: the organisation they belong to.")
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, default=Sector.OTHER)
    role_in_process = models.TextField(_("role in the process"), blank=True, max_length=2000)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_consent = models.BooleanField(_("consent to store contact data"), default=False)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    influence = models.PositiveSmallIntegerField(_("influence"), choices=SCORE_CHOICES, default=3)
    interest = models.PositiveSmallIntegerField(_("interest"), choices=SCORE_CHOICES, default=3)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5), name="strategy_actor_influence_range"
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=1, interest__lte=5), name="strategy_actor_interest_range"
            ),
            models.CheckConstraint(
                condition=models.Q(contact_consent=True) | (models.Q(email="") & models.Q(phone="")),
                name="strategy_actor_contact_needs_consent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def shows_contact(self) -> bool:
        return self.contact_consent and bool(self.email or self.phone)


# --- Working groups (Arbeitsgruppen) --------------------------------------------------------------


class WorkingGroup(TimeStampedModel):
    """A working group (Arbeitsgruppe) of a process, e.g. one per field of action: team members and actors
    with their own meetings (``meetings``) and tasks (``tasks``)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    process = models.ForeignKey(
        StrategyProcess, verbose_name=_("strategy process"), on_delete=models.CASCADE, related_name="working_groups"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    field_of_action = models.ForeignKey(
        "profile.FieldOfAction",
        verbose_name=_("field of action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_working_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members of the team"), blank=True, related_name="working_groups"
    )
    actors = models.ManyToManyField(Actor, verbose_name=_("actors"), blank=True, related_name="working_groups")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["process", "title", "id"]

    def __str__(self):
        return self.title
