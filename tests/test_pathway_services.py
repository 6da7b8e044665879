"""The pathway services: the happy path, and each bad input refused with nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from forlob.audit.models import AuditEvent
from forlob.citizens.models import Referral
from forlob.locking import StaleRecord
from forlob.pathway import services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import (
    Assessment,
    Contact,
    Decision,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)

from .factories_standards import adopted

D = dt.date


@pytest.fixture
def req(world):
    request = RequestFactory().post("/")
    request.user = world.caseworker
    return request


def _domains():
    return {key: {"findings": f"fund {key}", "resources": "", "needs": ""} for key, _ in DOMAINS}


ASSESSED_ON = D(2026, 6, 5)


def _assessment(day=ASSESSED_ON):
    return Assessment(done_on=day, instrument="europasi", instrument_on=day, domains=_domains(),
                      children_at_home=False, pregnancy=False)


def _grant(world, req, course, day=ASSESSED_ON):
    """An assessment and a granting decision on `day`, so treatment may start after it."""
    assessment = services.record_assessment(req, course, _assessment(day))
    return services.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=day,
        proposal_focus="f", proposal_goals="g", provider=world.provider, intensity="ambulant"))


@pytest.fixture
def course(world, req):
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="drugs",
                      asks="treatment")
    return services.open_course(req, world.citizen, contact, tracks=["sel101"])


def test_happy_path_to_start(world, req, course):
    assert services.first_request(course) == D(2026, 6, 1)
    services.record_doctor(req, course, D(2026, 6, 2), True, D(2026, 6, 4))
    assessment = services.record_assessment(req, course, _assessment(),
                                            [("audit", [1] * 8 + [0, 0], D(2026, 6, 5))])
    assert ScreeningResult.objects.get(course=course).total == 8
    services.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="delvis", decided_on=D(2026, 6, 8),
        proposal_focus="f", proposal_goals="g", provider=world.provider, intensity="ambulant",
        reasons="Dagbehandling er ikke nødvendig."))
    services.start_treatment(req, course, TreatmentStart(
        started_on=D(2026, 6, 12), enrolled_on=D(2026, 6, 12), provider=world.provider))
    clocks = {c.name: c.status for c in services.course_clocks(course)}
    assert clocks == {"assessment": "met", "decision": "met", "doctor": "met", "guarantee": "met"}
    assert Referral.objects.filter(citizen=world.citizen, provider=world.provider,
                                   referred_on=D(2026, 6, 12)).exists()
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create").count() >= 6


def test_future_date_refused(req, course):
    with pytest.raises(ValidationError):
        services.add_request(req, course, TreatmentRequest(requested_on=D(2026, 6, 16),
                                                           channel="phone"))
    assert course.requests.count() == 1


def test_start_before_request_refused(world, req, course):
    with pytest.raises(ValidationError):
        services.start_treatment(req, course, TreatmentStart(
            started_on=D(2026, 5, 30), enrolled_on=D(2026, 6, 1), provider=world.provider))
    assert not TreatmentStart.objects.exists() and not Referral.objects.filter(
        referred_on=D(2026, 6, 1)).exists()


def test_refusal_without_reasons_refused(req, course):
    assessment = services.record_assessment(req, course, _assessment())
    with pytest.raises(ValidationError) as exc:
        services.decide(req, course, Decision(
            assessment=assessment, track="sel101", outcome="afslag", decided_on=D(2026, 6, 8),
            proposal_focus="f", proposal_goals="g"))
    assert "reasons" in exc.value.message_dict
    assert not course.decisions.exists()


def test_doctor_after_start_refused(world, req, course):
    _grant(world, req, course)
    services.start_treatment(req, course, TreatmentStart(
        started_on=D(2026, 6, 5), enrolled_on=D(2026, 6, 5), provider=world.provider))
    with pytest.raises(ValidationError):
        services.record_doctor(req, course, D(2026, 6, 2), True, D(2026, 6, 6))


def test_audit_answer_out_of_range_refused(req, course):
    with pytest.raises(ValidationError):
        services.add_screening(req, course, "audit", [0] * 8 + [3, 0], D(2026, 6, 5))
    assert not ScreeningResult.objects.exists()


def test_stale_course_version_refused(req, course):
    from forlob.pathway.models import Course

    other = Course.objects.get(pk=course.pk)
    services.add_request(req, course, TreatmentRequest(requested_on=D(2026, 6, 2),
                                                       channel="phone"))
    with pytest.raises(StaleRecord):
        services.add_request(req, other, TreatmentRequest(requested_on=D(2026, 6, 3),
                                                          channel="phone"))
    assert course.requests.count() == 2


def test_guarantee_days_follow_the_acting_municipality(world, req):
    """SEL § 101, stk. 4: a municipality may promise fewer than 14 days, never more."""
    adopted(world.muni, guarantee_days=10)
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="drugs",
                      asks="treatment")
    course = services.open_course(req, world.citizen, contact, tracks=["sel101"])
    due = {c.name: c.due for c in services.course_clocks(course)}
    assert due["guarantee"] == D(2026, 6, 11)


def test_guarantee_days_above_the_law_are_refused(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        adopted(world.muni, guarantee_days=15)


def test_youth_guarantee_is_configurable(world, req, settings):
    from .factories import CitizenFactory

    young = CitizenFactory(residence_municipality=world.muni, cpr_plain="0101104234")  # born 2010
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="drugs",
                      asks="treatment")
    course = services.open_course(req, young, contact, tracks=["sel101"])
    settings.FORLOB_YOUTH_GUARANTEE = False
    assert {c.name: c.status for c in services.course_clocks(course)}["guarantee"] == "waived"
    settings.FORLOB_YOUTH_GUARANTEE = True
    assert {c.name: c.due for c in services.course_clocks(course)}["guarantee"] == D(2026, 6, 15)


def test_screening_flag_creates_a_follow_up_closed_by_its_start(req, course):
    """Retningslinje 3.5.6/3.8: the flag creates a follow-up; recording the start closes it."""
    with pytest.raises(ValidationError):
        services.start_screening(req, course, D(2026, 6, 10))  # nothing flagged yet
    assessment = _assessment()
    assessment.screening_needed = True
    services.record_assessment(req, course, assessment)
    clock = {c.name: c for c in services.course_clocks(course)}["screening"]
    assert clock.status == "open" and clock.due == D(2026, 6, 15)
    with pytest.raises(ValidationError):
        services.start_screening(req, course, D(2026, 6, 16))  # future
    services.start_screening(req, course, D(2026, 6, 12))
    assert {c.name: c for c in services.course_clocks(course)}["screening"].status == "met"


def test_social_treatment_starts_only_on_a_granting_decision(world, req, course):
    """SEL § 101: no start without a decision that grants it; a refusal is not enough."""
    start = TreatmentStart(started_on=D(2026, 6, 10), enrolled_on=D(2026, 6, 10),
                           provider=world.provider)
    with pytest.raises(ValidationError) as exc:
        services.start_treatment(req, course, start)
    assert "started_on" in exc.value.message_dict
    assessment = services.record_assessment(req, course, _assessment())
    services.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="afslag", decided_on=D(2026, 6, 6),
        proposal_focus="f", proposal_goals="g", reasons="Ikke behov.", other_help="Rådgivning"))
    with pytest.raises(ValidationError):
        services.start_treatment(req, course, start)
    assert not TreatmentStart.objects.exists()


def test_outpatient_alcohol_treatment_can_start_self_referred(world, req):
    """SUL § 141: outpatient alcohol treatment needs no decision (self-referral)."""
    contact = Contact(received_on=D(2026, 6, 1), channel="personal", substances="alcohol",
                      asks="treatment")
    course = services.open_course(req, world.citizen, contact, tracks=["sul141"])
    services.start_treatment(req, course, TreatmentStart(
        started_on=D(2026, 6, 3), enrolled_on=D(2026, 6, 3), provider=world.provider2))
    assert {c.name: c.status for c in services.course_clocks(course)}["guarantee"] == "met"


def test_start_refused_while_an_accepted_doctor_consultation_is_pending(world, req, course):
    """SUL § 142, stk. 2 (found in review): accepted but not held blocks the start."""
    _grant(world, req, course)
    services.record_doctor(req, course, D(2026, 6, 2), True)
    with pytest.raises(ValidationError) as exc:
        services.start_treatment(req, course, TreatmentStart(
            started_on=D(2026, 6, 10), enrolled_on=D(2026, 6, 10), provider=world.provider))
    assert "SUL § 142" in exc.value.message_dict["started_on"][0]


def test_residential_alcohol_needs_a_decision(world, req):
    """Issue 3 item 4: self-referred alcohol treatment is outpatient only."""
    from .factories import ProviderFactory

    residential = ProviderFactory(kinds=["sul141"], intensities=["dogn"])
    contact = Contact(received_on=D(2026, 6, 1), channel="personal", substances="alcohol",
                      asks="treatment")
    course = services.open_course(req, world.citizen, contact, tracks=["sul141"])
    with pytest.raises(ValidationError) as exc:
        services.start_treatment(req, course, TreatmentStart(
            started_on=D(2026, 6, 3), enrolled_on=D(2026, 6, 3), provider=residential))
    assert "provider" in exc.value.message_dict


def test_decision_must_fit_course_tracks_and_provider(world, req, course):
    """Retningslinje 3.6.1: the decision's track is the course's and the offer provides it."""
    from .factories import ProviderFactory

    assessment = services.record_assessment(req, course, _assessment())
    base = {"assessment": assessment, "outcome": "bevilling", "decided_on": D(2026, 6, 6),
            "proposal_focus": "f", "proposal_goals": "g", "intensity": "ambulant"}
    with pytest.raises(ValidationError) as exc:
        services.decide(req, course, Decision(track="sul141", provider=world.provider, **base))
    assert "track" in exc.value.message_dict
    alcohol_only = ProviderFactory(kinds=["sul141"], intensities=["ambulant"])
    with pytest.raises(ValidationError) as exc:
        services.decide(req, course, Decision(track="sel101", provider=alcohol_only, **base))
    assert "provider" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.decide(req, course, Decision(
            track="sel101", **dict(base, outcome="afslag", intensity=""), reasons="Ikke behov."))
    assert "other_help" in exc.value.message_dict
    assert not course.decisions.exists()


def test_free_choice_needs_an_approved_similar_offer(world, req, course):
    """SEL § 101, stk. 5: another approved offer of a similar kind."""
    from forlob.pathway.models import FreeChoice

    from .factories import ProviderFactory

    unapproved = ProviderFactory(kinds=["sel101"], approved_by_socialtilsynet=False,
                                 listed_on_tilbudsportalen=False)
    with pytest.raises(ValidationError):
        services.record_free_choice(req, course, FreeChoice(chosen_on=D(2026, 6, 5),
                                                            provider=unapproved))
    services.record_free_choice(req, course, FreeChoice(chosen_on=D(2026, 6, 5),
                                                        provider=world.provider))
    assert course.free_choices.count() == 1


def test_decision_frequency_must_fit_the_configured_intensity(world, req, course, settings):
    """Issue 3 item 7: ambulant 2-8 a month by default; the bands are configurable."""
    assessment = services.record_assessment(req, course, _assessment())
    base = {"assessment": assessment, "track": "sel101", "outcome": "bevilling",
            "decided_on": D(2026, 6, 6), "proposal_focus": "f", "proposal_goals": "g",
            "provider": world.provider, "intensity": "ambulant"}
    with pytest.raises(ValidationError) as exc:
        services.decide(req, course, Decision(sessions_per_month=12, **base))
    assert "sessions_per_month" in exc.value.message_dict
    adopted(world.muni, ambulant_max=12, day_min=13)
    services.decide(req, course, Decision(sessions_per_month=12, **base))
    assert course.decisions.get().sessions_per_month == 12
