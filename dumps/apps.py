from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DumpsConfig(AppConfig):
    name = "dumps"
    verbose_name = _("Illegal dumps")
