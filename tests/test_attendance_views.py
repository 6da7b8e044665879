"""The attendance section of the case page (issue 4 item 5): step forms posting to
/forloeb/<course_id>/fremmoede/..., with and without htmx; 404 out of scope; the municipality's
gift-voucher settings page."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.attendance.models import (
    Appointment,
    ContactAttempt,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
)
from forlob.audit.models import Action, AuditEvent
from forlob.citizens.models import Referral
from forlob.pathway.models import Course

from .factories_attendance import started_course, vouchers

D = dt.date
PREFIX = {"appointment": "fremmoede", "attempt": "kontaktforsoeg",
          "close_outreach": "luk-opsoegende", "relapse": "tilbagefald",
          "new_decision": "ny-afgoerelse", "close_new_decision": "luk-ny-afgoerelse",
          "voucher": "gavekort"}


@pytest.fixture
def course(world):
    return started_course(world)


def post(client, course, key, data, htmx=False, version=None):
    version = version or Course.objects.get(pk=course.pk).version
    body = {f"{PREFIX[key]}-{k}": v for k, v in {"version": version, **data}.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(f"attendance:{key}", args=[course.pk]), body, **headers)


NO_SHOW = {"held_on": "2026-06-12", "kind": "samtale", "attendance": "no_show"}


def test_case_page_shows_section_and_forms(world, login, course):
    page = login(world.clinician).get(reverse("pathway:case", args=[course.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Fremmøde og fastholdelse" in text and 'id="trin-fremmoede"' in text
    assert 'id="trin-tilbagefald"' in text and 'id="trin-ny-afgoerelse"' in text
    assert 'id="trin-gavekort"' not in text  # the municipality does not use vouchers
    assert "har ikke besluttet at bruge gavekort" in text


def test_no_show_without_htmx_redirects_and_shows_task(world, login, course):
    client = login(world.clinician)
    response = post(client, course, "appointment", NO_SHOW)
    assert response.status_code == 302
    task = OutreachTask.objects.get()
    assert task.due == D(2026, 6, 16)
    page = client.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "Opsøgende kontakt efter udeblivelse" in page and "1 dag tilbage" in page
    assert 'id="trin-kontaktforsoeg"' in page


def test_no_show_with_htmx_swaps_case_body(world, login, course):
    client = login(world.clinician)
    response = post(client, course, "appointment", NO_SHOW, htmx=True)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#case-body"
    assert "Aftale og fremmøde er gemt." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_invalid_appointment_with_htmx_returns_its_section(world, login, course):
    response = post(login(world.clinician), course, "appointment",
                    {**NO_SHOW, "held_on": "2026-06-09"}, htmx=True)
    text = response.content.decode()
    assert response.status_code == 200 and 'id="trin-fremmoede"' in text
    assert "Datoen ligger før behandlingens start." in text
    assert not Appointment.objects.exists()


def test_invalid_appointment_without_htmx_is_400_with_the_error(world, login, course):
    response = post(login(world.clinician), course, "appointment",
                    {**NO_SHOW, "held_on": "2026-06-20"})
    assert response.status_code == 400
    assert "Datoen ligger i fremtiden." in response.content.decode()
    assert not Appointment.objects.exists()


def test_stale_form_refused(world, login, course):
    client = login(world.clinician)
    version = Course.objects.get(pk=course.pk).version
    post(client, course, "appointment", NO_SHOW)
    response = post(client, course, "appointment", NO_SHOW, htmx=True, version=version)
    assert "ændret af en anden" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_attempt_and_close_outreach(world, login, course):
    client = login(world.clinician)
    post(client, course, "appointment", NO_SHOW)
    task = OutreachTask.objects.get()
    response = post(client, course, "attempt", {"task": task.pk, "attempted_on": "2026-06-13",
                                                "channel": "telefon", "reached": "nej"})
    assert response.status_code == 302 and ContactAttempt.objects.count() == 1
    response = post(client, course, "close_outreach", {"task": task.pk, "closed_on": "",
                                                       "close_reason": ""}, htmx=True)
    assert "Skriv en dato." in response.content.decode()
    response = post(client, course, "attempt", {"task": task.pk, "attempted_on": "2026-06-14",
                                                "channel": "sms", "reached": "ja"})
    task.refresh_from_db()
    assert task.closed_on == D(2026, 6, 14)
    # No open task: the outreach steps are gone (404).
    response = post(client, course, "close_outreach", {"task": task.pk,
                                                       "closed_on": "2026-06-14",
                                                       "close_reason": "x"})
    assert response.status_code == 404


def test_relapse_shown_on_case(world, login, course):
    client = login(world.clinician)
    response = post(client, course, "relapse", {"occurred_on": "2026-06-12", "kind": "slip",
                                                "notes": "Fest", "resumed_on": "2026-06-11"},
                    htmx=True)
    assert "før skreddet eller tilbagefaldet" in response.content.decode()
    assert not RelapseEvent.objects.exists()
    post(client, course, "relapse", {"occurred_on": "2026-06-12", "kind": "slip",
                                     "notes": "Lærte at sige nej", "resumed_on": "2026-06-13"})
    page = client.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "Lærte at sige nej" in page and "Skred" in page


def test_new_decision_request_and_caseworker_closes(world, login, course):
    clinician = login(world.clinician)
    post(clinician, course, "new_decision", {"requested_on": "2026-06-12",
                                             "reason": "Behov for døgnbehandling"})
    made = NewDecisionRequest.objects.get()
    page = clinician.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "Anmodning om ny afgørelse" in page and 'id="trin-ny-afgoerelse"' not in page
    assert 'id="trin-luk-ny-afgoerelse"' not in page  # the caseworker's step
    assert post(clinician, course, "close_new_decision", {
        "made": made.pk, "closed_on": "2026-06-13", "close_note": "x"}).status_code == 404
    caseworker = login(world.caseworker)
    response = post(caseworker, course, "close_new_decision", {
        "made": made.pk, "closed_on": "2026-06-13", "close_note": "Fortsætter som aftalt"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.closed_on == D(2026, 6, 13)


def test_voucher_form_when_enabled(world, login, course):
    vouchers(world.muni, amount=100)
    client = login(world.clinician)
    page = client.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert 'id="trin-gavekort"' in page
    response = post(client, course, "voucher", {"given_on": "2026-06-12", "amount": "50",
                                                "reason": "Fremmøde"}, htmx=True)
    assert "Beløbet skal være det, kommunen har fastsat: 100 kr." in response.content.decode()
    assert not GiftVoucher.objects.exists()
    post(client, course, "voucher", {"given_on": "2026-06-12", "amount": "100",
                                     "reason": "Fremmøde"})
    assert GiftVoucher.objects.get().amount == 100


def test_voucher_step_is_404_when_not_enabled(world, login, course):
    response = post(login(world.clinician), course, "voucher", {
        "given_on": "2026-06-12", "amount": "100", "reason": "Fremmøde"})
    assert response.status_code == 404 and not GiftVoucher.objects.exists()


@pytest.mark.parametrize("role", ["leader", "coordinator", "admin"])
def test_steps_404_for_readers_without_write(world, login, course, role):
    response = post(login(getattr(world, role)), course, "appointment", NO_SHOW)
    assert response.status_code == 404 and not Appointment.objects.exists()


def test_out_of_scope_course_is_404(world, login, course):
    """Another municipality's course, with no active referral to the clinician's provider."""
    Course.objects.filter(pk=course.pk).update(acting_municipality=world.muni3)
    Referral.objects.filter(citizen=world.citizen).update(ended_on=D(2026, 6, 14))
    for user in (world.caseworker, world.clinician):
        response = post(login(user), course, "appointment", NO_SHOW)
        assert response.status_code == 404
        assert login(user).get(reverse("pathway:case", args=[course.pk])).status_code == 404
    assert not Appointment.objects.exists()


def test_case_page_audited(world, login, course):
    client = login(world.clinician)
    post(client, course, "appointment", NO_SHOW)
    assert AuditEvent.objects.filter(citizen_id=course.citizen_id, action="create",
                                     object_type="attendance.Appointment").exists()
    views = AuditEvent.objects.filter(citizen_id=course.citizen_id, action=Action.VIEW,
                                      user_id=world.clinician.pk)
    before = views.count()
    page = client.get(reverse("pathway:case", args=[course.pk]))
    assert page.status_code == 200
    assert "Fremmøde og fastholdelse" in page.content.decode()
    assert views.count() > before

