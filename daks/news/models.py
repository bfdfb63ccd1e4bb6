"""News (Aktuelles) of the network and the newsletter.

- ``NewsItem``: news and publications written by the editorial office of the network or submitted by a Kommune
  (moderated: submitted → published / rejected with a note).
- ``Subscriber``: a newsletter address with double opt-in (the confirmation token is stored hashed and expires);
  the personal unsubscribe link is derived from a per-subscription nonce (only its hash is stored).
- ``NewsletterIssue`` and ``Delivery``: an issue is sent by a worker task in batches; one ``Delivery`` row per
  recipient (unique per issue and subscriber) makes sending idempotent.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel
from daks.core.storage import private_storage


class NewsKind(models.TextChoices):
    NEWS = "news", _("News")
    PUBLICATION = "publication", _("Publication")


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class NewsItem(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    teaser = models.CharField(_("teaser"), max_length=400)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown"))
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices, default=NewsKind.NEWS)
    image = models.ImageField(_("image"), upload_to="news/", blank=True, max_length=200)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    #: A publication's document (PDF, ODT, DOCX; checked by content). Private storage: served by ``news:document``
    #: once published, before that only to the editorial office and the submitting Kommune's members.
    document = models.FileField(
        _("document"), upload_to="news/documents/", storage=private_storage, blank=True, max_length=200
    )
    document_kind = models.CharField(_("document type"), max_length=10, blank=True)
    document_size = models.PositiveIntegerField(_("document size in bytes"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_items",
    )
    status = models.CharField(_("status"), max_length=20, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    review_note = models.TextField(_("note of the editorial office"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="news_status_published")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == NewsStatus.PUBLISHED

    def get_document_url(self) -> str:
        return reverse("news:document", kwargs={"slug": self.slug}) if self.document else ""

    @property
    def document_mimetype(self) -> str:
        from daks.core.uploads import MIMETYPES

        return MIMETYPES.get(self.document_kind, "application/octet-stream")

    @property
    def document_label(self) -> str:
        """The type for people, e.g. "PDF" or "ODT (OpenDocument text)"."""
        from daks.core.uploads import LABELS

        return str(LABELS.get(self.document_kind, self.document_kind.upper()))


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(TimeStampedModel):
    email = models.EmailField(_("e-mail address"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default="de")
    consent_at = models.DateTimeField(_("consent given at"))
    #: sha256 of the confirmation token (the token itself is only in the mail); empty once confirmed.
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(_("confirmation link valid until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    #: The unsubscribe token is derived from this nonce (renewed with every new subscription) …
    unsubscribe_nonce = models.CharField(max_length=64)
    #: … and looked up by its hash.
    unsubscribe_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")


class NewsletterIssue(TimeStampedModel):
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown"))
    news_items = models.ManyToManyField(NewsItem, verbose_name=_("news in this issue"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter:archive_detail", kwargs={"pk": self.pk})

    @property
    def progress_percent(self) -> int:
        return int(100 * self.sent_count / self.recipient_count) if self.recipient_count else 0


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped (unsubscribed)")


class Delivery(models.Model):
    """One recipient of one issue: claimed (pending → sending) before the mail goes out, so no retry sends twice."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="news_delivery_once")]
        indexes = [models.Index(fields=["issue", "status"], name="news_delivery_issue_status")]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.subscriber_id}: {self.status}"
