"""After discharge the provider keeps access only as long as its follow-ups need it
(treatment.rules.referral_end_after_discharge): to 30 days after the last follow-up is due when
the provider follows up (the default), else until the discharge day."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob import clock
from forlob.access import scoped
from forlob.citizens.models import Referral
from forlob.pathway.models import Course
from forlob.treatment import rules

from .factories_standards import adopted
from .test_treatment_aftercare import started_course
from .test_treatment_discharge_tasks import discharge

D = dt.date


@pytest.mark.parametrize(("discharged", "dues", "by_provider", "ends"), [
    # the usual two follow-ups at +1 and +6 months: 30 days after the second
    (D(2026, 6, 15), [D(2026, 7, 15), D(2026, 12, 15)], True, D(2027, 1, 14)),
    (D(2026, 6, 15), [D(2026, 12, 15), D(2026, 7, 15)], True, D(2027, 1, 14)),  # any order
    (D(2026, 6, 15), [D(2026, 7, 15)], True, D(2026, 8, 14)),
    (D(2026, 12, 20), [D(2026, 12, 20)], True, D(2027, 1, 19)),   # across a year end
    (D(2026, 6, 15), [D(2026, 7, 15), D(2026, 12, 15)], False, D(2026, 6, 15)),  # municipality
    (D(2026, 6, 15), [], True, D(2026, 6, 15)),                   # no follow-up
    (D(2026, 6, 15), [], False, D(2026, 6, 15)),
])
def test_referral_end_worked_examples(discharged, dues, by_provider, ends):
    assert rules.referral_end_after_discharge(discharged, dues, by_provider) == ends


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
       st.lists(st.integers(min_value=0, max_value=200), max_size=3),
       st.integers(min_value=0, max_value=200), st.booleans())
def test_rule_never_ends_before_discharge(discharged, offsets, extra, by_provider):
    dues = [discharged + dt.timedelta(days=o) for o in offsets]
    ends = rules.referral_end_after_discharge(discharged, dues, by_provider)
    assert ends >= discharged
    # the municipality following up: the provider's access ends at discharge, whatever is due
    assert rules.referral_end_after_discharge(discharged, dues, False) == discharged
    # the provider following up never has less access than when it does not
    assert rules.referral_end_after_discharge(discharged, dues, True) >= discharged
    # one more follow-up never shortens access, and the order of the follow-ups is irrelevant
    more = [*dues, discharged + dt.timedelta(days=extra)]
    assert rules.referral_end_after_discharge(discharged, more, by_provider) >= ends
    assert rules.referral_end_after_discharge(discharged, dues[::-1], by_provider) == ends
    # the provider keeps access after every follow-up it has to hold, with room for a late one
    if by_provider:
        assert all(ends > due for due in dues)
        # a follow-up due no later than the last one already due changes nothing
        if dues:
            assert rules.referral_end_after_discharge(
                discharged, [*dues, min(dues)], True) == ends


def _only_the_course_referral(world):
    """The world's citizen also has an open-ended referral to the provider (conftest): end it,
    so only the referral the treatment start made gives the clinician access."""
    Referral.objects.filter(pk=world.referral.pk).update(ended_on=D(2026, 3, 31))


def _visible(user, course, day):
    with clock.frozen(day):
        return scoped(user, Course).filter(pk=course.pk).exists()


@pytest.mark.django_db
def test_provider_follows_up_and_keeps_access_until_30_days_after_the_last(world):
    _only_the_course_referral(world)
    course = started_course(world)
    discharge(world, course, "faerdigbehandlet")  # 15 June: follow-ups 15 July, 15 December
    referral = Referral.objects.get(citizen=world.citizen, provider=world.provider,
                                    referred_on=course.start.enrolled_on)
    assert referral.ended_on == D(2027, 1, 14)
    assert _visible(world.clinician, course, D(2027, 1, 14))
    assert not _visible(world.clinician, course, D(2027, 1, 15))


@pytest.mark.django_db
def test_municipality_follows_up_or_no_follow_up_ends_access_at_discharge(world):
    adopted(world.muni, follow_up_by="municipality")
    _only_the_course_referral(world)
    course = started_course(world)
    discharge(world, course, "faerdigbehandlet")
    assert _visible(world.clinician, course, D(2026, 6, 15))
    assert not _visible(world.clinician, course, D(2026, 6, 16))
    assert _visible(world.caseworker, course, D(2026, 6, 16))  # the caseworker follows up
