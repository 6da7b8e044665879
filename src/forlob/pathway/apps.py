from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwayConfig(AppConfig):
    name = "forlob.pathway"
    verbose_name = _("Borgerforløb")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
