"""Small-cell suppression (issue 5 item 4; indicators/rules.py): properties proved with
hypothesis. No visible cell is 1-4; in every row and column with a shown total, no total minus
the visible cells reveals exactly one hidden cell (0 or at least 2 hidden non-zero cells); and
rates with a denominator below 5 are not shown.

A line whose only non-zero cell is below 5 cannot be protected by hiding another cell (there is
none to hide); rules.py then leaves one hidden cell beside a shown total. That is a known gap,
pinned by the strict xfail tests at the end (see the report)."""

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


@given(st.lists(small_heavy, max_size=12))
def test_row_without_shown_total_needs_no_secondary(row):
    cells = rules.suppress_row(row, total_shown=False)
    _visible_ok(cells)
    assert not any(c.secondary for c in cells)


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
def test_table_line_with_one_hidden_cell_has_nothing_left_to_hide(table):
    """What suppress_table guarantees today: a row or column with exactly one hidden cell has
    no visible non-zero cell left that could have been hidden with it."""
    cells = rules.suppress_table(table)
    rows, cols = _lines(table)
    cell_rows, cell_cols = _lines(cells)
    for line, line_cells in zip(rows + cols, cell_rows + cell_cols, strict=True):
        if sum(1 for c in line_cells if c.suppressed) == 1:
            assert all(n == 0 for n, c in zip(line, line_cells, strict=True)
                       if not c.suppressed), (table, line)


@pytest.mark.xfail(strict=True, reason="rules.suppress_table picks a secondary cell that is the "
                   "only non-zero cell of its column: [[0, 1, 5], [5, 1, 0]] hides (1, 0) = 5 "
                   "alone in column [0, 5], whose total 5 reveals it")
@given(tables())
@example([[0, 1, 5], [5, 1, 0]])
def test_table_totals_reveal_no_hidden_cell(table):
    rows, cols = _lines(table)
    assume(all(_protectable(line) for line in rows + cols))
    cells = rules.suppress_table(table)
    cell_rows, cell_cols = _lines(cells)
    for line, line_cells in zip(rows + cols, cell_rows + cell_cols, strict=True):
        assert _hidden_nonzero(line, line_cells) != 1, (table, line)


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


# --- The gap: a line with a single non-zero cell below 5 ------------------------------------

@pytest.mark.xfail(strict=True, reason="rules.suppress_row leaves one hidden cell beside a "
                   "shown total when no other non-zero cell exists: total 3 reveals it")
@pytest.mark.parametrize("row", [[3], [3, 0], [0, 0, 4]])
def test_row_single_small_cell_is_revealed_by_total(row):
    cells = rules.suppress_row(row)
    assert sum(1 for c in cells if c.suppressed) != 1


@pytest.mark.xfail(strict=True, reason="rules.suppress_table: column [3, 0] keeps one hidden "
                   "cell; its shown column total 3 reveals it")
def test_table_single_small_cell_in_column_is_revealed():
    cells = rules.suppress_table([[3, 10], [0, 10]])
    assert sum(1 for c in (cells[0][0], cells[1][0]) if c.suppressed) != 1
