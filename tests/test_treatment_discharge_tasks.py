"""What a discharge prompts becomes a task with a due date (issue 4 item 7): a follow-on
ambulant or day offer after residential treatment (retningslinje 2.3.8, within 7 days), and
contact with outreach services after an unplanned discharge (3.11.6, within 2 days) - on the
worklists until recorded done, through the case page or the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forlob.audit.models import AuditEvent
from forlob.pathway import rules as pathway_rules
from forlob.pathway.models import Course
from forlob.treatment import services
from forlob.treatment.clocks import open_items
from forlob.treatment.models import Discharge
from forlob.treatment.rules import Party
from forlob.treatment.worklist import items_for

from .test_treatment_aftercare import _req, started_course

D = dt.date
pytestmark = pytest.mark.django_db


DISCHARGED = D(2026, 6, 15)


def discharge(world, course, reason, day=DISCHARGED):
    return services.discharge(_req(world.clinician), course, Discharge(
        discharged_on=day, reason=reason, use_status="uaendret", housing="egen",
        means_of_support="loen", status_text="Status."))


def names(course, today):
    return {row.clock.name: row.clock for row in open_items(course, today)}


@pytest.mark.parametrize("reason,intensity,expected", [
    ("faerdigbehandlet", "dogn", {"follow_on_offer": D(2026, 6, 22)}),
    ("udeblevet", "ambulant", {"outreach_contact": D(2026, 6, 17)}),
    ("bortvist", "dogn", {"follow_on_offer": D(2026, 6, 22),
                          "outreach_contact": D(2026, 6, 17)}),
    ("doed", "dogn", {"follow_on_offer": D(2026, 6, 22)}),
    ("doed", "ambulant", {}),
    ("faerdigbehandlet", "ambulant", {}),
])
def test_discharge_prompts_become_due_items(world, reason, intensity, expected):
    course = started_course(world, intensity=intensity)
    _d, prompts = discharge(world, course, reason)
    assert set(prompts) == set(expected)
    due = {n: c.due for n, c in names(course, D(2026, 6, 15)).items()
           if n in ("follow_on_offer", "outreach_contact")}
    assert due == expected
    assert services.open_discharge_tasks(course) == list(prompts)


def test_recording_a_task_closes_it_once(world):
    course = started_course(world, intensity="dogn")
    discharge(world, course, "bortvist")
    course = Course.objects.get(pk=course.pk)
    services.record_discharge_task(_req(world.caseworker), course, "follow_on_offer",
                                   D(2026, 6, 15))
    assert services.open_discharge_tasks(course) == ["outreach_contact"]
    assert "follow_on_offer" not in names(course, D(2026, 6, 15))
    assert Discharge.objects.get(course=course).follow_on_offered_on == D(2026, 6, 15)
    assert AuditEvent.objects.filter(object_type="treatment.Discharge", action="update").exists()
    with pytest.raises(ValidationError):  # already done
        services.record_discharge_task(_req(world.caseworker), course, "follow_on_offer",
                                       D(2026, 6, 15))


@pytest.mark.parametrize("task,day", [
    ("outreach_contact", D(2026, 6, 14)),  # before the discharge
    ("outreach_contact", D(2026, 6, 16)),  # in the future (today is 15 June)
    ("nonsense", D(2026, 6, 15)),
    ("follow_on_offer", D(2026, 6, 15)),  # not prompted: ambulant treatment
])
def test_bad_task_input_is_refused_and_nothing_saved(world, task, day):
    course = started_course(world)
    discharge(world, course, "udeblevet")
    course = Course.objects.get(pk=course.pk)
    with pytest.raises(ValidationError):
        services.record_discharge_task(_req(world.clinician), course, task, day)
    d = Discharge.objects.get(course=course)
    assert d.outreach_contacted_on is None and d.follow_on_offered_on is None


def test_owners_and_worklists(world):
    course = started_course(world, intensity="dogn")
    discharge(world, course, "bortvist")
    course = Course.objects.get(pk=course.pk)
    assert "follow_on_offer" in {r.clock.name for r in items_for(course, Party.CASEWORKER,
                                                                   D(2026, 6, 15))}
    assert "outreach_contact" in {r.clock.name for r in items_for(course, Party.CLINICIAN,
                                                                    D(2026, 6, 15))}


def test_case_page_step_and_api(world, login):
    course = started_course(world)
    discharge(world, course, "udeblevet")
    course = Course.objects.get(pk=course.pk)
    web = login(world.clinician)
    page = web.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "Opgave efter udskrivningen" in page
    response = web.post(reverse("treatment:discharge_task", args=[course.pk]), {
        "opgave-efter-udskrivning-version": course.version,
        "opgave-efter-udskrivning-task": "outreach_contact",
        "opgave-efter-udskrivning-done_on": "2026-06-15"})
    assert response.status_code == 302
    assert services.open_discharge_tasks(course) == []
    # The API refuses a task that is no longer open, with a Danish message.
    course = Course.objects.get(pk=course.pk)
    api = login(world.clinician)
    answer = api.post(reverse("v1:course-treatment-discharge-tasks", args=[course.pk]),
                      {"version": course.version, "task": "outreach_contact",
                       "done_on": "2026-06-15"}, content_type="application/json")
    assert answer.status_code == 400
    assert "åben opgave" in answer.content.decode()


def test_due_dates_rule():
    assert pathway_rules.discharge_task_due(D(2026, 12, 30), "follow_on_offer") == D(2027, 1, 6)
    assert pathway_rules.discharge_task_due(D(2026, 2, 27), "outreach_contact") == D(2026, 3, 1)
