"""Pure rules of the indicators (issue 5): statistics over plain numbers, age groups, the
estimated target groups for coverage, and small-cell suppression. No database access here."""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Counts below this are shown as "<5" wherever figures cross the personal-data scope
#: (issue 5 item 4; the region's and Danmarks Statistik's practice).
SUPPRESS_BELOW = 5

#: Age groups by year of birth at the first request (age = request year - birth year). The
#: youngest band matches pathway.rules.is_youth: with only a birth year, a citizen counts as
#: under 18 until the end of the year they turn 18 [inference: the adult bands follow Danmarks
#: Statistik's 10-year bands, with the young adults split out (retningslinje 3.13)].
AGE_GROUPS = (("u18", 0, 18), ("19-24", 19, 24), ("25-34", 25, 34), ("35-44", 35, 44),
              ("45-59", 45, 59), ("60+", 60, 200))
YOUTH_MAX_AGE = 18

#: Estimated target groups per 35,000 inhabitants (Region Sjælland's status report 2014:
#: about 3,500 people with harmful alcohol use, 210 drug users and 175 young people in need
#: of treatment in a municipality of 35,000), scaled by population (issue 5 item 1).
TARGET_PER_35000 = {"alcohol": 3500, "drugs": 210, "youth": 175}
REFERENCE_POPULATION = 35_000


def age_group(age: int) -> str:
    for code, low, high in AGE_GROUPS:
        if low <= age <= high:
            return code
    raise ValueError(f"no age group for {age}")


def age_bounds(code: str) -> tuple[int, int]:
    for group, low, high in AGE_GROUPS:
        if group == code:
            return low, high
    raise ValueError(f"unknown age group {code}")


def target_group(population: int, kind: str) -> float:
    """The estimated target group of `kind` for a municipality of `population` (coverage's
    denominator; region report 2014)."""
    return TARGET_PER_35000[kind] * population / REFERENCE_POPULATION


def share(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None with no denominator."""
    return numerator / denominator if denominator else None


def median(values: Sequence[float]) -> float | None:
    """The middle value (mean of the two middle values for an even count), None when empty."""
    return percentile(values, 50)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile by linear interpolation between closest ranks (the method of
    PostgreSQL's percentile_cont and numpy's default), None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months overlapping [start, end], each as (first day, last day) clipped to
    the period: the trend's buckets."""
    result = []
    first = start.replace(day=1)
    while first <= end:
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        result.append((max(first, start), min(nxt - dt.timedelta(days=1), end)))
        first = nxt
    return result


# --- Small-cell suppression (issue 5 item 4) -------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One shown count: its value, or None when suppressed, and whether it was suppressed
    primarily (below the threshold) or secondarily (to protect another cell)."""

    value: int | None
    primary: bool = False
    secondary: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def text(self) -> str:
        return f"<{SUPPRESS_BELOW}" if self.primary else ("x" if self.secondary else
                                                           str(self.value))


@dataclass(frozen=True)
class Suppressed:
    """A suppressed table: the cells, and the row and column totals that must be hidden too
    because no other cell in their line could protect a hidden one."""

    cells: list
    hidden_row_totals: frozenset = frozenset()
    hidden_column_totals: frozenset = frozenset()


def suppress(rows: Sequence[Sequence[int]]) -> Suppressed:
    """Small-cell suppression of a table whose row and column totals are shown (issue 5 item
    4; Danmarks Statistik's discretion rules):

    - primary: every count from 1 to SUPPRESS_BELOW - 1 is hidden; a zero says nothing about a
      person and is shown;
    - secondary: a line (row or column) with exactly one hidden cell would let its total minus
      the visible cells reveal it, so one more visible cell of that line is hidden. The cell
      chosen is one whose crossing line already hides a cell (so no new lone hidden cell
      appears there), then the smallest; a zero may be chosen (a hidden zero makes the sum
      ambiguous). A line with nothing left to hide gets its total hidden instead. Repeated
      until every line hides no cell, or two or more, or its total.
    """
    counts = [list(r) for r in rows]
    positions = {(i, j) for i, r in enumerate(counts) for j in range(len(r))}
    hidden = {p for p in positions if 0 < counts[p[0]][p[1]] < SUPPRESS_BELOW}
    primary = frozenset(hidden)
    width = max((len(r) for r in counts), default=0)
    lines = ([("row", i, [(i, j) for j in range(len(counts[i]))]) for i in range(len(counts))]
             + [("col", j, [(i, j) for i in range(len(counts)) if j < len(counts[i])])
                for j in range(width)])
    by_cell = {p: [line for line in lines if p in line[2]] for p in positions}
    hidden_totals: set = set()

    def lone(line) -> bool:
        return (line[0], line[1]) not in hidden_totals and \
            sum(1 for p in line[2] if p in hidden) == 1

    changed = True
    while changed:
        changed = False
        for line in lines:
            if not lone(line):
                continue
            options = [p for p in line[2] if p not in hidden]
            if not options:
                hidden_totals.add((line[0], line[1]))
                changed = True
                continue

            def cost(p, line=line):
                crossing = [x for x in by_cell[p] if x is not line]
                fresh = sum(1 for x in crossing
                            if not any(q in hidden for q in x[2])
                            and (x[0], x[1]) not in hidden_totals)
                return (fresh, counts[p[0]][p[1]] == 0, counts[p[0]][p[1]], p)

            hidden.add(min(options, key=cost))
            changed = True
    cells = [[Cell(None, primary=(i, j) in primary, secondary=(i, j) not in primary)
              if (i, j) in hidden else Cell(c) for j, c in enumerate(r)]
             for i, r in enumerate(counts)]
    return Suppressed(cells,
                      frozenset(i for kind, i in hidden_totals if kind == "row"),
                      frozenset(j for kind, j in hidden_totals if kind == "col"))


def suppress_row(counts: Sequence[int]) -> list[Cell]:
    """One row of counts with a shown total (suppress over a one-row table). Where the total
    itself must be hidden, use `suppress` and its hidden_row_totals."""
    return suppress([counts]).cells[0]


def row_total_hidden(counts: Sequence[int]) -> bool:
    """Whether a row's shown total would reveal its only hidden cell, so the total is hidden."""
    return 0 in suppress([counts]).hidden_row_totals


def suppress_table(rows: Sequence[Sequence[int]]) -> list[list[Cell]]:
    """The cells of `suppress(rows)`."""
    return suppress(rows).cells


def shown_rate(numerator: int, denominator: int) -> float | None:
    """A rate as shown across the personal-data scope: not shown when its denominator is below
    SUPPRESS_BELOW (issue 5 item 4), nor when the numerator or its complement is a suppressed
    count, since rate times the visible denominator would reveal it (secondary suppression)."""
    if denominator < SUPPRESS_BELOW:
        return None
    if 0 < numerator < SUPPRESS_BELOW or 0 < denominator - numerator < SUPPRESS_BELOW:
        return None
    return share(numerator, denominator)
