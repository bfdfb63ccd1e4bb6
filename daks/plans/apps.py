from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "daks.plans"
    label = "plans"
    verbose_name = _("Workshop plan")

    def ready(self):
        from daks.strategy.models import Step
        from daks.strategy.steps import register_criterion, register_page

        from .selectors import plan_criterion

        register_page(Step.PLAN, _("Plan"), "plans:document")
        register_page(Step.PLAN, _("Goals"), "plans:goals")
        register_page(Step.PLAN, _("Measures"), "plans:measures")
        register_page(Step.PLAN, _("Kanban"), "plans:kanban")
        register_page(Step.PLAN, _("Timeline"), "plans:timeline")
        register_page(Step.PLAN, _("Monitoring"), "plans:monitoring")
        register_page(Step.PLAN, _("Export"), "plans:export")
        register_page(Step.PLAN, _("Versions"), "plans:versions")
        register_criterion(Step.PLAN, plan_criterion)
