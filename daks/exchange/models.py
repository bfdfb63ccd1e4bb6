"""The exchange (Austausch): a question-and-answer board per topic field for the members of the network.

Questions and answers are Markdown (rendered sanitised); the moderation hides content (it stays in the database,
others see "Hidden by the moderation") after reports of abuse.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10000
REASON_MAX_LENGTH = 1000


class Question(TimeStampedModel):
    topic = models.ForeignKey(
        "toolbox.TopicField",
        verbose_name=_("topic field"),
        on_delete=models.PROTECT,
        related_name="exchange_questions",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("question"), max_length=BODY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_questions",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_questions",
        help_text=_("The municipality the question is asked for (one of the author's memberships)."),
    )
    accepted_answer = models.ForeignKey(
        "Answer",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_hidden = models.BooleanField(_("hidden by the moderation"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "is_hidden", "created_at"], name="exchange_question_topic_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:question", kwargs={"pk": self.pk})


class Answer(TimeStampedModel):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("answer"), max_length=BODY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_answers",
    )
    is_hidden = models.BooleanField(_("hidden by the moderation"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return _("Answer to “%(title)s”") % {"title": self.question.title} if self.question_id else "–"

    def get_absolute_url(self) -> str:
        return reverse("exchange:question", kwargs={"pk": self.question_id}) + f"#antwort-{self.pk}"


class Follow(models.Model):
    """Somebody wants to be notified of new answers to a question."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="exchange_follows"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed question")
        verbose_name_plural = _("followed questions")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="exchange_follow_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.question}"


class ReportResolution(models.TextChoices):
    HIDDEN = "hidden", _("content hidden")
    DISMISSED = "dismissed", _("dismissed")


class Report(models.Model):
    """A member reports a question or an answer as abusive; the editorial office of the network decides."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="exchange_reports",
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(_("decision"), max_length=20, choices=ReportResolution.choices, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(question__isnull=False, answer__isnull=True) | Q(question__isnull=True, answer__isnull=False)
                ),
                name="exchange_report_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Report')}: {self.target}"

    @property
    def target(self):
        return self.answer if self.answer_id else self.question

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
