from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "daks.toolbox"
    label = "toolbox"
    verbose_name = _("Toolbox")

    def ready(self):
        from daks.strategy.activity import register_action
        from daks.strategy.models import Step
        from daks.strategy.steps import register_page

        # The toolbox in the workspace of a Kommune (views_workspace): a page of step 2, wordings of measure links.
        register_page(Step.PROFILE, _("Matching tools"), "toolbox_process:recommendations")
        register_action(
            "plans.measure.tool_linked",
            _("linked the tool “%(tool)s” to the measure “%(object)s”"),
            params=_tool_param,
        )
        register_action(
            "plans.measure.tool_unlinked",
            _("removed the tool “%(tool)s” from the measure “%(object)s”"),
            params=_tool_param,
        )
        # The editorial office (shown in the audit log; these entries belong to no Kommune).
        register_action("toolbox.tool.changed", _("changed the toolbox entry “%(object)s”"))
        register_action("toolbox.tool.submitted_by_municipality", _("submitted the tool “%(object)s” to the toolbox"))
        register_action(
            "toolbox.tool.resubmitted_by_municipality", _("revised the tool “%(object)s” and submitted it again")
        )
        register_action("toolbox.topic.saved", _("saved the topic field “%(object)s”"))
        register_action("toolbox.topic.deleted", _("deleted the topic field “%(object)s”"))


def _tool_param(entry) -> dict:
    from django.utils.translation import gettext

    return {"tool": (entry.data or {}).get("tool") or gettext("a tool")}
