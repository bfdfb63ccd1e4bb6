from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "daks.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries of the deletion with a grace period (docs/deletion.md).
        for code, text in [
            ("account.deletion_requested", _("requested the deletion of their account")),
            ("account.deletion_cancelled", _("cancelled the deletion of their account")),
        ]:
            register_action(code, text)
