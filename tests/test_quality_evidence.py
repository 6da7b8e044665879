"""Measured evidence beside a self-assessed answer (issue 6 item 6; evidence.py,
rules_evidence.py): the municipality's own value for the round's period, always suppressed,
and the flag where a "ja" disagrees with the data. Built on factories_quality.mini_kl()."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forlob.indicators.catalogue import CATALOGUE
from forlob.quality import evidence, rules_evidence
from forlob.quality.models import Framework, Item, ItemKind, Participant, Resolution

from .factories_indicators import follow_up, make_course
from .factories_quality import answer, item, make_round, mini_kl

D = dt.date
DUE = D(2026, 3, 1)


def follow_ups(world, done, missed, *, number=1, muni=None, due=DUE):
    """`done` held and `missed` unheld follow-ups due on `due`, one course each."""
    for i in range(done + missed):
        c = make_course(world, D(2025, 6, 1), started=D(2025, 7, 1),
                        discharged=D(2025, 12, 1), municipality=muni)
        follow_up(c, number, due, held_on=due if i < done else None)


@pytest.fixture
def rnd(world):
    fw = mini_kl()
    return make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2])


def participant(rnd, muni):
    return Participant.objects.get(round=rnd, municipality=muni)


# --- The pairs as data ------------------------------------------------------------------------

def test_every_pair_names_a_kpi_a_threshold_and_a_source():
    for pair in rules_evidence.PAIRS:
        assert pair.kpi in CATALOGUE, pair
        assert 0 < pair.threshold <= 1, pair
        assert pair.source and "%(value)s" in str(pair.flag_text), pair
    seen = set()
    for pair in rules_evidence.PAIRS:  # an item's main line comes before its further ones
        key = (pair.family, pair.item)
        assert pair.further == (key in seen), pair
        seen.add(key)


def test_the_issues_pairs_are_declared():
    kl = {(p.item, p.kpi) for p in rules_evidence.pairs_for("kl-12")}
    assert {("1.2", "network_involvement"), ("5.1", "review_cadence"), ("5.2", "follow_up_1"),
            ("5.2", "follow_up_6"), ("7.1", "registration_complete"),
            ("9.1", "medical_and_psychosocial"), ("10.1", "screening_rate"),
            ("12.2", "linked_plans")} == kl
    nr = {(p.item, p.kpi) for p in rules_evidence.pairs_for("nr-2020") if not p.further}
    assert nr == {("3.4.1", "guarantee_kept"), ("3.5.2", "assessment_14"),
                  ("3.7.1", "plan_at_start"), ("3.12.1", "follow_up_1")}


def test_family_of_a_framework_code():
    assert rules_evidence.family("kl-12") == rules_evidence.family("kl-mini") == "kl"
    assert rules_evidence.family("nr-2020") == "nr"
    assert rules_evidence.pairs_for("ukendt") == ()
    assert [p.item for p in rules_evidence.pairs_for("kl-12", ["5.2"])] == ["5.2", "5.2"]


@pytest.mark.parametrize("code", ["kl-12", "nr-2020"])
def test_the_real_frameworks_hold_every_paired_item(db, code):
    fw = Framework.objects.filter(code=code).order_by("-version").first()
    if fw is None:
        pytest.skip(f"{code} is not loaded yet (data migration)")
    numbers = set(Item.objects.filter(section__framework=fw, kind=ItemKind.INDICATOR,
                                      section__greyed=False).values_list("number", flat=True))
    assert {p.item for p in rules_evidence.pairs_for(code)} <= numbers


# --- One municipality ------------------------------------------------------------------------

def test_a_yes_the_data_contradicts_is_flagged(world, rnd):
    follow_ups(world, done=5, missed=15)  # 5 of 20 = 25 %
    found = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})
    ev = found["5.2"]
    assert (ev.kpi_code, ev.value, ev.shown) == ("follow_up_1", 0.25, "25 %")
    assert ev.flag and not ev.hidden
    assert ev.flag_text == ("Svaret er ja, men kun 25 % af opfølgningerne 1 måned efter "
                            "udskrivning blev gennemført.")
    assert ev.denominator == "20" and ev.threshold == 0.5 and ev.source
    assert ev.name == "Opfølgning 1 måned efter udskrivning"


def test_no_flag_for_nej_delvis_no_answers_or_enough(world, rnd):
    follow_ups(world, done=5, missed=15)
    for answers in ({"5.2": "nej"}, {"5.2": "delvis"}, {}, None):
        ev = evidence.evidence_for(rnd, world.muni, answers)["5.2"]
        assert ev.value == 0.25 and not ev.flag and ev.flag_text == ""
    follow_ups(world, done=10, missed=0)  # 15 of 30 = 50 %: not below the threshold
    ev = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})["5.2"]
    assert ev.value == 0.5 and not ev.flag


def test_split_areas_are_combined_before_the_flag(world, rnd):
    follow_ups(world, done=5, missed=15)
    differ = evidence.evidence_for(rnd, world.muni, {"5.2": {"alkohol": "ja", "stof": "nej"}})
    assert not differ["5.2"].flag  # the common answer is nej
    same = evidence.evidence_for(rnd, world.muni, {"5.2": {"alkohol": "ja", "stof": "ja"}})
    assert same["5.2"].flag


@pytest.mark.parametrize("done", range(0, 21))
def test_a_flag_follows_from_what_is_shown_alone(world, rnd, done):
    """Whether a "ja" is flagged must never depend on a hidden count: over every numerator of
    20 follow-ups, a hidden share never flags, a shown one flags exactly below 50 %."""
    follow_ups(world, done=done, missed=20 - done)
    ev = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})["5.2"]
    if ev.hidden:
        assert ev.value is None and not ev.flag and ev.flag_text == ""
        assert ev.shown == "skjult af hensyn til små tal – svaret kan ikke vurderes mod data"
    else:
        assert ev.value == done / 20 and ev.flag is (done / 20 < 0.5)
    assert ev.hidden is (1 <= done <= 4 or 1 <= 20 - done <= 4)


def test_a_rate_on_fewer_than_five_never_flags(world, rnd):
    follow_ups(world, done=0, missed=4)  # 0 of 4: the rate is not shown, nor flagged
    ev = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})["5.2"]
    assert ev.value is None and not ev.flag


def test_no_data_shows_a_dash(world, rnd):
    ev = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})["5.2"]
    assert (ev.value, ev.shown, ev.hidden, ev.flag) == (None, "–", False, False)


def test_the_six_month_follow_up_is_a_further_line_and_flags_too(world, rnd):
    follow_ups(world, done=10, missed=0)  # 1 month: 100 %
    follow_ups(world, done=5, missed=15, number=2)  # 6 months: 25 %
    ev = evidence.evidence_for(rnd, world.muni, {"5.2": "ja"})["5.2"]
    assert ev.kpi_code == "follow_up_1" and ev.value == 1.0
    assert [line.kpi_code for line in ev.lines] == ["follow_up_1", "follow_up_6"]
    assert ev.further[0].value == 0.25 and ev.further[0].flag
    assert ev.flag and "6 måneder" in ev.flag_text and "1 måned" not in ev.flag_text


def test_only_the_rounds_period_and_the_municipality_count(world, rnd):
    follow_ups(world, done=5, missed=15)
    follow_ups(world, done=0, missed=20, due=D(2026, 6, 5))  # after the period end (31 May)
    follow_ups(world, done=0, missed=20, muni=world.muni2)
    assert evidence.evidence_for(rnd, world.muni)["5.2"].value == 0.25
    assert evidence.evidence_for(rnd, world.muni2.pk)["5.2"].value == 0.0


def test_medical_and_psychosocial_flag(world, rnd):
    for day in range(1, 6):
        make_course(world, D(2025, 12, 1), tracks=("sel101",), started=D(2026, 1, day))
    ev = evidence.evidence_for(rnd, world.muni, {"9.1": "ja"})["9.1"]
    assert (ev.value, ev.shown, ev.flag) == (0.5, "50 %", True)
    assert ev.flag_text == ("Svaret er ja, men kun én af de to behandlingsformer (medicinsk og "
                            "psykosocial) havde forløb i behandling i perioden (50 %).")


def test_only_paired_answerable_items(world, rnd):
    found = evidence.evidence_for(rnd, world.muni)
    assert set(found) == {"1.2", "5.1", "5.2", "9.1"}  # mini_kl has no 7.1, 10.1, 12.2
    other = Framework.objects.create(code="andet", version="1", name="Andet")
    assert evidence.evidence_for(make_round(other, cluster=world.cluster), world.muni) == {}


def test_names_follow_the_language(world, rnd):
    with translation.override("en"):
        ev = evidence.evidence_for(rnd, world.muni)["5.2"]
    assert ev.name == "Follow-up 1 month after discharge"


# --- A whole round ----------------------------------------------------------------------------

def test_round_evidence_flags_the_resolved_answer(world, rnd):
    follow_ups(world, done=5, missed=15)
    p1, p2 = participant(rnd, world.muni), participant(rnd, world.muni2)
    answer(p1, rnd.framework, "5.2", "delvis")
    answer(p2, rnd.framework, "5.2", "ja")
    found = evidence.evidence_for_round(rnd)
    assert set(found) == {(m.pk, n) for m in (world.muni, world.muni2)
                          for n in ("1.2", "5.1", "5.2", "9.1")}
    assert not found[(world.muni.pk, "5.2")].flag  # delvis still open
    assert found[(world.muni2.pk, "5.2")].value is None  # no data in Køge: no flag
    Resolution.objects.create(participant=p1, item=item(rnd.framework, "5.2"), delvis_to="ja",
                              delvis_reason="Som de andre")
    assert evidence.evidence_for_round(rnd)[(world.muni.pk, "5.2")].flag
    only = evidence.evidence_for_round(rnd, numbers=["5.2"], participants=[p1])
    assert set(only) == {(world.muni.pk, "5.2")}


def test_round_evidence_costs_the_same_per_municipality(world, rnd):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            evidence.evidence_for_round(rnd)
        return len(ctx.captured_queries)

    two = queries()
    Participant.objects.create(round=rnd, municipality=world.muni3)
    three = queries()
    rnd.participants.filter(municipality__in=[world.muni2, world.muni3]).delete()
    one = queries()
    assert three - two == two - one > 0


def test_a_round_on_the_real_kl_framework(world):
    fw = Framework.objects.filter(code="kl-12").order_by("-version").first()
    if fw is None:
        pytest.skip("kl-12 is not loaded yet (data migration)")
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni])
    found = evidence.evidence_for(rnd, world.muni, {"9.1": "ja"})
    assert set(found) == {"1.2", "5.1", "5.2", "7.1", "9.1", "10.1", "12.2"}
    assert found["7.1"].kpi_code == "registration_complete"
    assert not found["9.1"].flag  # no courses: no value, no flag
