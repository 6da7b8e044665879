from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "forlob.attendance"
    verbose_name = _("Fremmøde og fastholdelse")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the access grants)
