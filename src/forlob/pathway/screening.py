"""Scored screening instruments, stored item by item (issue 3 item 6; retningslinje 3.5.3).

AUDIT (WHO, Babor et al. 2001): 10 items, total 0-40; items 1-8 score 0-4, items 9-10 score
0, 2 or 4. Risk zones: I 0-7, II 8-15, III 16-19, IV 20-40.
DUDIT (Berman et al. 2005): 11 items, total 0-44; items 1-9 score 0-4, items 10-11 score 0, 2
or 4. Drug-related problems are indicated at >= 6 for men and >= 2 for women; probable
dependence at >= 25.
"""

from collections.abc import Sequence
from dataclasses import dataclass

FULL = frozenset(range(5))
TRIPLE = frozenset({0, 2, 4})

AUDIT_ITEMS = tuple([FULL] * 8 + [TRIPLE] * 2)
DUDIT_ITEMS = tuple([FULL] * 9 + [TRIPLE] * 2)
AUDIT_ZONES = ((0, 7, "I"), (8, 15, "II"), (16, 19, "III"), (20, 40, "IV"))


class InvalidAnswers(ValueError):
    """Item answers of the wrong count or outside an item's allowed values."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"item {i}: {p}" for i, p in problems))
        self.problems = problems  # (1-based item number, "count"|"value")


def _check(answers: Sequence[int], allowed: tuple[frozenset, ...]) -> int:
    if len(answers) != len(allowed):
        raise InvalidAnswers([(0, "count")])
    problems = [
        (i, "value")
        for i, (value, ok) in enumerate(zip(answers, allowed, strict=True), start=1)
        if isinstance(value, bool) or not isinstance(value, int) or value not in ok
    ]
    if problems:
        raise InvalidAnswers(problems)
    return sum(answers)


@dataclass(frozen=True)
class AuditResult:
    total: int
    zone: str


@dataclass(frozen=True)
class DuditResult:
    total: int
    problems_indicated: bool | None  # None when sex is unknown
    probable_dependence: bool


def audit_score(answers: Sequence[int]) -> AuditResult:
    """Total and WHO risk zone of an AUDIT; rejects answers outside an item's values."""
    total = _check(answers, AUDIT_ITEMS)
    zone = next(z for lo, hi, z in AUDIT_ZONES if lo <= total <= hi)
    return AuditResult(total, zone)


def dudit_score(answers: Sequence[int], sex: str) -> DuditResult:
    """Total and cut-offs of a DUDIT: problems at >= 6 (men) / >= 2 (women), dependence >= 25."""
    total = _check(answers, DUDIT_ITEMS)
    cut = {"M": 6, "F": 2}.get(sex)
    return DuditResult(total, None if cut is None else total >= cut, total >= 25)
