from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "daks.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries (shown in activity feeds and the audit log).
        for code, text in [
            ("network.portrait.created", _("created the portrait “%(object)s”")),
            ("network.portrait.updated", _("edited the portrait “%(object)s”")),
            ("network.contact.sent", _("sent a message through the contact form of “%(object)s”")),
            ("network.contact_consent.given", _("agreed to be a contact person of “%(object)s”")),
            ("network.contact_consent.withdrawn", _("withdrew as a contact person of “%(object)s”")),
            ("network.group.created", _("created the group “%(object)s”")),
            ("network.group.updated", _("edited the group “%(object)s”")),
            ("network.group.deleted", _("deleted the group “%(object)s”")),
        ]:
            register_action(code, text)
