"""The quality standard's rules (issue 7): the version in force on a day, the legal limits and
the revision deadline (retningslinje 2.8.1)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.standards import rules
from forlob.standards.rules import Adopted, ServiceLevels

D = dt.date

versions = st.lists(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
                    min_size=0, max_size=6).map(
    lambda days: [Adopted(n, day) for n, day in enumerate(days, start=1)])


def test_in_force_worked_example():
    history = [Adopted(1, D(2024, 1, 1)), Adopted(2, D(2026, 7, 1)), Adopted(3, D(2026, 7, 1))]
    assert rules.in_force(history, D(2023, 12, 31)) is None
    assert rules.in_force(history, D(2026, 6, 30)) == 1
    assert rules.in_force(history, D(2026, 7, 1)) == 3  # same day: the later number
    assert rules.valid_until(history, 1) == D(2026, 6, 30)
    assert rules.valid_until(history, 3) is None


@given(versions, st.dates(min_value=D(2019, 1, 1), max_value=D(2031, 12, 31)))
def test_property_in_force_is_the_latest_started(history, day):
    number = rules.in_force(history, day)
    started = [v for v in history if v.valid_from <= day]
    if not started:
        assert number is None
        return
    chosen = next(v for v in history if v.number == number)
    assert chosen.valid_from <= day
    assert all((v.valid_from, v.number) <= (chosen.valid_from, chosen.number) for v in started)
    # a version adopted later, starting after `day`, never changes what was in force
    later = [*history, Adopted(99, day + dt.timedelta(days=1))]
    assert rules.in_force(later, day) == number
    # the chosen version's period holds the day
    until = rules.valid_until(history, number)
    assert until is None or day <= until


def test_revision_due_two_years_after_adoption():
    assert rules.revision_due(D(2024, 3, 1)) == D(2026, 3, 1)
    assert rules.revision_due(D(2024, 2, 29)) == D(2026, 2, 28)


def test_the_laws_levels_have_no_problems():
    assert rules.legal_problems(ServiceLevels()) == {}


@pytest.mark.parametrize(("levels", "key"), [
    ({"guarantee_days": 15}, "guarantee_days"),
    ({"guarantee_days": 0}, "guarantee_days"),
    ({"follow_up_days": (29, None)}, "follow_up_first_days"),
    ({"follow_up_days": (None, 182)}, "follow_up_second_days"),
    ({"follow_up_days": (20, 20)}, "follow_up_second_days"),
    ({"follow_up_reasons": frozenset({"ferie"})}, "follow_up_reasons"),
    ({"plan_days": 31}, "plan_days"),
    ({"review_months": {"sel101": 7}}, "review_months"),
    ({"supervision_months": 0}, "supervision_months"),
    ({"ambulant_min": 5, "ambulant_max": 4}, "day_min"),
    ({"ambulant_max": 8, "day_min": 10}, "day_min"),  # a gap: 9 sessions fit no band
    ({"vouchers_enabled": True}, "voucher_amount"),
])
def test_each_level_below_the_law_is_named(levels, key):
    assert key in rules.legal_problems(ServiceLevels(**levels))


@given(st.integers(1, 14), st.one_of(st.none(), st.integers(1, 28)),
       st.one_of(st.none(), st.integers(29, 181)))
def test_property_any_promise_within_the_law_is_accepted(days, first, second):
    assert rules.legal_problems(ServiceLevels(guarantee_days=days,
                                              follow_up_days=(first, second))) == {}


def test_review_months_shortest_track_with_defaults():
    levels = ServiceLevels(review_months={"sul141": 4, "sul142": 2})
    assert rules.review_months(["sul141"], levels) == 4
    assert rules.review_months(["sul141", "sul142"], levels) == 2
    assert rules.review_months(["sel101"], ServiceLevels()) == 3


def test_revision_counts_from_the_latest_decision():
    assert rules.revision_basis([]) is None
    assert rules.revision_basis([None]) is None  # carried over without a decision
    assert rules.revision_basis([D(2024, 1, 1), None, D(2026, 5, 1)]) == D(2026, 5, 1)
