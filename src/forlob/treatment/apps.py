from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "forlob.treatment"
    verbose_name = _("Behandling og opfølgning")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
