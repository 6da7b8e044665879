"""Pure rules of attendance and retention (issue 4 item 5; retningslinje 3.10)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from forlob.attendance import rules
from forlob.attendance.rules import DayProblem, VoucherProblem

D = dt.date
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
attendance = st.sampled_from(["attended", "no_show", "cancelled"])


def test_outreach_due_counts_two_working_days():
    assert rules.outreach_due(D(2026, 6, 15)) == D(2026, 6, 17)  # Monday -> Wednesday
    assert rules.outreach_due(D(2026, 6, 18)) == D(2026, 6, 22)  # Thursday -> Monday
    assert rules.outreach_due(D(2026, 6, 19)) == D(2026, 6, 23)  # Friday -> Tuesday
    assert rules.outreach_due(D(2026, 6, 20)) == D(2026, 6, 23)  # Saturday -> Tuesday


@given(days, st.integers(min_value=1, max_value=20))
def test_working_days_land_on_a_weekday_with_the_right_count(day, n):
    due = rules.add_working_days(day, n)
    assert due > day and due.weekday() < 5
    between = [day + dt.timedelta(days=i) for i in range(1, (due - day).days + 1)]
    assert sum(d.weekday() < 5 for d in between) == n
    assert (due - day).days <= n + 2 * (n // 5 + 1)


@given(days)
def test_outreach_due_is_never_more_than_four_calendar_days_away(day):
    assert 2 <= (rules.outreach_due(day) - day).days <= 4


@given(attendance)
def test_only_a_no_show_opens_an_outreach_task(value):
    assert rules.retention_needed(value) == (value == "no_show")


@given(days, days, days)
def test_appointment_date_within_treatment(day, start, today):
    problem = rules.appointment_day_problem(day, "attended", today, start)
    if day > today:
        assert problem == DayProblem.FUTURE
    elif day < start:
        assert problem == DayProblem.BEFORE_START
    else:
        assert problem is None


@given(days, days)
def test_a_cancellation_may_lie_ahead_but_not_after_discharge(start, discharged):
    today = D(2026, 6, 15)
    ahead = today + dt.timedelta(days=7)
    assert rules.appointment_day_problem(ahead, "cancelled", today, min(start, ahead)) is None
    assert rules.appointment_day_problem(ahead, "no_show", today, min(start, ahead)) == \
        DayProblem.FUTURE
    after = discharged + dt.timedelta(days=1)
    if after >= start:
        assert rules.appointment_day_problem(after, "cancelled", today, start, discharged) == \
            DayProblem.AFTER_DISCHARGE


def test_contact_attempt_not_before_the_no_show():
    today = D(2026, 6, 15)
    assert rules.day_problem(D(2026, 6, 9), today, None, not_before=D(2026, 6, 10)) == \
        DayProblem.BEFORE_EVENT
    assert rules.day_problem(D(2026, 6, 10), today, None, not_before=D(2026, 6, 10)) is None


@given(st.one_of(st.none(), days), st.lists(st.booleans(), max_size=5))
def test_task_open_until_reached_or_closed(closed_on, reached):
    assert rules.task_open(closed_on, reached) == (closed_on is None and not any(reached))


@given(days, st.lists(days, max_size=5), st.one_of(st.none(), days))
def test_new_decision_request_open_until_newer_decision_or_closed(requested, decisions,
                                                                   closed):
    is_open = rules.new_decision_open(requested, decisions, closed)
    newer = any(d >= requested for d in decisions)
    assert is_open == (closed is None and not newer)


def test_a_decision_on_the_request_day_answers_it():
    assert rules.new_decision_answered(D(2026, 6, 12), [D(2026, 6, 5), D(2026, 6, 12)])
    assert not rules.new_decision_answered(D(2026, 6, 12), [D(2026, 6, 11)])
    assert rules.new_decision_due(D(2026, 6, 12)) == D(2026, 6, 26)


@given(st.booleans(), st.one_of(st.none(), st.integers(1, 500)),
       st.one_of(st.none(), st.integers(1, 5)), st.integers(0, 6), st.integers(1, 500))
def test_voucher_problem(enabled, configured, maximum, given_before, amount):
    problem = rules.voucher_problem(enabled, configured, maximum, given_before, amount)
    if not enabled or not configured:
        assert problem == VoucherProblem.NOT_ENABLED
    elif amount != configured:
        assert problem == VoucherProblem.WRONG_AMOUNT
    elif maximum is not None and given_before >= maximum:
        assert problem == VoucherProblem.MAX_REACHED
    else:
        assert problem is None


@given(days, st.one_of(st.none(), days))
def test_resumed_on_or_after_the_event_and_not_ahead(occurred, resumed):
    today = D(2026, 6, 15)
    problem = rules.resumed_problem(occurred, resumed, today)
    if resumed is None:
        assert problem is None
    elif resumed < occurred:
        assert problem == "before_event"
    elif resumed > today:
        assert problem == "future"
    else:
        assert problem is None
