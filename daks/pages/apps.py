from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "daks.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from daks.strategy.activity import register_action

        register_action("pages.barrier_report.received", _("received a report of a barrier (“%(object)s”)"))
