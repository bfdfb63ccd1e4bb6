from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daks.core.richtext import render_markdown


class Page(models.Model):
    """A static page edited by the editorial office (imprint, privacy policy, accessibility statement …)."""

    slug = models.SlugField(
        _("address"), max_length=80, unique=True, help_text=_("Part of the address, e.g. “impressum”.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: ## heading, **bold**, *italic*, - list, [link text](https://…). HTML is not allowed."),
    )
    language = models.CharField(
        _("language of the text"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("Screen readers read the text in this language, whatever language the visitor has chosen."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:page", kwargs={"slug": self.slug})

    @property
    def body_html(self):
        return render_markdown(self.body)


class BarrierReport(models.Model):
    """A barrier reported through the feedback form of the accessibility statement (BITV 2.0 § 7).

    Kept so that no report is lost when a mail goes astray; the editorial office works through them in the
    administration and marks them done. Name and e-mail address are optional (only for an answer).
    """

    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    description = models.TextField(_("description of the barrier"))
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    is_done = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("internal note"), blank=True)

    class Meta:
        verbose_name = _("reported barrier")
        verbose_name_plural = _("reported barriers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Barrier report no. %(number)s") % {"number": self.pk}
