"""The KPI edge cases the acceptance of issue 5 names: no cases, courses crossing period ends,
courses with free choice, anonymous courses. Today is 15 June 2026.

Every KPI of the catalogue gets the "no cases" test (no data, never 0 %). The other edges are
here where the KPI's own test file does not already cover them:

| KPI | free choice | anonymous | period ends |
|---|---|---|---|
| guarantee_kept, waiting_days, waiting_days_no_guarantee | here | here | here |
| assessment_14, decision_14, decision_legal_quality, plan_at_start | here | here | here |
| review_cadence, completion_rate, follow_up_1, follow_up_6 | here | here | here |
| change_audit, change_dudit | outcomes (i) | outcomes (h) | outcomes (e, f) |
| days_of_use, days_of_use_change | here | here and outcomes (e) | here and outcomes |
| satisfaction | (no persons) | (no persons) | here and outcomes |
| screening_rate, screening_started | outcomes | outcomes | outcomes |
| children_at_home, children_notified | here | here | here |
| network_involvement | here | outcomes | here and outcomes |
| coverage | here and outcomes | outcomes | here |

Each expected value is worked out by hand beside the data."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.indicators import catalogue, presentation
from forlob.indicators.filters import Filters
from forlob.network.models import Consent, NetworkMember
from forlob.pathway.models import Assessment, FreeChoice, ScreeningResult
from forlob.survey.models import Answer, Response
from forlob.treatment.models import Review

from .factories import PurchaseAgreementFactory
from .factories_indicators import add_decision, filters, follow_up, make_course

D = dt.date
MAY = (D(2026, 5, 1), D(2026, 5, 31))
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
Q1 = (D(2026, 1, 1), D(2026, 3, 31))


def compute(code, world, period, **kwargs):
    return catalogue.compute(code, filters(world, *period, **kwargs))


def counts(v):
    return v.numerator, v.denominator


def cells(v):
    return {key: n for key, _label, n in v.cells}


# --- No cases: no data, never 0 % --------------------------------------------------------------

def _full_course(world, municipality, day):
    """A course with a fact for every KPI, all within 25 days of the first request on `day`
    (discharged then), the follow-ups held 40 and 55 days on."""
    def on(n):
        return day + dt.timedelta(days=n)

    c = make_course(world, day, municipality=municipality, assessed=on(2), decided=on(4),
                    started=on(6), plans=[on(8)], reviews=[on(12), on(20)],
                    discharged=on(25))
    Review.objects.filter(course=c).update(days_of_use_30=5)
    add_decision(c, None, on(5), "afslag", reasons="r", other_help="o", letter_sent_on=on(7))
    Assessment.objects.filter(course=c).update(
        children_at_home=True, children_count=1, notified_on=on(3), screening_needed=True,
        screening_started_on=on(10))
    for n, total in ((2, 20), (20, 10)):
        for instrument in ("audit", "dudit"):
            ScreeningResult.objects.create(course=c, instrument=instrument,
                                           administered_on=on(n), answers=[], total=total)
    NetworkMember.objects.create(course=c, name="N", relation="partner",
                                 influence="supportive", involvement_consent_on=on(8))
    Consent.objects.create(course=c, party="gp", given_on=on(8))
    follow_up(c, 1, on(40), held_on=on(40))
    follow_up(c, 2, on(55), held_on=on(55))
    return c


@pytest.fixture
def elsewhere(world):
    """Data for every KPI, but none for Solrød in March 2026: Solrød's course ran in 2025,
    Køge's runs in March 2026; Solrød's survey provider has answers from 2025 only."""
    _full_course(world, world.muni, D(2025, 1, 5))
    _full_course(world, world.muni2, D(2026, 3, 1))
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider2,
                             valid_from=D(2024, 1, 1))
    for provider, month in ((world.provider2, D(2025, 6, 1)), (world.provider, D(2026, 3, 1))):
        response = Response.objects.create(provider=provider, version=1, month=month,
                                           channel="link")
        Answer.objects.create(response=response, question="acute", choice=1)
    return world


@pytest.mark.parametrize("code", list(catalogue.CATALOGUE))
def test_no_cases_is_no_data_never_zero(elsewhere, code):
    kpi = catalogue.CATALOGUE[code]
    for selection in (filters(elsewhere, *MARCH),
                      Filters(*MARCH, municipalities=frozenset())):  # a selection of none
        v = kpi.compute(selection)
        assert v.value is None, (code, v)
        for suppress in (False, True):
            assert presentation.figure(kpi, v, suppress).value == "–", code


def test_no_cases_dashboard_shows_no_figure(elsewhere, login):
    page = login(elsewhere.caseworker).get(reverse("indicators:dashboard"), {
        "start": MARCH[0].isoformat(), "end": MARCH[1].isoformat()})
    figures = [f for s in page.context["sections"] for f in s.figures]
    assert page.status_code == 200 and len(figures) == len(catalogue.CATALOGUE)
    assert {f.value for f in figures} == {"–"}


def test_the_same_data_in_its_own_period_has_figures(elsewhere):
    """The dataset of the no-cases test is not empty: Køge's course shows in March, and a
    figure of every kind is there."""
    selection = Filters(*MARCH, municipalities=frozenset({elsewhere.muni2.pk}))
    for code in ("guarantee_kept", "assessment_14", "decision_14", "decision_legal_quality",
                 "plan_at_start", "completion_rate", "screening_rate", "children_at_home",
                 "children_notified", "network_involvement"):
        assert catalogue.compute(code, selection).value == 1.0, code
    for code in ("waiting_days", "change_audit", "change_dudit", "days_of_use", "coverage"):
        assert catalogue.compute(code, selection).value is not None, code


# --- Treatment guarantee and waiting days -----------------------------------------------------

def _limited_free_choice(course):
    FreeChoice.objects.create(course=course, chosen_on=D(2026, 5, 2), limited=True,
                              limit_reason="Begrænset efter stk. 7.")


@pytest.fixture
def guarantee(world):
    w = world
    w.a = make_course(w, D(2026, 4, 25), ("sul141",), anonymous=True,
                      started=D(2026, 5, 5))  # anonymous alcohol: guarantee; 10 d, kept
    w.b = make_course(w, D(2026, 5, 1), ("sel101a", "sul141"), anonymous=True,
                      started=D(2026, 5, 20))  # § 101 a and § 141: guarantee; 19 d, late
    w.c = make_course(w, D(2026, 5, 1), ("sel101a",), anonymous=True,
                      started=D(2026, 5, 10))  # § 101 a only: no guarantee; 9 d
    w.d = make_course(w, D(2026, 5, 2), started=D(2026, 5, 12))  # limited free choice: kept
    _limited_free_choice(w.d)
    w.e = make_course(w, D(2026, 5, 1), free_choice=True,
                      started=D(2026, 5, 25))  # free choice: no guarantee; 24 d
    w.f = make_course(w, D(2026, 4, 17), started=D(2026, 5, 1))  # deadline 1 May: kept, 14 d
    w.g = make_course(w, D(2026, 5, 17), started=D(2026, 6, 1))  # deadline 31 May: late
    w.h = make_course(w, D(2026, 5, 18), started=D(2026, 5, 20))  # deadline 1 June; 2 d
    w.i = make_course(w, D(2026, 4, 16), started=D(2026, 5, 2))  # deadline 30 April; 16 d
    return w


def test_guarantee_edges(guarantee):
    # Deadline in May: a (kept), b (late), d (kept), f (kept, on the deadline), g (late,
    # started after the period). Not: c (§ 101 a), e (free choice), h (June), i (April).
    # 3 / 5 = 0.6.
    v = compute("guarantee_kept", guarantee, MAY)
    assert (v.numerator, v.denominator, v.value) == (3, 5, 0.6)
    cases = set(catalogue.CATALOGUE["guarantee_kept"].cases(filters(guarantee, *MAY)))
    assert cases == {guarantee.a, guarantee.b, guarantee.d, guarantee.f, guarantee.g}


def test_waiting_days_edges(guarantee):
    # Guarantee courses started in May: a 10, b 19, d 10, f 14, h 2, i 16 (requested in
    # April); g started in June. Sorted 2, 10, 10, 14, 16, 19: median (10 + 14) / 2 = 12;
    # p90 rank 5 * 0.9 = 4.5: 16 + 0.5 * (19 - 16) = 17.5.
    v = compute("waiting_days", guarantee, MAY)
    assert (v.value, v.denominator) == (12, 6)
    assert cells(v)["p90"] == pytest.approx(17.5)


def test_waiting_days_without_guarantee_edges(guarantee):
    # Free choice: e 24. § 101 a without a guarantee: c 9; b is also on § 141, so it has the
    # guarantee and is counted above, not here; d's free choice is limited: guarantee.
    # All: 9, 24 -> median 16.5.
    v = compute("waiting_days_no_guarantee", guarantee, MAY)
    found = cells(v)
    assert (v.value, v.denominator) == (16.5, 2)
    assert (found["free_choice_n"], found["free_choice_median"]) == (1, 24)
    assert (found["sel101a_n"], found["sel101a_median"]) == (1, 9)
    cases = set(catalogue.CATALOGUE["waiting_days_no_guarantee"].cases(
        filters(guarantee, *MAY)))
    assert cases == {guarantee.c, guarantee.e}


# --- Assessment and decision within 14 days, legal quality, plan at start ----------------------

@pytest.fixture
def assessed(world):
    w = world
    make_course(w, D(2026, 4, 20), free_choice=True, assessed=D(2026, 5, 1),
                decided=D(2026, 5, 6))  # p: free choice; assessed 11 d, decided 16 d
    make_course(w, D(2026, 5, 1), ("sel101a",), anonymous=True,
                assessed=D(2026, 5, 3))  # q: § 101 a needs no decision: not counted
    make_course(w, D(2026, 4, 17), assessed=D(2026, 5, 1),
                decided=D(2026, 5, 1))  # r: both on the deadline, 1 May
    make_course(w, D(2026, 5, 17), assessed=D(2026, 6, 1),
                decided=D(2026, 6, 2))  # s: deadline 31 May, both done after the period
    make_course(w, D(2026, 4, 16), assessed=D(2026, 4, 20))  # t: deadline 30 April
    make_course(w, D(2026, 5, 18), assessed=D(2026, 5, 20))  # u: deadline 1 June
    return w


def test_assessment_14_edges(assessed):
    # Counted p, r, s; assessed in time p (11 d), r (14 d) -> 2 / 3.
    assert counts(compute("assessment_14", assessed, MAY)) == (2, 3)


def test_decision_14_edges(assessed):
    # Counted p, r, s; decided in time r only (p 16 d, s 16 d) -> 1 / 3.
    assert counts(compute("decision_14", assessed, MAY)) == (1, 3)


def test_decision_legal_quality_edges(world):
    free = make_course(world, D(2026, 4, 1), free_choice=True)
    add_decision(free, None, D(2026, 5, 31), "afslag", reasons="r", other_help="o",
                 letter_sent_on=D(2026, 6, 2))  # last day, letter after the period: good
    c = make_course(world, D(2026, 4, 1))
    add_decision(c, None, D(2026, 5, 1), "delvis", reasons="r",
                 letter_sent_on=D(2026, 5, 1))  # first day: good
    add_decision(c, None, D(2026, 5, 15), "afslag", reasons="r", other_help="o")  # no letter
    add_decision(c, None, D(2026, 4, 30), "delvis", reasons="r")  # April
    add_decision(c, None, D(2026, 6, 1), "delvis", reasons="r")  # June
    # 2 good of 3 in May.
    assert counts(compute("decision_legal_quality", world, MAY)) == (2, 3)


def test_plan_at_start_edges(world):
    make_course(world, D(2026, 4, 1), free_choice=True, started=D(2026, 5, 10),
                plans=[D(2026, 5, 20)])  # free choice, 10 d: kept
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 28),
                plans=[D(2026, 6, 5)])  # plan after the period, 8 d: kept
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 31),
                plans=[D(2026, 6, 14)])  # 14 d, on the deadline: kept
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 30),
                plans=[D(2026, 6, 14)])  # 15 d: late
    make_course(world, D(2026, 4, 1), started=D(2026, 6, 1))  # June: not counted
    make_course(world, D(2026, 4, 1), ("sel101a",), anonymous=True,
                started=D(2026, 5, 5))  # anonymous, no plan, deadline 19 May passed
    # 5 started in May, 3 kept -> 0.6.
    v = compute("plan_at_start", world, MAY)
    assert (v.numerator, v.denominator, v.value) == (3, 5, 0.6)


# --- After the start ---------------------------------------------------------------------------

REQ, START, PLAN = D(2026, 1, 1), D(2026, 1, 5), D(2026, 1, 10)


def test_review_cadence_edges(world):
    # Reckoned on 31 May, 3 months: an anchor from 1 March on is within.
    make_course(world, REQ, free_choice=True, started=START, plans=[PLAN],
                reviews=[D(2026, 3, 1)])  # free choice, anchor 1 March: within
    make_course(world, REQ, ("sel101a",), anonymous=True, started=START,
                plans=[D(2026, 2, 28)])  # anonymous, due 28 May: overdue
    make_course(world, REQ, started=START, plans=[PLAN],
                discharged=D(2026, 5, 31))  # discharged on the day: not active
    make_course(world, REQ, started=START, plans=[PLAN],
                discharged=D(2026, 6, 1))  # discharged after the period: active, overdue
    make_course(world, REQ, started=D(2026, 5, 31),
                plans=[D(2026, 5, 31)])  # started and planned on the day: within
    make_course(world, REQ, started=D(2026, 5, 20),
                plans=[D(2026, 6, 2)])  # first plan after the period: not counted
    # Counted 4, within 2.
    assert counts(compute("review_cadence", world, MAY)) == (2, 4)


def test_completion_rate_edges(world):
    make_course(world, REQ, ("sel101a",), anonymous=True, started=START,
                discharged=D(2026, 5, 1), reason="faerdigbehandlet")  # first day, planned
    make_course(world, REQ, free_choice=True, started=START, discharged=D(2026, 5, 31),
                reason="udeblevet")  # last day, unplanned
    make_course(world, REQ, started=START, discharged=D(2026, 5, 15),
                reason="andet_tilbud")  # planned
    make_course(world, REQ, started=START, discharged=D(2026, 4, 30))  # April
    make_course(world, REQ, started=START, discharged=D(2026, 6, 1))  # June
    # 2 planned of 3 discharged in May.
    assert counts(compute("completion_rate", world, MAY)) == (2, 3)


def test_follow_up_edges(world):
    def ended(**kwargs):
        return make_course(world, REQ, started=START, discharged=D(2026, 3, 1), **kwargs)

    anonymous = ended(tracks=("sel101a",), anonymous=True)
    free = ended(free_choice=True)
    follow_up(anonymous, 1, D(2026, 5, 31), held_on=D(2026, 6, 3))  # held after: done
    follow_up(free, 1, D(2026, 5, 1), declined_on=D(2026, 4, 20))  # declined before: declined
    follow_up(ended(), 1, D(2026, 5, 10), held_on=D(2026, 5, 8))  # held early: done
    follow_up(ended(), 1, D(2026, 5, 20))  # missed
    follow_up(ended(), 1, D(2026, 6, 1))  # June: not counted
    follow_up(ended(), 1, D(2026, 4, 30), held_on=D(2026, 4, 30))  # April: not counted
    follow_up(anonymous, 2, D(2026, 5, 15), held_on=D(2026, 5, 15))  # done
    follow_up(free, 2, D(2026, 5, 31))  # due on the last day, before today: missed
    # 1 month: done 2, declined 1, missed 1 -> 2 / 4.
    v = compute("follow_up_1", world, MAY)
    assert (v.numerator, v.denominator, v.value) == (2, 4, 0.5)
    assert cells(v) == {"done": 2, "declined": 1, "missed": 1}
    # 6 months: done 1, missed 1 -> 1 / 2.
    assert counts(compute("follow_up_6", world, MAY)) == (1, 2)


# --- Outcomes ----------------------------------------------------------------------------------

def _review(course, day, days):
    plan = course.plans.first()
    return Review.objects.create(course=course, plan=plan, held_on=day, days_of_use_30=days)


def test_days_of_use_edges(world):
    free = make_course(world, REQ, free_choice=True, started=START, plans=[PLAN])
    _review(free, D(2026, 1, 10), 12)
    _review(free, D(2026, 3, 31), 6)  # the last day of the period
    _review(free, D(2026, 4, 1), 0)  # after the period: not the latest up to its end
    anonymous = make_course(world, REQ, ("sel101a",), anonymous=True, started=START,
                            plans=[PLAN])
    _review(anonymous, D(2026, 1, 1), 10)  # the first day; its only review
    before = make_course(world, REQ, started=START, plans=[PLAN])
    _review(before, D(2025, 12, 31), 30)  # latest before the period: not counted
    # Latest in Q1: free 6, anonymous 10 -> mean 8 over 2.
    v = compute("days_of_use", world, Q1)
    assert (v.value, v.denominator) == (8, 2)
    # First to latest: free 12 -> 6 = -6, fell; the anonymous course has one review only.
    v = compute("days_of_use_change", world, Q1)
    assert (v.value, v.numerator, v.denominator) == (-6, 1, 1)


def test_satisfaction_period_crossing_months(world):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider2,
                             valid_from=D(2024, 1, 1))
    for month in (D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)):
        response = Response.objects.create(provider=world.provider2, version=1, month=month,
                                           channel="link")
        Answer.objects.create(response=response, question="acute", choice=2)
    # 15 January - 14 February touches January and February: their 2 responses.
    v = compute("satisfaction", world, (D(2026, 1, 15), D(2026, 2, 14)))
    assert (v.value, v.denominator, cells(v)[("acute", 2)]) == (2, 2, 2)


def _assessment(course, day, **kwargs):
    kwargs = {"children_at_home": False, "pregnancy": False, **kwargs}
    return Assessment.objects.create(course=course, done_on=day, instrument="europasi",
                                     instrument_on=day, **kwargs)


@pytest.fixture
def family(world):
    """Assessments around Q1 on free-choice, anonymous and ordinary courses."""
    _assessment(make_course(world, REQ), D(2026, 1, 10), children_at_home=True,
                children_count=2, notified_on=D(2026, 1, 12))  # duty, notified
    _assessment(make_course(world, REQ), D(2026, 2, 1), pregnancy=True)  # duty, not notified
    _assessment(make_course(world, REQ, ("sel101a",), anonymous=True), D(2026, 3, 31),
                children_at_home=True, children_count=1, pregnancy=True,
                notified_on=D(2026, 4, 2))  # anonymous, last day, notified after: counts
    _assessment(make_course(world, REQ, free_choice=True), D(2026, 2, 10))  # no duty
    _assessment(make_course(world, REQ), D(2025, 12, 31), children_at_home=True,
                children_count=1, notified_on=D(2026, 1, 5))  # done before; sent in Q1
    _assessment(make_course(world, REQ), D(2026, 4, 1), children_at_home=True,
                children_count=1)  # after the period
    return world


def test_children_at_home_is_the_question_answered(family):
    """The issue's figure: the share of Q1's assessments with the question answered (the form
    requires it: all 4 of 10 Jan, 1 Feb, 31 Mar, 10 Feb), with the notifications made in Q1
    as a cell (12 January and 5 January; 2 April is after the period)."""
    v = compute("children_at_home", family, Q1)
    assert (v.value, v.numerator, v.denominator) == (1.0, 4, 4)
    assert cells(v) == {"sent": 2}
    kpi = catalogue.CATALOGUE["children_at_home"]
    assert kpi.better == "higher"
    assert kpi.cases(filters(family, *Q1)).count() == 4


def test_children_notified_is_the_duty_followed_up(family):
    # Duty in Q1: 10 Jan (children), 1 Feb (pregnancy), 31 Mar (both) = 3; notified: 10 Jan
    # and 31 Mar (sent 2 April, after the period, still counts) -> 2 / 3.
    v = compute("children_notified", family, Q1)
    assert (v.numerator, v.denominator) == (2, 3)
    assert v.value == pytest.approx(2 / 3)
    assert cells(v) == {"children_only": 1, "pregnancy_only": 1, "children_and_pregnancy": 1}
    assert sum(cells(v).values()) == v.denominator  # an exact split, suppressed as one
    kpi = catalogue.CATALOGUE["children_notified"]
    assert kpi.better == "none"
    assert kpi.cases(filters(family, *Q1)).count() == 3


def test_children_kpis_without_cases_are_no_data(world):
    """No assessment and no notification in the period: no figure, never 0 % or 100 %."""
    _assessment(make_course(world, REQ), D(2025, 11, 1), children_at_home=True,
                notified_on=D(2025, 11, 3))
    for code in ("children_at_home", "children_notified"):
        v = compute(code, world, Q1)
        assert (v.value, v.numerator, v.denominator, v.cells) == (None, 0, 0, ()), code


def test_children_notified_without_the_duty_is_no_data(world):
    """Every assessment answers the question (required): with no children and no pregnancy
    there is nothing to follow up, so no figure rather than 100 % or 0 %; the question's
    share is there (1 / 1)."""
    _assessment(make_course(world, REQ), D(2026, 2, 1))
    v = compute("children_notified", world, Q1)
    assert (v.value, v.numerator, v.denominator, v.cells) == (None, 0, 0, ())
    assert counts(compute("children_at_home", world, Q1)) == (1, 1)


def test_network_involvement_edges(world):
    free = make_course(world, REQ, free_choice=True, started=START)
    NetworkMember.objects.create(course=free, name="N", relation="partner",
                                 influence="supportive", involvement_consent_on=D(2026, 2, 1))
    ended = make_course(world, REQ, started=D(2025, 6, 1), discharged=D(2026, 1, 1))
    Consent.objects.create(course=ended, party="gp", given_on=D(2025, 12, 1))  # in force 1 Jan
    make_course(world, REQ, started=D(2026, 3, 31))  # starts on the last day, nobody involved
    make_course(world, REQ, started=D(2026, 4, 1))  # after the period
    # In treatment in Q1: free, ended (discharged on the first day), the 31 March start = 3;
    # involved: free and ended -> 2 / 3.
    assert counts(compute("network_involvement", world, Q1)) == (2, 3)


def test_coverage_period_ends_and_free_choice(world):
    make_course(world, REQ, started=D(2025, 6, 1), discharged=D(2026, 1, 1))  # first day
    make_course(world, REQ, ("sul141",), started=D(2026, 3, 31))  # starts on the last day
    make_course(world, REQ, free_choice=True, started=D(2026, 2, 1))  # free choice
    make_course(world, REQ, started=D(2025, 6, 1), discharged=D(2025, 12, 31))  # before
    make_course(world, REQ, started=D(2026, 4, 1))  # after
    # 3 citizens in treatment in Q1 over Solrød's 35,000 inhabitants' 3,500 + 210 + 175.
    v = compute("coverage", world, Q1)
    assert (v.numerator, v.denominator) == (3, 3885)
    assert v.value == pytest.approx(3 / 3885)
    assert cells(v) == {"alcohol": 1, "drugs": 2, "youth": 0}
