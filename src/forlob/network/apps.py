from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "forlob.network"
    verbose_name = _("Netværk og samtykke")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
