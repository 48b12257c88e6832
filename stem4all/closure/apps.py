from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    name = "stem4all.closure"
    label = "closure"
    verbose_name = _("Closure and certificates")
