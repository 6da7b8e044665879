"""Legal rules of the pathway from request to treatment start (issue 3).

Pure functions: facts and dates in, decisions and dates out. No database, no clock: callers pass
`today`. Each function cites its source; "retningslinje" numbers refer to Socialstyrelsen's
national guidelines for social drug treatment (2020).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from .screening import audit_score, dudit_score  # noqa: F401  (re-exported rules)

GUARANTEE_DAYS = 14


class Track(StrEnum):
    """Legal tracks of a course; one course can combine social and medical treatment."""

    SOCIAL_DRUG = "sel101"
    ANONYMOUS_DRUG = "sel101a"
    MEDICAL_DRUG = "sul142"
    ALCOHOL = "sul141"


class Outcome(StrEnum):
    GRANT = "bevilling"
    PARTIAL = "delvis"
    REFUSAL = "afslag"


class ClockStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    BREACHED = "breached"
    WAIVED = "waived"  # free choice: no guarantee, waiting days counted


LEGAL_BASIS = {
    Track.SOCIAL_DRUG: "Serviceloven § 101",
    Track.ANONYMOUS_DRUG: "Serviceloven § 101 a",
    Track.MEDICAL_DRUG: "Sundhedsloven § 142",
    Track.ALCOHOL: "Sundhedsloven § 141",
}


def legal_basis(track: Track) -> str:
    """The provision a decision rests on follows from the track (retningslinje 3.6.2)."""
    return LEGAL_BASIS[Track(track)]


def first_request_date(request_dates: Iterable[dt.date]) -> dt.date | None:
    """The guarantee starts at the FIRST request to any municipal authority, the day the
    citizen asked, not the day it was registered (SEL § 101, stk. 4; retningslinje 3.4)."""
    dates = list(request_dates)
    return min(dates) if dates else None


def guarantee_applies(track: Track, free_choice: bool, youth_guarantee: bool = True,
                      is_youth: bool = False) -> bool:
    """Whether the 14-day treatment guarantee applies to a track.

    - SEL § 101, stk. 4: social drug treatment starts no later than 14 days after the request.
    - SUL § 141, stk. 2: alcohol treatment likewise within 14 days.
    - SEL § 101 a: anonymous treatment has no guarantee (retningslinje 3.4, L1446).
    - SEL § 101, stk. 6: a citizen who uses free choice waives the guarantee.
    - SUL § 142 (medical) is coordinated with the social track; its own time rule is the
      doctor consultation before start (SUL § 142, stk. 2), see `doctor_consultation_due`.
    - Under 18 (SEL § 101, stk. 12): the youth guarantee rule is configurable.
    """
    track = Track(track)
    if free_choice or track in (Track.ANONYMOUS_DRUG, Track.MEDICAL_DRUG):
        return False
    if is_youth and not youth_guarantee:
        return False
    return True


def guarantee_deadline(first_request: dt.date, days: int = GUARANTEE_DAYS) -> dt.date:
    """Last day treatment may start: request date + 14 calendar days by default
    (SEL § 101, stk. 4; the count is configurable per municipality, issue 3 item 9)."""
    return first_request + dt.timedelta(days=days)


def guarantee_kept(first_request: dt.date, started_on: dt.date | None,
                   days: int = GUARANTEE_DAYS) -> bool | None:
    """True when started no later than the deadline, False when late, None while not started.
    A pre-treatment (forbehandling) that meets the content and scope of treatment counts as the
    start (Ankestyrelsen principafgørelse 23-18); callers pass its date as `started_on`."""
    if started_on is None:
        return None
    return started_on <= guarantee_deadline(first_request, days)


def doctor_consultation_due(first_request: dt.date, days: int = GUARANTEE_DAYS) -> dt.date:
    """An accepted free doctor consultation is held within the guarantee period
    (SUL § 142, stk. 1-2; retningslinje 3.4.5). That it also comes before the start is checked
    when facts are recorded (`doctor_after_start`), so the deadline itself never moves."""
    return guarantee_deadline(first_request, days)


def doctor_after_start(held_on: dt.date | None, started_on: dt.date | None) -> bool:
    """True when a consultation is dated after treatment started, which SUL § 142, stk. 2
    forbids ("senest inden iværksættelse")."""
    return held_on is not None and started_on is not None and held_on > started_on


def reasons_required(outcome: Outcome) -> bool:
    """A written decision gives reasons unless it fully grants the request (FVL § 22);
    a refusal also names its legal basis (FVL § 24; retningslinje 3.6.2)."""
    return Outcome(outcome) != Outcome.GRANT


def complaint_guidance_required(outcome: Outcome) -> bool:
    """Complaint guidance goes with any decision that is not a full grant (FVL § 25;
    retningslinje 3.6.3). A full grant says the citizen may ask for guidance (3.6.5)."""
    return Outcome(outcome) != Outcome.GRANT


@dataclass(frozen=True)
class ComplaintRoute:
    track: Track
    appealable: bool
    body: str
    deadline: str
    procedure: str
    source: str
    via_municipality: bool = False  # the complaint is sent to the deciding municipality first
    online: str = ""  # where the complaint can be filed digitally


def complaint_route(track: Track) -> ComplaintRoute:
    """The complaint route for a decision on the track.

    - SEL § 101: complain within 4 weeks of receiving the decision, to the municipality, which
      reconsiders within 4 weeks; if upheld, the complaint goes on to Ankestyrelsen
      (retssikkerhedsloven §§ 66-67; SEL § 166).
    - SUL § 142: Styrelsen for Patientklager, within 2 years of when the citizen knew or ought to
      have known, at the latest 5 years after the event (klage- og erstatningsloven §§ 1-3).
    - SUL § 141: the decision cannot be appealed to another administrative authority.
    - SEL § 101 a: anonymous treatment is given without a decision (no visitation).
    """
    track = Track(track)
    if track == Track.SOCIAL_DRUG:
        return ComplaintRoute(
            track, True, "Ankestyrelsen (via kommunen)", "4 uger fra modtagelsen af afgørelsen",
            "Klagen sendes til kommunen, som genvurderer afgørelsen inden for 4 uger. Fastholder "
            "kommunen afgørelsen, sendes klagen videre til Ankestyrelsen.",
            "Retssikkerhedsloven §§ 66-67, serviceloven § 166", via_municipality=True,
        )
    if track == Track.MEDICAL_DRUG:
        return ComplaintRoute(
            track, True, "Styrelsen for Patientklager",
            "2 år fra du fik eller burde have fået kendskab til forholdet, dog senest 5 år "
            "efter hændelsen",
            "Klagen sendes til Styrelsen for Patientklager.",
            "Klage- og erstatningsloven §§ 1-3", online="stpk.dk",
        )
    if track == Track.ALCOHOL:
        return ComplaintRoute(
            track, False, "", "",
            "Afgørelsen kan ikke indbringes for anden administrativ myndighed.",
            "Sundhedsloven § 141",
        )
    return ComplaintRoute(track, False, "", "", "Anonym behandling gives uden afgørelse.",
                          "Serviceloven § 101 a")


def free_choice_allowed(track: Track, diacetylmorphine: bool = False) -> bool:
    """Free choice of a similar approved offer: SEL § 101, stk. 5 and SUL § 142, stk. 7; not for
    anonymous treatment (SEL § 101 a; retningslinje 3.6) nor for heroin (diacetylmorfin)."""
    track = Track(track)
    if track == Track.ANONYMOUS_DRUG:
        return False
    if track == Track.MEDICAL_DRUG and diacetylmorphine:
        return False
    return True


def needs_visitation_meeting(intensity: str) -> bool:
    """Day and residential treatment are granted only after a visitation meeting recorded before
    the decision (issue 3 item 7; SEL § 101 jf. § 107, stk. 2, nr. 2 for residential)."""
    return intensity in ("dag", "dogn")


@dataclass(frozen=True)
class IntensityBand:
    code: str
    min_per_month: int
    max_per_month: int | None  # None: no upper bound


DEFAULT_INTENSITIES = (
    IntensityBand("ambulant", 2, 8),
    IntensityBand("dag", 8, None),
)


def intensity_bands(spec: list[tuple[str, int, int | None]] | None) -> tuple[IntensityBand, ...]:
    """The intensity definitions of the quality standard in force (issue 7 item 1), or the
    default."""
    return tuple(IntensityBand(*band) for band in spec) if spec else DEFAULT_INTENSITIES


def intensity_matches(intensity: str, sessions_per_month: int | None,
                      bands: tuple[IntensityBand, ...] = DEFAULT_INTENSITIES) -> bool:
    """A decision's intensity agrees with its planned frequency (issue 3 item 7: ambulant 2-8
    times a month, day treatment 8 or more; ad hoc is not treatment). Residential treatment is
    not counted in sessions; without a stated frequency there is nothing to check."""
    if sessions_per_month is None or intensity == "dogn":
        return True
    return intensity_for(sessions_per_month, False, bands) == intensity


def intensity_for(sessions_per_month: int, residential: bool = False,
                  bands: tuple[IntensityBand, ...] = DEFAULT_INTENSITIES) -> str | None:
    """Classify a planned intensity (KL inspirationskatalog 2009, treatment intensity levels):
    ambulant 2-8 times a month, dagbehandling 8 or more, døgn when residential. Fewer than the
    lowest band is ad hoc contact, which is not treatment (returns None). Bands configurable.
    Where bands overlap at a boundary (8), the higher intensity wins."""
    if residential:
        return "dogn"
    match = None
    for band in bands:
        top = band.max_per_month if band.max_per_month is not None else sessions_per_month
        if band.min_per_month <= sessions_per_month <= top:
            match = band.code
    return match


def is_youth(birth_date: dt.date | None, birth_year: int | None, on: dt.date) -> bool:
    """Under 18 on the given day (SEL § 101, stk. 12; issue 3 item 4). With only a birth year,
    the citizen counts as under 18 until the end of the year they turn 18."""
    if birth_date is not None:
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
        return age < 18
    if birth_year is not None:
        return on.year - birth_year <= 18
    return False


def notification_duty(children_at_home: bool, pregnancy: bool) -> bool:
    """Children under 18 at home or a known pregnancy: the caseworker is shown the heightened
    duty to notify (SEL § 153; retningslinje 3.5.10-3.5.11)."""
    return bool(children_at_home or pregnancy)


class DateProblem(StrEnum):
    FUTURE = "future"
    BEFORE_REQUEST = "before_request"


def event_date_problem(event: dt.date, today: dt.date,
                       first_request: dt.date | None = None) -> DateProblem | None:
    """Facts are recorded after they happen: none is dated in the future, and none of the
    treatment steps lies before the request that started the course (issue 3, bad input)."""
    if event > today:
        return DateProblem.FUTURE
    if first_request is not None and event < first_request:
        return DateProblem.BEFORE_REQUEST
    return None


@dataclass(frozen=True)
class Clock:
    name: str  # guarantee, assessment, decision, doctor
    started: dt.date
    due: dt.date | None
    status: ClockStatus
    done_on: dt.date | None = None
    days_left: int | None = None  # negative when overdue
    waiting_days: int | None = None  # for waived clocks


@dataclass(frozen=True)
class CourseFacts:
    """What has been recorded on a course, as plain values."""

    request_dates: tuple[dt.date, ...]
    tracks: frozenset[Track] = field(default_factory=frozenset)
    free_choice: bool = False
    is_youth: bool = False
    youth_guarantee: bool = True
    guarantee_days: int = GUARANTEE_DAYS
    assessment_done_on: dt.date | None = None
    decision_on: dt.date | None = None
    doctor_accepted: bool | None = None
    doctor_held_on: dt.date | None = None
    started_on: dt.date | None = None
    screening_flagged_on: dt.date | None = None
    screening_started_on: dt.date | None = None


def _clock(name, start, due, done_on, today) -> Clock:
    if done_on is not None:
        status = ClockStatus.MET if due is None or done_on <= due else ClockStatus.BREACHED
        return Clock(name, start, due, status, done_on)
    days_left = (due - today).days if due is not None else None
    status = ClockStatus.BREACHED if due is not None and today > due else ClockStatus.OPEN
    return Clock(name, start, due, status, None, days_left)


def open_clock(name, start, due, today) -> Clock:
    """A clock with a due date and nothing done yet: open, or breached once `today` is past
    `due`, with the days left (negative when overdue). Used for the due items after treatment
    start (issue 4), with the same status rule as the pathway's clocks."""
    return _clock(name, start, due, None, today)


def guarantee_days(configured: int) -> int:
    """A municipality's guarantee day count, never longer than the law's 14 days (SEL § 101,
    stk. 4; SUL § 141, stk. 2): a municipality may promise a shorter guarantee, never a longer."""
    return min(configured, GUARANTEE_DAYS)


def screening_due(first_request: dt.date, flagged_on: dt.date,
                  days: int = GUARANTEE_DAYS) -> dt.date:
    """A flag for specialised screening or udredning creates a follow-up task (issue 3 item 6).
    It should start as soon as the need is identified, at treatment start at the latest, and it
    never holds back the start (retningslinje 3.5.6, 3.8.5; L1877). Due: the end of the
    guarantee period, or the day of the flag when the assessment came later. Both are fixed
    facts, so the date never moves."""
    return max(guarantee_deadline(first_request, days), flagged_on)


def guarantee_tracks_apply(facts: CourseFacts) -> bool:
    return any(
        guarantee_applies(t, facts.free_choice, facts.youth_guarantee, facts.is_youth)
        for t in facts.tracks
    )


def clocks(facts: CourseFacts, today: dt.date) -> list[Clock]:
    """Every clock of a course computed from its facts (retningslinje 3.4-3.6; bek. 1477 § 1).

    All deadlines run from the first request date, so recording further facts never moves a
    deadline. Free choice waives the guarantee: the start clock shows waiting days instead.
    Counselling is never treatment and never stops a clock (retningslinje 3.3).
    """
    t0 = first_request_date(facts.request_dates)
    if t0 is None:
        return []
    days = facts.guarantee_days
    deadline = guarantee_deadline(t0, days)
    result = []
    if decision_required_to_start(facts.tracks):
        # bek. 1477 § 1: assessment and decision within the guarantee, for SEL § 101 (and the
        # medical track coordinated with it); not for § 101 a nor self-referred alcohol.
        result.append(_clock("assessment", t0, deadline, facts.assessment_done_on, today))
        result.append(_clock("decision", t0, deadline, facts.decision_on, today))
    if facts.doctor_accepted:
        due = doctor_consultation_due(t0, days)
        result.append(_clock("doctor", t0, due, facts.doctor_held_on, today))
    if facts.screening_flagged_on is not None:
        due = screening_due(t0, facts.screening_flagged_on, days)
        result.append(_clock("screening", facts.screening_flagged_on, due,
                             facts.screening_started_on, today))
    if guarantee_tracks_apply(facts):
        result.append(_clock("guarantee", t0, deadline, facts.started_on, today))
    elif facts.tracks & {Track.SOCIAL_DRUG, Track.ALCOHOL}:
        # A guarantee track whose guarantee is set aside (free choice, or youth by config).
        end = facts.started_on or today
        result.append(Clock("guarantee", t0, None, ClockStatus.WAIVED, facts.started_on,
                            None, (end - t0).days))
    return result


def tracks_allowed(is_anonymous: bool) -> frozenset[Track]:
    """An anonymous person (no CPR) can only be in anonymous drug treatment (SEL § 101 a) or
    anonymous outpatient alcohol treatment (SUL § 141); the other tracks need an identified
    citizen and a decision (issue 3 item 4; Solrød kvalitetsstandard 2023: no journal for
    anonymous courses)."""
    if is_anonymous:
        return frozenset({Track.ANONYMOUS_DRUG, Track.ALCOHOL})
    return frozenset(Track)


def assessment_missing(domains: dict, children_at_home: bool | None,
                       pregnancy: bool | None) -> list[str]:
    """What an assessment lacks: each of the six domains needs findings (bek. 1477 § 1, stk. 2);
    children at home and pregnancy are mandatory questions (retningslinje 3.5.10-11)."""
    from .choices import DOMAINS

    missing = [key for key, _label in DOMAINS
               if not str((domains.get(key) or {}).get("findings", "")).strip()]
    if children_at_home is None:
        missing.append("children_at_home")
    if pregnancy is None:
        missing.append("pregnancy")
    return missing


def decision_required_to_start(tracks: Iterable[Track]) -> bool:
    """Social and medical drug treatment start on a decision that grants it (SEL § 101,
    stk. 1-3; retningslinje 3.6: "afgørelse … iværksættelse"). Anonymous treatment (SEL § 101 a)
    has no decision, and outpatient alcohol treatment can be self-referred; day and residential
    alcohol treatment need the decision, which then sets the intensity (SUL § 141; issue 3 item 4).
    """
    return bool({Track(t) for t in tracks} & {Track.SOCIAL_DRUG, Track.MEDICAL_DRUG})



def doctor_pending_at_start(accepted: bool | None, held_on: dt.date | None) -> bool:
    """An accepted free doctor consultation must be held before treatment starts (SUL § 142,
    stk. 2: "senest inden iværksættelse"); a start while it is still pending is refused."""
    return accepted is True and held_on is None


def self_referred_start_allowed(provider_intensities: Iterable[str]) -> bool:
    """Without a granting decision, only outpatient treatment can start: anonymous treatment
    (SEL § 101 a is ambulant) and self-referred outpatient alcohol treatment (SUL § 141); day
    and residential treatment need the municipality's decision (issue 3 item 4)."""
    return "ambulant" in set(provider_intensities)


def provider_offers(track: Track, intensity: str, provider_kinds: Iterable[str],
                    provider_intensities: Iterable[str]) -> bool:
    """A decision names a specific offer that provides the granted treatment at the granted
    intensity (retningslinje 3.6.1; SEL § 101, stk. 3)."""
    return Track(track).value in set(provider_kinds) and intensity in set(provider_intensities)


def free_choice_provider_ok(tracks: Iterable[Track], provider_kinds: Iterable[str],
                            approved: bool, listed: bool) -> bool:
    """Free choice is of another approved public or private offer of a similar kind (SEL § 101,
    stk. 5: approved by Socialtilsynet / listed on Tilbudsportalen; retningslinje 3.6.4)."""
    similar = {Track(t).value for t in tracks} & set(provider_kinds)
    return bool(similar) and (approved or listed)


def refusal_needs_other_help(outcome: Outcome) -> bool:
    """A refusal names other help that can compensate for the citizen's need (retningslinje
    3.6.3: "hvordan anden hjælp kan kompensere"); issue 3 item 7."""
    return Outcome(outcome) == Outcome.REFUSAL


# Rules after treatment start (issue 4) live in rules_aftercare.py, re-exported here.
from .rules_aftercare import (  # noqa: E402, F401
    FOLLOW_UP_DAYS_MAX,
    DischargeReason,
    FollowUpStatus,
    add_months,
    coordinating_plan_meeting_due,
    discharge_prompts,
    discharge_task_due,
    follow_up_applies,
    follow_up_due_dates,
    follow_up_status,
    is_planned,
    plan_due,
    review_due,
    supervision_due,
)
