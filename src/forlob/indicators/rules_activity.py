"""Pure rules of the provider activity report (issue 5 item 6): which course a provider reports
to which purchasing municipality, when a course counts as in treatment, started or discharged
in a month, the intensity of treatment on a day, and the places used. No database access here:
activity.py computes the same definitions set-based in SQL, and a test holds the two together.

Source: provider agreements oblige a provider serving several municipalities to report its
activity to each of them. KL's inspirationskatalog 2009 prints two such agreements:

- Bilag 9, the Horsens (CSU) – Odder partnership agreement: "CSU fremsender månedsopgørelser
  over antal klienter og forbrug" and "faste månedsvis rapporter over forbruget af pladser og
  behandlingstilbud" (L2638, L2706): a monthly report of clients and of places used;
- Bilag 5 and 7, the Odense/Svendborg contractor agreement on alcohol treatment under SUL § 141,
  stk. 3: "Hver bopælskommune modtager … opgørelser over antallet af behandlinger foretaget på
  kommunens brugere …, der hvor brugerne har ønsket at opgive bopælskommune. Opgørelserne vil
  ikke indeholde oplysninger, der muliggør identifikation på individniveau" (L2008-2011,
  L2295-2298): anonymous alcohol treatments counted by the municipality of residence the user
  chose to state, without identity.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

#: The intensities, in the order the report shows them (organisations.models.Intensity).
AMBULANT, DAY, RESIDENTIAL = "ambulant", "dag", "dogn"
INTENSITIES = (AMBULANT, DAY, RESIDENTIAL)

#: A decision with this outcome grants nothing, so it sets no intensity (pathway Outcome).
REFUSAL = "afslag"

#: The anonymous treatments the report counts by residence: alcohol treatment (SUL § 141).
ALCOHOL_TRACK = "sul141"

#: The longest range of months one request may compute [inference: two years of monthly
#: reports covers an agreement period and its renewal, and keeps the queries bounded].
MAX_MONTHS = 24


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month holding `day`, as (first day, last day): the report's period (the
    agreements report monthly, KL 2009 Bilag 9)."""
    first = day.replace(day=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before `today`'s: the last whole month, the default report
    (a monthly statement is made when the month has ended)."""
    return month_bounds(today.replace(day=1) - dt.timedelta(days=1))[0]


def month_range(first_month: dt.date, last_month: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from `first_month`'s to `last_month`'s, both included, as (first
    day, last day); empty when the range runs backwards."""
    months = []
    first = first_month.replace(day=1)
    while first <= last_month:
        bounds = month_bounds(first)
        months.append(bounds)
        first = bounds[1] + dt.timedelta(days=1)
    return months


def purchaser(is_anonymous: bool, acting_municipality: int | None,
              residence_municipality: int | None) -> int | None:
    """The municipality a course is reported to. A named citizen's course: the acting
    municipality (handlekommunen), which granted the treatment and pays for it
    (retssikkerhedsloven § 9; KL 2009 Bilag 9: the purchaser grants, the provider reports).
    An anonymous course: the municipality of residence the citizen chose to state, or None
    (not stated), as the contractor agreement counts them (KL 2009 Bilag 5/7)."""
    return residence_municipality if is_anonymous else acting_municipality


def in_treatment(started: dt.date, discharged: dt.date | None, first: dt.date,
                 last: dt.date) -> bool:
    """A course is in treatment in the month when it ran on at least one day of it: started on
    or before the last day and not discharged before the first (the discharge day is a day in
    treatment). Danmarks Statistik counts its active treatment courses the same way (dst.py)."""
    return started <= last and (discharged is None or discharged >= first)


def starts_in(started: dt.date, first: dt.date, last: dt.date) -> bool:
    """A start (iværksættelse, TreatmentStart.started_on) in the month."""
    return first <= started <= last


def discharged_in(discharged: dt.date | None, first: dt.date, last: dt.date) -> bool:
    """A discharge (udskrivning, Discharge.discharged_on) in the month."""
    return discharged is not None and first <= discharged <= last


def place_days(started: dt.date, discharged: dt.date | None, first: dt.date,
               last: dt.date) -> list[dt.date]:
    """The days in the month on which a course occupied a place: from the start day up to, not
    including, the discharge day, since the place is free for the next citizen that day
    [inference: the usual occupancy count (belægningsdage) of a residential place; applied to
    every intensity so that the three add up]. A course started and discharged the same day
    is in treatment but occupies no place."""
    begin = max(started, first)
    end = min(discharged, last + dt.timedelta(days=1)) if discharged else \
        last + dt.timedelta(days=1)
    return [begin + dt.timedelta(days=n) for n in range((end - begin).days)]


@dataclass(frozen=True)
class Stated:
    """A fact that states an intensity: a treatment plan (agreed on, its number) or a decision
    (decided on, its order of recording). `outcome` only matters for decisions."""

    on: dt.date
    intensity: str
    order: int = 0
    outcome: str = ""


def intensity_on(day: dt.date, plans: Iterable[Stated], decisions: Iterable[Stated]) -> str:
    """The intensity of a course's treatment on `day`, as treatment.clocks.course_intensity
    decides it today, on the facts recorded by then:

    - the latest treatment plan agreed on or before the day that states an intensity (a
      revised plan with a new intensity moves the course: retningslinje 3.7, the plan holds
      the treatment's extent), the higher plan number on the same day;
    - else the latest decision on or before the day that grants treatment and states an
      intensity (retningslinje 3.6: the decision sets the intensity), the later one recorded
      on the same day;
    - else ambulant: without a granting decision only outpatient treatment can start
      (pathway.rules.self_referred_start_allowed; SEL § 101 a, SUL § 141)."""
    stated = [p for p in plans if p.intensity and p.on <= day]
    if stated:
        return max(stated, key=lambda p: (p.on, p.order)).intensity
    granted = [d for d in decisions
               if d.intensity and d.outcome != REFUSAL and d.on <= day]
    if granted:
        return max(granted, key=lambda d: (d.on, d.order)).intensity
    return AMBULANT


def days_by_intensity(started: dt.date, discharged: dt.date | None, plans: Iterable[Stated],
                      decisions: Iterable[Stated], first: dt.date,
                      last: dt.date) -> dict[str, int]:
    """The course's place days in the month (place_days) by the intensity on each day
    (intensity_on). The three add up to the place days."""
    plans, decisions = list(plans), list(decisions)
    days = dict.fromkeys(INTENSITIES, 0)
    for day in place_days(started, discharged, first, last):
        days[intensity_on(day, plans, decisions)] += 1
    return days


def days_in(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def places_used(days: int, first: dt.date, last: dt.date) -> float:
    """Places used in the month: the place days divided by the days of the month, the average
    number of places occupied on a day (KL 2009 Bilag 9: "forbruget af pladser"). A month with
    no place days uses 0 places; the divisor is never zero."""
    return days / days_in(first, last)


def counts_as_anonymous_alcohol(is_anonymous: bool, tracks: Iterable[str]) -> bool:
    """An anonymous treatment the report counts by residence: an anonymous person's course on
    the alcohol track (SUL § 141; KL 2009 Bilag 5/7). Anonymous drug treatment (SEL § 101 a)
    on its own is not counted [inference: the agreements in the source concern alcohol; the
    report then says nothing about anonymous drug users]."""
    return is_anonymous and ALCOHOL_TRACK in set(tracks)
