"""Outcome indicators (issue 5 item 1; kpis_outcomes.py): each on a hand-built dataset with the
expected figure worked out by hand, plus no data, period ends, free choice and anonymous
(§ 101 a) courses. The period is the first quarter of 2026 unless a test says otherwise."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from forlob.indicators import catalogue, rules_outcomes
from forlob.indicators import kpis_outcomes as k
from forlob.indicators.filters import Filters
from forlob.network import rules as network_rules
from forlob.network.models import EXTERNAL_PARTIES, Consent, NetworkMember
from forlob.pathway.models import (
    Assessment,
    Course,
    CourseTrack,
    FreeChoice,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)
from forlob.survey.models import Answer, Response
from forlob.treatment.models import Discharge, Review, TreatmentPlan

from .factories import AnonymousCitizenFactory, CitizenFactory, PurchaseAgreementFactory

D = dt.date
Q1 = (D(2026, 1, 1), D(2026, 3, 31))
REQUESTED = D(2025, 9, 1)


def sel(world, start=Q1[0], end=Q1[1], munis=None, **kwargs):
    return Filters(start=start, end=end,
                   municipalities=frozenset(m.pk for m in (munis or [world.muni])), **kwargs)


def course(world, *, muni=None, requested=REQUESTED, started=None, discharged=None,
           tracks=("sel101",), anonymous=False, citizen=None, birth_year=None, provider=None,
           free_choice=False):
    """A course placed on exact dates straight through the models."""
    muni = muni or world.muni
    if citizen is None:
        citizen = (AnonymousCitizenFactory(acting_municipality=muni) if anonymous
                   else CitizenFactory(residence_municipality=muni))
    if birth_year is not None:
        type(citizen).objects.filter(pk=citizen.pk).update(birth_year=birth_year)
    c = Course.objects.create(citizen=citizen, acting_municipality=muni)
    for track in tracks:
        CourseTrack.objects.create(course=c, track=track)
    TreatmentRequest.objects.create(course=c, requested_on=requested, channel="phone")
    if free_choice:
        FreeChoice.objects.create(course=c, chosen_on=requested, provider=world.provider2)
    if started:
        TreatmentStart.objects.create(course=c, started_on=started, enrolled_on=started,
                                      provider=provider or world.provider2)
    if discharged:
        Discharge.objects.create(course=c, discharged_on=discharged, reason="faerdigbehandlet",
                                 use_status="ophoert", housing="egen", means_of_support="loen",
                                 status_text="Status")
    return c


def score(c, instrument, day, total):
    return ScreeningResult.objects.create(course=c, instrument=instrument, administered_on=day,
                                          answers=[], total=total)


def review(c, day, days):
    plan = c.plans.first() or TreatmentPlan.objects.create(course=c, number=1,
                                                           agreed_on=D(2025, 1, 1), content="p")
    return Review.objects.create(course=c, plan=plan, held_on=day, days_of_use_30=days)


def assessment(c, day, **kwargs):
    kwargs = {"children_at_home": False, "pregnancy": False, **kwargs}
    return Assessment.objects.create(course=c, done_on=day, instrument="europasi",
                                     instrument_on=day, **kwargs)


def test_every_outcome_kpi_is_registered_with_both_languages():
    codes = {"change_audit", "change_dudit", "days_of_use", "days_of_use_change",
             "satisfaction", "screening_rate", "screening_started", "children_at_home",
             "children_notified", "network_involvement", "coverage"}
    assert codes <= set(catalogue.CATALOGUE)
    for code in codes:
        kpi = catalogue.CATALOGUE[code]
        assert kpi.name_da and kpi.name_en and kpi.definition_da and kpi.definition_en
        assert kpi.source and kpi.better in ("higher", "lower", "none")


# --- AUDIT / DUDIT ----------------------------------------------------------------------------

@pytest.fixture
def scores(world):
    a = course(world)  # 20 -> 14: -6, improved
    score(a, "audit", D(2025, 11, 1), 20)
    score(a, "audit", D(2026, 2, 1), 14)
    b = course(world)  # 10, 12, 16: first 10, last 16: +6, worse
    score(b, "audit", D(2026, 1, 5), 10)
    score(b, "audit", D(2026, 1, 20), 12)
    score(b, "audit", D(2026, 3, 1), 16)
    c = course(world)  # 8 -> 8 on the period's last day: 0, unchanged
    score(c, "audit", D(2025, 12, 1), 8)
    score(c, "audit", D(2026, 3, 31), 8)
    d = course(world)  # one result only: not counted
    score(d, "audit", D(2026, 2, 1), 30)
    e = course(world)  # 30, 20, then 5 after the period: last up to the end is 20: -10
    score(e, "audit", D(2025, 10, 1), 30)
    score(e, "audit", D(2026, 2, 1), 20)
    score(e, "audit", D(2026, 4, 2), 5)
    f = course(world)  # last result before the period: not counted
    score(f, "audit", D(2025, 6, 1), 20)
    score(f, "audit", D(2025, 12, 31), 10)
    g = course(world, tracks=("sel101",))  # DUDIT only: 25 -> 20
    score(g, "dudit", D(2026, 1, 1), 25)
    score(g, "dudit", D(2026, 3, 31), 20)
    h = course(world, anonymous=True, tracks=("sel101a",))  # anonymous: 12 -> 9: -3
    score(h, "audit", D(2026, 1, 10), 12)
    score(h, "audit", D(2026, 2, 10), 9)
    i = course(world, free_choice=True)  # free choice counts like any course: 9 -> 9: 0
    score(i, "audit", D(2026, 1, 2), 9)
    score(i, "audit", D(2026, 1, 3), 9)
    other = course(world, muni=world.muni2)  # another municipality
    score(other, "audit", D(2026, 1, 1), 40)
    score(other, "audit", D(2026, 2, 1), 0)


def test_change_audit_first_against_last(world, scores):
    v = catalogue.compute("change_audit", sel(world))
    # a -6, b +6, c 0, e -10, h -3, i 0: n = 6, sum = -13, mean = -13 / 6
    assert v.denominator == 6
    assert v.value == pytest.approx(-13 / 6)
    assert v.numerator == 3  # a, e, h
    assert dict((key, n) for key, _label, n in v.cells) == {
        "improved": 3, "unchanged": 2, "worse": 1}
    assert v.unit == "score"


def test_change_dudit_counts_dudit_only(world, scores):
    v = catalogue.compute("change_dudit", sel(world))
    assert (v.value, v.numerator, v.denominator) == (-5.0, 1, 1)  # g: 20 - 25


def test_change_audit_later_period_uses_the_later_last(world, scores):
    # April-June: e's last is now 5 (2 April): 5 - 30 = -25, the only course in the period.
    v = catalogue.compute("change_audit", sel(world, D(2026, 4, 1), D(2026, 6, 30)))
    assert (v.value, v.numerator, v.denominator) == (-25.0, 1, 1)


def test_change_audit_same_day_results_ordered_by_entry(world):
    c = course(world)
    score(c, "audit", D(2026, 2, 1), 15)
    score(c, "audit", D(2026, 2, 1), 11)  # entered later: the last
    assert catalogue.compute("change_audit", sel(world)).value == -4.0


def test_change_no_data(world):
    v = catalogue.compute("change_audit", sel(world))
    assert (v.value, v.denominator, v.cells) == (None, 0, ())


def test_review_repeats_are_screening_results(world):
    """A review's repeated AUDIT is stored as a ScreeningResult (treatment.services
    add_review), so it is a 'last' like any other result."""
    from forlob.treatment import services as treatment_services
    from forlob.treatment.models import PlanGoal

    from .factories_attendance import req, started_course

    c = started_course(world, started_on=D(2026, 6, 10))
    score(c, "audit", D(2026, 6, 5), 20)
    plan = TreatmentPlan.objects.create(course=c, number=1, agreed_on=D(2026, 6, 10),
                                        content="p")
    goal = PlanGoal.objects.create(plan=plan, text="mål", goal_type="reduktion",
                                   need_domain="intoxicants")
    treatment_services.add_review(req(world.caseworker), c, Review(
        held_on=D(2026, 6, 14), days_of_use_30=3), {goal.pk: "partly"},
        [("audit", [1, 1, 1, 0, 0, 0, 0, 0, 0, 0], D(2026, 6, 14))])
    v = catalogue.compute("change_audit", sel(world, D(2026, 6, 1), D(2026, 6, 30)))
    assert (v.value, v.denominator) == (3 - 20, 1)  # AUDIT total 1+1+1 = 3


# --- Days of use ------------------------------------------------------------------------------

@pytest.fixture
def days(world):
    a = course(world)  # 20 then 10; a later review without the figure is skipped
    review(a, D(2025, 12, 1), 20)
    review(a, D(2026, 2, 1), 10)
    review(a, D(2026, 3, 1), None)
    b = course(world)  # one review: 4
    review(b, D(2026, 1, 15), 4)
    c = course(world)  # 5 in the period, 0 after it: latest up to the end is 5
    review(c, D(2026, 1, 10), 5)
    review(c, D(2026, 4, 10), 0)
    d = course(world)  # latest before the period
    review(d, D(2025, 11, 1), 30)
    e = course(world, anonymous=True, tracks=("sel101a",))  # 8 then 12 on the last day
    review(e, D(2026, 1, 5), 8)
    review(e, D(2026, 3, 31), 12)


def test_days_of_use_at_latest_review(world, days):
    v = catalogue.compute("days_of_use", sel(world))
    # a 10, b 4, c 5, e 12: (10 + 4 + 5 + 12) / 4 = 31 / 4 = 7.75
    assert (v.value, v.denominator, v.unit) == (7.75, 4, "days")


def test_days_of_use_change_first_to_latest(world, days):
    v = catalogue.compute("days_of_use_change", sel(world))
    # a 10 - 20 = -10, e 12 - 8 = +4: mean -3; a fell
    assert (v.value, v.numerator, v.denominator) == (-3.0, 1, 2)


def test_days_of_use_no_data(world):
    assert catalogue.compute("days_of_use", sel(world)).value is None
    assert catalogue.compute("days_of_use_change", sel(world)).value is None


# --- Satisfaction -----------------------------------------------------------------------------

def answer(provider, month, **choices):
    r = Response.objects.create(provider=provider, version=1, month=month, channel="link")
    for question, choice in choices.items():
        Answer.objects.create(response=r, question=question, choice=choice)
    return r


@pytest.fixture
def survey(world):
    # Solrød buys from the private provider2; world.provider belongs to Køge.
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider2,
                             valid_from=D(2024, 1, 1))
    answer(world.provider2, D(2026, 1, 1), acute=1, waiting=2)
    r = answer(world.provider2, D(2026, 1, 1), acute=1, waiting=None)
    Answer.objects.create(response=r, question="comments", text="Fint")
    answer(world.provider2, D(2026, 3, 1), acute=3)
    answer(world.provider2, D(2025, 12, 1), acute=5)  # before the period
    answer(world.provider, D(2026, 2, 1), acute=4)  # not serving Solrød (yet)


def _cells(v):
    return {key: n for key, _label, n in v.cells}


def test_satisfaction_distribution_per_question(world, survey):
    # The period starts mid-January: January's responses count (kept by month only).
    v = catalogue.compute("satisfaction", sel(world, D(2026, 1, 15), D(2026, 3, 31)))
    cells = _cells(v)
    assert v.value == 3 and v.denominator == 3  # two in January, one in March
    assert len(cells) == 6 * 5  # six scaled questions, five options each
    assert cells[("acute", 1)] == 2 and cells[("acute", 3)] == 1
    assert cells[("acute", 4)] == 0 and cells[("acute", 5)] == 0
    assert cells[("waiting", 2)] == 1  # the unanswered waiting question is not counted
    assert sum(cells.values()) == 2 + 1 + 1


def test_satisfaction_provider_treating_a_course_serves(world, survey):
    course(world, started=D(2026, 2, 1), provider=world.provider)  # Solrød course at Køge's
    cells = _cells(catalogue.compute("satisfaction", sel(world)))
    assert cells[("acute", 4)] == 1 and sum(cells.values()) == 5


def test_satisfaction_course_discharged_before_period_does_not_serve(world, survey):
    course(world, started=D(2025, 2, 1), discharged=D(2025, 12, 31), provider=world.provider)
    assert _cells(catalogue.compute("satisfaction", sel(world)))[("acute", 4)] == 0


def test_satisfaction_not_split_by_person_filters_and_empty(world, survey):
    assert catalogue.compute("satisfaction", sel(world, sex="F")).value is None
    assert catalogue.compute("satisfaction", sel(world, track="sul141")).value is None
    assert catalogue.compute("satisfaction", sel(world, D(2025, 1, 1), D(2025, 6, 30))
                             ).value is None


# --- Screening and children at home -----------------------------------------------------------

@pytest.fixture
def assessed(world):
    assessment(course(world), D(2026, 1, 10), screening_needed=True,
               screening_started_on=D(2026, 2, 1), children_at_home=True,
               notified_on=D(2026, 1, 12))
    assessment(course(world), D(2026, 2, 10), screening_needed=True)
    assessment(course(world, free_choice=True), D(2026, 3, 31), children_at_home=True,
               notified_on=D(2026, 4, 2))  # notified after the period
    assessment(course(world, anonymous=True, tracks=("sel101a",)), D(2026, 3, 1),
               screening_needed=True, screening_started_on=D(2026, 3, 5))
    assessment(course(world), D(2025, 12, 31), screening_needed=True, children_at_home=True,
               notified_on=D(2026, 1, 5))  # done before the period, notified in it
    assessment(course(world), D(2026, 4, 1), screening_needed=True)  # after the period
    assessment(course(world, muni=world.muni2), D(2026, 2, 1), screening_needed=True,
               notified_on=D(2026, 2, 2))


def test_screening_rate(world, assessed):
    v = catalogue.compute("screening_rate", sel(world))
    # done in Q1: 10 Jan (flagged), 10 Feb (flagged), 31 Mar, 1 Mar (flagged): 3 / 4
    assert (v.value, v.numerator, v.denominator) == (0.75, 3, 4)


def test_screening_started(world, assessed):
    v = catalogue.compute("screening_started", sel(world))
    # flagged in Q1: 10 Jan (started), 10 Feb, 1 Mar (started): 2 / 3
    assert (v.numerator, v.denominator) == (2, 3)
    assert v.value == pytest.approx(2 / 3)


def test_children_at_home(world, assessed):
    v = catalogue.compute("children_at_home", sel(world))
    # Done in Q1 in Solrød: 10 Jan, 10 Feb, 31 Mar, 1 Mar; each answered the question -> 4 / 4
    assert (v.value, v.numerator, v.denominator) == (1.0, 4, 4)
    # notifications sent in Q1: 12 Jan and 5 Jan (on an assessment done in December); Køge's
    # 2 Feb is another municipality
    assert _cells(v) == {"sent": 2}
    assert catalogue.CATALOGUE["children_at_home"].cases(sel(world)).count() == 4


def test_children_notified(world, assessed):
    v = catalogue.compute("children_notified", sel(world))
    # Done in Q1 with children at home (the notification duty): 10 Jan (notified 12 Jan) and
    # 31 Mar (notified 2 April, after the period: still counts) -> 2 / 2
    assert (v.value, v.numerator, v.denominator) == (1.0, 2, 2)
    assert _cells(v) == {"children_only": 2, "pregnancy_only": 0, "children_and_pregnancy": 0}
    assert catalogue.CATALOGUE["children_notified"].cases(sel(world)).count() == 2


def test_children_question_cannot_be_left_unanswered(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment(course(world), D(2026, 1, 1), children_at_home=None)


def test_assessment_kpis_no_data(world):
    for code in ("screening_rate", "screening_started", "children_at_home",
                 "children_notified"):
        v = catalogue.compute(code, sel(world))
        assert (v.value, v.denominator, v.cells) == (None, 0, ())


# --- Network involvement ----------------------------------------------------------------------

def consent(c, party, given, until=None, withdrawn=None):
    return Consent.objects.create(course=c, party=party, given_on=given, valid_until=until,
                                  withdrawn_on=withdrawn)


def member(c, involved=None):
    return NetworkMember.objects.create(course=c, name="N", relation="partner",
                                        influence="supportive", involvement_consent_on=involved)


def test_network_involvement(world):
    member(course(world, started=D(2025, 10, 1)), D(2025, 11, 1))  # yes: member
    consent(course(world, started=D(2026, 2, 1)), "gp", D(2026, 2, 5))  # yes: consent
    member(course(world, started=D(2025, 6, 1), discharged=D(2025, 12, 31)),
           D(2025, 7, 1))  # discharged before the period: not in the denominator
    member(course(world, started=D(2026, 1, 10), discharged=D(2026, 1, 20)))  # no consent: no
    consent(course(world, started=D(2026, 3, 1)), "provider_municipality",
            D(2026, 3, 1))  # not a network party: no
    consent(course(world, started=D(2025, 1, 1)), "psychiatry", D(2025, 1, 1),
            withdrawn=D(2026, 1, 1))  # withdrawn on the first day: never in force: no
    consent(course(world, started=D(2026, 1, 5), anonymous=True, tracks=("sel101a",)),
            "jobcenter", D(2025, 12, 1), until=D(2026, 1, 1))  # in force on 1 Jan: yes
    member(course(world, started=D(2026, 4, 1)), D(2026, 4, 1))  # starts after the period
    member(course(world, started=D(2026, 3, 15)), D(2026, 4, 5))  # involved after: no
    v = catalogue.compute("network_involvement", sel(world))
    # in treatment in Q1: 7 courses; involved: member, gp, jobcenter = 3
    assert (v.numerator, v.denominator) == (3, 7)
    assert v.value == pytest.approx(3 / 7)
    assert _cells(v) == {"member": 1, "consent": 2}


def test_network_involvement_no_data(world):
    v = catalogue.compute("network_involvement", sel(world))
    assert (v.value, v.denominator, v.cells) == (None, 0, ())


def test_network_consent_parties_are_the_external_ones():
    assert set(rules_outcomes.NETWORK_CONSENT_PARTIES) == {p.value for p in EXTERNAL_PARTIES}


_days = st.dates(min_value=D(2025, 12, 1), max_value=D(2026, 2, 28))


@given(given_on=_days, until=st.none() | _days, withdrawn=st.none() | _days,
       start=_days, length=st.integers(0, 40))
def test_consent_in_force_during_is_some_day_in_force(given_on, until, withdrawn, start, length):
    end = start + dt.timedelta(days=length)
    days = (start + dt.timedelta(days=i) for i in range(length + 1))
    expected = any(network_rules.consent_in_force(given_on, until, withdrawn, d) for d in days)
    assert rules_outcomes.consent_in_force_during(given_on, until, withdrawn, start,
                                                  end) == expected


@pytest.mark.parametrize("given_on,until,withdrawn", [
    (D(2026, 1, 1), None, None), (D(2026, 3, 31), None, None), (D(2026, 4, 1), None, None),
    (D(2025, 1, 1), D(2025, 12, 31), None), (D(2025, 1, 1), D(2026, 1, 1), None),
    (D(2025, 1, 1), None, D(2026, 1, 1)), (D(2025, 1, 1), None, D(2026, 1, 2)),
    (D(2026, 2, 1), D(2026, 1, 31), None), (D(2026, 2, 1), None, D(2026, 2, 1)),
])
def test_consent_sql_agrees_with_the_rule(world, given_on, until, withdrawn):
    c = course(world, started=D(2025, 1, 1))
    consent(c, "gp", given_on, until, withdrawn)
    expected = rules_outcomes.consent_in_force_during(given_on, until, withdrawn, *Q1)
    assert catalogue.compute("network_involvement", sel(world)).numerator == int(expected)


# --- Coverage ---------------------------------------------------------------------------------

@pytest.fixture
def treated(world):
    course(world, tracks=("sul141",), started=D(2025, 6, 1))  # adult alcohol
    c2 = course(world, started=D(2026, 2, 1), discharged=D(2026, 3, 1))  # adult drugs
    course(world, citizen=c2.citizen, tracks=("sul141",), started=D(2026, 3, 10))  # same person
    course(world, requested=D(2026, 1, 1), birth_year=2009,
           started=D(2026, 1, 15))  # 2026 - 2009 = 17: youth
    course(world, anonymous=True, tracks=("sel101a",), birth_year=1990,
           started=D(2026, 1, 20))  # anonymous drugs
    course(world, free_choice=True, tracks=("sul141",), started=D(2026, 4, 1))  # after
    course(world, started=D(2025, 1, 1), discharged=D(2025, 12, 31))  # before
    course(world)  # never started
    course(world, muni=world.muni2, started=D(2026, 1, 1))  # Køge


def test_coverage_per_target_group(world, treated):
    v = catalogue.compute("coverage", sel(world))
    # Solrød, 35,000 inhabitants: target 3,500 + 210 + 175 = 3,885.
    # Distinct citizens in treatment: alcohol adult, drugs/alcohol adult, youth, anonymous = 4.
    assert (v.numerator, v.denominator) == (4, 3885)
    assert v.value == pytest.approx(4 / 3885)
    assert _cells(v) == {"alcohol": 2, "drugs": 2, "youth": 1}


def test_coverage_by_track_and_population(world, treated):
    v = catalogue.compute("coverage", sel(world, track="sul141"))
    assert (v.numerator, v.denominator) == (2, 3500)  # two adults on the alcohol track
    world.muni2.population = 70_000
    world.muni2.save()
    v = catalogue.compute("coverage", sel(world, munis=[world.muni, world.muni2]))
    # 105,000 inhabitants: 3 x 3,885 = 11,655; Køge adds one drug user: 5 citizens
    assert (v.numerator, v.denominator) == (5, 11655)
    assert v.value == pytest.approx(5 / 11655)


def test_coverage_youth_counts_against_youth_only(world, treated):
    v = catalogue.compute("coverage", sel(world, track="youth"))
    assert (v.numerator, v.denominator, v.value) == (1, 175, 1 / 175)


def test_coverage_without_data_or_split(world):
    v = catalogue.compute("coverage", sel(world))
    assert (v.value, v.numerator) == (None, 0)  # a target but nobody in treatment: no data
    assert catalogue.compute("coverage", sel(world, sex="M")).value is None
    assert catalogue.compute("coverage", Filters(*Q1)).value is None  # no municipality


def test_kpis_module_is_the_registered_compute():
    assert catalogue.CATALOGUE["coverage"].compute is k.coverage
