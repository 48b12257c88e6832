from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "stem4all.roadmaps"
    label = "roadmaps"
    verbose_name = _("Roadmaps")
