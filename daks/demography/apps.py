from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemographyConfig(AppConfig):
    name = "daks.demography"
    label = "demography"
    verbose_name = _("Demography")
