"""docs/indicators.md generated from the catalogue, so the documented definitions are the ones
the engine computes (`manage.py kpi_docs`; a test fails when the file is out of date)."""

from . import rules
from .catalogue import CATALOGUE

HEADER = f"""# Indicators (KPI catalogue)

Generated from `src/forlob/indicators/catalogue.py` and the `kpis_*.py` modules by
`python manage.py kpi_docs`; do not edit by hand. Every indicator is computed live from the
facts recorded on the courses, set-based in SQL, for a selection of period, track, municipality,
provider, cluster, sex and age group.

Small-cell suppression applies wherever figures cross the viewer's personal-data scope (every
view of a leader or quality coordinator): counts from 1 to {rules.SUPPRESS_BELOW - 1} show as
"<{rules.SUPPRESS_BELOW}", a second cell is hidden ("x") when a visible total would otherwise
reveal a hidden one, and rates are not shown when the denominator is below
{rules.SUPPRESS_BELOW} or the numerator or its complement is a hidden count.
"""


def render() -> str:
    parts = [HEADER]
    for kpi in CATALOGUE.values():
        better = {"higher": "higher / højere", "lower": "lower / lavere"}.get(
            kpi.better, "no direction / ingen retning")
        parts.append(f"""
## {kpi.name_en} / {kpi.name_da}

`{kpi.code}`

- **Definition (en):** {kpi.definition_en}
- **Definition (da):** {kpi.definition_da}
- **Numerator:** {kpi.numerator}
- **Denominator:** {kpi.denominator}
- **In the period when:** {kpi.period_date}
- **Better:** {better}
- **Source:** {kpi.source}
""")
    return "".join(parts)
