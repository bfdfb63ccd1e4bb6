"""The Werkzeugkoffer: tools (methods, concepts, best practice …) in topic fields, maintained editorially."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daks.core.models import TimeStampedModel
from daks.strategy.models import Step


class TopicField(models.Model):
    """One of the (editable) topic fields, initially the 13 of the model project."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic field")
        verbose_name_plural = _("topic fields")

    def __str__(self) -> str:
        return self.name


class ToolType(models.TextChoices):
    METHOD = "method", _("Method")
    CONCEPT = "concept", _("Concept")
    BEST_PRACTICE = "best_practice", _("Best practice")
    GUIDE = "guide", _("Guide")
    CHECKLIST = "checklist", _("Checklist")
    TEMPLATE = "template", _("Template")
    TALK = "talk", _("Talk")
    VIDEO = "video", _("Video")


class Level(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class SizeClass(models.TextChoices):
    SMALL = "small", _("small municipality (under 10,000)")
    MEDIUM = "medium", _("medium-sized town (10,000–50,000)")
    LARGE = "large", _("large town or city (over 50,000)")
    DISTRICT = "district", _("district or association")


class ToolStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class Tool(TimeStampedModel):
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    teaser = models.TextField(_("teaser"), max_length=500)
    body = models.TextField(_("text"), max_length=50000, help_text=_("Markdown: headings, lists, bold, links."))
    tool_type = models.CharField(_("type"), max_length=20, choices=ToolType.choices)
    topics = models.ManyToManyField(TopicField, verbose_name=_("topic fields"), related_name="tools")
    effort = models.CharField(_("effort"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    cost = models.CharField(_("cost"), max_length=10, choices=Level.choices, default=Level.LOW)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    origin_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("originating municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributed_tools",
    )
    contact = models.TextField(_("contact"), blank=True, max_length=1000)
    video_file = models.FileField(_("video file"), upload_to="toolbox/videos/", blank=True)
    video_url = models.URLField(_("external video"), blank=True, max_length=500)
    related = models.ManyToManyField("self", verbose_name=_("related tools"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ToolStatus.choices, default=ToolStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_editorial = models.BooleanField(_("editorial content of this instance"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_tools",
    )
    credit = models.CharField(_("credited as"), max_length=200, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("note of the review"), blank=True, max_length=2000)
    #: Topic names and target groups, indexed with the weight of the teaser (kept by ``search.index_tools``).
    keywords = models.TextField(blank=True, editable=False)
    #: Weighted German full-text vector (PostgreSQL only; SQLite uses the FTS5 table ``toolbox_tool_fts``).
    search_vector = SearchVectorField(null=True, editable=False)
    #: Title and teaser only (PostgreSQL): ranking with this small vector is cheap even for thousands of matches.
    search_head = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("toolbox:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ToolStatus.PUBLISHED


class ToolStep(models.Model):
    """A process step the tool serves (a row per step, so facets are counted in SQL)."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="step_links")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tool", "step"], name="toolbox_unique_tool_step")]
        indexes = [models.Index(fields=["step", "tool"])]

    def __str__(self) -> str:
        return self.get_step_display()


class ToolSize(models.Model):
    """A size of Kommune the tool fits."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="size_links")
    size = models.CharField(_("size"), max_length=20, choices=SizeClass.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tool", "size"], name="toolbox_unique_tool_size")]
        indexes = [models.Index(fields=["size", "tool"])]

    def __str__(self) -> str:
        return self.get_size_display()


class ToolAttachment(TimeStampedModel):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="toolbox/attachments/")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""


class ToolRevision(models.Model):
    """The history of a tool: a snapshot of its fields after each change, with who and what."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    status = models.CharField(_("status"), max_length=20, choices=ToolStatus.choices)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    snapshot = models.JSONField(_("content"), default=dict)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.tool_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class MeasureTool(models.Model):
    """A tool a Kommune uses for a measure of its Werkstattplan."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="measure_tools"
    )
    measure = models.ForeignKey("plans.Measure", on_delete=models.CASCADE, related_name="tool_links")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="measure_links")
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "tool"], name="toolbox_unique_measure_tool")]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.tool_id}"


class ToolEmbedding(models.Model):
    """The vector of a tool for the semantic search (``daks.toolbox.semantic``): float32 bytes of the embedding of
    ``semantic.passage_text(tool)``, with the hash of that text so that an unchanged tool is not embedded again.
    Derived data: computed again from the tool whenever missing (``services.embed_tools``)."""

    tool = models.OneToOneField(Tool, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    vector = models.BinaryField()
    text_hash = models.CharField(max_length=64)
    model = models.CharField(max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tool_id} ({self.model})"
