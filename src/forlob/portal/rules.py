"""Disclosure rules for aggregated figures shown outside the personal-data scope."""

SMALL_CELL_LIMIT = 5


def suppress_count(n: int | None, limit: int = SMALL_CELL_LIMIT) -> str:
    """Show a count, or "<5" when it is 1-4, so a small group cannot be singled out.

    Source: Danmarks Statistik's and Sundhedsdatastyrelsen's practice of primary
    small-cell suppression (cells under 5) for published health statistics (issue 5).
    Zero is shown as 0: it reveals no person.
    """
    if n is None:
        return "–"
    if 0 < n < limit:
        return f"<{limit}"
    return str(n)
