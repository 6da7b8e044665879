"""Unit and property tests of the pathway rules (issue 3). Each test names its source."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forlob.pathway import rules as r
from forlob.pathway.screening import InvalidAnswers, audit_score, dudit_score

D = dt.date
SOCIAL = frozenset({r.Track.SOCIAL_DRUG})


# SEL § 101, stk. 4: deadline = first request + 14 calendar days
def test_guarantee_deadline_sel_101_stk_4():
    assert r.guarantee_deadline(D(2026, 1, 20)) == D(2026, 2, 3)
    assert r.guarantee_deadline(D(2024, 2, 20)) == D(2024, 3, 5)  # leap year
    assert r.guarantee_deadline(D(2026, 12, 25)) == D(2027, 1, 8)
    assert r.guarantee_deadline(D(2026, 1, 20), days=10) == D(2026, 1, 30)  # configured


# SEL § 101, stk. 4; retningslinje 3.4: the FIRST request starts the clock
def test_first_request_is_earliest_date_not_registration_order():
    assert r.first_request_date([D(2026, 3, 5), D(2026, 3, 1), D(2026, 3, 9)]) == D(2026, 3, 1)
    assert r.first_request_date([]) is None


# SEL § 101, stk. 4 and 6; SEL § 101 a; SUL § 141, stk. 2
@pytest.mark.parametrize(("track", "free_choice", "expected"), [
    (r.Track.SOCIAL_DRUG, False, True),
    (r.Track.SOCIAL_DRUG, True, False),  # stk. 6: free choice waives the guarantee
    (r.Track.ALCOHOL, False, True),
    (r.Track.ALCOHOL, True, False),
    (r.Track.ANONYMOUS_DRUG, False, False),  # § 101 a: no guarantee
    (r.Track.MEDICAL_DRUG, False, False),  # coordinated with the social track
])
def test_guarantee_applies(track, free_choice, expected):
    assert r.guarantee_applies(track, free_choice) is expected


# SEL § 101, stk. 12: youth guarantee rule is configurable
def test_youth_guarantee_configurable():
    assert r.guarantee_applies(r.Track.SOCIAL_DRUG, False, youth_guarantee=False, is_youth=True) \
        is False
    assert r.guarantee_applies(r.Track.SOCIAL_DRUG, False, youth_guarantee=True, is_youth=True)


# Ankestyrelsen 23-18 and SEL § 101, stk. 4: kept when started no later than the deadline
def test_guarantee_kept():
    assert r.guarantee_kept(D(2026, 1, 1), D(2026, 1, 15)) is True
    assert r.guarantee_kept(D(2026, 1, 1), D(2026, 1, 16)) is False
    assert r.guarantee_kept(D(2026, 1, 1), None) is None


# SUL § 142, stk. 2: consultation before the start
def test_doctor_consultation_after_start_is_flagged():
    assert r.doctor_after_start(D(2026, 1, 10), D(2026, 1, 9))
    assert not r.doctor_after_start(D(2026, 1, 9), D(2026, 1, 9))
    assert not r.doctor_after_start(None, D(2026, 1, 9))
    assert r.doctor_consultation_due(D(2026, 1, 1)) == D(2026, 1, 15)


# FVL §§ 22, 24, 25
def test_reasons_and_complaint_guidance_fvl_22_25():
    assert not r.reasons_required(r.Outcome.GRANT)
    assert r.reasons_required(r.Outcome.PARTIAL) and r.reasons_required(r.Outcome.REFUSAL)
    assert not r.complaint_guidance_required(r.Outcome.GRANT)
    assert r.complaint_guidance_required(r.Outcome.REFUSAL)


# Rsl §§ 66-67; klage- og erstatningsloven §§ 1-3; SUL § 141
def test_complaint_routes_per_track():
    social = r.complaint_route(r.Track.SOCIAL_DRUG)
    assert social.appealable and "Ankestyrelsen" in social.body and "4 uger" in social.deadline
    medical = r.complaint_route(r.Track.MEDICAL_DRUG)
    assert "Patientklager" in medical.body and "2 år" in medical.deadline
    assert "5 år" in medical.deadline
    alcohol = r.complaint_route(r.Track.ALCOHOL)
    assert not alcohol.appealable and "kan ikke indbringes" in alcohol.procedure
    assert r.legal_basis(r.Track.ALCOHOL) == "Sundhedsloven § 141"


# SEL § 101, stk. 5; SUL § 142, stk. 7; retningslinje 3.6
def test_free_choice_allowed():
    assert r.free_choice_allowed(r.Track.SOCIAL_DRUG)
    assert not r.free_choice_allowed(r.Track.ANONYMOUS_DRUG)
    assert not r.free_choice_allowed(r.Track.MEDICAL_DRUG, diacetylmorphine=True)
    assert r.free_choice_allowed(r.Track.MEDICAL_DRUG)


# KL inspirationskatalog 2009: ambulant 2-8/month, dag 8+, ad hoc is not treatment
@pytest.mark.parametrize(("n", "residential", "expected"), [
    (1, False, None), (2, False, "ambulant"), (7, False, "ambulant"), (8, False, "dag"),
    (20, False, "dag"), (0, True, "dogn"),
])
def test_intensity_bands(n, residential, expected):
    assert r.intensity_for(n, residential) == expected


# SEL § 101 jf. § 107, stk. 2, nr. 2; issue 3 item 7: a visitation meeting before the decision
def test_visitation_meeting_for_day_and_residential():
    assert r.needs_visitation_meeting("dag") and r.needs_visitation_meeting("dogn")
    assert not r.needs_visitation_meeting("ambulant")


# SEL § 101, stk. 12
def test_youth():
    assert r.is_youth(D(2009, 6, 16), None, D(2027, 6, 15))
    assert not r.is_youth(D(2009, 6, 15), None, D(2027, 6, 15))
    assert r.is_youth(None, 2009, D(2027, 1, 1))
    assert not r.is_youth(None, 2000, D(2027, 1, 1))


# SEL § 153; retningslinje 3.5.10-11
def test_notification_duty():
    assert r.notification_duty(True, False) and r.notification_duty(False, True)
    assert not r.notification_duty(False, False)


# issue 3 "bad input": no future events, no step before the first request (SEL § 101, stk. 4)
def test_event_date_problems():
    assert r.event_date_problem(D(2026, 6, 16), D(2026, 6, 15)) == r.DateProblem.FUTURE
    assert r.event_date_problem(D(2026, 6, 1), D(2026, 6, 15), D(2026, 6, 2)) == \
        r.DateProblem.BEFORE_REQUEST
    assert r.event_date_problem(D(2026, 6, 2), D(2026, 6, 15), D(2026, 6, 2)) is None


# AUDIT (WHO): items 1-8 0-4, items 9-10 0/2/4; zones I-IV
@pytest.mark.parametrize(("total_items", "zone"), [
    ([0] * 10, "I"), ([1] * 7 + [0] * 3, "I"), ([1] * 8 + [0, 0], "II"),
    ([2] * 8 + [0, 0], "III"), ([2] * 8 + [2, 2], "IV"), ([4] * 8 + [4, 4], "IV"),
])
def test_audit_zones(total_items, zone):
    assert audit_score(total_items).zone == zone


def test_audit_rejects_values_outside_item():
    with pytest.raises(InvalidAnswers) as exc:
        audit_score([0] * 8 + [1, 0])  # item 9 allows 0, 2, 4
    assert exc.value.problems == [(9, "value")]
    with pytest.raises(InvalidAnswers):
        audit_score([5] + [0] * 9)
    with pytest.raises(InvalidAnswers):
        audit_score([0] * 9)


# DUDIT: >= 6 men, >= 2 women; dependence >= 25
def test_dudit_cutoffs():
    assert dudit_score([1] * 2 + [0] * 9, "F").problems_indicated is True
    assert dudit_score([1] * 2 + [0] * 9, "M").problems_indicated is False
    assert dudit_score([1] * 6 + [0] * 5, "M").problems_indicated is True
    assert dudit_score([3] * 9 + [0, 0], "M").probable_dependence is True  # 27
    assert dudit_score([0] * 11, "").problems_indicated is None
    with pytest.raises(InvalidAnswers):
        dudit_score([0] * 9 + [3, 0], "M")


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(st.lists(dates, min_size=1, max_size=6), st.randoms())
def test_property_deadline_depends_only_on_first_request(request_dates, rnd):
    """The guarantee deadline is the same whatever order the requests were registered in."""
    shuffled = list(request_dates)
    rnd.shuffle(shuffled)
    a = r.CourseFacts(request_dates=tuple(request_dates), tracks=SOCIAL)
    b = r.CourseFacts(request_dates=tuple(shuffled), tracks=SOCIAL)
    today = max(request_dates)
    due = {c.name: c.due for c in r.clocks(a, today)}
    assert due == {c.name: c.due for c in r.clocks(b, today)}
    assert due["guarantee"] == min(request_dates) + dt.timedelta(days=14)


@given(dates, st.sampled_from(list(r.Track)), st.booleans())
def test_property_free_choice_and_101a_carry_no_guarantee(t0, track, free_choice):
    facts = r.CourseFacts(request_dates=(t0,), tracks=frozenset({track}), free_choice=free_choice)
    guarantee = [c for c in r.clocks(facts, t0) if c.name == "guarantee"]
    if free_choice or track in (r.Track.ANONYMOUS_DRUG, r.Track.MEDICAL_DRUG):
        assert all(c.due is None and c.status != r.ClockStatus.BREACHED for c in guarantee)
    else:
        assert guarantee[0].due == t0 + dt.timedelta(days=14)


@st.composite
def course_in_time(draw):
    t0 = draw(dates)
    offsets = st.integers(min_value=0, max_value=40)
    steps = sorted(draw(st.lists(offsets, min_size=4, max_size=4)))
    return t0, [t0 + dt.timedelta(days=d) for d in steps]


@given(course_in_time(), st.integers(min_value=0, max_value=60), st.booleans())
def test_property_adding_facts_never_moves_a_met_deadline(course, later, doctor):
    """Record facts one by one in time order: once a clock is met, its deadline and status stay."""
    t0, (doctor_on, assessed_on, decided_on, started_on) = course
    names = ["doctor_held_on", "assessment_done_on", "decision_on", "started_on"]
    values = [doctor_on, assessed_on, decided_on, started_on]
    facts = {"request_dates": (t0,), "tracks": SOCIAL, "doctor_accepted": doctor}
    met: dict[str, r.Clock] = {}
    for name, value in zip(names, values, strict=True):
        facts[name] = value
        today = value + dt.timedelta(days=later)
        for clock in r.clocks(r.CourseFacts(**facts), today):
            if clock.name in met:
                assert clock.due == met[clock.name].due
                assert clock.status == r.ClockStatus.MET
            elif clock.status == r.ClockStatus.MET:
                met[clock.name] = clock


def test_clocks_waived_show_waiting_days():
    facts = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL, free_choice=True)
    clock = next(c for c in r.clocks(facts, D(2026, 1, 31)) if c.name == "guarantee")
    assert clock.status == r.ClockStatus.WAIVED and clock.waiting_days == 30


def test_clock_breached_and_days_left():
    facts = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL)
    by_name = {c.name: c for c in r.clocks(facts, D(2026, 1, 10))}
    assert by_name["guarantee"].days_left == 5 and by_name["guarantee"].status == "open"
    by_name = {c.name: c for c in r.clocks(facts, D(2026, 1, 17))}
    assert by_name["guarantee"].days_left == -2 and by_name["guarantee"].status == "breached"
    late = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL, started_on=D(2026, 1, 16))
    assert {c.name: c for c in r.clocks(late, D(2026, 2, 1))}["guarantee"].status == "breached"


# retningslinje 3.5.6, 3.8.5: a screening flag creates a follow-up due at treatment start latest
def test_screening_follow_up_clock():
    facts = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL,
                          screening_flagged_on=D(2026, 1, 10))
    clock = {c.name: c for c in r.clocks(facts, D(2026, 1, 12))}["screening"]
    assert clock.due == D(2026, 1, 15) and clock.status == "open" and clock.days_left == 3
    late = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL,
                         screening_flagged_on=D(2026, 1, 20), screening_started_on=D(2026, 1, 22))
    clock = {c.name: c for c in r.clocks(late, D(2026, 2, 1))}["screening"]
    assert clock.due == D(2026, 1, 20) and clock.status == "breached"
    none = r.CourseFacts(request_dates=(D(2026, 1, 1),), tracks=SOCIAL)
    assert "screening" not in {c.name for c in r.clocks(none, D(2026, 1, 2))}


# SEL § 101 a; SUL § 141: an anonymous person only in anonymous tracks
def test_tracks_allowed_for_anonymous_persons():
    assert r.tracks_allowed(True) == {r.Track.ANONYMOUS_DRUG, r.Track.ALCOHOL}
    assert r.tracks_allowed(False) == set(r.Track)


# bek. 1477 § 1, stk. 2 (six domains); retningslinje 3.5.10-11 (children, pregnancy)
def test_assessment_missing_names_each_gap():
    from forlob.pathway.choices import DOMAINS

    full = {key: {"findings": "x"} for key, _label in DOMAINS}
    assert r.assessment_missing(full, False, False) == []
    partial = dict(full, housing={"findings": "  "})
    assert r.assessment_missing(partial, None, False) == ["housing", "children_at_home"]
    assert r.assessment_missing({}, False, None)[-1] == "pregnancy"
    assert len(r.assessment_missing({}, False, False)) == 6


# SEL § 101, stk. 1-3; retningslinje 3.6; SUL § 141 (self-referred outpatient alcohol)
def test_decision_required_to_start():
    assert r.decision_required_to_start([r.Track.SOCIAL_DRUG])
    assert r.decision_required_to_start([r.Track.ALCOHOL, r.Track.MEDICAL_DRUG])
    assert not r.decision_required_to_start([r.Track.ANONYMOUS_DRUG])
    assert not r.decision_required_to_start([r.Track.ALCOHOL])


# SUL § 142, stk. 2: an accepted consultation is held before the start
def test_doctor_pending_at_start():
    assert r.doctor_pending_at_start(True, None)
    assert not r.doctor_pending_at_start(True, D(2026, 1, 2))
    assert not r.doctor_pending_at_start(False, None) and not r.doctor_pending_at_start(None, None)


# SEL § 101 a (ambulant); SUL § 141 (self-referred outpatient); issue 3 item 4
def test_self_referred_start_only_outpatient():
    assert r.self_referred_start_allowed(["ambulant", "dag"])
    assert not r.self_referred_start_allowed(["dogn"])


# retningslinje 3.6.1; SEL § 101, stk. 3: the specific offer provides what is granted
def test_provider_offers():
    assert r.provider_offers(r.Track.SOCIAL_DRUG, "ambulant", ["sel101"], ["ambulant"])
    assert not r.provider_offers(r.Track.SOCIAL_DRUG, "dogn", ["sel101"], ["ambulant"])
    assert not r.provider_offers(r.Track.ALCOHOL, "ambulant", ["sel101"], ["ambulant"])


# SEL § 101, stk. 5; retningslinje 3.6.4: approved offer of a similar kind
def test_free_choice_provider_ok():
    assert r.free_choice_provider_ok([r.Track.SOCIAL_DRUG], ["sel101"], True, False)
    assert r.free_choice_provider_ok([r.Track.SOCIAL_DRUG], ["sel101"], False, True)
    assert not r.free_choice_provider_ok([r.Track.SOCIAL_DRUG], ["sel101"], False, False)
    assert not r.free_choice_provider_ok([r.Track.SOCIAL_DRUG], ["sul141"], True, True)


# retningslinje 3.6.3: a refusal names other help
def test_refusal_needs_other_help():
    assert r.refusal_needs_other_help(r.Outcome.REFUSAL)
    assert not r.refusal_needs_other_help(r.Outcome.PARTIAL)


# retningslinje 3.5.6, 3.8.5 and the guarantee tracks (SEL § 101, stk. 4; SUL § 141, stk. 2)
def test_screening_due_and_guarantee_tracks_apply():
    assert r.screening_due(D(2026, 1, 1), D(2026, 1, 5)) == D(2026, 1, 15)
    assert r.screening_due(D(2026, 1, 1), D(2026, 1, 20)) == D(2026, 1, 20)
    assert r.guarantee_tracks_apply(r.CourseFacts((D(2026, 1, 1),), tracks=SOCIAL))
    assert not r.guarantee_tracks_apply(r.CourseFacts(
        (D(2026, 1, 1),), tracks=frozenset({r.Track.ANONYMOUS_DRUG})))


# issue 3 item 7: intensity definitions, configurable
def test_intensity_matches_planned_frequency():
    assert r.intensity_matches("ambulant", 4) and r.intensity_matches("dag", 12)
    assert not r.intensity_matches("ambulant", 12) and not r.intensity_matches("dag", 4)
    assert not r.intensity_matches("ambulant", 1)  # ad hoc is not treatment
    assert r.intensity_matches("dogn", None) and r.intensity_matches("ambulant", None)
    stricter = r.intensity_bands([("ambulant", 4, 10), ("dag", 10, None)])
    assert not r.intensity_matches("ambulant", 3, stricter)
    assert r.intensity_matches("ambulant", 9, stricter)
