"""Pathway indicators (issue 5 item 1) on hand-built datasets; today is 15 June 2026."""

import datetime as dt

import pytest

from forlob.indicators import catalogue
from forlob.indicators import kpis_pathway as k
from forlob.indicators.rules_pathway import earliest_anchor, request_window

from .factories_indicators import add_decision, filters, make_course
from .factories_standards import adopted

D = dt.date
MAY = (D(2026, 5, 1), D(2026, 5, 31))
JUNE = (D(2026, 6, 1), D(2026, 6, 30))


def test_rules_windows():
    assert request_window(D(2026, 5, 1), D(2026, 5, 31), 14) == (D(2026, 4, 17), D(2026, 5, 17))
    # Feb 28 + 3 months = 28 May < 31 May; 1 March + 3 months = 1 June.
    assert earliest_anchor(D(2026, 5, 31), 3) == D(2026, 3, 1)
    assert earliest_anchor(D(2026, 6, 15), 1) == D(2026, 5, 15)


@pytest.fixture
def guarantee_world(world):
    w = world
    make_course(w, D(2026, 4, 20), started=D(2026, 5, 3))  # A: deadline 4 May, kept (13 d)
    make_course(w, D(2026, 5, 1), started=D(2026, 5, 20))  # B: deadline 15 May, late (19 d)
    make_course(w, D(2026, 5, 10))  # C: deadline 24 May, still waiting: not kept
    make_course(w, D(2026, 4, 10), started=D(2026, 5, 2))  # D: deadline in April (22 d)
    make_course(w, D(2026, 5, 25))  # E: deadline 8 June, outside May
    make_course(w, D(2026, 4, 25), started=D(2026, 5, 20), free_choice=True)  # F: 25 d
    make_course(w, D(2026, 4, 1), started=D(2026, 5, 1), free_choice=True)  # F2: 30 d
    make_course(w, D(2026, 4, 25), ("sel101a",), anonymous=True, started=D(2026, 5, 5))  # G 10
    make_course(w, D(2026, 4, 25), ("sul142",))  # H: § 142 alone, no guarantee
    make_course(w, D(2026, 5, 5), ("sul141",), started=D(2026, 5, 19))  # I: on the day (14 d)
    make_course(w, D(2026, 5, 1), municipality=w.muni2, started=D(2026, 5, 30))  # J: Køge
    make_course(w, D(2026, 5, 1), decided=D(2026, 5, 3), outcome="afslag")  # K: refused
    return w


def test_guarantee_kept(guarantee_world):
    # Counted: A, B, C, I (deadline in May, settled). Kept: A and I. 2 / 4 = 0.5.
    value = k.guarantee_kept(filters(guarantee_world, *MAY))
    assert (value.numerator, value.denominator, value.value) == (2, 4, 0.5)


def test_guarantee_kept_track_filter(guarantee_world):
    # § 141 only: I, kept: 1 / 1.
    value = k.guarantee_kept(filters(guarantee_world, *MAY, track="sul141"))
    assert (value.numerator, value.denominator) == (1, 1)
    assert k.guarantee_kept(filters(guarantee_world, *MAY, track="sel101a")).denominator == 0


def test_guarantee_open_deadline_not_counted_yet(world):
    make_course(world, D(2026, 6, 10))  # deadline 24 June, after today: open, not counted
    make_course(world, D(2026, 5, 28), started=D(2026, 6, 12))  # deadline 11 June: late
    value = k.guarantee_kept(filters(world, *JUNE))
    assert (value.numerator, value.denominator, value.value) == (0, 1, 0.0)


def test_guarantee_days_from_the_standard(world):
    adopted(world.muni, guarantee_days=7)
    make_course(world, D(2026, 5, 10), started=D(2026, 5, 16))  # deadline 17 May: kept
    make_course(world, D(2026, 5, 10), started=D(2026, 5, 20))  # 10 days > 7: late
    make_course(world, D(2026, 5, 20), started=D(2026, 5, 27))  # deadline 27 May (in May)
    value = k.guarantee_kept(filters(world, *MAY))
    assert (value.numerator, value.denominator) == (2, 3)


def test_youth_guarantee_setting(world, settings):
    make_course(world, D(2026, 5, 1), birth_year=2010, started=D(2026, 5, 10))  # age 16
    assert k.guarantee_kept(filters(world, *MAY)).denominator == 1
    settings.FORLOB_YOUTH_GUARANTEE = False
    assert k.guarantee_kept(filters(world, *MAY)).denominator == 0


def test_no_cases(world):
    for compute in (k.guarantee_kept, k.assessment_14, k.decision_14, k.plan_at_start,
                    k.decision_legal_quality, k.waiting_days, k.waiting_days_no_guarantee):
        value = compute(filters(world, *MAY))
        assert value.value is None and value.denominator == 0, compute


def test_waiting_days(guarantee_world):
    # Guarantee courses started in May: A 13, D 22, B 19, I 14 -> sorted 13, 14, 19, 22.
    # Median (14 + 19) / 2 = 16.5; p90 rank 3 * 0.9 = 2.7: 19 + 0.7 * (22 - 19) = 21.1.
    value = k.waiting_days(filters(guarantee_world, *MAY))
    assert value.denominator == 4 and value.value == 16.5
    assert dict((c[0], c[2]) for c in value.cells)["p90"] == pytest.approx(21.1)


def test_waiting_days_no_guarantee(guarantee_world):
    # Free choice F 25, F2 30; § 101 a G 10. All: 10, 25, 30 -> median 25,
    # p90 rank 1.8: 25 + 0.8 * 5 = 29. Free choice median 27.5; § 101 a median 10.
    value = k.waiting_days_no_guarantee(filters(guarantee_world, *MAY))
    cells = {c[0]: c[2] for c in value.cells}
    assert (value.value, value.denominator) == (25, 3)
    assert cells["p90"] == pytest.approx(29)
    assert (cells["free_choice_n"], cells["free_choice_median"]) == (2, 27.5)
    assert (cells["sel101a_n"], cells["sel101a_median"]) == (1, 10)


@pytest.fixture
def assessment_world(world):
    w = world
    make_course(w, D(2026, 4, 20), assessed=D(2026, 5, 1), decided=D(2026, 5, 4))  # P: both
    make_course(w, D(2026, 5, 1), assessed=D(2026, 5, 10), decided=D(2026, 5, 20))  # Q
    make_course(w, D(2026, 5, 5), ("sul142",))  # R: neither, deadline 19 May passed
    make_course(w, D(2026, 5, 1), ("sul141",), assessed=D(2026, 5, 2))  # S: no decision track
    make_course(w, D(2026, 5, 25), assessed=D(2026, 5, 26))  # T: deadline 8 June
    make_course(w, D(2026, 4, 1), assessed=D(2026, 5, 3))  # U: deadline 15 April
    return w


def test_assessment_14(assessment_world):
    # P, Q, R counted; assessed in time: P, Q -> 2 / 3.
    value = k.assessment_14(filters(assessment_world, *MAY))
    assert (value.numerator, value.denominator) == (2, 3)


def test_decision_14(assessment_world):
    # P, Q, R counted; decided in time: P -> 1 / 3.
    value = k.decision_14(filters(assessment_world, *MAY))
    assert (value.numerator, value.denominator) == (1, 3)


def test_assessment_open_deadline(world):
    make_course(world, D(2026, 6, 5))  # deadline 19 June, not yet assessed: open
    make_course(world, D(2026, 6, 3), assessed=D(2026, 6, 10))  # in time
    value = k.assessment_14(filters(world, *JUNE))
    assert (value.numerator, value.denominator) == (1, 1)


def test_decision_legal_quality(world):
    c = make_course(world, D(2026, 4, 1))
    sent = D(2026, 5, 20)
    add_decision(c, None, D(2026, 5, 5), "delvis", reasons="r", letter_sent_on=sent)  # good
    add_decision(c, None, D(2026, 5, 6), "afslag", reasons="r", other_help="o",
                 letter_sent_on=sent)  # good
    add_decision(c, None, D(2026, 5, 7), "afslag", reasons="r", letter_sent_on=sent)  # no help
    add_decision(c, None, D(2026, 5, 8), "delvis", reasons="  ", letter_sent_on=sent)  # blank
    add_decision(c, None, D(2026, 5, 9), "delvis", reasons="r")  # letter not sent
    add_decision(c, None, D(2026, 5, 10), "bevilling")  # full grant: not counted
    add_decision(c, None, D(2026, 4, 30), "delvis", reasons="r")  # April: not counted
    # 2 good of 5 non-full decisions in May = 0.4.
    value = k.decision_legal_quality(filters(world, *MAY))
    assert (value.numerator, value.denominator, value.value) == (2, 5, 0.4)


def test_plan_at_start(world):
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 2), plans=[D(2026, 5, 10)])  # kept
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 5), plans=[D(2026, 5, 25)])  # 20 d
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 10))  # no plan, deadline passed
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 31))  # deadline 14 June passed
    make_course(world, D(2026, 4, 1), started=D(2026, 4, 30), plans=[D(2026, 5, 3)])  # April
    make_course(world, D(2026, 4, 1), ("sel101a",), anonymous=True, started=D(2026, 5, 3),
                plans=[D(2026, 5, 4)])  # anonymous, kept
    # 5 started in May, 2 kept = 0.4.
    value = k.plan_at_start(filters(world, *MAY))
    assert (value.numerator, value.denominator, value.value) == (2, 5, 0.4)


def test_plan_open_not_counted_and_standard_at_start(world):
    make_course(world, D(2026, 5, 1), started=D(2026, 6, 10))  # plan due 24 June: open
    make_course(world, D(2026, 5, 1), started=D(2026, 6, 2), plans=[D(2026, 6, 5)])
    value = k.plan_at_start(filters(world, *JUNE))
    assert (value.numerator, value.denominator) == (1, 1)


def test_plan_days_in_force_at_start(world):
    adopted(world.muni, valid_from=D(2026, 5, 1), plan_days=5)
    make_course(world, D(2026, 4, 1), started=D(2026, 4, 28), plans=[D(2026, 5, 8)])  # 10<=14
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 2), plans=[D(2026, 5, 10)])  # 8 > 5
    make_course(world, D(2026, 4, 1), started=D(2026, 5, 3), plans=[D(2026, 5, 7)])  # 4 <= 5
    value = k.plan_at_start(filters(world, D(2026, 4, 25), D(2026, 5, 31)))
    assert (value.numerator, value.denominator) == (2, 3)


def test_registered():
    for code in ("guarantee_kept", "waiting_days", "waiting_days_no_guarantee",
                 "assessment_14", "decision_14", "decision_legal_quality", "plan_at_start"):
        kpi = catalogue.CATALOGUE[code]
        assert kpi.name_da and kpi.name_en and kpi.source and kpi.better in (
            "higher", "lower")
