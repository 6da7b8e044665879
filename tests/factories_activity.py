"""Hand-built courses for the provider activity report (issue 5 item 6): one call places a
course at a provider with its start, discharge, plans and decisions on exact dates, straight
through the models (the services refuse back-dated facts)."""

import datetime as dt

from forlob.pathway.models import Course, CourseTrack, TreatmentRequest, TreatmentStart
from forlob.treatment.models import TreatmentPlan

from .factories import AnonymousCitizenFactory, CitizenFactory
from .factories_indicators import add_decision, discharge


def treated(provider, municipality, started, discharged=None, *, tracks=("sel101",),
            plans=(), decisions=(), citizen=None, anonymous=False, residence=None):
    """A course of `municipality` (the acting municipality) started at `provider` on
    `started`. `plans`: (agreed_on, intensity) in plan-number order; `decisions`:
    (decided_on, intensity) or (decided_on, intensity, outcome), recorded in that order.
    `anonymous`: an anonymous person living in `residence` (None: not stated)."""
    if citizen is None:
        if anonymous:
            citizen = AnonymousCitizenFactory(acting_municipality=municipality,
                                              residence_municipality=residence)
        else:
            citizen = CitizenFactory(residence_municipality=municipality)
    course = Course.objects.create(citizen=citizen, acting_municipality=municipality)
    for track in tracks:
        CourseTrack.objects.create(course=course, track=track)
    TreatmentRequest.objects.create(course=course, requested_on=started - dt.timedelta(days=7),
                                    channel="phone")
    for decided in decisions:
        on, intensity, *outcome = decided
        d = add_decision(course, None, on, *(outcome or ["bevilling"]))
        type(d).objects.filter(pk=d.pk).update(intensity=intensity)
    TreatmentStart.objects.create(course=course, started_on=started, enrolled_on=started,
                                  provider=provider)
    for number, (agreed, intensity) in enumerate(plans, start=1):
        TreatmentPlan.objects.create(course=course, number=number, agreed_on=agreed,
                                     content="plan", intensity=intensity)
    if discharged:
        discharge(course, discharged)
    return course
