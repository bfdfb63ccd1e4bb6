"""Comments on the objects of a Kommune (process, tasks, meetings, SWOT entries …) and in-app notifications."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel

BODY_MAX_LENGTH = 5000


class CommentQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Comment(TimeStampedModel):
    """A plain-text comment on a registered object (see ``registry``).

    Soft-deleted by its author or the Koordination: the row stays (the thread keeps its shape and shows
    "Comment deleted"), the text itself is removed.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="comments"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of object"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH, blank=True)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentioned people"), blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comments_thread_idx")]

    def __str__(self):
        return self.body[:60] if not self.is_deleted else str(_("Comment deleted"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    EXCHANGE_ANSWER = "exchange_answer", _("Answer in the exchange")


class Notification(models.Model):
    """Something a person should see: shown in the list under /benachrichtigungen/ until it is read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    target_label = models.CharField(_("about"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="comments_notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "recipient", "kind"], name="comments_notification_once_per_comment"
            )
        ]

    def __str__(self):
        return f"{self.recipient} – {self.get_kind_display()}: {self.target_label}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
