from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The KPI modules, in the order the dashboard and docs/indicators.md list them.
KPI_MODULES = ("kpis_pathway", "kpis_aftercare", "kpis_outcomes", "kpis_quality")


class IndicatorsConfig(AppConfig):
    name = "forlob.indicators"
    verbose_name = _("Indikatorer")

    def ready(self):
        for module in KPI_MODULES:  # registers each KPI in catalogue.CATALOGUE
            import_module(f"{self.name}.{module}")
