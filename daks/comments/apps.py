from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "daks.comments"
    label = "comments"
    verbose_name = _("Comments and notifications")

    def ready(self):
        from .registry import register_defaults

        register_defaults()
