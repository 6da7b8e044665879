"""Attendance services (issue 4 item 5): the happy path of each step, and each bad input
refused with a clear Danish message and nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forlob import clock
from forlob.accounts.models import Role
from forlob.attendance import services
from forlob.attendance.clocks import open_items
from forlob.attendance.models import (
    Appointment,
    ContactAttempt,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
)
from forlob.audit.models import AuditEvent
from forlob.locking import StaleRecord
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision
from forlob.pathway.rules import ClockStatus
from forlob.treatment import services as treatment_services
from forlob.treatment.models import Discharge

from .factories import make_user
from .factories_attendance import (
    OutreachTaskFactory,
    req,
    started_course,
    vouchers,
)

D = dt.date
JUNE_12, JUNE_13, JUNE_14 = D(2026, 6, 12), D(2026, 6, 13), D(2026, 6, 14)


@pytest.fixture
def course(world):
    return started_course(world)


def fresh(course):
    return Course.objects.get(pk=course.pk)


def appointment(world, course, day=JUNE_12, attendance="attended", user=None, **kw):
    return services.record_appointment(req(user or world.clinician), fresh(course), Appointment(
        held_on=day, kind=kw.pop("kind", "samtale"), attendance=attendance, **kw))


def discharge(world, course, day=JUNE_14):
    treatment_services.discharge(req(world.caseworker), fresh(course), Discharge(
        discharged_on=day, reason="faerdigbehandlet", use_status="ophoert", housing="egen",
        means_of_support="loen", status_text="Godt forløb."))


def message(exc_info):
    return " ".join(exc_info.value.messages)


# --- Appointments ---------------------------------------------------------------------------

def test_clinician_records_attended_appointment_audited(world, course):
    before = fresh(course).version
    a = appointment(world, course)
    assert a.pk and a.recorded_by == world.clinician and a.course_id == course.pk
    assert fresh(course).version == before + 1
    assert not OutreachTask.objects.exists()
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     object_id=str(a.pk), user_id=world.clinician.pk).exists()


def test_no_show_opens_outreach_task_due_in_two_working_days(world, course):
    a = appointment(world, course, day=D(2026, 6, 12), attendance="no_show")  # a Friday
    task = OutreachTask.objects.get(appointment=a)
    assert task.due == D(2026, 6, 16) and task.course_id == course.pk
    [row] = open_items(fresh(course))
    assert row.clock.name == "outreach" and row.clock.due == D(2026, 6, 16)
    assert row.clock.status == ClockStatus.OPEN and row.clock.days_left == 1
    assert str(row.label) == "Opsøgende kontakt efter udeblivelse"
    with clock.frozen(D(2026, 6, 18)):
        [row] = open_items(fresh(course), D(2026, 6, 18))
        assert row.overdue and row.clock.days_left == -2


def test_caseworker_may_record_too(world, course):
    assert appointment(world, course, user=world.caseworker).pk


@pytest.mark.parametrize("day, attendance, text", [
    (D(2026, 6, 9), "attended", "før behandlingens start"),
    (D(2026, 6, 16), "attended", "i fremtiden"),
    (D(2026, 6, 16), "no_show", "i fremtiden"),
])
def test_bad_appointment_dates_refused_nothing_saved(world, course, day, attendance, text):
    with pytest.raises(ValidationError) as exc:
        appointment(world, course, day=day, attendance=attendance)
    assert text in message(exc)
    assert not Appointment.objects.exists() and not OutreachTask.objects.exists()


def test_cancellation_may_be_ahead_but_not_after_discharge(world, course):
    assert appointment(world, course, day=D(2026, 6, 20), attendance="cancelled").pk
    discharge(world, course)
    with pytest.raises(ValidationError) as exc:
        appointment(world, course, day=D(2026, 6, 15), attendance="no_show")
    assert "efter udskrivningen" in message(exc)
    assert Appointment.objects.count() == 1 and not OutreachTask.objects.exists()
    assert appointment(world, course, day=D(2026, 6, 13), attendance="no_show").pk


def test_not_started_course_refused(world):
    r = req(world.caseworker)
    course = pathway_services.open_course(r, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    with pytest.raises(ValidationError) as exc:
        appointment(world, course, user=world.caseworker)
    assert "ikke iværksat" in message(exc)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("field, value", [("kind", "ukendt"), ("attendance", "maaske")])
def test_unknown_codes_refused(world, course, field, value):
    values = {"kind": "samtale", "attendance": "attended", field: value}
    with pytest.raises(ValidationError) as exc:
        services.record_appointment(req(world.clinician), fresh(course), Appointment(
            held_on=D(2026, 6, 12), **values))
    assert field in exc.value.message_dict
    assert not Appointment.objects.exists()


def test_stale_version_writes_nothing(world, course):
    stale = fresh(course)
    appointment(world, course)
    with pytest.raises(StaleRecord):
        services.record_appointment(req(world.clinician), stale, Appointment(
            held_on=D(2026, 6, 12), kind="gruppe", attendance="no_show"))
    assert Appointment.objects.count() == 1 and not OutreachTask.objects.exists()


@pytest.mark.parametrize("role", ["leader", "coordinator", "other_clinician"])
def test_others_may_not_write(world, course, role):
    user = (make_user(Role.CLINICIAN, world.provider2) if role == "other_clinician"
            else getattr(world, role))
    with pytest.raises(PermissionDenied):
        appointment(world, course, user=user)
    assert not Appointment.objects.exists()


# --- Outreach -------------------------------------------------------------------------------

def attempt(world, course, task, day=JUNE_13, reached=False, channel="sms"):
    return services.log_contact_attempt(req(world.clinician), fresh(course), task, ContactAttempt(
        attempted_on=day, channel=channel, reached=reached, note="Ingen svar"))


def test_attempts_are_logged_and_reaching_closes_the_task(world, course):
    a = appointment(world, course, attendance="no_show")
    task = a.outreach_task
    attempt(world, course, task)
    assert services.open_outreach(fresh(course)) == [task]
    attempt(world, course, task, day=D(2026, 6, 14), reached=True, channel="hjemmebesoeg")
    task.refresh_from_db()
    assert task.closed_on == D(2026, 6, 14) and task.attempts.count() == 2
    assert services.open_outreach(fresh(course)) == [] and open_items(fresh(course)) == []
    with pytest.raises(ValidationError) as exc:
        attempt(world, course, task, day=D(2026, 6, 15))
    assert "allerede lukket" in message(exc)
    assert task.attempts.count() == 2


@pytest.mark.parametrize("kwargs, text", [
    ({"day": D(2026, 6, 11)}, "før udeblivelsen"),
    ({"day": D(2026, 6, 16)}, "i fremtiden"),
    ({"channel": "brevdue"}, "kanal"),
])
def test_bad_attempts_refused(world, course, kwargs, text):
    task = appointment(world, course, attendance="no_show").outreach_task
    with pytest.raises(ValidationError) as exc:
        attempt(world, course, task, **kwargs)
    assert text in message(exc)
    assert not ContactAttempt.objects.exists()


def test_task_of_another_course_refused(world, course):
    other = started_course(world)
    task = OutreachTaskFactory(course=other)
    with pytest.raises(ValidationError):
        attempt(world, course, task)
    assert not ContactAttempt.objects.exists()


def test_close_outreach_with_reason(world, course):
    task = appointment(world, course, attendance="no_show").outreach_task
    with pytest.raises(ValidationError) as exc:
        services.close_outreach(req(world.clinician), fresh(course), task, D(2026, 6, 13), " ")
    assert "hvorfor" in message(exc)
    services.close_outreach(req(world.clinician), fresh(course), task, D(2026, 6, 13),
                            "Borgeren mødte op igen")
    task.refresh_from_db()
    assert task.closed_on == D(2026, 6, 13) and task.close_reason == "Borgeren mødte op igen"
    assert open_items(fresh(course)) == []


# --- Slip and relapse -----------------------------------------------------------------------

def relapse(world, course, occurred=JUNE_12, resumed=JUNE_13, kind="relapse"):
    return services.record_relapse(req(world.clinician), fresh(course), RelapseEvent(
        occurred_on=occurred, kind=kind, notes="Drak til en fest", resumed_on=resumed))


def test_relapse_recorded_and_readable_from_the_course(world, course):
    event = relapse(world, course)
    assert list(fresh(course).relapse_events.all()) == [event]
    assert event.recorded_by == world.clinician
    assert relapse(world, course, resumed=None, kind="slip").resumed_on is None


@pytest.mark.parametrize("kwargs, field", [
    ({"resumed": D(2026, 6, 11)}, "resumed_on"),
    ({"resumed": D(2026, 6, 16)}, "resumed_on"),
    ({"occurred": D(2026, 6, 9), "resumed": None}, "occurred_on"),
    ({"occurred": D(2026, 6, 16), "resumed": None}, "occurred_on"),
    ({"kind": "frafald"}, "kind"),
])
def test_bad_relapse_refused(world, course, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        relapse(world, course, **kwargs)
    assert field in exc.value.message_dict
    assert not RelapseEvent.objects.exists()


# --- Request for a new decision -------------------------------------------------------------

def request_new(world, course, day=JUNE_12, reason="Behov for dagbehandling"):
    return services.request_new_decision(req(world.clinician), fresh(course), day, reason)


def test_request_stays_open_until_a_newer_decision(world, course):
    made = request_new(world, course)
    [row] = open_items(fresh(course))
    assert row.clock.name == "new_decision" and row.clock.due == D(2026, 6, 26)
    with pytest.raises(ValidationError) as exc:
        request_new(world, course)
    assert "allerede en åben" in message(exc)
    assert NewDecisionRequest.objects.count() == 1
    decision = fresh(course).decisions.get()
    Decision.objects.filter(pk=decision.pk).update(decided_on=D(2026, 6, 11))
    assert services.open_new_decision_requests(fresh(course)) == [made]
    Decision.objects.filter(pk=decision.pk).update(decided_on=D(2026, 6, 12))
    assert services.open_new_decision_requests(fresh(course)) == []
    assert open_items(fresh(course)) == []


def test_caseworker_closes_request_with_note(world, course):
    made = request_new(world, course)
    with pytest.raises(PermissionDenied):
        services.close_new_decision_request(req(world.clinician), fresh(course), made,
                                            D(2026, 6, 13), "Ikke nødvendigt")
    with pytest.raises(ValidationError) as exc:
        services.close_new_decision_request(req(world.caseworker), fresh(course), made,
                                            D(2026, 6, 13), "")
    assert "bemærkning" in message(exc)
    with pytest.raises(ValidationError) as exc:
        services.close_new_decision_request(req(world.caseworker), fresh(course), made,
                                            D(2026, 6, 11), "Før")
    assert "før anmodningen" in message(exc)
    made.refresh_from_db()
    assert made.closed_on is None
    services.close_new_decision_request(req(world.caseworker), fresh(course), made,
                                        D(2026, 6, 13), "Ikke nødvendigt")
    made.refresh_from_db()
    assert (made.closed_on, made.close_note, made.closed_by) == (
        D(2026, 6, 13), "Ikke nødvendigt", world.caseworker)
    with pytest.raises(ValidationError):
        services.close_new_decision_request(req(world.caseworker), fresh(course), made,
                                            D(2026, 6, 14), "Igen")
    assert request_new(world, course, day=D(2026, 6, 14)).pk  # a new one may be made now


def test_request_needs_reason_and_treatment_period(world, course):
    with pytest.raises(ValidationError) as exc:
        request_new(world, course, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        request_new(world, course, day=D(2026, 6, 9))
    discharge(world, course)
    with pytest.raises(ValidationError) as exc:
        request_new(world, course, day=D(2026, 6, 14))
    assert "udskrevet" in message(exc)
    assert not NewDecisionRequest.objects.exists()


# --- Gift vouchers --------------------------------------------------------------------------

def voucher(world, course, amount=100, day=JUNE_12):
    return services.give_voucher(req(world.clinician), fresh(course), GiftVoucher(
        given_on=day, amount=amount, reason="Mødt til alle samtaler"))


def test_voucher_refused_when_the_municipality_has_not_enabled_them(world, course):
    before = fresh(course).version
    with pytest.raises(ValidationError) as exc:
        voucher(world, course)
    assert "ikke besluttet at bruge gavekort" in message(exc)
    vouchers(world.muni, enabled=False, amount=100)
    with pytest.raises(ValidationError):
        voucher(world, course)
    assert not GiftVoucher.objects.exists() and fresh(course).version == before


def test_voucher_amount_and_maximum(world, course):
    vouchers(world.muni, amount=150, max_per_course=2)
    with pytest.raises(ValidationError) as exc:
        voucher(world, course, amount=100)
    assert exc.value.message_dict["amount"] == ["Beløbet skal være det, kommunen har fastsat: "
                                                "150 kr."]
    voucher(world, course, amount=150)
    voucher(world, course, amount=150, day=D(2026, 6, 13))
    with pytest.raises(ValidationError) as exc:
        voucher(world, course, amount=150, day=D(2026, 6, 14))
    assert "højeste antal gavekort" in message(exc)
    assert GiftVoucher.objects.filter(course=course).count() == 2


def test_another_municipalitys_settings_do_not_count(world, course):
    vouchers(world.muni2, amount=100)
    with pytest.raises(ValidationError):
        voucher(world, course)
    assert not GiftVoucher.objects.exists()


def test_voucher_date_within_treatment(world, course):
    vouchers(world.muni, amount=100)
    with pytest.raises(ValidationError) as exc:
        voucher(world, course, day=D(2026, 6, 9))
    assert "given_on" in exc.value.message_dict
    assert not GiftVoucher.objects.exists()


def test_voucher_terms_are_those_in_force_on_the_day_given(world, course):
    """A new version of the standard changes the amount from its first day, not before
    (issue 7 item 2: the version in force on the day)."""
    vouchers(world.muni, amount=100)
    vouchers(world.muni, amount=200, valid_from=D(2026, 6, 13))
    with pytest.raises(ValidationError):
        voucher(world, course, amount=200)  # 12 June: the old amount is in force
    voucher(world, course, amount=100)
    voucher(world, course, amount=200, day=D(2026, 6, 13))
    assert sorted(GiftVoucher.objects.values_list("amount", flat=True)) == [100, 200]
