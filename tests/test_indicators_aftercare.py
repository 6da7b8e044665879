"""Aftercare indicators (issue 5 item 1) on hand-built datasets; today is 15 June 2026."""

import datetime as dt

from forlob.indicators import catalogue
from forlob.indicators import kpis_aftercare as k

from .factories_indicators import filters, follow_up, make_course
from .factories_standards import adopted

D = dt.date
MAY = (D(2026, 5, 1), D(2026, 5, 31))
JUNE = (D(2026, 6, 1), D(2026, 6, 30))
REQ, START, PLAN = D(2026, 1, 1), D(2026, 1, 5), D(2026, 1, 10)


def test_review_cadence(world):
    # Period end 31 May, default interval 3 months: an anchor from 1 March on is within
    # (28 Feb + 3 months = 28 May < 31 May; 1 March + 3 months = 1 June).
    make_course(world, REQ, started=START, plans=[PLAN], reviews=[D(2026, 3, 15)])  # within
    make_course(world, REQ, started=START, plans=[PLAN])  # due 10 April: overdue
    make_course(world, REQ, started=START, plans=[PLAN], reviews=[D(2026, 6, 5)])  # after end
    make_course(world, REQ, started=START, plans=[D(2026, 2, 28)])  # due 28 May: overdue
    make_course(world, REQ, started=START, plans=[D(2026, 3, 1)])  # due 1 June: within
    make_course(world, REQ, started=START, plans=[PLAN], discharged=D(2026, 5, 20))  # ended
    make_course(world, REQ, started=D(2026, 6, 2), plans=[D(2026, 6, 3)])  # not yet started
    make_course(world, REQ, started=D(2026, 5, 25))  # no plan yet: not counted
    make_course(world, REQ, started=START, plans=[PLAN], discharged=D(2026, 6, 3))  # overdue
    make_course(world, REQ, ("sel101a",), anonymous=True, started=START,
                plans=[D(2026, 4, 1)])  # anonymous, within
    # Counted: 7 (all but the discharged-in-May, June start and planless). Within: 3.
    value = k.review_cadence(filters(world, *MAY))
    assert (value.numerator, value.denominator) == (3, 7)


def test_review_cadence_shortest_track_of_the_standard(world):
    adopted(world.muni, review_months_sel101=1, review_months_sul141=6)
    make_course(world, REQ, ("sel101", "sul141"), started=START,
                plans=[D(2026, 4, 15)])  # 1 month: due 15 May, overdue
    make_course(world, REQ, ("sul141",), started=START, plans=[PLAN])  # 6 months: 10 July
    value = k.review_cadence(filters(world, *MAY))
    assert (value.numerator, value.denominator) == (1, 2)


def test_review_cadence_future_period_end_uses_today(world):
    # Period ends 30 June, after today (15 June): reckoned on 15 June. Plan 20 March + 3
    # months = 20 June >= 15 June: within (on 30 June it would not be).
    make_course(world, REQ, started=START, plans=[D(2026, 3, 20)])
    value = k.review_cadence(filters(world, *JUNE))
    assert (value.numerator, value.denominator) == (1, 1)


def test_completion_rate(world):
    for reason in ("faerdigbehandlet", "andet_tilbud", "udeblevet", "bortvist", "doed"):
        make_course(world, REQ, started=START, discharged=D(2026, 5, 10), reason=reason)
    make_course(world, REQ, started=START, discharged=D(2026, 4, 30))  # April
    make_course(world, REQ, started=START, discharged=D(2026, 6, 1))  # June
    make_course(world, REQ, started=START)  # still in treatment
    make_course(world, REQ, started=START, discharged=D(2026, 5, 10),
                municipality=world.muni2)  # Køge
    # Planned: completed and another offer = 2 of 5 = 0.4.
    value = k.completion_rate(filters(world, *MAY))
    assert (value.numerator, value.denominator, value.value) == (2, 5, 0.4)


def _discharged(world):
    return make_course(world, REQ, started=START, discharged=D(2026, 4, 1))


def test_follow_up_1_and_6(world):
    follow_up(_discharged(world), 1, D(2026, 5, 5), held_on=D(2026, 5, 4))  # done
    follow_up(_discharged(world), 1, D(2026, 5, 10), declined_on=D(2026, 5, 1))  # declined
    follow_up(_discharged(world), 1, D(2026, 5, 12), held_on=D(2026, 5, 12),
              declined_on=D(2026, 5, 2))  # declining closes it: declined
    follow_up(_discharged(world), 1, D(2026, 5, 20))  # missed
    follow_up(_discharged(world), 1, D(2026, 4, 30), held_on=D(2026, 4, 30))  # April
    follow_up(_discharged(world), 2, D(2026, 5, 15), held_on=D(2026, 5, 15))  # number 2
    # Follow-up 1 in May: done 1, declined 2, missed 1 -> 1 / 4 = 0.25.
    value = k.follow_up_1(filters(world, *MAY))
    assert (value.numerator, value.denominator, value.value) == (1, 4, 0.25)
    assert {c[0]: c[2] for c in value.cells} == {"done": 1, "declined": 2, "missed": 1}
    value = k.follow_up_6(filters(world, *MAY))
    assert (value.numerator, value.denominator) == (1, 1)


def test_follow_up_open_not_counted(world):
    follow_up(_discharged(world), 1, D(2026, 6, 20))  # due after today: open
    follow_up(_discharged(world), 1, D(2026, 6, 10))  # missed
    value = k.follow_up_1(filters(world, *JUNE))
    assert (value.numerator, value.denominator, value.value) == (0, 1, 0.0)


def test_no_cases(world):
    for compute in (k.review_cadence, k.completion_rate, k.follow_up_1, k.follow_up_6):
        value = compute(filters(world, *MAY))
        assert value.value is None and value.denominator == 0, compute


def test_registered():
    for code in ("review_cadence", "completion_rate", "follow_up_1", "follow_up_6"):
        kpi = catalogue.CATALOGUE[code]
        assert kpi.name_da and kpi.name_en and kpi.source and kpi.better == "higher"
    assert catalogue.CATALOGUE["follow_up_6"].compute is k.follow_up_6
