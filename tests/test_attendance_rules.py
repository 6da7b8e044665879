"""Pure rules of attendance and retention (issue 4 item 5; retningslinje 3.10)."""

import datetime as dt

import pytest
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


@pytest.mark.parametrize(("closed_on", "reached", "is_open"), [
    (None, [], True),                        # no attempt yet
    (None, [False, False], True),            # attempts that did not reach the citizen
    (None, [False, True], False),            # reached on the second attempt
    (None, [True], False),
    (D(2026, 6, 15), [], False),             # closed with a reason
    (D(2026, 6, 15), [False], False),
])
def test_task_open_worked_examples(closed_on, reached, is_open):
    assert rules.task_open(closed_on, reached) is is_open


@given(st.one_of(st.none(), days), st.lists(st.booleans(), max_size=5), st.booleans(),
       st.randoms())
def test_task_open_until_reached_or_closed(closed_on, reached, another, rnd):
    is_open = rules.task_open(closed_on, reached)
    # one more attempt never reopens a task, and one that reaches the citizen closes it
    if not is_open:
        assert not rules.task_open(closed_on, [*reached, another])
    assert not rules.task_open(closed_on, [*reached, True])
    # a task closed with a reason is closed, whatever the attempts
    assert not rules.task_open(D(2026, 6, 15), reached)
    # the order of the attempts does not matter
    shuffled = list(reached)
    rnd.shuffle(shuffled)
    assert rules.task_open(closed_on, shuffled) is is_open
    # attempts that did not reach the citizen leave an unclosed task open
    assert rules.task_open(None, [False] * len(reached))


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


@pytest.mark.parametrize(("enabled", "configured", "maximum", "given_before", "amount",
                          "problem"), [
    (True, 100, None, 0, 100, None),
    (True, 100, None, 50, 100, None),                        # no maximum
    (True, 100, 3, 2, 100, None),                            # the third of three
    (True, 100, 3, 3, 100, VoucherProblem.MAX_REACHED),      # a fourth
    (True, 100, 3, 3, 150, VoucherProblem.WRONG_AMOUNT),     # the amount is checked first
    (True, 100, None, 0, 99, VoucherProblem.WRONG_AMOUNT),
    (True, None, None, 0, 100, VoucherProblem.NOT_ENABLED),  # no amount fixed
    (True, 0, None, 0, 100, VoucherProblem.NOT_ENABLED),
    (False, 100, None, 0, 100, VoucherProblem.NOT_ENABLED),  # the council has not decided
    (False, 100, 1, 5, 7, VoucherProblem.NOT_ENABLED),       # not enabled wins over all
])
def test_voucher_worked_examples(enabled, configured, maximum, given_before, amount, problem):
    assert rules.voucher_problem(enabled, configured, maximum, given_before, amount) == problem


@given(st.booleans(), st.one_of(st.none(), st.integers(1, 500)),
       st.one_of(st.none(), st.integers(1, 5)), st.integers(0, 6), st.integers(1, 500))
def test_voucher_problem(enabled, configured, maximum, given_before, amount):
    problem = rules.voucher_problem(enabled, configured, maximum, given_before, amount)
    # not enabled: refused whatever the amount or count
    assert rules.voucher_problem(False, configured, maximum, given_before, amount) == \
        VoucherProblem.NOT_ENABLED
    # enabled but no amount fixed: refused whatever the amount or count
    assert rules.voucher_problem(True, None, maximum, given_before, amount) == \
        VoucherProblem.NOT_ENABLED
    if not enabled or configured is None:
        assert problem == VoucherProblem.NOT_ENABLED
        return
    # enabled with an amount: the fixed amount is the only one that can be accepted
    if amount != configured:
        assert problem == VoucherProblem.WRONG_AMOUNT
    right = rules.voucher_problem(True, configured, maximum, given_before, configured)
    assert right in (None, VoucherProblem.MAX_REACHED)
    # no maximum: never refused for the count
    assert rules.voucher_problem(True, configured, None, given_before, configured) is None
    # the count only ever grows towards the maximum: once reached, it stays reached
    if right == VoucherProblem.MAX_REACHED:
        assert rules.voucher_problem(True, configured, maximum, given_before + 1,
                                     configured) == VoucherProblem.MAX_REACHED
    if maximum is not None:
        # the first `maximum` vouchers are allowed, the next is not
        assert rules.voucher_problem(True, configured, maximum, maximum - 1, configured) is None
        assert rules.voucher_problem(True, configured, maximum, maximum,
                                     configured) == VoucherProblem.MAX_REACHED
        # a higher maximum never refuses what a lower one allows
        if right is None:
            assert rules.voucher_problem(True, configured, maximum + 1, given_before,
                                         configured) is None


@pytest.mark.parametrize(("occurred", "resumed", "problem"), [
    (D(2026, 6, 1), None, None),                    # not resumed yet
    (D(2026, 6, 1), D(2026, 6, 1), None),           # the same day
    (D(2026, 6, 1), D(2026, 6, 15), None),          # today
    (D(2026, 6, 1), D(2026, 5, 31), "before_event"),
    (D(2026, 6, 1), D(2026, 6, 16), "future"),
    (D(2026, 6, 20), D(2026, 6, 18), "before_event"),  # event ahead too: before it first
])
def test_resumed_worked_examples(occurred, resumed, problem):
    assert rules.resumed_problem(occurred, resumed, D(2026, 6, 15)) == problem


@given(days, st.one_of(st.none(), days), st.integers(min_value=1, max_value=400))
def test_resumed_on_or_after_the_event_and_not_ahead(occurred, resumed, shift):
    today = D(2026, 6, 15)
    step = dt.timedelta(days=shift)
    problem = rules.resumed_problem(occurred, resumed, today)
    assert problem in (None, "before_event", "future")
    assert rules.resumed_problem(occurred, None, today) is None
    if resumed is None:
        return
    if problem is None:
        # an accepted day: a later today or an earlier event keeps it accepted
        assert rules.resumed_problem(occurred, resumed, today + step) is None
        assert rules.resumed_problem(occurred - step, resumed, today) is None
    if problem == "before_event":
        # still before the event when resumed even earlier
        assert rules.resumed_problem(occurred, resumed - step, today) == "before_event"
    if problem == "future":
        # still ahead when resumed even later
        assert rules.resumed_problem(occurred, resumed + step, today) == "future"
