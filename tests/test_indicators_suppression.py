"""Small-cell suppression (issue 5 item 4; indicators/rules.py): properties proved with
hypothesis. No visible cell is 1-4; in every row and column with a shown total, no total minus
the visible cells reveals exactly one hidden cell (0 or at least 2 hidden non-zero cells); and
rates with a denominator below 5 are not shown.
A line with nothing else to hide has its total hidden instead (rules.suppress)."""

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from forlob.indicators import rules

counts = st.integers(min_value=0, max_value=60)
small_heavy = st.one_of(st.integers(0, 6), counts)  # many cells near the threshold


def _visible_ok(cells):
    for cell in cells:
        if not cell.suppressed:
            assert not 0 < cell.value < rules.SUPPRESS_BELOW
        else:
            assert cell.primary != cell.secondary  # hidden for exactly one reason


def _protectable(line):
    """A line can be protected by hiding cells only if it has a second non-zero cell."""
    return sum(1 for c in line if c > 0) != 1 or all(c == 0 or c >= 5 for c in line)


def _hidden_nonzero(line_counts, line_cells):
    return sum(1 for n, cell in zip(line_counts, line_cells, strict=True)
               if cell.suppressed and n > 0)


@given(st.lists(small_heavy, max_size=12))
def test_row_shows_no_small_count(row):
    cells = rules.suppress_row(row)
    assert len(cells) == len(row)
    _visible_ok(cells)
    for n, cell in zip(row, cells, strict=True):
        assert cell.suppressed or cell.value == n  # shown values are the true counts
        if cell.primary:
            assert 0 < n < rules.SUPPRESS_BELOW


@given(st.lists(small_heavy, max_size=12))
@example([3, 10])
@example([3, 0, 10, 7])
def test_row_total_reveals_no_hidden_cell(row):
    assume(_protectable(row))
    cells = rules.suppress_row(row)
    assert _hidden_nonzero(row, cells) != 1
    assert sum(1 for c in cells if c.suppressed) != 1  # nor a hidden zero alone


@st.composite
def tables(draw):
    width = draw(st.integers(1, 6))
    height = draw(st.integers(1, 6))
    return [draw(st.lists(small_heavy, min_size=width, max_size=width)) for _ in range(height)]


def _lines(table):
    rows = list(table)
    cols = [list(c) for c in zip(*table, strict=True)]
    return rows, cols


@given(tables())
def test_table_shows_no_small_count(table):
    cells = rules.suppress_table(table)
    for row, row_cells in zip(table, cells, strict=True):
        _visible_ok(row_cells)
        for n, cell in zip(row, row_cells, strict=True):
            assert cell.suppressed or cell.value == n


@given(tables())
@example([[3, 10], [10, 10]])
@example([[1, 6, 6], [6, 1, 6], [6, 6, 1]])
@example([[0, 1, 5], [5, 1, 0]])
@example([[3, 10], [0, 10]])
@example([[3]])
def test_no_shown_total_reveals_a_hidden_cell(table):
    """Every row and column hides no cell, or at least two, or has its total hidden: a shown
    total minus the visible cells never equals one hidden cell."""
    result = rules.suppress(table)
    cell_rows, cell_cols = _lines(result.cells)
    for i, line in enumerate(cell_rows):
        assert sum(c.suppressed for c in line) != 1 or i in result.hidden_row_totals, table
    for j, line in enumerate(cell_cols):
        assert sum(c.suppressed for c in line) != 1 or j in result.hidden_column_totals, table


@given(st.integers(0, 200), st.integers(0, 200))
def test_rate_with_small_denominator_is_not_shown(a, b):
    numerator, denominator = min(a, b), max(a, b)
    rate = rules.shown_rate(numerator, denominator)
    if denominator < rules.SUPPRESS_BELOW:
        assert rate is None
    if rate is not None:
        assert rate == numerator / denominator
        # neither the count nor its complement can be worked back to a small cell
        assert not 0 < numerator < rules.SUPPRESS_BELOW
        assert not 0 < denominator - numerator < rules.SUPPRESS_BELOW


def test_rate_examples():
    assert rules.shown_rate(0, 0) is None
    assert rules.shown_rate(4, 4) is None
    assert rules.shown_rate(5, 5) == 1.0
    assert rules.shown_rate(0, 5) == 0.0
    assert rules.shown_rate(3, 10) is None  # numerator hidden
    assert rules.shown_rate(7, 10) is None  # 10 - 7 = 3 would be revealed
    assert rules.shown_rate(5, 10) == 0.5


def test_text_marks():
    assert [c.text() for c in rules.suppress_row([3, 10, 12])] == ["<5", "x", "12"]


@pytest.mark.parametrize("row", [[3], [3, 0], [0, 0, 4]])
def test_a_lone_small_cell_hides_the_total_or_a_zero(row):
    cells = rules.suppress_row(row)
    assert sum(c.suppressed for c in cells) >= 2 or rules.row_total_hidden(row)
    assert rules.row_total_hidden([3]) and not rules.row_total_hidden([3, 0])
