from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "forlob.journal"
    verbose_name = _("Journal")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
