from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "daks.news"
    label = "news"
    verbose_name = _("News and newsletter")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries (shown in activity feeds and the audit log).
        for code, text in [
            ("news.item.created", _("wrote the news item “%(object)s”")),
            ("news.item.updated", _("edited the news item “%(object)s”")),
            ("news.item.submitted", _("submitted the news item “%(object)s”")),
            ("news.item.published", _("published the news item “%(object)s”")),
            ("news.item.unpublished", _("took the news item “%(object)s” offline")),
            ("news.item.rejected", _("rejected the news item “%(object)s”")),
            ("news.issue.created", _("wrote the newsletter “%(object)s”")),
            ("news.issue.updated", _("edited the newsletter “%(object)s”")),
            ("news.issue.sending", _("started sending the newsletter “%(object)s”")),
            ("news.issue.resumed", _("resumed sending the newsletter “%(object)s”")),
            ("news.subscriber.confirmed", _("confirmed a newsletter subscription")),
            ("news.subscriber.unsubscribed", _("unsubscribed from the newsletter")),
        ]:
            register_action(code, text)
