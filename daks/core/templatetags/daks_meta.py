"""The description and Open Graph metadata of public pages, from one include.

Every public page that is worth sharing (tools, news, events, portraits, …) describes itself with the same set of
``og:`` properties. The four required by the protocol (title, type, image, url) are always present: a page without
an image of its own gets the site's share image, with its dimensions so that link previews need not fetch it first.
"""

from django import template
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

SHARE_IMAGE = "daks/img/share.png"
SHARE_IMAGE_SIZE = (1200, 630)
OG_LOCALES = {"de": "de_DE", "en": "en_GB"}


@register.inclusion_tag("core/includes/open_graph.html", takes_context=True)
def open_graph(context, title, description="", type="website", url="", image="", image_alt="", site_name="DAKS"):
    """Render ``<meta name="description">`` (if given) and the ``og:`` tags.

    ``url`` defaults to the requested address, ``image`` to the share image; both are made absolute.
    """
    request = context["request"]
    own_image = bool(image)
    return {
        "title": title,
        "description": " ".join(str(description).split()),
        "type": type,
        "url": url or request.build_absolute_uri(),
        "site_name": site_name,
        "locale": OG_LOCALES.get((get_language() or "de")[:2], "de_DE"),
        "image": request.build_absolute_uri(image or static(SHARE_IMAGE)),
        "image_alt": image_alt if own_image else _("DAKS – demography assistant for municipal strategies"),
        "image_size": None if own_image else SHARE_IMAGE_SIZE,
    }
