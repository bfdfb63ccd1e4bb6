from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "daks.municipalities"
    label = "municipalities"
    verbose_name = _("Municipalities")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries of the deletion with a grace period (docs/deletion.md).
        register_action("municipality.deletion_requested", _("requested the deletion of the municipality “%(object)s”"))
        register_action("municipality.deletion_cancelled", _("cancelled the deletion of the municipality “%(object)s”"))
        register_action(
            "municipality.purged",
            _("deleted the municipality “%(object)s” at the end of the grace period"),
            actor_label=_("DAKS"),
        )
