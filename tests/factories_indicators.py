"""Hand-built datasets for the indicator tests (issue 5): one call places a course's facts on
exact dates, straight through the models (the services refuse back-dated facts)."""

import datetime as dt

from forlob.indicators.filters import Filters
from forlob.pathway.models import (
    Assessment,
    Course,
    CourseTrack,
    Decision,
    FreeChoice,
    TreatmentRequest,
    TreatmentStart,
)
from forlob.treatment.models import Discharge, FollowUp, Review, TreatmentPlan

from .factories import AnonymousCitizenFactory, CitizenFactory

D = dt.date


def filters(world, start, end, **kwargs) -> Filters:
    return Filters(start=start, end=end, municipalities=frozenset({world.muni.pk}), **kwargs)


def make_course(world, requested_on, tracks=("sel101",), *, municipality=None, assessed=None,
                decided=None, outcome="bevilling", started=None, free_choice=False,
                anonymous=False, birth_year=None, discharged=None, reason="faerdigbehandlet",
                plans=(), reviews=()):
    """A course of world.muni (or `municipality`) with a request on `requested_on` and, when
    given, the first assessment, decision, start, plans (agreed dates), reviews (held dates,
    on the first plan) and discharge on those dates."""
    muni = municipality or world.muni
    if anonymous:
        citizen = AnonymousCitizenFactory(acting_municipality=muni)
    else:
        citizen = CitizenFactory(residence_municipality=muni)
    if birth_year is not None:  # the CPR sets it on save; place it exactly
        type(citizen).objects.filter(pk=citizen.pk).update(birth_year=birth_year)
    course = Course.objects.create(citizen=citizen, acting_municipality=muni)
    for track in tracks:
        CourseTrack.objects.create(course=course, track=track)
    TreatmentRequest.objects.create(course=course, requested_on=requested_on, channel="phone")
    assessment = None
    if assessed:
        assessment = Assessment.objects.create(
            course=course, done_on=assessed, instrument="europasi", instrument_on=assessed,
            children_at_home=False, pregnancy=False)
    if decided:
        add_decision(course, assessment, decided, outcome)
    if free_choice:
        FreeChoice.objects.create(course=course, chosen_on=requested_on)
    if started:
        TreatmentStart.objects.create(course=course, started_on=started, enrolled_on=started,
                                      provider=world.provider)
    plan = None
    for number, agreed in enumerate(plans, start=1):
        created = TreatmentPlan.objects.create(course=course, number=number, agreed_on=agreed,
                                               content="plan")
        plan = plan or created
    for held in reviews:
        Review.objects.create(course=course, plan=plan, held_on=held)
    if discharged:
        discharge(course, discharged, reason)
    return course


def add_decision(course, assessment, decided_on, outcome="bevilling", track="sel101",
                 reasons="", other_help="", letter_sent_on=None):
    if assessment is None:
        assessment = Assessment.objects.create(
            course=course, done_on=decided_on, instrument="europasi", instrument_on=decided_on,
            children_at_home=False, pregnancy=False)
    return Decision.objects.create(
        course=course, assessment=assessment, track=track, outcome=outcome,
        decided_on=decided_on, proposal_focus="f", proposal_goals="g", reasons=reasons,
        other_help=other_help, letter_sent_on=letter_sent_on)


def discharge(course, discharged_on, reason="faerdigbehandlet"):
    return Discharge.objects.create(
        course=course, discharged_on=discharged_on, reason=reason, use_status="ophoert",
        housing="egen", means_of_support="loen", status_text="status")


def follow_up(course, number, due, held_on=None, declined_on=None):
    return FollowUp.objects.create(course=course, number=number, due=due, held_on=held_on,
                                   declined_on=declined_on)
