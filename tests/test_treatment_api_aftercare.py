"""Treatment API v1, aftercare (issue 4 items 9-10): supervision visits, coordinating-plan
meetings, the treatment worklist, and the measures and due items in the treatment body."""

import datetime as dt

import pytest

from forlob import clock
from forlob.pathway.models import Course
from forlob.treatment.models import CoordinatingMeeting, SupervisionVisit

from .api_helpers import events, post, url
from .test_treatment_aftercare import _req, add_plan, started_course

pytestmark = pytest.mark.django_db
D = dt.date


def version(course):
    return Course.objects.get(pk=course.pk).version


def test_supervision_through_the_api(world, login):
    course = started_course(world, intensity="dogn")
    path = url("course-treatment-supervision", course_id=course.pk)
    body = {"visited_on": "2026-06-14", "progression": "Fremgang", "placement_fits": True}
    assert post(login(world.clinician), path, {**body, "version": version(course)}
                ).status_code == 403
    response = post(login(world.caseworker), path, {**body, "version": version(course)})
    assert response.status_code == 201, response.content
    assert SupervisionVisit.objects.get().progression == "Fremgang"
    assert response.json()["version"] == version(course)
    stale = post(login(world.caseworker), path, {**body, "version": 1})
    assert stale.status_code == 409 and SupervisionVisit.objects.count() == 1
    bad = post(login(world.caseworker), path, {**body, "placement_fits": None,
                                               "version": version(course)})
    assert bad.status_code == 400 and SupervisionVisit.objects.count() == 1
    future = post(login(world.caseworker), path, {**body, "visited_on": "2026-07-01",
                                                  "version": version(course)})
    assert future.status_code == 400 and "fremtiden" in future.content.decode()
    assert SupervisionVisit.objects.count() == 1
    treatment = login(world.caseworker).get(url("course-treatment", course_id=course.pk)).json()
    assert treatment["supervision_visits"][0]["placement_fits"] is True
    assert [d["name"] for d in treatment["due"]] == ["plan", "supervision"]


def test_supervision_refused_for_ambulant_and_out_of_scope(world, login):
    course = started_course(world)
    path = url("course-treatment-supervision", course_id=course.pk)
    body = {"visited_on": "2026-06-14", "progression": "x", "placement_fits": False,
            "version": version(course)}
    assert post(login(world.caseworker), path, body).status_code == 400
    from .factories import make_user

    outsider = make_user("caseworker", world.muni3, "fremmed")
    assert post(login(outsider), path, body).status_code == 404
    assert not SupervisionVisit.objects.exists()


def test_coordinating_meeting_through_the_api(world, login):
    course = started_course(world)
    path = url("course-treatment-coordinating-meetings", course_id=course.pk)
    client = login(world.clinician)
    body = {"held_on": "2026-06-14", "note": "Møde"}
    assert post(client, path, {**body, "version": version(course)}).status_code == 400
    add_plan(world.clinician, course, coordinating=True)
    response = post(client, path, {**body, "version": version(course)})
    assert response.status_code == 201
    assert CoordinatingMeeting.objects.get().note == "Møde"
    assert events(action="create", user_id=world.clinician.pk,
                  object_type="treatment.CoordinatingMeeting").exists()


def test_treatment_worklist_api(world, login):
    course = started_course(world, intensity="dogn")
    add_plan(world.clinician, course)
    with clock.frozen(D(2026, 9, 12)):
        clinician = login(world.clinician).get(url("treatment-worklist")).json()
        caseworker = login(world.caseworker).get(url("treatment-worklist")).json()
        coordinator = login(world.coordinator).get(url("treatment-worklist")).json()
    assert [(r["course"], r["item"]["name"], r["item"]["days_left"]) for r in clinician] == [
        (course.pk, "review", -1)]
    assert {r["item"]["name"] for r in caseworker} == {"review", "supervision"}
    assert coordinator == []
    assert events(action="view", user_id=world.clinician.pk,
                  citizen_id=world.citizen.pk).exists()


def test_measures_in_the_treatment_body(world, login):
    from forlob.treatment import services
    from forlob.treatment.models import Review

    course = started_course(world)
    add_plan(world.clinician, course)
    goals = services.current_plan(course).goals.all()
    services.add_review(_req(world.clinician), Course.objects.get(pk=course.pk), Review(
        held_on=D(2026, 6, 14), days_of_use_30=5), {g.pk: "partly" for g in goals},
        [("audit", [1] * 8 + [2, 2], D(2026, 6, 14))])
    body = login(world.caseworker).get(url("course-treatment", course_id=course.pk)).json()
    assert body["measures"]["days"] == [{"on": "2026-06-14", "value": 5, "source": "review"}]
    assert body["measures"]["audit"][-1] == {"on": "2026-06-14", "value": 12,
                                             "source": "review"}
