"""Treatment API v1 (issue 4, in progress): the whole slice through the API alone - plan,
reviews with AUDIT, discharge, follow-ups at +1 and +6 months, an outcome, and a new request
that starts a new course with a new guarantee clock. Bad input is a Danish 400 with nothing
saved; a stale version is 409; a course out of scope is 404; a reader who may not write, 403."""

import datetime as dt

import pytest
from django.test import RequestFactory

from forlob import clock
from forlob.accounts.models import Role
from forlob.audit.models import Action
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision, ScreeningResult, TreatmentStart
from forlob.treatment.models import Discharge, FollowUp, PlanGoal, Review, TreatmentPlan

from .api_helpers import JSON, events, post, url
from .factories import make_user
from .test_pathway_services import _assessment

pytestmark = pytest.mark.django_db

D = dt.date
AUDIT = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
STEPS = ["course-treatment-plans", "course-treatment-reviews", "course-treatment-discharge",
         "course-treatment-follow-ups-decline"]


def _req(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def started_course(world, provider=None):
    """A course started on 10 June 2026 through the pathway services (part 1)."""
    provider = provider or world.provider
    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    assessment = pathway_services.record_assessment(req, course, _assessment(D(2026, 6, 5)))
    pathway_services.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=D(2026, 6, 5),
        proposal_focus="f", proposal_goals="g", provider=provider, intensity="ambulant"))
    pathway_services.start_treatment(req, course, TreatmentStart(
        started_on=D(2026, 6, 10), enrolled_on=D(2026, 6, 10), provider=provider))
    return Course.objects.get(pk=course.pk)


@pytest.fixture
def course(world):
    return started_course(world)


def plan_body(version, **overrides):
    body = {"version": version, "agreed_on": "2026-06-11", "content": "Samtaler hver uge",
            "methods": "MI og KRAP", "intensity": "ambulant", "relapse_prevention": "Plan B",
            "goals": [{"text": "Jeg vil stoppe med at drikke", "goal_type": "ophoer",
                       "need_domain": "intoxicants"},
                      {"text": "Jeg vil have et arbejde", "goal_type": "arbejde",
                       "need_domain": "work"}]}
    body.update(overrides)
    return body


def review_body(version, goals, held_on, status="partly", days=4):
    return {"version": version, "held_on": held_on, "days_of_use_30": days, "notes": "Godt",
            "statuses": [{"goal": g, "status": status} for g in goals],
            "screenings": [{"instrument": "audit", "answers": AUDIT,
                            "administered_on": held_on}]}


def discharge_body(version, **overrides):
    body = {"version": version, "discharged_on": "2026-06-15", "reason": "faerdigbehandlet",
            "use_status": "ophoert", "self_help_contact": True, "partner_drug_free": False,
            "housing": "egen", "means_of_support": "loen", "status_text": "Forløbet gik godt."}
    body.update(overrides)
    return body


def path(name, course, **kwargs):
    return url(name, course_id=course.pk, **kwargs)


def treatment(client, course):
    response = client.get(path("course-treatment", course))
    assert response.status_code == 200
    return response.json()


def test_the_whole_slice_through_the_api(world, login, course):
    clinician = login(world.clinician)
    r = post(clinician, path("course-treatment-plans", course), plan_body(course.version))
    assert r.status_code == 201, r.content
    version = r.json()["version"]
    assert version == course.version + 1
    state = treatment(clinician, course)
    assert [len(p["goals"]) for p in state["plans"]] == [2]
    assert state["can_write"] is True
    assert [d["name"] for d in state["due"]] == ["review"]
    goals = [g["id"] for g in state["plans"][0]["goals"]]

    for held_on in ("2026-06-12", "2026-06-14"):
        r = post(clinician, path("course-treatment-reviews", course),
                 review_body(version, goals, held_on))
        assert r.status_code == 201, r.content
        version = r.json()["version"]
    assert [s["total"] for s in r.json()["screenings"] if s["instrument"] == "audit"] == [3, 3]
    state = treatment(clinician, course)
    assert [rv["held_on"] for rv in state["reviews"]] == ["2026-06-12", "2026-06-14"]
    assert state["reviews"][1]["days_of_use_30"] == 4
    assert {s["status"] for s in state["reviews"][0]["goal_statuses"]} == {"partly"}

    r = post(clinician, path("course-treatment-discharge", course), discharge_body(version))
    assert r.status_code == 201, r.content
    version = r.json()["version"]
    state = treatment(clinician, course)
    assert state["discharge"]["reason"] == "faerdigbehandlet"
    assert [(f["number"], f["due"]) for f in state["follow_ups"]] == [
        (1, "2026-07-15"), (2, "2026-12-15")]
    assert [d["name"] for d in state["due"]] == ["follow_up_1", "follow_up_2"]
    first, second = (f["id"] for f in state["follow_ups"])

    with clock.frozen(D(2026, 7, 15)):
        r = post(clinician, path("course-treatment-follow-up-outcome", course,
                                 follow_up_id=first),
                 {"version": version, "held_on": "2026-07-15", "reached": True,
                  "goal_maintained": "yes", "use_status": "ophoert"})
        assert r.status_code == 200, r.content
        version = r.json()["version"]
    assert FollowUp.objects.get(pk=first).reached is True

    caseworker = login(world.caseworker)
    with clock.frozen(D(2026, 12, 15)):
        r = post(caseworker, path("course-treatment-follow-up-new-request", course,
                                  follow_up_id=second),
                 {"version": version, "requested_on": "2026-12-15", "channel": "phone"})
        assert r.status_code == 201, r.content
        new = r.json()
        assert new["id"] != course.pk
        guarantee = [c for c in new["clocks"] if c["name"] == "guarantee"]
        assert guarantee and guarantee[0]["started"] == "2026-12-15"
    assert FollowUp.objects.get(pk=second).new_course_id == new["id"]
    assert Course.objects.get(pk=course.pk).version == version + 1

    created = events(action=Action.CREATE, citizen_id=world.citizen.pk, channel="api")
    assert sorted(created.values_list("object_type", flat=True)) == [
        "pathway.Contact", "pathway.TreatmentRequest",  # the new course
        "treatment.Discharge", "treatment.Review", "treatment.Review", "treatment.TreatmentPlan"]
    assert events(action=Action.UPDATE, citizen_id=world.citizen.pk, channel="api",
                  object_type="treatment.FollowUp").count() == 2
    views = events(action=Action.VIEW, citizen_id=world.citizen.pk, channel="api",
                   path__endswith="/treatment/")
    assert views.count() == 3  # each GET of the treatment part


def test_review_before_start_is_refused(world, login):
    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    client = login(world.caseworker)
    r = post(client, path("course-treatment-reviews", course),
             review_body(course.version, [1], "2026-06-12"))
    assert r.status_code == 400
    assert "iværksat" in str(r.json())
    r = post(client, path("course-treatment-discharge", course), discharge_body(course.version))
    assert r.status_code == 400
    assert not Review.objects.exists() and not Discharge.objects.exists()
    assert not ScreeningResult.objects.exists()


def test_plan_without_goals_is_refused(world, login, course):
    client = login(world.caseworker)
    r = post(client, path("course-treatment-plans", course), plan_body(course.version, goals=[]))
    assert r.status_code == 400
    assert r.json()["goals"] == ["En behandlingsplan skal have mindst ét mål."]
    assert not TreatmentPlan.objects.exists() and not PlanGoal.objects.exists()
    assert Course.objects.get(pk=course.pk).version == course.version


@pytest.mark.parametrize("body", [
    {"days_of_use_30": 31}, {"days_of_use_30": -1}, {"version": 2_147_483_647},
    {"statuses": "x"}, {"held_on": "15-06-2026"},
])
def test_bad_review_bodies_are_400(world, login, course, body):
    client = login(world.caseworker)
    assert post(client, path("course-treatment-plans", course),
                plan_body(course.version)).status_code == 201
    course.refresh_from_db()
    goals = list(PlanGoal.objects.values_list("pk", flat=True))
    data = {**review_body(course.version, goals, "2026-06-12"), **body}
    r = post(client, path("course-treatment-reviews", course), data)
    assert r.status_code == 400
    assert set(body) & set(r.json())
    assert not Review.objects.exists()


def test_outcome_on_a_declined_follow_up_is_refused(world, login, course):
    client = login(world.caseworker)
    r = post(client, path("course-treatment-discharge", course), discharge_body(course.version))
    version = r.json()["version"]
    r = post(client, path("course-treatment-follow-ups-decline", course),
             {"version": version, "declined_on": "2026-06-15"})
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    task = FollowUp.objects.get(course=course, number=1)
    assert task.declined_on == D(2026, 6, 15)
    r = post(client, path("course-treatment-follow-up-outcome", course, follow_up_id=task.pk),
             {"version": version, "held_on": "2026-06-15", "reached": True,
              "goal_maintained": "yes", "use_status": "ophoert"})
    assert r.status_code == 400
    assert "takket nej" in str(r.json())
    task.refresh_from_db()
    assert task.held_on is None and task.reached is None


def test_stale_version_is_409_and_nothing_saved(world, login, course):
    client = login(world.caseworker)
    assert post(client, path("course-treatment-plans", course),
                plan_body(course.version)).status_code == 201
    r = post(client, path("course-treatment-plans", course), plan_body(course.version))
    assert r.status_code == 409
    assert "detail" in r.json()
    assert TreatmentPlan.objects.count() == 1 and PlanGoal.objects.count() == 2


def test_follow_up_of_another_course_is_404(world, login, course):
    """A real follow-up of a second discharged course, posted through this course's URL."""
    client = login(world.caseworker)
    r = post(client, path("course-treatment-discharge", course), discharge_body(course.version))
    assert r.status_code == 201, r.content
    version = r.json()["version"]
    other = started_course(world)
    assert other.pk != course.pk
    r = post(client, path("course-treatment-discharge", other), discharge_body(other.version))
    assert r.status_code == 201, r.content
    foreign = FollowUp.objects.get(course=other, number=1)
    r = post(client, path("course-treatment-follow-up-outcome", course, follow_up_id=foreign.pk),
             {"version": version, "held_on": "2026-06-15", "reached": False})
    assert r.status_code == 404
    foreign.refresh_from_db()
    assert foreign.held_on is None


def test_coordinator_and_other_municipality_get_404(world, login, course):
    faxe = make_user(Role.CASEWORKER, world.muni3, "faxe")
    for user in (world.coordinator, world.region_coordinator, faxe):
        client = login(user)
        names = ["course-treatment", *STEPS]
        for name in names:
            for method in ("get", "post"):
                response = client.generic(method, path(name, course), "{}", content_type=JSON)
                assert response.status_code == 404, (user, name, method)
    assert not TreatmentPlan.objects.exists()


def test_clinician_of_another_provider_reads_but_cannot_write(world, login):
    """The citizen is referred to the clinician's provider, but treatment started elsewhere:
    the course is in scope (200), the treatment steps are not the clinician's (403)."""
    course = started_course(world, provider=world.provider2)
    client = login(world.clinician)
    state = treatment(client, course)
    assert state["can_write"] is False
    r = post(client, path("course-treatment-plans", course), plan_body(course.version))
    assert r.status_code == 403
    assert "behandlere i tilbuddet" in r.json()["detail"]
    assert not TreatmentPlan.objects.exists()
