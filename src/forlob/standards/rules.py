"""The municipality's quality standard (kvalitetsstandard) as service levels: the legal limits a
standard may not go below, which version is in force on a day, and when the next revision is due.
Pure functions over plain values (issue 7; SEL § 139; bek. 1477 § 3; retningslinje 2.8)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from forlob.pathway.rules import GUARANTEE_DAYS, Track
from forlob.pathway.rules_aftercare import (
    FOLLOW_UP_DAYS_MAX,
    PLAN_DAYS,
    REVIEW_MONTHS,
    DischargeReason,
    add_months,
)
from forlob.treatment.rules import (
    REVIEW_MONTHS_MAX,
    REVIEW_MONTHS_MIN,
    SUPERVISION_MONTHS,
    SUPERVISION_MONTHS_MAX,
    FollowUpBy,
    review_interval,
)

#: Plan at start: the guidelines give no day count ("ved behandlingens start", SEL § 101,
#: stk. 8; retningslinje 3.7.1). A standard may promise at most this many days [inference: a
#: plan more than a month after start is no longer "at start"].
PLAN_DAYS_MAX = 30

#: The quality standard is revised as needed, at least every second year (retningslinje 2.8.1).
REVISION_YEARS = 2

#: Intensity per month by default (KL inspirationskatalog 2009: ambulant 2-8 times a month,
#: dagbehandling 8 or more).
AMBULANT_MIN, AMBULANT_MAX, DAY_MIN = 2, 8, 8


@dataclass(frozen=True)
class ServiceLevels:
    """The service levels one version of a quality standard promises. The defaults are the
    law's and the guidelines' levels, used where a municipality has adopted no standard."""

    guarantee_days: int = GUARANTEE_DAYS
    review_months: Mapping[str, int] = field(default_factory=dict)
    follow_up_days: tuple[int | None, int | None] = (None, None)
    follow_up_reasons: frozenset[str] = frozenset()
    plan_days: int = PLAN_DAYS
    ambulant_min: int = AMBULANT_MIN
    ambulant_max: int = AMBULANT_MAX
    day_min: int = DAY_MIN
    supervision_months: int = SUPERVISION_MONTHS
    follow_up_by: str = FollowUpBy.PROVIDER.value
    vouchers_enabled: bool = False
    voucher_amount: int | None = None
    voucher_max_per_course: int | None = None

    def review_months_for(self, track: str) -> int:
        return self.review_months.get(track, REVIEW_MONTHS)

    def intensity_spec(self) -> list[tuple[str, int, int | None]]:
        """The intensity definitions in the shape pathway.rules.intensity_bands takes."""
        return [("ambulant", self.ambulant_min, self.ambulant_max), ("dag", self.day_min, None)]


def legal_problems(levels: ServiceLevels) -> dict[str, str]:
    """Every way `levels` falls below the law, keyed by field, as message keys for the caller to
    translate. A municipality may promise more than the law, never less:
    - the guarantee is at most 14 days (SEL § 101, stk. 4; SUL § 141, stk. 2);
    - follow-up comes at the latest 1 and 6 months after discharge (bek. 1477 § 4, stk. 2),
      and the law's four discharge reasons always trigger it;
    - gift vouchers need an amount when used (SEL § 101, stk. 9; bek. 1477 § 7, stk. 3);
    - the intensity bands follow each other without a gap (KL inspirationskatalog 2009);
    - the plan, review and supervision intervals stay within the guidelines' bounds."""
    problems = {}
    if not 1 <= levels.guarantee_days <= GUARANTEE_DAYS:
        problems["guarantee_days"] = "guarantee"
    first, second = levels.follow_up_days
    if first is not None and not 1 <= first <= FOLLOW_UP_DAYS_MAX[0]:
        problems["follow_up_first_days"] = "follow_up_first"
    if second is not None and not 1 <= second <= FOLLOW_UP_DAYS_MAX[1]:
        problems["follow_up_second_days"] = "follow_up_second"
    elif None not in (first, second) and second <= first:
        problems["follow_up_second_days"] = "follow_up_order"
    if not set(levels.follow_up_reasons) <= {r.value for r in DischargeReason}:
        problems["follow_up_reasons"] = "reasons"
    if not 1 <= levels.plan_days <= PLAN_DAYS_MAX:
        problems["plan_days"] = "plan"
    if any(not REVIEW_MONTHS_MIN <= m <= REVIEW_MONTHS_MAX
           for m in levels.review_months.values()):
        problems["review_months"] = "review"
    if not 1 <= levels.supervision_months <= SUPERVISION_MONTHS_MAX:
        problems["supervision_months"] = "supervision"
    if not (1 <= levels.ambulant_min <= levels.ambulant_max
            and levels.ambulant_max <= levels.day_min <= levels.ambulant_max + 1):
        problems["day_min"] = "intensity"
    if levels.vouchers_enabled and not levels.voucher_amount:
        problems["voucher_amount"] = "voucher"
    return problems


def review_months(tracks: Iterable[str], levels: ServiceLevels) -> int:
    """A course's review interval under `levels`: the shortest among its tracks
    (treatment.rules.review_interval; issue 4 item 2)."""
    return review_interval(tracks, dict(levels.review_months), REVIEW_MONTHS)


@dataclass(frozen=True)
class Adopted:
    """An adopted version as plain values: its number and the first day it is in force."""

    number: int
    valid_from: dt.date


def in_force(versions: Iterable[Adopted], day: dt.date) -> int | None:
    """The version in force on `day`: the adopted version with the latest start on or before
    that day (the latest number breaks a tie). A clock reads the version in force on the day it
    started, so adopting a new version never moves a running deadline (issue 7 item 2)."""
    candidates = [v for v in versions if v.valid_from <= day]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.valid_from, v.number)).number


def valid_until(versions: Iterable[Adopted], number: int) -> dt.date | None:
    """The last day a version is in force: the day before the next adopted version starts."""
    versions = list(versions)
    own = next(v for v in versions if v.number == number)
    later = [v.valid_from for v in versions
             if (v.valid_from, v.number) > (own.valid_from, own.number)]
    return min(later) - dt.timedelta(days=1) if later else None


def revision_due(adopted_on: dt.date) -> dt.date:
    """The latest day for the next revision: two years after adoption (retningslinje 2.8.1;
    SEL § 139, stk. 2)."""
    return add_months(adopted_on, 12 * REVISION_YEARS)


#: A revision is "due soon" from this many days before the latest day [inference: the
#: guidelines give no warning period; three months leaves room to involve the user
#: organisations (retningslinje 2.8.4) and to put the draft before the council].
DUE_SOON_DAYS = 90


class RevisionState(StrEnum):
    MISSING = "missing"  # no version has been adopted: the law requires one
    OVERDUE = "overdue"  # the latest day has passed
    DUE_SOON = "due_soon"  # within DUE_SOON_DAYS of the latest day
    OK = "ok"


@dataclass(frozen=True)
class Revision:
    """The latest day for the next revision (None when nothing is adopted) and its state."""

    due: dt.date | None
    state: RevisionState

    @property
    def flagged(self) -> bool:
        return self.state is not RevisionState.OK


def revision_basis(adoptions: Iterable[dt.date | None]) -> dt.date | None:
    """The council decision the next revision counts from: the latest adoption, also of a
    version not yet in force (a municipality that has just revised is not overdue); a version
    carried over without a decision date does not count (retningslinje 2.8.1)."""
    return max((d for d in adoptions if d is not None), default=None)


def revision_status(adopted_on: dt.date | None, today: dt.date) -> Revision:
    """The next revision after a version adopted on `adopted_on`, seen on `today`: overdue the
    day after the latest day (revision_due, two years after adoption; retningslinje
    2.8.1), due soon from DUE_SOON_DAYS before it, and missing if nothing was ever adopted."""
    if adopted_on is None:
        return Revision(None, RevisionState.MISSING)
    due = revision_due(adopted_on)
    if today > due:
        return Revision(due, RevisionState.OVERDUE)
    if (due - today).days <= DUE_SOON_DAYS:
        return Revision(due, RevisionState.DUE_SOON)
    return Revision(due, RevisionState.OK)


def earliest_valid_from(today: dt.date, adopted_starts: Iterable[dt.date] = ()) -> dt.date:
    """The first day a newly adopted version may take effect: tomorrow at the earliest, since a
    clock started earlier today must keep the promise it started under; and not before a
    version already adopted starts, so the version adopted last always governs from its first
    day (issue 7 item 2)."""
    return max([today + dt.timedelta(days=1), *adopted_starts])


def adoption_problems(today: dt.date, adopted_on: dt.date | None,
                      involved_on: dt.date | None, involvement: str) -> dict[str, str]:
    """What stops a draft being adopted, besides its levels (legal_problems), keyed by field:
    the council's decision date is required and not in the future; user organisations must
    have been involved, on or before that decision (retningslinje 2.8.4; SEL § 139)."""
    problems = {}
    if adopted_on is None or adopted_on > today:
        problems["adopted_on"] = "adopted_on"
    if not involvement.strip() or involved_on is None or involved_on > today or (
            adopted_on is not None and involved_on > adopted_on):
        problems["involvement"] = "involvement"
    return problems


ALL_TRACKS = tuple(t.value for t in Track)
