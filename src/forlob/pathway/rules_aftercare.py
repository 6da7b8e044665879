"""Rules of the course after treatment start (issue 4): plan, reviews, discharge, follow-up.

Pure functions, dates in and dates out; callers pass `today`. Re-exported from rules.py so the
pathway keeps one rules module to import. Sources: the national guidelines (retningslinje
numbers), bek. nr. 1477 af 17.12.2019 and SEL § 101.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from enum import StrEnum


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the last day of the target month: 31 January + 1
    month is the last day of February (28 or 29). Used for every month offset (issue 4 item 8)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DischargeReason(StrEnum):
    """Reasons a course ends (retningslinje 3.11, L2092; the SMDB code list is external)."""

    COMPLETED = "faerdigbehandlet"
    OTHER_OFFER = "andet_tilbud"
    HOSPITAL = "hospital"
    MOVED = "flyttet"
    CITIZEN_STOPS = "oensker_stop"
    EXPELLED = "bortvist"
    NO_SHOW = "udeblevet"
    DIED = "doed"
    OTHER = "anden"


#: Planned endings (retningslinje 3.11, L2092): completed, to another offer, moved, and the
#: citizen's own choice to stop. Hospital is counted as a planned transfer [inference: not listed
#: either way]; "anden årsag" and death are not planned completions [inference].
PLANNED = frozenset({DischargeReason.COMPLETED, DischargeReason.OTHER_OFFER,
                     DischargeReason.HOSPITAL, DischargeReason.MOVED,
                     DischargeReason.CITIZEN_STOPS})

#: The law's four reasons that oblige follow-up (bek. 1477 § 4, stk. 2; retningslinje 3.12.1).
LEGAL_FOLLOW_UP_REASONS = frozenset({DischargeReason.COMPLETED, DischargeReason.OTHER_OFFER,
                                     DischargeReason.HOSPITAL, DischargeReason.OTHER})

#: Follow-up offsets in months after discharge: at the latest 1 and 6 (bek. 1477 § 4, stk. 2).
LEGAL_FOLLOW_UP_MONTHS = (1, 6)


def is_planned(reason: DischargeReason) -> bool:
    """Planned or unplanned discharge (retningslinje 3.11); the completion rate's numerator
    (KL inspirationskatalog 2009, indikator I1)."""
    return DischargeReason(reason) in PLANNED


def follow_up_applies(reason: DischargeReason,
                      promised: Iterable[DischargeReason] | None = None) -> bool:
    """Whether a discharge creates follow-up tasks: the law's four reasons, or more where the
    municipality's quality standard promises more (issue 7; Solrød 2023 promises all)."""
    reasons = LEGAL_FOLLOW_UP_REASONS | frozenset(DischargeReason(r) for r in (promised or ()))
    return DischargeReason(reason) in reasons


#: The longest follow-up offsets in days that stay within the law's "1 and 6 months after"
#: (bek. 1477 § 4, stk. 2) whatever the discharge date: the shortest calendar month has 28 days
#: and the shortest six calendar months 181 (31 August to 28 February).
FOLLOW_UP_DAYS_MAX = (28, 181)


def follow_up_due_dates(discharged_on: dt.date,
                        offset_days: tuple[int | None, int | None] = (None, None)
                        ) -> list[dt.date]:
    """Due dates of the follow-ups: the quality standard's offsets in days after discharge, or
    the law's 1 and 6 calendar months (month ends clamped) where it promises none (bek. 1477
    § 4, stk. 2; retningslinje 3.12.1). Never later than the law: a municipality may promise
    earlier follow-up, never later, and an offset outside 1..FOLLOW_UP_DAYS_MAX is refused."""
    offsets = tuple(offset_days)
    if len(offsets) != len(LEGAL_FOLLOW_UP_MONTHS) or any(
            d is not None and not 1 <= d <= top
            for d, top in zip(offsets, FOLLOW_UP_DAYS_MAX, strict=True)):
        raise ValueError("follow-up offsets must be within 1 and 6 months")
    dues = []
    for days, months in zip(offsets, LEGAL_FOLLOW_UP_MONTHS, strict=True):
        legal = add_months(discharged_on, months)
        dues.append(legal if days is None
                    else min(discharged_on + dt.timedelta(days=days), legal))
    return dues


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DECLINED = "declined"  # the citizen declined; still counted in statistics (3.12.3)
    MISSED = "missed"


def follow_up_status(due: dt.date, today: dt.date, held_on: dt.date | None,
                     declined_on: dt.date | None) -> FollowUpStatus:
    """The status of one follow-up task. Declining, in advance or at contact, closes it as
    declined (retningslinje 3.12.3); an outcome cannot be recorded on a declined task."""
    if declined_on is not None:
        return FollowUpStatus.DECLINED
    if held_on is not None:
        return FollowUpStatus.DONE
    return FollowUpStatus.MISSED if today > due else FollowUpStatus.OPEN


#: Review interval by default: every 3 months (issue 4 item 2; the guidelines say "løbende",
#: 3.7.4 and 3.9.1, so the interval is the municipality's, per track).
REVIEW_MONTHS = 3


def review_due(last_review_or_plan: dt.date, interval_months: int = REVIEW_MONTHS) -> dt.date:
    """The next plan review: the last review (or the plan) plus the interval (retningslinje
    3.9.1; interval configurable per municipality and track)."""
    if interval_months < 1:
        raise ValueError("review interval must be at least one month")
    return add_months(last_review_or_plan, interval_months)


#: Plan at start: the guidelines give no day count ("ved behandlingens start", SEL § 101,
#: stk. 8; retningslinje 3.7.1). Default 14 days; the municipality configures it (issue 7).
PLAN_DAYS = 14


def plan_due(started_on: dt.date, days: int = PLAN_DAYS) -> dt.date:
    """When the treatment plan should be agreed: at treatment start, within `days`."""
    return started_on + dt.timedelta(days=days)


def coordinating_plan_meeting_due(last_meeting: dt.date) -> dt.date:
    """Follow-up meetings on a coordinating action plan at most 6 months apart
    (retningslinje 2.6.13, L993)."""
    return add_months(last_meeting, 6)


def supervision_due(last_visit: dt.date, interval_months: int) -> dt.date:
    """Personal supervision of a residential placement recurs at a configured interval
    (personrettet tilsyn; SEL § 148, issue 4 item 9)."""
    if interval_months < 1:
        raise ValueError("supervision interval must be at least one month")
    return add_months(last_visit, interval_months)


def discharge_prompts(reason: DischargeReason, intensity: str) -> list[str]:
    """Tasks a discharge prompts: a follow-on ambulant or day offer after residential treatment
    (retningslinje 2.3.8), and contact with outreach services after an unplanned discharge
    (retningslinje 3.11.6)."""
    prompts = []
    if intensity == "dogn":
        prompts.append("follow_on_offer")
    if not is_planned(reason) and DischargeReason(reason) != DischargeReason.DIED:
        prompts.append("outreach_contact")
    return prompts


#: Days to act on what a discharge prompts [inference: the guidelines say "i forlængelse af"
#: (2.3.8) and "straks" in spirit for an unplanned end (3.11.6) but give no day count].
DISCHARGE_TASK_DAYS = {"follow_on_offer": 7, "outreach_contact": 2}


def discharge_task_due(discharged_on: dt.date, task: str) -> dt.date:
    """When a task prompted by the discharge is due: a follow-on ambulant or day offer after
    residential treatment (retningslinje 2.3.8) within 7 days, contact with outreach services
    after an unplanned discharge (retningslinje 3.11.6) within 2 days."""
    return discharged_on + dt.timedelta(days=DISCHARGE_TASK_DAYS[task])
