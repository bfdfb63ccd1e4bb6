from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfileConfig(AppConfig):
    name = "daks.profile"
    label = "profile"
    verbose_name = _("Municipal profile")

    def ready(self):
        from daks.strategy.models import Step
        from daks.strategy.steps import register_criterion, register_page

        from .selectors import profile_criterion

        register_page(Step.PROFILE, _("Statistics"), "profile:statistics")
        register_page(Step.PROFILE, _("Inventory"), "profile:inventory")
        register_page(Step.PROFILE, _("Interviews"), "profile:interviews")
        register_page(Step.PROFILE, _("SWOT"), "profile:swot")
        register_page(Step.PROFILE, _("Fields of action"), "profile:fields")
        register_page(Step.PROFILE, _("Export"), "profile:export")
        register_criterion(Step.PROFILE, profile_criterion)
