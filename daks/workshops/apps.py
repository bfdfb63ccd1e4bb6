from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "daks.workshops"
    label = "workshops"
    verbose_name = _("Future workshop")

    def ready(self):
        from daks.strategy.activity import register_action
        from daks.strategy.models import Step
        from daks.strategy.steps import register_page

        register_page(Step.WORKSHOP, _("Workshops"), "workshops:list")

        # Wordings of the board's audit entries in the process activity feed.
        participant = _("A participant")
        for code, text, actor_label in [
            ("workshops.workshop.created", _("planned the future workshop “%(object)s”"), None),
            ("workshops.workshop.updated", _("changed the future workshop “%(object)s”"), None),
            ("workshops.workshop.deleted", _("deleted the future workshop “%(object)s”"), None),
            ("workshops.idea.created", _("added the idea “%(object)s”"), participant),
            ("workshops.idea.updated", _("edited the idea “%(object)s”"), None),
            ("workshops.idea.deleted", _("deleted the idea “%(object)s”"), None),
            ("workshops.idea.moved", _("moved the idea “%(object)s”"), None),
            ("workshops.idea.clustered", _("changed the cluster of the idea “%(object)s”"), None),
            ("workshops.idea.moderated", _("moderated the idea “%(object)s”"), None),
            ("workshops.idea.supported", _("supported the idea “%(object)s”"), participant),
            ("workshops.idea.unsupported", _("withdrew the support for the idea “%(object)s”"), participant),
            ("workshops.cluster.created", _("added the cluster “%(object)s”"), None),
            ("workshops.cluster.updated", _("renamed the cluster “%(object)s”"), None),
            ("workshops.cluster.deleted", _("deleted the cluster “%(object)s”"), None),
            ("workshops.participation_link.created", _("opened a participation link for “%(object)s”"), None),
            ("workshops.participation_link.closed", _("closed a participation link of “%(object)s”"), None),
            ("workshops.photo.added", _("added the photo “%(object)s”"), None),
            ("workshops.photo.deleted", _("deleted the photo “%(object)s”"), None),
            ("workshops.ideas.carried_into_plan", _("carried ideas of “%(object)s” into the plan"), None),
        ]:
            register_action(code, text, actor_label=actor_label)
