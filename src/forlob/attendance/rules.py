"""Pure rules of attendance and retention (issue 4 item 5; retningslinje 3.10).

Dates in, answers out; callers pass `today`. No database access.
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

#: Working days within which the provider contacts a citizen after a no-show.
OUTREACH_WORKING_DAYS = 2
#: Days the municipality has to decide on a request for a new decision.
NEW_DECISION_DAYS = 14


class DayProblem(StrEnum):
    FUTURE = "future"
    BEFORE_START = "before_start"
    AFTER_DISCHARGE = "after_discharge"
    BEFORE_EVENT = "before_event"


def day_problem(day: dt.date, today: dt.date, started_on: dt.date | None,
                discharged_on: dt.date | None = None, *, future_allowed: bool = False,
                not_before: dt.date | None = None) -> DayProblem | None:
    """What is wrong with the date of an attendance fact. Appointments, slips, requests and
    vouchers belong to the treatment period: not before its start (issue 4, "Bad input") and not
    after the discharge that ends it (retningslinje 3.11). Facts are recorded when they have
    happened, so not in the future - except where `future_allowed` (an appointment cancelled
    ahead). `not_before` is the fact the date follows (a contact attempt follows its no-show)."""
    if not future_allowed and day > today:
        return DayProblem.FUTURE
    if started_on is not None and day < started_on:
        return DayProblem.BEFORE_START
    if discharged_on is not None and day > discharged_on:
        return DayProblem.AFTER_DISCHARGE
    if not_before is not None and day < not_before:
        return DayProblem.BEFORE_EVENT
    return None


def appointment_day_problem(day: dt.date, attendance: str, today: dt.date,
                            started_on: dt.date, discharged_on: dt.date | None = None
                            ) -> DayProblem | None:
    """An appointment is dated within treatment; only a cancellation may lie ahead, since
    whether the citizen came (attended, no-show) is known only afterwards (3.10.4)."""
    return day_problem(day, today, started_on, discharged_on,
                       future_allowed=attendance == "cancelled")


def add_working_days(day: dt.date, n: int) -> dt.date:
    """`day` plus `n` working days (Monday-Friday). Public holidays are not counted out
    [inference: the guideline names no calendar]."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def outreach_due(no_show_on: dt.date, working_days: int = OUTREACH_WORKING_DAYS) -> dt.date:
    """Last day to contact a citizen who missed an appointment. Retningslinje 3.10.4: the
    clinician "bør aktivt kontakte borgeren, hvis borgeren ikke møder til behandlingsaftalerne"
    (SMS, picking them up, a home visit). It gives no time limit; 2 working days after the
    no-show is chosen [inference], so contact is made while the missed appointment is fresh."""
    return add_working_days(no_show_on, working_days)


def retention_needed(attendance: str) -> bool:
    """A no-show, and only a no-show, opens an outreach task (retningslinje 3.10.4)."""
    return attendance == "no_show"


def task_open(closed_on: dt.date | None, attempts_reached: Iterable[bool]) -> bool:
    """An outreach task is open until an attempt reaches the citizen or it is closed with a
    reason (issue 4 item 5)."""
    return closed_on is None and not any(attempts_reached)


def new_decision_due(requested_on: dt.date, days: int = NEW_DECISION_DAYS) -> dt.date:
    """When the municipality should have decided on a request for a new decision
    (retningslinje 3.10.8: re-visitation is a new decision, SEL § 3, stk. 2). No deadline is
    given; 14 days, as for the treatment guarantee (SEL § 101, stk. 4), is used [inference]."""
    return requested_on + dt.timedelta(days=days)


def new_decision_answered(requested_on: dt.date, decision_dates: Iterable[dt.date]) -> bool:
    """A request is answered by a decision dated on or after it (issue 4 item 5)."""
    return any(d >= requested_on for d in decision_dates)


def new_decision_open(requested_on: dt.date, decision_dates: Iterable[dt.date],
                      closed_on: dt.date | None) -> bool:
    """Open until the municipality records a newer decision or the caseworker closes it."""
    return closed_on is None and not new_decision_answered(requested_on, decision_dates)


class VoucherProblem(StrEnum):
    NOT_ENABLED = "not_enabled"
    WRONG_AMOUNT = "wrong_amount"
    MAX_REACHED = "max_reached"


def voucher_problem(enabled: bool, configured_amount: int | None, max_per_course: int | None,
                    given_before: int, amount: int) -> VoucherProblem | None:
    """Whether a gift voucher may be given. Only when the council of the acting municipality has
    decided to use vouchers, and then for the amount it fixed (SEL § 101, stk. 9; bek. 1477
    § 2: "fastlægge retningslinjer for anvendelsen af gavekort samt beløb på gavekortet";
    retningslinje 2.8.3). A maximum per course is the municipality's own guideline."""
    if not enabled or not configured_amount:
        return VoucherProblem.NOT_ENABLED
    if amount != configured_amount:
        return VoucherProblem.WRONG_AMOUNT
    if max_per_course is not None and given_before >= max_per_course:
        return VoucherProblem.MAX_REACHED
    return None


def resumed_problem(occurred_on: dt.date, resumed_on: dt.date | None, today: dt.date) -> str | None:
    """Treatment resumes on or after the slip or relapse (retningslinje 3.10.7), and not in the
    future (a fact is recorded once it has happened)."""
    if resumed_on is None:
        return None
    if resumed_on < occurred_on:
        return "before_event"
    if resumed_on > today:
        return "future"
    return None
