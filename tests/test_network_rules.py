"""Rules of network and consent (issue 4 items 3 and 4): consent in force and its status,
periods, withdrawal once, children under 18 not involved (3.2.5), guardianship, and which
declined follow-ups a new consent reopens."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forlob.network import rules
from forlob.network.rules import ConsentStatus, PeriodProblem, WithdrawProblem

D = dt.date
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
maybe_days = st.none() | days


@given(given_on=days, valid_until=maybe_days, withdrawn_on=maybe_days, day=days)
def test_in_force_exactly_when_status_is_in_force(given_on, valid_until, withdrawn_on, day):
    in_force = rules.consent_in_force(given_on, valid_until, withdrawn_on, day)
    status = rules.consent_status(given_on, valid_until, withdrawn_on, day)
    assert in_force == (status == ConsentStatus.IN_FORCE)


@pytest.mark.parametrize(("given_on", "valid_until", "withdrawn_on", "day", "expected"), [
    (D(2026, 6, 1), None, None, D(2026, 5, 31), False),            # not yet given
    (D(2026, 6, 1), None, None, D(2026, 6, 1), True),              # from the day given
    (D(2026, 6, 1), None, None, D(2035, 1, 1), True),              # open-ended
    (D(2026, 6, 1), D(2026, 6, 30), None, D(2026, 6, 30), True),   # to and with valid_until
    (D(2026, 6, 1), D(2026, 6, 30), None, D(2026, 7, 1), False),   # expired
    (D(2026, 6, 1), None, D(2026, 6, 10), D(2026, 6, 9), True),    # the day before withdrawal
    (D(2026, 6, 1), None, D(2026, 6, 10), D(2026, 6, 10), False),  # withdrawn at once
    (D(2026, 6, 1), D(2026, 6, 30), D(2026, 6, 10), D(2026, 6, 20), False),
    (D(2026, 6, 1), D(2026, 6, 5), D(2026, 6, 10), D(2026, 6, 7), False),  # expired first
    (D(2026, 6, 1), D(2026, 5, 1), None, D(2026, 6, 1), False),    # period ends before it starts
])
def test_in_force_worked_examples(given_on, valid_until, withdrawn_on, day, expected):
    assert rules.consent_in_force(given_on, valid_until, withdrawn_on, day) is expected


def _earlier_later(a, b):
    return (a, b) if a <= b else (b, a)


@given(given_on=days, valid_until=maybe_days, w1=days, w2=days, d1=days, d2=days)
def test_in_force_matches_the_definition(given_on, valid_until, w1, w2, d1, d2):
    """Relations instead of the formula: consent in force is monotone in each input."""
    in_force = rules.consent_in_force
    early_w, late_w = _earlier_later(w1, w2)
    early_d, late_d = _earlier_later(d1, d2)
    # withdrawing earlier never makes it in force on a day; never withdrawing is the latest
    if in_force(given_on, valid_until, early_w, early_d):
        assert in_force(given_on, valid_until, late_w, early_d)
        assert in_force(given_on, valid_until, None, early_d)
    # once withdrawn and out of force, it never comes back on a later day
    if early_d >= early_w and not in_force(given_on, valid_until, early_w, early_d):
        assert not in_force(given_on, valid_until, early_w, late_d)
    # a longer period never takes force away; an open-ended one is the longest
    if valid_until is not None and in_force(given_on, valid_until, None, early_d):
        assert in_force(given_on, valid_until + dt.timedelta(days=30), None, early_d)
        assert in_force(given_on, None, None, early_d)
    # given earlier never takes force away
    if in_force(given_on, valid_until, None, d1):
        assert in_force(given_on - dt.timedelta(days=30), valid_until, None, d1)
    # in force on two days: in force on every day between (one unbroken period)
    if in_force(given_on, valid_until, w1, early_d) and in_force(given_on, valid_until, w1,
                                                                  late_d):
        middle = early_d + dt.timedelta(days=(late_d - early_d).days // 2)
        assert in_force(given_on, valid_until, w1, middle)
    # never in force before it was given
    if in_force(given_on, valid_until, w1, d1):
        assert given_on <= d1


@given(given_on=days, valid_until=maybe_days, withdrawn_on=days, day=days)
def test_withdrawal_takes_effect_at_once_and_for_good(given_on, valid_until, withdrawn_on, day):
    if day >= withdrawn_on:
        assert not rules.consent_in_force(given_on, valid_until, withdrawn_on, day)
        assert rules.consent_status(given_on, valid_until, withdrawn_on,
                                    day) == ConsentStatus.WITHDRAWN


@given(given_on=days, span=st.integers(0, 2000), day=days)
def test_open_ended_consent_stays_in_force_until_withdrawn(given_on, span, day):
    assert rules.consent_in_force(given_on, None, None, day) == (day >= given_on)
    until = given_on + dt.timedelta(days=span)
    if given_on <= day <= until:
        assert rules.consent_in_force(given_on, until, None, day)


def test_edges():
    given_on, until = D(2026, 6, 1), D(2026, 6, 30)
    assert not rules.consent_in_force(given_on, until, None, D(2026, 5, 31))
    assert rules.consent_in_force(given_on, until, None, given_on)
    assert rules.consent_in_force(given_on, until, None, until)
    assert rules.consent_status(given_on, until, None, D(2026, 7, 1)) == ConsentStatus.EXPIRED
    assert rules.consent_status(given_on, until, None, D(2026, 5, 1)) == ConsentStatus.NOT_YET
    # Withdrawn on the day it was given: never in force from then on.
    assert not rules.consent_in_force(given_on, None, given_on, given_on)
    assert rules.consent_in_force(given_on, None, D(2026, 6, 15), D(2026, 6, 14))


def test_period_problems():
    today = D(2026, 6, 15)
    assert rules.consent_period_problem(D(2026, 6, 16), None, today) == PeriodProblem.FUTURE
    assert rules.consent_period_problem(D(2026, 6, 10), D(2026, 6, 9),
                                        today) == PeriodProblem.UNTIL_BEFORE_GIVEN
    assert rules.consent_period_problem(D(2026, 6, 10), D(2026, 6, 10), today) is None
    assert rules.consent_period_problem(D(2026, 6, 15), None, today) is None


@given(given_on=days, valid_until=maybe_days, withdrawn_on=days, today=days)
def test_a_withdrawn_consent_cannot_be_withdrawn_again(given_on, valid_until, withdrawn_on,
                                                       today):
    assert rules.withdraw_problem(given_on, valid_until, withdrawn_on,
                                  today) == WithdrawProblem.ALREADY_WITHDRAWN


def test_withdraw_problems():
    today = D(2026, 6, 15)
    assert rules.withdraw_problem(D(2026, 6, 1), None, None, today) is None
    assert rules.withdraw_problem(D(2026, 6, 1), D(2026, 6, 14), None,
                                  today) == WithdrawProblem.EXPIRED


def test_children_under_18_are_not_involved_as_relatives():
    assert not rules.child_may_be_involved(under_18=True)
    assert rules.child_may_be_involved(under_18=False)


def test_guardianship():
    assert rules.guardian_active(D(2026, 1, 1), None, D(2026, 6, 15))
    assert not rules.guardian_active(D(2026, 7, 1), None, D(2026, 6, 15))
    assert rules.guardian_active(D(2026, 1, 1), D(2026, 6, 15), D(2026, 6, 15))
    assert not rules.guardian_active(D(2026, 1, 1), D(2026, 6, 14), D(2026, 6, 15))
    today = D(2026, 6, 15)
    assert rules.guardian_end_problem(D(2026, 1, 1), None, D(2026, 6, 1), today) is None
    assert rules.guardian_end_problem(D(2026, 1, 1), D(2026, 2, 1), D(2026, 6, 1),
                                      today) == "ended"
    assert rules.guardian_end_problem(D(2026, 1, 1), None, D(2026, 6, 16), today) == "future"
    assert rules.guardian_end_problem(D(2026, 3, 1), None, D(2026, 2, 1),
                                      today) == "before_start"


@pytest.mark.parametrize("due,held_on,declined_on,expected", [
    (D(2026, 7, 15), None, D(2026, 6, 15), True),    # declined, open, due ahead
    (D(2026, 6, 15), None, D(2026, 6, 1), True),     # due today still counts
    (D(2026, 6, 14), None, D(2026, 6, 1), False),    # due date passed
    (D(2026, 7, 15), D(2026, 6, 10), D(2026, 6, 1), False),  # has an outcome
    (D(2026, 7, 15), None, None, False),             # not declined
])
def test_which_declined_follow_ups_a_new_consent_reopens(due, held_on, declined_on, expected):
    assert rules.follow_up_reopens(due, D(2026, 6, 15), held_on, declined_on) is expected


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_on=days, valid_until=maybe_days, withdrawn_on=maybe_days, day=days)
def test_the_sql_query_agrees_with_the_rule(world, given_on, valid_until, withdrawn_on, day):
    """consents.in_force_q (used by journal and disclosures) is the rule, as SQL."""
    from forlob.network.consents import in_force_q
    from forlob.network.models import Consent
    from forlob.pathway.models import Course

    course = Course.objects.first() or Course.objects.create(
        citizen=world.citizen, acting_municipality=world.muni)
    c = Consent.objects.create(course=course, party="gp", given_on=given_on,
                               valid_until=valid_until, withdrawn_on=withdrawn_on)
    in_sql = Consent.objects.filter(in_force_q(day), pk=c.pk).exists()
    assert in_sql == rules.consent_in_force(given_on, valid_until, withdrawn_on, day)
