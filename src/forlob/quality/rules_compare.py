"""Rounds over time (issue 6 item 7), as pure functions: which rounds can be compared, which
indicators match, and how a municipality's category and measured evidence moved."""

from collections.abc import Sequence

from .models.rounds import Category

IMPROVED, WORSE, SAME, CHANGED = "improved", "worse", "same", "changed"

#: Statusrapport 2014's classes in order: Ikke indfriet < Delvist indfriet < Helt indfriet.
RANK = {Category.NOT_MET: 0, Category.PARTLY: 1, Category.MET: 2}

#: Two measured values closer than this are the same [inference: far below the shown precision].
EPSILON = 1e-9


def comparable(code_before: str, code_after: str) -> bool:
    """Two rounds compare indicator by indicator when they use the same framework (code); the
    versions may differ, since a new version keeps the numbering (issue 6 item 1)."""
    return bool(code_before) and code_before == code_after


def matched_numbers(before: Sequence[str], after: Sequence[str]):
    """(the numbers in both, in the later round's order; only in the earlier; only in the
    later). Indicators are matched by number across framework versions."""
    earlier, later = set(before), set(after)
    return ([n for n in after if n in earlier], [n for n in before if n not in later],
            [n for n in after if n not in earlier])


def category_change(before: str | None, after: str | None) -> str:
    """IMPROVED when the category moved up (towards Helt indfriet), WORSE when down, SAME when
    unchanged; "" when either round has no category (not answered, delvis still open, or the
    municipality did not take part)."""
    if before not in RANK or after not in RANK:
        return ""
    if RANK[after] == RANK[before]:
        return SAME
    return IMPROVED if RANK[after] > RANK[before] else WORSE


def evidence_change(before: float | None, after: float | None, better: str) -> str:
    """How a measured value moved, by the KPI's better direction (indicators.catalogue:
    "higher", "lower" or "none"): IMPROVED, WORSE, SAME, or CHANGED without a direction; ""
    when either value is missing (no data, or suppressed)."""
    if before is None or after is None:
        return ""
    if abs(after - before) < EPSILON:
        return SAME
    if better == "higher":
        return IMPROVED if after > before else WORSE
    if better == "lower":
        return IMPROVED if after < before else WORSE
    return CHANGED
