from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "forlob.accounts"
    verbose_name = _("Brugere og roller")

    def ready(self):
        from . import scoping, signals  # noqa: F401  (access grants, login logging)
