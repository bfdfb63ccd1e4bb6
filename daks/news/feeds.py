"""RSS 2.0 and Atom feeds of the published news (django.contrib.syndication)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import NewsItem


class NewsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "de"

    def title(self):
        return _("DAKS network – news")

    def link(self):
        return reverse("news:list")

    def description(self):
        return _("News and publications of the DAKS network and its municipalities.")

    def feed_url(self):
        return reverse("news:feed_rss")

    def items(self):
        return selectors.feed_items()

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.teaser

    def item_link(self, item: NewsItem) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: NewsItem):
        return item.published_at

    def item_updateddate(self, item: NewsItem):
        return item.updated_at

    def item_author_name(self, item: NewsItem) -> str:
        return item.municipality.name if item.municipality_id else _("Editorial office of the network")

    def item_categories(self, item: NewsItem):
        return [str(item.get_kind_display())]

    # A publication's document as the enclosure (RSS: <enclosure>, Atom: <link rel="enclosure">); absolute URL,
    # since the syndication framework adds the domain to links but not to enclosures.
    def item_enclosure_url(self, item: NewsItem):
        return settings.DAKS_BASE_URL + item.get_document_url() if item.document else None

    def item_enclosure_length(self, item: NewsItem):
        return item.document_size if item.document else None

    def item_enclosure_mime_type(self, item: NewsItem):
        return item.document_mimetype if item.document else None


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return reverse("news:feed_atom")
