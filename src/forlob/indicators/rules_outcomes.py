"""Pure rules of the outcome indicators (issue 5 item 1: change in use, network involvement,
coverage). No database access; kpis_outcomes.py expresses the same rules in SQL and its tests
check the two agree.
"""

import datetime as dt

#: The estimated target groups of coverage (indicators.rules.TARGET_PER_35000) and the legal
#: tracks whose courses count against each. Region Sjælland's status report 2014 estimates
#: people with harmful ALCOHOL use (sundhedsloven § 141), DRUG users (serviceloven § 101 and
#: § 101 a, sundhedsloven § 142) and YOUNG people needing treatment separately; a young person
#: (rules.YOUTH_MAX_AGE or younger at the first request) counts against the youth group only,
#: whatever the track [inference: the report's groups do not overlap].
TRACK_KIND = {"sul141": "alcohol", "sel101": "drugs", "sel101a": "drugs", "sul142": "drugs"}
KINDS = ("alcohol", "drugs", "youth")


def coverage_kinds(track: str | None) -> tuple[str, ...]:
    """The target groups a selection on `track` is measured against: all three without a
    track, the youth group for "youth", else the group of the legal track."""
    if not track:
        return KINDS
    if track == "youth":
        return ("youth",)
    return (TRACK_KIND[track],)


#: Consents that count as network involvement: consent to share with the citizen's external
#: network of professionals - own doctor, psychiatry, job centre (network.models
#: EXTERNAL_PARTIES; retningslinje 3.2 "netværk"). Consent between provider and municipality
#: belongs to every course, and contact after discharge is not involvement during treatment,
#: so neither counts [inference].
NETWORK_CONSENT_PARTIES = ("gp", "psychiatry", "jobcenter")


def consent_in_force_during(given_on: dt.date, valid_until: dt.date | None,
                            withdrawn_on: dt.date | None, start: dt.date, end: dt.date) -> bool:
    """Whether a consent is in force on at least one day of [start, end]: the period form of
    network.rules.consent_in_force (given on or before the day, not expired, withdrawal takes
    effect from its own day, issue 4 item 4)."""
    first = max(given_on, start)
    last = end
    if valid_until is not None:
        last = min(last, valid_until)
    if withdrawn_on is not None:
        last = min(last, withdrawn_on - dt.timedelta(days=1))
    return first <= last


def change(first: int, last: int) -> int:
    """The change between the first and the last measure: last minus first, so a fall in an
    AUDIT/DUDIT score or in days of use is negative, and an improvement."""
    return last - first
