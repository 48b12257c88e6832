from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeergroupsConfig(AppConfig):
    name = "stem4all.peergroups"
    label = "peergroups"
    verbose_name = _("Peer groups")
