"""Measured evidence beside a self-assessed answer (issue 6 item 6). STUB: the interface is fixed,
the implementation is being written (helper D)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    item_number: str  # "5.2" or an anvisning "3.12.1"
    kpi_code: str  # indicators.catalogue code
    name: str  # the KPI's name in the current language
    shown: str  # the value as shown, suppressed where needed ("12 %", "<5", "–")
    value: float | None  # the shown value (None when no data or suppressed)
    flag: bool  # the answer disagrees with the data (rules.disagrees)
    flag_text: str  # e.g. "Svaret er ja, men 12 % af udskrivningerne fik opfølgning efter 1 md."


def evidence_for(rnd, municipality, answers=None) -> dict[str, Evidence]:
    """{item number: Evidence} for one municipality over the round's period. `answers` maps
    item number → resolved choice (for the flag); without it no flag is raised."""
    return {}
