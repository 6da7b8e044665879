"""Computed values as shown: formatted numbers, with small-cell suppression applied where the
figures cross the user's personal-data scope (issue 5 item 4; the rules are rules.py's), and the
dashboard's sections. Presentation only: nothing here computes an indicator."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import rules
from .catalogue import Kpi, Value

#: The dashboard's sections, by Kpi.group (a KPI without a group goes last, under "Øvrige").
GROUP_TITLES = {
    "pathway": gettext_lazy("Fra anmodning til behandlingsstart"),
    "aftercare": gettext_lazy("Under og efter behandlingen"),
    "outcomes": gettext_lazy("Resultater, screening og dækning"),
}
OTHER_GROUP = gettext_lazy("Øvrige indikatorer")


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: str
    numerator: str
    denominator: str
    cells: tuple  # (label, text)
    hidden: bool  # the main value is not shown because of suppression
    #: The distribution as (label, count or None where suppressed) for a bar chart; empty when
    #: the cells are not all counts (a median and a percentile are no distribution).
    bars: tuple = ()
    name: str = ""  # the KPI's name in the current language
    has_cases: bool = False  # the catalogue can list the courses behind it (drill-down)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple


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
    """The main value as every view shows it (dashboard, comparison, charts, PDF, API), or None
    where suppression hides it: a share by rules.shown_rate; a statistic over fewer than
    SUPPRESS_BELOW courses; a share or ratio whose numerator is hidden, directly or as one of
    the cells adding up to the denominator (rate times denominator would reveal it)."""
    value = _basic_value(v, suppress)
    if not suppress or value is None or v.numerator is None or v.denominator is None:
        return value
    if not is_count(v.numerator) or not is_count(v.denominator):
        return value
    cells, _total = against_total([v.numerator, v.denominator - v.numerator], v.denominator)
    numerator = cells[0]
    if not numerator.suppressed:
        numerator = _numerator_in_cells(v, _cell_texts(v, True)[2]) or numerator
    if numerator.suppressed and v.unit in ("share", "ratio"):
        return None
    return value


def _basic_value(v: Value, suppress: bool) -> float | None:
    if not suppress or v.value is None:
        return v.value
    if v.unit == "share" and v.numerator is not None and v.denominator is not None:
        return rules.shown_rate(v.numerator, v.denominator)
    if v.unit == "count":
        return v.value if not 0 < v.value < rules.SUPPRESS_BELOW else None
    if v.denominator is not None and v.denominator < rules.SUPPRESS_BELOW:
        return None
    return v.value


def is_count(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def primary(count: int) -> rules.Cell:
    """A count that stands alone (no shown total it adds up to): hidden when 1 to 4."""
    return rules.suppress([[count]]).cells[0][0]


def against_total(counts, total: int) -> tuple[list[rules.Cell], rules.Cell]:
    """Counts adding up to a shown `total`, and the total as shown: hidden when below the
    threshold itself, or when rules.suppress finds that it would reveal a hidden count. With
    the table-wide rules in views_compare, the only calls of rules' suppression."""
    counts = list(counts)
    total_cell = primary(total)
    if total_cell.suppressed:  # every part is then below the threshold or zero
        return [primary(c) for c in counts], total_cell
    table = rules.suppress([counts])
    if 0 in table.hidden_row_totals:
        total_cell = rules.Cell(None, secondary=True)
    return table.cells[0], total_cell


def _cell_texts(v: Value, suppress: bool) -> tuple[list[str], list, dict]:
    """The cells' texts, for counts their shown numbers (None where suppressed) and their
    rules.Cell by index. Counts are suppressed as one row adding up to a shown total. A
    statistic cell (a median, a percentile) is hidden over fewer than SUPPRESS_BELOW courses:
    those of its own group when a count cell "<group>_n" sits beside "<group>_median", else
    the value's denominator."""
    keys = [c[0] for c in v.cells]
    counts = [i for i, c in enumerate(v.cells) if is_count(c[2])]
    texts: list[str] = ["–"] * len(v.cells)
    numbers: list = [None] * len(v.cells)
    count_cells = {}
    for members in _count_groups(v, counts):
        values = [v.cells[i][2] for i in members]
        shown = against_total(values, sum(values))[0] if suppress else None
        for n, i in enumerate(members):
            cell = count_cells[i] = shown[n] if shown else rules.Cell(v.cells[i][2])
            texts[i], numbers[i] = cell.text(), cell.value
    if suppress:
        _protect_split(v, count_cells, texts, numbers)
    by_key = {k: i for i, k in enumerate(keys) if isinstance(k, str)}
    for i, (key, _label, x) in enumerate(v.cells):
        if i in counts or x is None:
            continue
        n = v.denominator
        group = key.rsplit("_", 1)[0] + "_n" if isinstance(key, str) and "_" in key else None
        if group in by_key:
            n = v.cells[by_key[group]][2]
        if suppress and (n is None or n < rules.SUPPRESS_BELOW):
            continue
        texts[i] = format_value(x, "days" if v.unit == "days" else "score")
        numbers[i] = x
    return texts, numbers, count_cells


def _exact_split(v: Value, count_cells: dict) -> bool:
    """Whether the cells are all counts adding up to the denominator (an exact split)."""
    counts = [v.cells[i][2] for i in count_cells]
    return bool(counts) and len(counts) == len(v.cells) and sum(counts) == v.denominator


def _protect_split(v: Value, count_cells: dict, texts: list, numbers: list) -> None:
    """Where the cells split the denominator and the numerator is hidden (itself or its
    complement a hidden count), a visible cell the size of the numerator or its complement
    would reveal it (the complement as the denominator minus it): hide that cell too ("x").
    The row already hides two cells or none, so no lone hidden cell appears."""
    if not is_count(v.numerator) or not is_count(v.denominator):
        return
    if not _exact_split(v, count_cells):
        return
    complement = v.denominator - v.numerator
    if not against_total([v.numerator, complement], v.denominator)[0][0].suppressed:
        return
    for i, cell in count_cells.items():
        if not cell.suppressed and v.cells[i][2] and v.cells[i][2] in (v.numerator, complement):
            count_cells[i] = hidden = rules.Cell(None, secondary=True)
            texts[i], numbers[i] = hidden.text(), None


def _count_groups(v: Value, counts: list[int]) -> list[list[int]]:
    """The count cells in the groups that add up to a shown total: one group per question where
    a cell's key is a (question, option) pair (the survey: each question's answers add up to its
    own answer count), else all the counts as one row."""
    if counts and all(isinstance(v.cells[i][0], tuple) for i in counts):
        groups: dict = {}
        for i in counts:
            groups.setdefault(v.cells[i][0][0], []).append(i)
        return list(groups.values())
    return [counts] if counts else []


def _numerator_in_cells(v: Value, count_cells: dict) -> rules.Cell | None:
    """Where the counts add up to the denominator, the numerator or its complement is often one
    of them (the done, the improved; the not linked): if a cell of either size is hidden, the
    numerator is hidden too, or the denominator minus the numerator and the visible cells
    would reveal the hidden one."""
    if not _exact_split(v, count_cells):
        return None
    sizes = (v.numerator, v.denominator - v.numerator)
    same = [count_cells[i] for i in count_cells if v.cells[i][2] in sizes]
    return next((c for c in same if c.suppressed), None)


def figure(kpi: Kpi, v: Value, suppress: bool) -> Figure:
    value = shown_value(v, suppress)
    texts, numbers, count_cells = _cell_texts(v, suppress)
    numerator = denominator = ""
    if v.numerator is not None and v.denominator is not None:
        numerator, denominator = str(v.numerator), str(v.denominator)
        if suppress:
            cells, total = against_total([v.numerator, v.denominator - v.numerator],
                                         v.denominator)
            shown_numerator = cells[0]
            if not shown_numerator.suppressed:
                shown_numerator = _numerator_in_cells(v, count_cells) or shown_numerator
            numerator, denominator = shown_numerator.text(), total.text()
    elif v.denominator is not None:
        denominator = str(v.denominator)
        if suppress and is_count(v.denominator) and v.unit != "ratio":
            denominator = primary(v.denominator).text()
    labels = [str(c[1]) for c in v.cells]
    bars = ()
    if v.cells and all(is_count(c[2]) for c in v.cells):
        bars = tuple(zip(labels, numbers, strict=True))
    return Figure(kpi, format_value(value, v.unit), numerator, denominator,
                  tuple(zip(labels, texts, strict=True)),
                  hidden=value is None and v.value is not None, bars=bars,
                  name=str(kpi.name(get_language())), has_cases=kpi.cases is not None)


def sections(figures) -> list[Section]:
    """The figures grouped for the dashboard, in GROUP_TITLES' order, the catalogue's order
    within a group."""
    groups: dict[str, list] = {}
    for f in figures:
        groups.setdefault(f.kpi.group if f.kpi.group in GROUP_TITLES else "", []).append(f)
    order = [*GROUP_TITLES, ""]
    return [Section(key or "other", str(GROUP_TITLES.get(key, OTHER_GROUP)), tuple(groups[key]))
            for key in order if key in groups]
