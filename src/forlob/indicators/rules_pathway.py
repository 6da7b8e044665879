"""Pure rules behind the pathway and aftercare indicators (issue 5 item 1): which tracks carry
the guarantee, the 14-day assessment and decision window, and the date thresholds that turn a
per-course deadline ("request + n days", "review + n months") into a comparison of the course's
own date with a constant, so the engine can count in SQL on any database. No database here."""

import datetime as dt

from forlob.pathway.rules import GUARANTEE_DAYS, Outcome, Track
from forlob.pathway.rules_aftercare import add_months

#: Tracks where the treatment guarantee applies (pathway.rules.guarantee_applies): SEL § 101,
#: stk. 4 and SUL § 141, stk. 2. Not SEL § 101 a (anonymous; retningslinje 3.4) and not SUL
#: § 142 on its own (its time rule is the doctor consultation, SUL § 142, stk. 2).
GUARANTEE_TRACKS = (Track.SOCIAL_DRUG.value, Track.ALCOHOL.value)

#: Tracks that need an assessment and a decision before start
#: (pathway.rules.decision_required_to_start; SEL § 101, stk. 1-3; retningslinje 3.6).
DECISION_TRACKS = (Track.SOCIAL_DRUG.value, Track.MEDICAL_DRUG.value)

#: Assessment and decision within 14 days of the first request (bek. 1477 § 1; KL
#: inspirationskatalog 2009, indikator I2). The indicator is the law's 14 days, not a
#: municipality's shorter promise [inference: comparable across municipalities].
ASSESSMENT_DAYS = GUARANTEE_DAYS

#: The guarantee day counts a quality standard can hold (standards: 1..14, SEL § 101, stk. 4).
GUARANTEE_DAY_RANGE = range(1, GUARANTEE_DAYS + 1)

#: Review intervals in months a quality standard can hold (treatment.rules: 1..6); a wider
#: range costs nothing and keeps an out-of-range value counted.
REVIEW_MONTH_RANGE = range(1, 13)

#: Decisions that are not full grants: they give reasons (FVL § 22) and complaint guidance
#: (FVL § 25; retningslinje 3.6.3).
NON_FULL = (Outcome.PARTIAL.value, Outcome.REFUSAL.value)


def request_window(start: dt.date, end: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The first requests whose deadline (request + `days`) lies in [start, end]."""
    shift = dt.timedelta(days=days)
    return start - shift, end - shift


def earliest_anchor(day: dt.date, months: int) -> dt.date:
    """The earliest anchor (plan or review) whose next review, anchor + `months` calendar
    months (pathway.rules_aftercare.review_due, month ends clamped), is not before `day`: a
    course anchored on or after this date is within its interval on `day`. add_months is
    monotone, so the first anchor that reaches `day` is the threshold."""
    anchor = add_months(day, -months) - dt.timedelta(days=3)
    while add_months(anchor, months) < day:
        anchor += dt.timedelta(days=1)
    return anchor
