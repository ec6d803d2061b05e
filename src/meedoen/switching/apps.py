from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SwitchingConfig(AppConfig):
    name = "meedoen.switching"
    verbose_name = _("Inkomen bij een stap")
