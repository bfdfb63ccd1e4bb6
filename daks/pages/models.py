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
