from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "forlob.citizens"
    verbose_name = _("Borgere")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
