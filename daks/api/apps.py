from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "daks.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from daks.strategy.activity import register_action

        for code, text in [
            ("api.token.created", _("created the API token “%(object)s”")),
            ("api.token.revoked", _("revoked the API token “%(object)s”")),
        ]:
            register_action(code, text)
