"""Pure rules of the treatment part of a course that rules_aftercare does not already hold.

Dates in, values out; callers pass `today`. The rest (plan due, review due, follow-up dates and
status, discharge prompts) is in forlob.pathway.rules_aftercare.
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum


class DayProblem(StrEnum):
    FUTURE = "future"
    BEFORE_START = "before_start"
    BEFORE_DISCHARGE = "before_discharge"


def day_problem(day: dt.date, today: dt.date, started_on: dt.date | None = None,
                discharged_on: dt.date | None = None) -> DayProblem | None:
    """What is wrong with the date of a treatment fact: facts are recorded when they happened,
    never ahead (retningslinje 3.7-3.12 all describe events that have taken place); a plan,
    review or discharge cannot predate treatment start (issue 4, "Bad input"), and a follow-up
    cannot predate the discharge it follows (bek. 1477 § 4, stk. 2)."""
    if day > today:
        return DayProblem.FUTURE
    if started_on is not None and day < started_on:
        return DayProblem.BEFORE_START
    if discharged_on is not None and day < discharged_on:
        return DayProblem.BEFORE_DISCHARGE
    return None


def review_anchor(plan_dates: Iterable[dt.date], review_dates: Iterable[dt.date]) -> dt.date | None:
    """The date the next review is reckoned from: the latest review or plan, whichever is later
    (retningslinje 3.9.1: the plan is followed up "løbende"; a revised plan restarts the
    interval [inference])."""
    dates = [*plan_dates, *review_dates]
    return max(dates) if dates else None


def follow_up_prompts(reached: bool | None, goal_maintained: str) -> list[str]:
    """What a follow-up outcome prompts: when the goal is not maintained, an offer of
    follow-on treatment (issue 4 item 8; retningslinje 3.12.2: the follow-up is to catch a
    relapse and offer new treatment)."""
    return ["follow_on_treatment"] if reached and goal_maintained == "no" else []
