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


# --- Intervals configured per municipality (issue 4 items 2 and 9) ---------------------------

#: Bounds of a configured review interval in months. At least monthly is pointless to forbid;
#: more than 6 months apart is no longer "løbende" follow-up (retningslinje 3.7.4, 3.9.1)
#: [inference: the guidelines give no number; the issue's examples are 3 and 4 months].
REVIEW_MONTHS_MIN, REVIEW_MONTHS_MAX = 1, 6

#: Personal supervision of a residential placement (personrettet tilsyn, SEL § 148): every 3
#: months by default, at most 12 months apart [inference: the law sets no frequency; a yearly
#: visit is the least the ministry's guidance on placements expects].
SUPERVISION_MONTHS, SUPERVISION_MONTHS_MAX = 3, 12

#: A slip or relapse makes a review of the plan due within this many days (retningslinje
#: 3.10.3: a relapse is met by revising the plan; the number of days is an [inference]).
RELAPSE_REVIEW_DAYS = 14


def review_interval(tracks: Iterable[str], configured: dict[str, int],
                    default: int = 3) -> int:
    """Months between reviews for a course on `tracks`: each track's configured interval, or
    the default (3 months, issue 4 item 2) where the municipality has set none. A course on
    several tracks is reviewed at the shortest of them [inference: the stricter promise wins]."""
    months = [configured.get(t, default) for t in tracks] or [default]
    result = min(months)
    if result < REVIEW_MONTHS_MIN:
        raise ValueError("review interval must be at least one month")
    return result


def relapse_review_due(occurred_on: dt.date, days: int = RELAPSE_REVIEW_DAYS) -> dt.date:
    """The review a slip or relapse makes due (retningslinje 3.10.3; issue 4 item 5)."""
    return occurred_on + dt.timedelta(days=days)


def relapse_trigger(anchor: dt.date, relapses: Iterable[dt.date]) -> dt.date | None:
    """The first slip or relapse after the latest review or plan (`anchor`), or None. A relapse
    on the anchor day itself is taken to have been dealt with at that review [inference]."""
    later = [d for d in relapses if d > anchor]
    return min(later) if later else None


def next_review_due(regular_due: dt.date, anchor: dt.date,
                    relapses: Iterable[dt.date]) -> tuple[dt.date, bool]:
    """When the next review is due, and whether a relapse brought it forward: the regular due
    date (rules_aftercare.review_due), or 14 days after the first relapse since `anchor` when
    that is earlier (retningslinje 3.10.3)."""
    first = relapse_trigger(anchor, relapses)
    if first is not None and relapse_review_due(first) < regular_due:
        return relapse_review_due(first), True
    return regular_due, False


def is_residential(intensity: str) -> bool:
    """Residential treatment (døgnbehandling) is what personal supervision applies to (SEL
    § 148; issue 4 item 9)."""
    return intensity == "dogn"


def coordinating_anchor(plans: Iterable[tuple[dt.date, bool]],
                        meetings: Iterable[dt.date]) -> dt.date | None:
    """What the next coordinating-plan meeting is reckoned from (retningslinje 2.6.13: at most 6
    months apart): the latest meeting, or else the day the coordinating plan first appeared in
    the unbroken run of plan versions that still carry it. `plans` are (agreed_on, flag) in
    version order. None when the current plan has no coordinating plan."""
    plans = list(plans)
    if not plans or not plans[-1][1]:
        return None
    first = plans[-1][0]
    for agreed_on, flag in reversed(plans):
        if not flag:
            break
        first = agreed_on
    later = [m for m in meetings if m >= first]
    return max(later) if later else first


def supervision_anchor(started_on: dt.date, visits: Iterable[dt.date]) -> dt.date:
    """The date the next personal supervision is reckoned from: the latest visit, or the
    treatment start before the first (SEL § 148; issue 4 item 9)."""
    return max([started_on, *visits])


class Party(StrEnum):
    CASEWORKER = "caseworker"
    CLINICIAN = "clinician"


class FollowUpBy(StrEnum):
    """Who follows up after discharge: the discharging provider by default, or the municipality
    itself (issue 4 item 8: "configurable")."""

    PROVIDER = "provider"
    MUNICIPALITY = "municipality"


def follow_up_party(follow_up_by: str) -> Party:
    return Party.CASEWORKER if follow_up_by == FollowUpBy.MUNICIPALITY else Party.CLINICIAN


#: Who owns each kind of due item: its reminder goes to them (issue 4 item 10). The plan and
#: reviews are the provider's (SEL § 101, stk. 8), so is outreach after a no-show (3.10.2);
#: supervision is the placing caseworker's (SEL § 148), and so is a new decision (3.10). The
#: coordinating plan is the municipality's to convene [inference].
OWNERS = {
    "plan": Party.CLINICIAN, "review": Party.CLINICIAN, "relapse": Party.CLINICIAN,
    "outreach": Party.CLINICIAN, "supervision": Party.CASEWORKER,
    "new_decision": Party.CASEWORKER, "coordinating": Party.CASEWORKER,
    # After discharge: a new offer is the municipality's to grant (2.3.8); contacting outreach
    # services is the discharging provider's (3.11.6) [inference]. Both show on both lists.
    "follow_on_offer": Party.CASEWORKER, "outreach_contact": Party.CLINICIAN,
}
#: Items only their owner sees on a worklist; the others show on both worklists.
OWNER_ONLY = frozenset({"supervision", "new_decision", "follow_up_1", "follow_up_2"})


def owner(item: str, follow_up_by: str = FollowUpBy.PROVIDER) -> Party:
    """Whose the item is: follow-ups after discharge per the municipality's setting."""
    if item.startswith("follow_up"):
        return follow_up_party(follow_up_by)
    return OWNERS.get(item, Party.CASEWORKER)


def shown_to(item: str, party: str, follow_up_by: str = FollowUpBy.PROVIDER) -> bool:
    """Whether the item appears on `party`'s worklist: its owner's always, the other's unless
    the item is the owner's alone (follow-ups go to one worklist, issue 4 item 8)."""
    return party == owner(item, follow_up_by) or item not in OWNER_ONLY


#: Days the provider keeps access after the last follow-up's due date, to record a late
#: outcome [inference: the sources give no number].
FOLLOW_UP_ACCESS_GRACE_DAYS = 30


def referral_end_after_discharge(discharged_on: dt.date, follow_up_dues: Iterable[dt.date],
                                 provider_follows_up: bool) -> dt.date:
    """When the discharging provider's referral ends, and with it its clinicians' access to
    the citizen: at discharge, unless the provider does the follow-ups after discharge (bek.
    1477 § 4; issue 4 item 8, the provider by default): then 30 days after the last one is due.
    Access only as long as the task needs it (data minimisation, GDPR art. 5(1)(c))."""
    dues = list(follow_up_dues)
    if not provider_follows_up or not dues:
        return discharged_on
    return max(dues) + dt.timedelta(days=FOLLOW_UP_ACCESS_GRACE_DAYS)
