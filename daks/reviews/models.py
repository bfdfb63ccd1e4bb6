"""Step 5 (Zwischenbilanz): surveys on barriers and enablers, progress review, adjustments, consolidation.

Surveys: a small questionnaire builder (sections, Likert 1–5, single/multiple choice, free text) distributed by
personal links (one response per token, stored hashed) and/or an anonymous open link. Reviews: per goal
baseline → latest value → target with an assessment, per measure a status check, barriers and enablers linked
to measures, adjustments recorded with reason and linked to a plan version, the consolidation checklist.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel


class NetworkSurvey(TimeStampedModel):
    """A survey of the network office that Kommunen take part in: each takes a copy of the questionnaire into its
    own Zwischenbilanz (a Survey with ``network_survey`` set), distributes it as usual, and the network office sees
    the results aggregated across the Kommunen (matched by the stable question keys).

    The questionnaire itself is a ``Survey`` without Kommune and process (``Survey.questionnaire_of`` points here,
    reachable as ``network_survey.template``): the editorial office edits it with the builder of step 5."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    closes_at = models.DateTimeField(_("open until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("network survey")
        verbose_name_plural = _("network surveys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Survey(TimeStampedModel):
    """A survey of a Kommune's process — or, with ``questionnaire_of`` set and neither Kommune nor process, the
    questionnaire of a network survey (never distributed or answered itself; Kommunen answer copies of it)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    process = models.ForeignKey(
        "strategy.StrategyProcess",
        verbose_name=_("strategy process"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    questionnaire_of = models.OneToOneField(
        NetworkSurvey,
        verbose_name=_("questionnaire of the network survey"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="template",
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Results never show who answered; groups under 3 are not broken down."),
    )
    opens_at = models.DateTimeField(_("open from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("open until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    network_survey = models.ForeignKey(
        NetworkSurvey,
        verbose_name=_("network survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("The survey of the network this survey takes part in."),
    )
    open_link_token_hash = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["process", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "network_survey"],
                condition=models.Q(network_survey__isnull=False),
                name="reviews_one_copy_per_network_survey",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(municipality__isnull=False, process__isnull=False, questionnaire_of__isnull=True)
                    | models.Q(municipality__isnull=True, process__isnull=True, questionnaire_of__isnull=False)
                ),
                name="reviews_survey_process_or_network_questionnaire",
            ),
        ]

    def __str__(self):
        return self.title


class SurveySection(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "position", "id"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Scale 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        SurveySection,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.LIKERT)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True, help_text=_("Answer options for choices."))
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.CharField(
        _("key"), max_length=60, blank=True, help_text=_("Stable key of a default question (to compare survey rounds).")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self):
        return self.text


class SurveyInvitation(models.Model):
    """A personal link (token stored hashed) for a member or an actor: one response per token."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey("strategy.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "email"], name="reviews_invitation_once_per_email")]

    def __str__(self):
        return self.name or self.email


class Response(models.Model):
    """One submitted questionnaire. For anonymous surveys it is never linked to its invitation."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        SurveyInvitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
        help_text=_("Only for surveys that are not anonymous."),
    )
    via_open_link = models.BooleanField(_("via the open link"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "submitted_at", "id"]

    def __str__(self):
        # Never names the respondent: anonymous surveys must not be traceable through admin or logs.
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(
        _("value"), null=True, blank=True, help_text=_("Likert 1–5 or option index.")
    )
    choices = models.JSONField(_("chosen options"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Free text hidden by the moderation."))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="reviews_answer_once")]

    def __str__(self):
        return f"{self.question}: {self.number if self.number is not None else self.text[:40]}"


class Review(TimeStampedModel):
    """A Zwischenbilanz of a process at a date: progress review, barriers/enablers, adjustments, consolidation."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="reviews"
    )
    process = models.ForeignKey(
        "strategy.StrategyProcess", verbose_name=_("strategy process"), on_delete=models.CASCADE, related_name="reviews"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("review meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    surveys = models.ManyToManyField(Survey, verbose_name=_("surveys"), blank=True, related_name="reviews")
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("interim review")
        verbose_name_plural = _("interim reviews")
        ordering = ["process", "-date", "id"]

    def __str__(self):
        return self.title


class Assessment(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NOT_ASSESSABLE = "not_assessable", _("Not assessable")


class GoalReview(TimeStampedModel):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="goal_reviews")
    goal = models.ForeignKey("plans.Goal", verbose_name=_("goal"), on_delete=models.CASCADE, related_name="reviews")
    latest_value = models.DecimalField(_("latest value"), max_digits=14, decimal_places=3, null=True, blank=True)
    latest_year = models.PositiveSmallIntegerField(_("year of the latest value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_date = models.DateField(_("as of"), null=True, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, default=Assessment.NOT_ASSESSABLE
    )
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="reviews_goal_once")]


class MeasureCheck(TimeStampedModel):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="measure_checks"
    )
    measure = models.ForeignKey(
        "plans.Measure", verbose_name=_("measure"), on_delete=models.CASCADE, related_name="checks"
    )
    status = models.CharField(_("status at the review"), max_length=20, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, default=Assessment.NOT_ASSESSABLE
    )
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("measure check")
        verbose_name_plural = _("measure checks")
        constraints = [models.UniqueConstraint(fields=["review", "measure"], name="reviews_measure_once")]


class FactorKind(models.TextChoices):
    BARRIER = "barrier", _("Barrier")
    ENABLER = "enabler", _("Enabler")


class FactorSource(models.TextChoices):
    SURVEY = "survey", _("Survey")
    DISCUSSION = "discussion", _("Discussion")


class Factor(TimeStampedModel):
    """A barrier (Hemmnis) or an enabler (Gelingensfaktor), linkable to measures."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(_("kind"), max_length=20, choices=FactorKind.choices)
    text = models.CharField(_("text"), max_length=500)
    source = models.CharField(_("source"), max_length=20, choices=FactorSource.choices, default=FactorSource.DISCUSSION)
    measures = models.ManyToManyField("plans.Measure", verbose_name=_("measures"), blank=True, related_name="factors")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("barrier or enabler")
        verbose_name_plural = _("barriers and enablers")
        ordering = ["review", "kind", "position", "id"]

    def __str__(self):
        return self.text


class AdjustmentKind(models.TextChoices):
    CHANGE = "change", _("Change")
    ADD = "add", _("Add")
    PAUSE = "pause", _("Pause")
    DROP = "drop", _("Drop")


class Adjustment(TimeStampedModel):
    """A decision to change the plan, with its reason, linked to the plan version that records it."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("decision"), max_length=20, choices=AdjustmentKind.choices)
    measure = models.ForeignKey(
        "plans.Measure", verbose_name=_("measure"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.ForeignKey(
        "plans.Goal", verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("what changes"), max_length=3000)
    reason = models.TextField(_("reason"), max_length=3000)
    decided_on = models.DateField(_("decided on"))
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjustments",
    )

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["review", "decided_on", "id"]


class ConsolidationKey(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("Responsibility anchored in the administration's structure")
    BUDGET = "budget", _("Budget line")
    COUNCIL = "council", _("Council decision")
    REPORTING = "reporting", _("Regular reporting")
    NETWORK = "network", _("Network of actors continued")


class ConsolidationItem(TimeStampedModel):
    """The consolidation checklist (Verstetigung) of a review."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="consolidation")
    key = models.CharField(_("item"), max_length=30, choices=ConsolidationKey.choices)
    done = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("consolidation item")
        verbose_name_plural = _("consolidation items")
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="reviews_consolidation_once")]
