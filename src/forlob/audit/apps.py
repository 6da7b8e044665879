from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "forlob.audit"
    verbose_name = _("Log over adgang")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grant for AuditEvent)
