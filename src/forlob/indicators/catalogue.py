"""The KPI catalogue (issue 5 item 1): each indicator declared once, in code, with its names,
definition, numerator, denominator, filters, source and the direction that counts as better.
The compute functions live in kpis_*.py and register here; views, exports, the API and the
quality context read indicators only through `CATALOGUE` and `compute`."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .filters import Filters


@dataclass(frozen=True)
class Value:
    """One computed figure. For a share: numerator / denominator. For a statistic (median,
    mean): `value` with `denominator` the number of courses it is computed over. `cells` holds
    a distribution or breakdown as (key, label, count) for the charts and suppression."""

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    cells: tuple = ()
    unit: str = "share"  # "share", "days", "score", "count", "ratio"


@dataclass(frozen=True)
class Kpi:
    code: str  # stable key, e.g. "guarantee_kept"
    name_da: str
    name_en: str
    definition_da: str
    definition_en: str
    numerator: str  # in English, for docs/indicators.md and the definition page
    denominator: str
    source: str  # the paragraph, guideline or recommendation
    better: str  # "higher", "lower" or "none"
    period_date: str  # which fact puts a course in the period
    compute: Callable[[Filters], Value]
    group: str = ""  # dashboard section
    figures: tuple = field(default=())  # extra named figures (e.g. median and p90)
    #: The courses behind the figure (the denominator's set) as a Course queryset, for the
    #: audited drill-down; None where the figure is not built from courses (the survey).
    cases: Callable | None = None

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_da

    def definition(self, language: str) -> str:
        return self.definition_en if language == "en" else self.definition_da


CATALOGUE: dict[str, Kpi] = {}


def register(kpi: Kpi) -> Kpi:
    if kpi.code in CATALOGUE:
        raise ValueError(f"KPI {kpi.code} declared twice")
    CATALOGUE[kpi.code] = kpi
    return kpi


def compute(code: str, filters: Filters) -> Value:
    return CATALOGUE[code].compute(filters)
