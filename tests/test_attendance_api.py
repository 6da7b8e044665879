"""Attendance API v1 (issue 4 item 5): every step through the API alone - appointments, an
outreach task with attempts, a relapse, a request for a new decision, a gift voucher - and the
list endpoint. Bad input is a Danish 400 with nothing saved; a stale version 409; a course out
of scope 404; a reader who may not write 403."""

import datetime as dt

import pytest

from forlob.attendance.models import (
    Appointment,
    ContactAttempt,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
)
from forlob.audit.models import Action
from forlob.citizens.models import Referral
from forlob.pathway.models import Course

from .api_helpers import events, post, url
from .factories_attendance import OutreachTaskFactory, started_course, vouchers

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def course(world):
    return started_course(world)


def version(course):
    return Course.objects.get(pk=course.pk).version


def step(name, course, **kw):
    return url(f"course-attendance-{name}", course_id=course.pk, **kw)


def appointment_body(course, **overrides):
    return {"version": version(course), "held_on": "2026-06-12", "appointment_type": "gruppe",
            "attendance": "no_show", "notes": "", **overrides}


def test_the_whole_attendance_slice_through_the_api(world, login, course):
    client = login(world.clinician)
    r = post(client, step("appointments", course), appointment_body(course))
    assert r.status_code == 201, r.json()
    assert r.json()["version"] == version(course)
    task = OutreachTask.objects.get()
    r = post(client, step("outreach-attempts", course, outreach_task_id=task.pk), {
        "version": version(course), "attempted_on": "2026-06-13", "contact_channel": "sms",
        "reached": False, "note": "Intet svar"})
    assert r.status_code == 201, r.json()
    r = post(client, step("relapses", course), {
        "version": version(course), "occurred_on": "2026-06-11", "relapse_type": "relapse",
        "notes": "Tilbagefald", "resumed_on": "2026-06-14"})
    assert r.status_code == 201, r.json()
    r = post(client, step("new-decision-requests", course), {
        "version": version(course), "requested_on": "2026-06-14", "reason": "Dagbehandling"})
    assert r.status_code == 201, r.json()
    vouchers(world.muni, amount=100)
    r = post(client, step("vouchers", course), {
        "version": version(course), "given_on": "2026-06-14", "amount": 100,
        "reason": "Fremmøde"})
    assert r.status_code == 201, r.json()

    r = client.get(url("course-attendance", course_id=course.pk))
    assert r.status_code == 200
    body = r.json()
    assert [a["attendance"] for a in body["appointments"]] == ["no_show"]
    assert body["appointments"][0]["appointment_type"] == "gruppe"
    [t] = body["outreach_tasks"]
    assert t["is_open"] and t["due"] == "2026-06-16"
    assert t["attempts"][0]["contact_channel"] == "sms"
    assert body["relapse_events"][0]["relapse_type"] == "relapse"
    assert body["new_decision_requests"][0]["is_open"]
    assert body["gift_vouchers"][0]["amount"] == 100
    assert body["voucher_settings"] == {"enabled": True, "amount": 100, "max_per_course": None}
    assert [d["item"] for d in body["due"]] == ["outreach", "new_decision"]
    assert body["can_write"] is True
    assert events(citizen_id=world.citizen.pk, action=Action.VIEW,
                  user_id=world.clinician.pk).exists()

    # The caseworker closes the request and the clinician closes the outreach task.
    made = NewDecisionRequest.objects.get()
    r = post(login(world.caseworker), step("new-decision-request-close", course,
                                           new_decision_request_id=made.pk),
             {"version": version(course), "closed_on": "2026-06-15", "close_note": "Nej"})
    assert r.status_code == 200, r.json()
    r = post(login(world.clinician), step("outreach-close", course, outreach_task_id=task.pk),
             {"version": version(course), "closed_on": "2026-06-15",
              "close_reason": "Mødt igen"})
    assert r.status_code == 200, r.json()
    assert client.get(url("course-attendance", course_id=course.pk)).json()["due"] == []


@pytest.mark.parametrize("overrides, field", [
    ({"held_on": "2026-06-09"}, "held_on"),
    ({"held_on": "2026-06-20"}, "held_on"),
    ({"held_on": "i går"}, "held_on"),
    ({"appointment_type": "ukendt"}, "appointment_type"),
    ({"attendance": None}, "attendance"),
    ({"notes": "x" * 10_001}, "notes"),
])
def test_bad_appointments_are_400(world, login, course, overrides, field):
    r = post(login(world.clinician), step("appointments", course),
             appointment_body(course, **overrides))
    assert r.status_code == 400, r.json()
    assert field in r.json() or field in str(r.json())
    assert not Appointment.objects.exists() and not OutreachTask.objects.exists()


def test_voucher_refused_when_not_enabled(world, login, course):
    r = post(login(world.clinician), step("vouchers", course), {
        "version": version(course), "given_on": "2026-06-14", "amount": 100,
        "reason": "Fremmøde"})
    assert r.status_code == 400
    assert "ikke besluttet at bruge gavekort" in str(r.json())
    assert not GiftVoucher.objects.exists()


def test_relapse_resumed_before_is_400(world, login, course):
    r = post(login(world.clinician), step("relapses", course), {
        "version": version(course), "occurred_on": "2026-06-12", "relapse_type": "slip",
        "resumed_on": "2026-06-11"})
    assert r.status_code == 400 and "resumed_on" in r.json()
    assert not RelapseEvent.objects.exists()


def test_stale_version_is_409(world, login, course):
    client = login(world.clinician)
    stale = version(course)
    assert post(client, step("appointments", course), appointment_body(course)).status_code \
        == 201
    r = post(client, step("appointments", course), appointment_body(course, version=stale))
    assert r.status_code == 409
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("role", "started_at", "read", "write"), [
    # leaders and administrators have no courses in scope: 404 for reading and writing
    ("leader", "provider", 404, 404),
    ("admin", "provider", 404, 404),
    # the citizen is referred to the clinician's provider but treatment started elsewhere:
    # in scope (reads 200), not a writer (403)
    ("clinician", "provider2", 200, 403),
])
def test_readers_who_may_not_write_get_403_or_404(world, login, role, started_at, read, write):
    course = started_course(world, provider=getattr(world, started_at))
    client = login(getattr(world, role))
    assert client.get(url("course-attendance", course_id=course.pk)).status_code == read
    r = post(client, step("appointments", course), appointment_body(course))
    assert r.status_code == write
    assert not Appointment.objects.exists()


def test_clinician_may_not_close_a_request_403(world, login, course):
    made = NewDecisionRequest.objects.create(course=course, requested_on=D(2026, 6, 12),
                                             reason="x")
    r = post(login(world.clinician), step("new-decision-request-close", course,
                                          new_decision_request_id=made.pk),
             {"version": version(course), "closed_on": "2026-06-13", "close_note": "x"})
    assert r.status_code == 403
    made.refresh_from_db()
    assert made.closed_on is None


def test_out_of_scope_course_is_404(world, login, course):
    Course.objects.filter(pk=course.pk).update(acting_municipality=world.muni3)
    Referral.objects.filter(citizen=world.citizen).update(ended_on=D(2026, 6, 14))
    for user in (world.caseworker, world.clinician):
        client = login(user)
        assert client.get(url("course-attendance", course_id=course.pk)).status_code == 404
        assert post(client, step("appointments", course),
                    appointment_body(course)).status_code == 404
    assert not Appointment.objects.exists()


def test_task_of_another_course_is_404(world, login, course):
    other = started_course(world)
    task = OutreachTaskFactory(course=other)
    r = post(login(world.clinician), step("outreach-attempts", course, outreach_task_id=task.pk),
             {"version": version(course), "attempted_on": "2026-06-13",
              "contact_channel": "sms", "reached": True})
    assert r.status_code == 404 and not ContactAttempt.objects.exists()


def test_missing_version_is_400(world, login, course):
    body = appointment_body(course)
    del body["version"]
    r = post(login(world.clinician), step("appointments", course), body)
    assert r.status_code == 400 and "version" in r.json()
    assert not Appointment.objects.exists()
    assert not OutreachTask.objects.exists()  # the no-show opened no task either
