"""Rules of the aftercare duties (issue 4 items 2, 5, 8, 9, 10): review interval per
municipality and track, a relapse bringing the review forward, coordinating-plan meetings,
supervision, and whose worklist an item goes to."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.pathway import rules_aftercare as ra
from forlob.treatment import rules

D = dt.date
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2080, 12, 31))
months = st.integers(min_value=rules.REVIEW_MONTHS_MIN, max_value=rules.REVIEW_MONTHS_MAX)
TRACKS = ["sel101", "sel101a", "sul142", "sul141"]


# issue 4 item 2: every 3 months by default; some municipalities review alcohol every 4
def test_review_interval_default_and_configured():
    assert rules.review_interval(["sel101"], {}) == 3
    assert rules.review_interval([], {}) == 3
    assert rules.review_interval(["sul141"], {"sul141": 4}) == 4
    assert rules.review_interval(["sel101"], {"sul141": 4}) == 3
    # several tracks: the shortest interval [inference]
    assert rules.review_interval(["sul141", "sul142"], {"sul141": 4}) == 3
    assert rules.review_interval(["sul141", "sul142"], {"sul141": 4, "sul142": 5}) == 4
    assert ra.review_due(D(2026, 1, 31), rules.review_interval(["sul141"], {"sul141": 4})) == \
        D(2026, 5, 31)
    with pytest.raises(ValueError):
        rules.review_interval(["sel101"], {"sel101": 0})


@pytest.mark.parametrize(("tracks", "configured", "default", "expected"), [
    ([], {}, 3, 3),
    ([], {"sel101": 1}, 4, 4),                          # no track: the default
    (["sel101"], {}, 5, 5),                             # unconfigured: the default
    (["sel101"], {"sel101": 6}, 3, 6),                  # configured may be longer
    (["sel101", "sul141"], {"sel101": 6}, 3, 3),        # unconfigured track is shorter
    (["sel101", "sul141"], {"sel101": 6, "sul141": 2}, 3, 2),
    (["sul141", "sul141", "sul142"], {"sul141": 5, "sul142": 4}, 6, 4),
    (["sel101a", "sul141"], {"sul142": 1}, 2, 2),       # another track's setting is ignored
])
def test_review_interval_worked_examples(tracks, configured, default, expected):
    assert rules.review_interval(tracks, configured, default) == expected


@given(st.lists(st.sampled_from(TRACKS), min_size=1, max_size=4), st.sampled_from(TRACKS),
       st.dictionaries(st.sampled_from(TRACKS), months), months, st.randoms())
def test_property_review_interval_is_shortest_of_the_tracks(tracks, extra, configured, default,
                                                             rnd):
    result = rules.review_interval(tracks, configured, default)
    # adding a track never lengthens the interval, and the course is reviewed as often as
    # the stricter of the two
    longer = rules.review_interval([*tracks, extra], configured, default)
    assert longer <= result
    assert longer == min(result, rules.review_interval([extra], configured, default))
    # order and repeats of the tracks do not matter
    shuffled = [*tracks, *tracks]
    rnd.shuffle(shuffled)
    assert rules.review_interval(shuffled, configured, default) == result
    # the interval is one of the tracks' own intervals
    assert result in {rules.review_interval([t], configured, default) for t in tracks}
    # a setting for a track the course is not on changes nothing
    others = {t: m for t, m in configured.items() if t in tracks}
    assert rules.review_interval(tracks, others, default) == result


@given(dates, months)
def test_property_review_due_is_interval_months_after(anchor, interval):
    due = ra.review_due(anchor, interval)
    assert (due.year * 12 + due.month) - (anchor.year * 12 + anchor.month) == interval
    assert due > anchor


# retningslinje 3.10.3: a slip or relapse makes a review due soon
def test_relapse_brings_review_forward():
    anchor, regular = D(2026, 6, 1), D(2026, 9, 1)
    assert rules.next_review_due(regular, anchor, []) == (regular, False)
    assert rules.next_review_due(regular, anchor, [D(2026, 7, 1)]) == (D(2026, 7, 15), True)
    # before or on the anchor: already dealt with at that review
    assert rules.next_review_due(regular, anchor, [D(2026, 5, 1), anchor]) == (regular, False)
    # near the regular date: the regular date is sooner
    assert rules.next_review_due(regular, anchor, [D(2026, 8, 30)]) == (regular, False)
    # the first relapse after the anchor counts
    assert rules.next_review_due(regular, anchor, [D(2026, 8, 1), D(2026, 7, 1)]) == (
        D(2026, 7, 15), True)


@given(dates, months, st.lists(dates, max_size=5))
def test_property_relapse_review_never_later_than_regular(anchor, interval, relapses):
    regular = ra.review_due(anchor, interval)
    due, by_relapse = rules.next_review_due(regular, anchor, relapses)
    assert due <= regular
    later = [d for d in relapses if d > anchor]
    if later:
        assert due <= min(later) + dt.timedelta(days=rules.RELAPSE_REVIEW_DAYS)
    assert by_relapse == (due < regular)
    assert due > anchor


# retningslinje 2.6.13: coordinating plan meetings at most 6 months apart
def test_coordinating_anchor():
    assert rules.coordinating_anchor([], []) is None
    assert rules.coordinating_anchor([(D(2026, 1, 5), False)], []) is None
    assert rules.coordinating_anchor([(D(2026, 1, 5), True)], []) == D(2026, 1, 5)
    # the run of versions carrying it starts at version 2
    plans = [(D(2026, 1, 5), False), (D(2026, 2, 5), True), (D(2026, 3, 5), True)]
    assert rules.coordinating_anchor(plans, []) == D(2026, 2, 5)
    assert rules.coordinating_anchor(plans, [D(2026, 4, 1), D(2026, 5, 1)]) == D(2026, 5, 1)
    # a meeting before the plan existed does not count
    assert rules.coordinating_anchor(plans, [D(2026, 1, 20)]) == D(2026, 2, 5)
    # the current version dropped it: nothing due
    assert rules.coordinating_anchor([*plans, (D(2026, 4, 5), False)], []) is None
    assert ra.coordinating_plan_meeting_due(D(2026, 8, 31)) == D(2027, 2, 28)


@given(dates, st.integers(min_value=1, max_value=rules.SUPERVISION_MONTHS_MAX))
def test_property_supervision_due(last, interval):
    due = ra.supervision_due(last, interval)
    assert (due.year * 12 + due.month) - (last.year * 12 + last.month) == interval


def test_supervision_only_for_residential():
    assert rules.is_residential("dogn")
    assert not rules.is_residential("ambulant") and not rules.is_residential("")
    with pytest.raises(ValueError):
        ra.supervision_due(D(2026, 1, 1), 0)


# issue 4 item 8: the discharging provider follows up by default; configurable
@pytest.mark.parametrize(("item", "by", "owner"), [
    ("follow_up_1", "provider", "clinician"), ("follow_up_2", "provider", "clinician"),
    ("follow_up_1", "municipality", "caseworker"), ("plan", "municipality", "clinician"),
    ("review", "provider", "clinician"), ("relapse", "provider", "clinician"),
    ("supervision", "provider", "caseworker"), ("new_decision", "provider", "caseworker"),
    ("outreach", "provider", "clinician"), ("coordinating", "provider", "caseworker"),
])
def test_owner(item, by, owner):
    assert rules.owner(item, by) == owner


def test_follow_ups_show_on_one_worklist_only():
    assert rules.shown_to("follow_up_1", "clinician", "provider")
    assert not rules.shown_to("follow_up_1", "caseworker", "provider")
    assert rules.shown_to("follow_up_2", "caseworker", "municipality")
    assert not rules.shown_to("follow_up_2", "clinician", "municipality")
    assert not rules.shown_to("supervision", "clinician")
    # shared items show on both worklists
    for item in ("plan", "review", "relapse", "outreach", "coordinating"):
        assert rules.shown_to(item, "clinician") and rules.shown_to(item, "caseworker")
