"""Factories and helpers for the attendance context (issue 4 item 5)."""

import datetime as dt

import factory
from django.test import RequestFactory

from forlob.attendance import rules
from forlob.attendance.models import (
    Appointment,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
)
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision, TreatmentStart

from .factories_standards import adopted
from .test_pathway_services import _assessment

D = dt.date
STARTED_ON = D(2026, 6, 10)


def req(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def started_course(world, started_on=STARTED_ON, provider=None):
    """A course of world.citizen started on 10 June 2026 through the pathway services."""
    provider = provider or world.provider
    r = req(world.caseworker)
    course = pathway_services.open_course(r, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    assessment = pathway_services.record_assessment(r, course, _assessment(D(2026, 6, 5)))
    pathway_services.decide(r, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=D(2026, 6, 5),
        proposal_focus="f", proposal_goals="g", provider=provider, intensity="ambulant"))
    pathway_services.start_treatment(r, course, TreatmentStart(
        started_on=started_on, enrolled_on=started_on, provider=provider))
    return Course.objects.get(pk=course.pk)


def vouchers(municipality, enabled=True, amount=100, max_per_course=None, **kwargs):
    """A quality standard in force that decides on gift vouchers (bek. 1477 § 7, stk. 3)."""
    return adopted(municipality, vouchers_enabled=enabled, voucher_amount=amount,
                   voucher_max_per_course=max_per_course, **kwargs)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    held_on = STARTED_ON
    kind = "samtale"
    attendance = "attended"


class OutreachTaskFactory(factory.django.DjangoModelFactory):
    """An open outreach task after a no-show on the course."""

    class Meta:
        model = OutreachTask

    appointment = factory.SubFactory(AppointmentFactory, course=factory.SelfAttribute(
        "..course"), attendance="no_show")
    opened_on = factory.SelfAttribute("appointment.held_on")
    due = factory.LazyAttribute(lambda o: rules.outreach_due(o.appointment.held_on))


class NewDecisionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewDecisionRequest

    requested_on = D(2026, 6, 12)
    reason = "Borgeren har brug for dagbehandling"


class RelapseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelapseEvent

    occurred_on = D(2026, 6, 12)
    kind = "slip"


class GiftVoucherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftVoucher

    given_on = D(2026, 6, 12)
    amount = 100
    reason = "Fremmøde"
