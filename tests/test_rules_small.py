"""Small rules moved out of services and clocks in the review of issue 4: the guarantee cap,
the open clock and the supervision anchor."""

import datetime as dt

import pytest

from forlob.pathway import rules
from forlob.pathway.rules import ClockStatus
from forlob.treatment import rules as treatment_rules

D = dt.date


@pytest.mark.parametrize("configured,expected", [(14, 14), (10, 10), (1, 1), (21, 14)])
def test_guarantee_days_never_longer_than_the_law(configured, expected):
    assert rules.guarantee_days(configured) == expected


@pytest.mark.parametrize("today,status,days_left", [
    (D(2026, 6, 10), ClockStatus.OPEN, 5),
    (D(2026, 6, 15), ClockStatus.OPEN, 0),      # the due day itself is still in time
    (D(2026, 6, 16), ClockStatus.BREACHED, -1),
])
def test_open_clock_breaches_after_the_due_day(today, status, days_left):
    c = rules.open_clock("review", D(2026, 3, 15), D(2026, 6, 15), today)
    assert (c.status, c.days_left, c.done_on) == (status, days_left, None)


def test_supervision_anchor_is_the_latest_visit_or_the_start():
    start = D(2026, 1, 10)
    assert treatment_rules.supervision_anchor(start, []) == start
    assert treatment_rules.supervision_anchor(start, [D(2026, 4, 1), D(2026, 2, 1)]) == \
        D(2026, 4, 1)
