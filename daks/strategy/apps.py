from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "daks.strategy"
    label = "strategy"
    verbose_name = _("Strategy process")

    def ready(self):
        from .models import Step
        from .steps import register_page

        register_page(Step.KICKOFF, _("Actors"), "strategy:actors_for_step")
