"""Computed values as shown: formatted numbers, with small-cell suppression applied where the
figures cross the user's personal-data scope (issue 5 item 4; the rules are rules.py's)."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import rules
from .catalogue import Kpi, Value


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: str
    numerator: str
    denominator: str
    cells: tuple  # (label, text)
    hidden: bool  # the main value is not shown because of suppression


def _number(x: float, decimals: int = 1) -> str:
    return number_format(round(x, decimals), decimal_pos=decimals)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return _("%(p)s %%") % {"p": _number(100 * value, 0)}
    if unit == "days":
        return _("%(n)s dage") % {"n": _number(value, 1)}
    if unit == "count":
        return _number(value, 0)
    return _number(value, 2)


def shown_value(v: Value, suppress: bool) -> float | None:
    """The main value, or None where suppression hides it: a share by rules.shown_rate; a
    statistic over fewer than SUPPRESS_BELOW courses."""
    if not suppress or v.value is None:
        return v.value
    if v.unit == "share" and v.numerator is not None and v.denominator is not None:
        return rules.shown_rate(v.numerator, v.denominator)
    if v.unit == "count":
        return v.value if not 0 < v.value < rules.SUPPRESS_BELOW else None
    if v.denominator is not None and v.denominator < rules.SUPPRESS_BELOW:
        return None
    return v.value


def figure(kpi: Kpi, v: Value, suppress: bool) -> Figure:
    value = shown_value(v, suppress)
    numerator = denominator = ""
    if v.numerator is not None and v.denominator is not None:
        if suppress:
            cells = rules.suppress_row([v.numerator, v.denominator - v.numerator])
            numerator = cells[0].text()
        else:
            numerator = str(v.numerator)
        denominator = str(v.denominator)
    elif v.denominator is not None:
        denominator = str(v.denominator)
    counts = [c[2] for c in v.cells if isinstance(c[2], int)]
    if suppress and counts and len(counts) == len(v.cells):
        texts = [c.text() for c in rules.suppress_row(counts)]
    else:
        texts = [str(c[2]) for c in v.cells]
    return Figure(kpi, format_value(value, v.unit), numerator, denominator,
                  tuple((str(c[1]), t) for c, t in zip(v.cells, texts, strict=True)),
                  hidden=value is None and v.value is not None)
