from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "daks.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Connects the sign-in signal that starts the session timeout clocks (docs/security.md).
        from . import security  # noqa: F401
