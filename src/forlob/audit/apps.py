from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "forlob.audit"
    verbose_name = _("Log over adgang")
