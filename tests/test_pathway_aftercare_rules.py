"""Rules after treatment start (issue 4): month arithmetic, follow-up, reviews, discharge."""

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.pathway import rules as r

D = dt.date
R = r.DischargeReason


# issue 4 item 8: month ends clamp; leap years
@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2027, 8, 31), 6, D(2028, 2, 29)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 12, 15), 1, D(2027, 1, 15)),
    (D(2026, 7, 29), 6, D(2027, 1, 29)),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert r.add_months(day, months) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
       st.integers(min_value=0, max_value=60))
def test_property_add_months(day, months):
    result = r.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


# bek. 1477 § 4, stk. 2; retningslinje 3.12.1: the four reasons
@pytest.mark.parametrize(("reason", "applies"), [
    (R.COMPLETED, True), (R.OTHER_OFFER, True), (R.HOSPITAL, True), (R.OTHER, True),
    (R.MOVED, False), (R.CITIZEN_STOPS, False), (R.EXPELLED, False), (R.NO_SHOW, False),
    (R.DIED, False),
])
def test_which_reasons_create_follow_ups(reason, applies):
    assert r.follow_up_applies(reason) is applies


def test_a_municipality_may_promise_follow_up_for_more_reasons():
    """The sample quality standard (Solrød 2023) follows up after every ending."""
    assert r.follow_up_applies(R.EXPELLED, promised=list(R))
    assert not r.follow_up_applies(R.EXPELLED, promised=[R.NO_SHOW])


# bek. 1477 § 4, stk. 2: at the latest 1 and 6 months after
def test_follow_up_due_dates():
    assert r.follow_up_due_dates(D(2026, 1, 31)) == [D(2026, 2, 28), D(2026, 7, 31)]
    # a standard's offsets in days (issue 7): 21 and 90 days after
    assert r.follow_up_due_dates(D(2026, 1, 31), (21, 90)) == [D(2026, 2, 21), D(2026, 5, 1)]
    assert r.follow_up_due_dates(D(2026, 1, 31), (None, 90)) == [D(2026, 2, 28), D(2026, 5, 1)]
    for later in ((29, None), (None, 182), (0, None)):  # later than the law, or nonsense
        with pytest.raises(ValueError):
            r.follow_up_due_dates(D(2026, 1, 31), later)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
       st.one_of(st.none(), st.integers(1, r.FOLLOW_UP_DAYS_MAX[0])),
       st.one_of(st.none(), st.integers(1, r.FOLLOW_UP_DAYS_MAX[1])))
def test_property_configured_follow_up_is_never_later_than_the_law(day, first, second):
    """Whatever the discharge date, an allowed offset lands on or before the legal date, so
    the configured days are kept exactly (no clamping needed) and the law is never broken."""
    dues = r.follow_up_due_dates(day, (first, second))
    legal = r.follow_up_due_dates(day)
    assert dues[0] <= legal[0] and dues[1] <= legal[1]
    if first is not None:
        assert (dues[0] - day).days == first
    if second is not None:
        assert (dues[1] - day).days == second


# retningslinje 3.12.3: declining closes the task as declined
def test_follow_up_status_and_declining_closes():
    due = D(2026, 3, 1)
    assert r.follow_up_status(due, D(2026, 2, 1), None, None) == "open"
    assert r.follow_up_status(due, D(2026, 3, 2), None, None) == "missed"
    assert r.follow_up_status(due, D(2026, 3, 2), D(2026, 2, 20), None) == "done"
    assert r.follow_up_status(due, D(2026, 3, 2), None, D(2026, 1, 5)) == "declined"
    assert r.follow_up_status(due, D(2026, 2, 1), D(2026, 2, 1), D(2026, 1, 5)) == "declined"


# retningslinje 3.9.1: review every 3 months by default, configurable
def test_review_interval():
    assert r.review_due(D(2026, 1, 31)) == D(2026, 4, 30)
    assert r.review_due(D(2026, 1, 31), interval_months=4) == D(2026, 5, 31)
    with pytest.raises(ValueError):
        r.review_due(D(2026, 1, 31), interval_months=0)


# retningslinje 3.11 (planned/unplanned), 2.3.8 and 3.11.6 (prompts), 2.6.13 (KIP meetings)
def test_discharge_classification_and_prompts():
    assert r.is_planned(R.COMPLETED) and r.is_planned(R.CITIZEN_STOPS)
    assert not r.is_planned(R.EXPELLED) and not r.is_planned(R.NO_SHOW)
    assert r.discharge_prompts(R.COMPLETED, "dogn") == ["follow_on_offer"]
    assert r.discharge_prompts(R.NO_SHOW, "ambulant") == ["outreach_contact"]
    assert r.discharge_prompts(R.DIED, "ambulant") == []
    assert r.coordinating_plan_meeting_due(D(2026, 8, 31)) == D(2027, 2, 28)
    assert r.plan_due(D(2026, 6, 1)) == D(2026, 6, 15)
    assert r.supervision_due(D(2026, 1, 31), 2) == D(2026, 3, 31)
