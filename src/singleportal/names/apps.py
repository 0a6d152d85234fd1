from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NamesConfig(AppConfig):
    name = "singleportal.names"
    verbose_name = _("Business names")
