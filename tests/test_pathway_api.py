"""Pathway API v1 (issue 3, item 11): every step through the API alone, under the same scoping,
services, rules and audit as the UI. Bad input gets a Danish 400 with nothing saved; a stale
version gets 409; a course out of scope is 404 on every method for every role."""

import datetime as dt
import json

import pytest

from forlob.accounts.models import Role
from forlob.audit.models import Action
from forlob.citizens.models import Referral
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import (
    Assessment,
    Breach,
    Contact,
    Course,
    Decision,
    DoctorConsultation,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)

from .api_helpers import JSON, events, post, url
from .factories import AnonymousCitizenFactory, CitizenFactory, make_user

pytestmark = pytest.mark.django_db

STEPS = ["course-contacts", "course-counselling", "course-requests", "course-tracks",
         "course-doctor", "course-assessments", "course-screenings", "course-decisions",
         "course-free-choice", "course-start", "course-breaches"]


def put(client, path, data):
    return client.put(path, json.dumps(data), content_type=JSON)


def step(name, course_id):
    return url(name, course_id=course_id)


def domains():
    return {key: {"findings": f"Fund om {key}", "resources": "Netværk", "needs": "Støtte"}
            for key, _label in DOMAINS}


def open_body(citizen, **overrides):
    body = {"citizen": str(citizen.public_id), "received_on": "2026-06-01", "channel": "phone",
            "substances": "drugs", "asks": "treatment", "tracks": ["sel101"]}
    body.update(overrides)
    return body


def assessment_body(version, **overrides):
    body = {"version": version, "done_on": "2026-06-05", "instrument": "europasi",
            "instrument_on": "2026-06-05", "domains": domains(), "children_at_home": False,
            "pregnancy": False}
    body.update(overrides)
    return body


def decision_body(version, assessment_id, **overrides):
    body = {"version": version, "assessment": assessment_id, "track": "sel101",
            "outcome": "delvis", "decided_on": "2026-06-08",
            "proposal_focus": "Stabilt forbrug", "proposal_goals": "Arbejde igen",
            "provider": None, "intensity": "ambulant",
            "reasons": "Dagbehandling er ikke nødvendig nu."}
    body.update(overrides)
    return body


@pytest.fixture
def cw(world, login):
    return login(world.caseworker)


@pytest.fixture
def course(world, cw):
    """A §101 course opened through the API with a request on 2026-06-01."""
    response = post(cw, url("course-list"), open_body(world.citizen))
    assert response.status_code == 201, response.json()
    return response.json()


def clocks(body):
    return {c["name"]: c for c in body["clocks"]}


# --- The whole way, through the API alone ----------------------------------------------------


def test_every_step_from_first_contact_to_start_for_a_named_citizen(world, login, cw):
    citizen = CitizenFactory(residence_municipality=world.muni, first_name="Bo", last_name="Ny")
    clinician = login(world.clinician, client=type(cw)())

    # 1. Contact asking for counselling only: a course, but no request and no clock yet.
    r = post(cw, url("course-list"), open_body(citizen, asks="counselling", tracks=[],
                                               received_on="2026-05-30", duty_dispute=True))
    assert r.status_code == 201, r.json()
    body = r.json()
    cid = body["id"]
    assert body["citizen"] == str(citizen.public_id)
    assert body["acting_municipality"] == "269" and body["duty_dispute"] is True
    assert body["caseworker"] == "sagsbehandler"
    assert body["first_request_on"] is None and body["clocks"] == []
    assert body["contacts"][0]["channel"] == "phone" and body["can_act"] is True
    # The clinician's provider has no enrolment yet: the course does not exist for them.
    assert clinician.get(url("course-detail", course_id=cid)).status_code == 404

    # 2. Counselling never starts or stops a clock.
    r = post(cw, step("course-counselling", cid),
             {"version": body["version"], "held_on": "2026-05-31", "outreach": True,
              "other_needs": "Bolig"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["counselling"][0]["outreach"] is True and body["clocks"] == []

    # 3. Request for treatment: the day the citizen asked starts the guarantee.
    r = post(cw, step("course-requests", cid),
             {"version": body["version"], "requested_on": "2026-06-02", "channel": "personal",
              "told_representation": True, "told_doctor": True, "told_free_choice": True})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["first_request_on"] == "2026-06-02"
    assert body["requests"][0]["told_doctor"] is True

    # 4. Tracks: social (SEL § 101) combined with medical (SUL § 142).
    r = put(cw, step("course-tracks", cid), {"version": body["version"],
                                             "tracks": ["sel101", "sul142"]})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["tracks"] == ["sel101", "sul142"]
    assert clocks(body)["guarantee"]["due"] == "2026-06-16"
    assert clocks(body)["guarantee"]["days_left"] == 1

    # A further contact, e.g. from the jobcenter.
    r = post(cw, step("course-contacts", cid),
             {"version": body["version"], "received_on": "2026-06-03", "channel": "authority",
              "substances": "both", "asks": "treatment"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert len(body["contacts"]) == 2

    # 5. The free doctor consultation, accepted and held.
    r = put(cw, step("course-doctor", cid),
            {"version": body["version"], "offered_on": "2026-06-02", "accepted": True,
             "held_on": "2026-06-04", "findings": "Abstinenser"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["doctor"]["held_on"] == "2026-06-04"
    assert clocks(body)["doctor"]["status"] == "met"

    # 6. The assessment with an AUDIT, then a DUDIT on its own.
    r = post(cw, step("course-assessments", cid), assessment_body(
        body["version"], done_on="2026-06-05", children_at_home=True, children_count=2,
        children_ages="4 og 9", notified_on="2026-06-05", notified_to="Børn og Unge",
        screenings=[{"instrument": "audit", "answers": [1] * 8 + [2, 4],
                     "administered_on": "2026-06-05"}]))
    assert r.status_code == 201, r.json()
    body = r.json()
    assessment = body["assessments"][0]
    assert assessment["notification_duty"] is True
    assert assessment["screenings"][0]["total"] == 14
    assert assessment["domains"]["housing"]["findings"] == "Fund om housing"
    assert clocks(body)["assessment"]["status"] == "met"
    r = post(cw, step("course-screenings", cid),
             {"version": body["version"], "instrument": "dudit", "answers": [0] * 9 + [2, 2],
              "administered_on": "2026-06-05", "assessment": assessment["id"]})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert {s["instrument"]: s["total"] for s in body["screenings"]} == {"audit": 14,
                                                                         "dudit": 4}

    # On the worklist before the start, soonest first.
    worklist = cw.get(url("worklist")).json()
    assert [(i["course"], i["clock"]["name"]) for i in worklist] == [
        (cid, "decision"), (cid, "guarantee")]
    assert worklist[0]["clock"]["due"] == "2026-06-16"

    # 7. A partial grant, resting on the assessment, with reasons.
    r = post(cw, step("course-decisions", cid),
             decision_body(body["version"], assessment["id"], provider=world.provider.pk))
    assert r.status_code == 201, r.json()
    body = r.json()
    decision = body["decisions"][0]
    assert decision["outcome"] == "delvis" and decision["legal_basis"] == "Serviceloven § 101"
    assert decision["provider_name"] == "Misbrugscenter Øst"

    # 9. Start and enrolment: within the guarantee; the provider's clinicians now see it.
    r = post(cw, step("course-start", cid),
             {"version": body["version"], "started_on": "2026-06-12",
              "enrolled_on": "2026-06-12", "provider": world.provider.pk})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["start"]["provider_name"] == "Misbrugscenter Øst"
    assert {name: c["status"] for name, c in clocks(body).items()} == {
        "assessment": "met", "decision": "met", "doctor": "met", "guarantee": "met"}
    assert Referral.objects.filter(citizen=citizen, provider=world.provider,
                                   referred_on=dt.date(2026, 6, 12)).exists()
    assert cw.get(url("worklist")).json() == []
    seen = clinician.get(url("course-detail", course_id=cid))
    assert seen.status_code == 200 and seen.json()["can_act"] is False
    # Every write was audited in the API channel, with the citizen.
    created = events(action=Action.CREATE, citizen_id=citizen.pk, channel="api")
    assert created.count() >= 9
    assert set(created.values_list("object_type", flat=True)) >= {
        "pathway.Contact", "pathway.CounsellingSession", "pathway.TreatmentRequest",
        "pathway.DoctorConsultation", "pathway.Assessment", "pathway.ScreeningResult",
        "pathway.Decision", "pathway.TreatmentStart"}


def test_free_choice_waives_the_guarantee_and_counts_waiting_days(world, cw, course):
    r = post(cw, step("course-free-choice", course["id"]),
             {"version": course["version"], "chosen_on": "2026-06-03",
              "provider": world.provider2.pk})
    assert r.status_code == 201, r.json()
    guarantee = clocks(r.json())["guarantee"]
    assert guarantee["status"] == "waived" and guarantee["due"] is None
    assert guarantee["waiting_days"] == 14
    assert r.json()["free_choices"][0]["provider"] == world.provider2.pk


def test_limiting_free_choice_needs_reasons(world, cw, course):
    r = post(cw, step("course-free-choice", course["id"]),
             {"version": course["version"], "chosen_on": "2026-06-03", "limited": True})
    assert r.status_code == 400
    assert "begrundes" in r.json()["limit_reason"][0]


def test_breach_recorded_once_with_reason(world, cw, course):
    r = post(cw, step("course-breaches", course["id"]),
             {"version": course["version"], "clock": "guarantee", "reason": "capacity",
              "note": "Ingen plads"})
    assert r.status_code == 201, r.json()
    assert r.json()["breaches"][0]["reason"] == "capacity"
    again = post(cw, step("course-breaches", course["id"]),
                 {"version": r.json()["version"], "clock": "guarantee", "reason": "other"})
    assert again.status_code == 400 and "clock" in again.json()
    assert Breach.objects.count() == 1


def test_anonymous_course_on_101a_has_no_guarantee(world, cw):
    anonymous = AnonymousCitizenFactory(acting_municipality=world.muni, pseudonym="Ræven")
    r = post(cw, url("course-list"), open_body(anonymous, tracks=["sel101a"]))
    assert r.status_code == 201, r.json()
    assert r.json()["citizen_display_name"] == "Ræven"
    assert r.json()["clocks"] == []


# --- Reading: scope, audit -------------------------------------------------------------------


def test_list_and_detail_are_scoped_and_audited(world, cw, course):
    listing = cw.get(url("course-list"))
    assert listing.status_code == 200
    assert [c["id"] for c in listing.json()["results"]] == [course["id"]]
    assert events(action=Action.VIEW, citizen_id=world.citizen.pk, channel="api").count() == 1
    detail = cw.get(url("course-detail", course_id=course["id"]))
    assert detail.status_code == 200
    assert detail.json()["citizen_display_name"] == "Karen Jensen"
    view = events(action=Action.VIEW, citizen_id=world.citizen.pk).order_by("-pk").first()
    assert view.object_type == "pathway.Course" and view.object_id == str(course["id"])


def test_list_filters_by_citizen_and_refuses_a_malformed_id(world, cw, course):
    other = CitizenFactory(residence_municipality=world.muni)
    assert cw.get(url("course-list"), {"citizen": str(other.public_id)}).json()["count"] == 0
    assert cw.get(url("course-list"), {"citizen": "nej"}).status_code == 400


def test_worklist_audits_the_citizens_shown(world, cw, course):
    items = cw.get(url("worklist")).json()
    assert {i["clock"]["name"] for i in items} == {"assessment", "decision", "guarantee"}
    assert items[0]["citizen_display_name"] == "Karen Jensen"
    assert events(action=Action.VIEW, purpose="arbejdsliste (API)",
                  citizen_id=world.citizen.pk).count() == 1


@pytest.mark.parametrize("role", ["clinician", "leader", "coordinator", "region_coordinator",
                                  "admin"])
def test_worklist_is_empty_for_roles_that_are_not_responsible(world, login, course, role):
    assert login(getattr(world, role)).get(url("worklist")).json() == []


@pytest.fixture
def foreign_course(world):
    """A course of another municipality's citizen (a Faxe caseworker's case)."""
    faxe = make_user(Role.CASEWORKER, world.muni3, "faxe")
    course = Course.objects.create(citizen=world.outsider, acting_municipality=world.muni3,
                                   caseworker=faxe)
    Contact.objects.create(course=course, received_on=dt.date(2026, 6, 1), channel="phone",
                           substances="drugs", asks="treatment")
    TreatmentRequest.objects.create(course=course, requested_on=dt.date(2026, 6, 1),
                                    channel="phone")
    return course


@pytest.mark.parametrize("role", ["caseworker", "clinician", "leader", "coordinator",
                                  "region_coordinator", "admin"])
def test_course_out_of_scope_is_404_on_every_url_and_method(world, login, foreign_course, role):
    client = login(getattr(world, role))
    for name in ["course-detail", *STEPS]:
        path = step(name, foreign_course.pk)
        for method in ("get", "post", "put", "patch", "delete"):
            response = client.generic(method, path, "{}", content_type=JSON)
            assert response.status_code == 404, (role, name, method)
            assert response.json() == {"detail": "Findes ikke."}
    assert not events(citizen_id=world.outsider.pk).exists()
    assert client.get(step("course-detail", 987654321)).status_code == 404


@pytest.mark.parametrize("role", ["leader", "coordinator", "region_coordinator", "admin"])
def test_roles_without_personal_data_see_no_courses(world, login, course, role):
    client = login(getattr(world, role))
    assert client.get(url("course-list")).json()["count"] == 0
    assert client.get(url("course-detail", course_id=course["id"])).status_code == 404


def test_clinician_reads_a_referred_course_but_cannot_write(world, login, course):
    client = login(world.clinician)
    assert client.get(url("course-detail", course_id=course["id"])).status_code == 200
    r = post(client, step("course-requests", course["id"]),
             {"version": course["version"], "requested_on": "2026-06-02", "channel": "phone"})
    assert r.status_code == 403
    assert "sagsbehandlere" in r.json()["detail"]
    assert post(client, url("course-list"), open_body(world.citizen)).status_code == 403
    assert TreatmentRequest.objects.count() == 1


def test_caseworker_cannot_open_a_course_for_a_citizen_out_of_scope(world, cw):
    r = post(cw, url("course-list"), open_body(world.outsider))
    assert r.status_code == 400 and r.json() == {"citizen": ["Ukendt borger."]}
    r = post(cw, url("course-list"), open_body(world.citizen, acting_municipality="320"))
    assert r.status_code == 400 and "acting_municipality" in r.json()
    assert not Course.objects.exists()


# --- Bad input: a Danish message and nothing saved -------------------------------------------


def test_event_in_the_future_is_refused(cw, course):
    r = post(cw, step("course-requests", course["id"]),
             {"version": course["version"], "requested_on": "2026-06-16", "channel": "phone"})
    assert r.status_code == 400
    assert r.json() == {"requested_on": ["Datoen ligger i fremtiden."]}
    assert TreatmentRequest.objects.count() == 1
    r = post(cw, url("course-list"), open_body(CitizenFactory(), received_on="2027-01-01"))
    assert r.status_code == 400


def test_start_before_the_request_is_refused(world, cw, course):
    r = post(cw, step("course-start", course["id"]),
             {"version": course["version"], "started_on": "2026-05-31",
              "enrolled_on": "2026-06-01", "provider": world.provider.pk})
    assert r.status_code == 400
    assert r.json() == {"started_on": ["Datoen ligger før borgerens første anmodning."]}
    assert not TreatmentStart.objects.exists()


def test_decision_without_assessment_is_refused(world, cw, course):
    r = post(cw, step("course-decisions", course["id"]),
             decision_body(course["version"], None, provider=world.provider.pk))
    assert r.status_code == 400
    assert r.json() == {"assessment": ["En afgørelse skal bygge på en afdækning."]}
    r = post(cw, step("course-decisions", course["id"]),
             decision_body(course["version"], 987654, provider=world.provider.pk))
    assert r.status_code == 400 and r.json() == {"assessment": ["Ukendt afdækning."]}
    assert not Decision.objects.exists()


def test_refusal_without_reasons_is_refused(world, cw, course):
    done = post(cw, step("course-assessments", course["id"]), assessment_body(course["version"]))
    assert done.status_code == 201, done.json()
    body = done.json()
    r = post(cw, step("course-decisions", course["id"]),
             decision_body(body["version"], body["assessments"][0]["id"], outcome="afslag",
                           reasons="  ", intensity=""))
    assert r.status_code == 400
    assert "forvaltningsloven § 22" in r.json()["reasons"][0]
    assert not Decision.objects.exists()


def test_101a_track_needs_an_anonymous_citizen_and_anonymous_citizens_only_101a_141(world, cw):
    named = post(cw, url("course-list"), open_body(world.citizen, tracks=["sel101a"]))
    assert named.status_code == 400
    assert "CPR-nummer" in named.json()["tracks"][0]
    anonymous = AnonymousCitizenFactory(acting_municipality=world.muni)
    r = post(cw, url("course-list"), open_body(anonymous, tracks=["sel101"]))
    assert r.status_code == 400 and "CPR-nummer" in r.json()["tracks"][0]
    assert not Course.objects.exists()


def test_audit_answer_outside_its_items_values_is_refused(cw, course):
    r = post(cw, step("course-screenings", course["id"]),
             {"version": course["version"], "instrument": "audit", "answers": [0] * 8 + [3, 0],
              "administered_on": "2026-06-05"})
    assert r.status_code == 400
    assert r.json() == {"answers": ["Ugyldigt svar i spørgsmål 9."]}
    r = post(cw, step("course-assessments", course["id"]), assessment_body(
        course["version"], screenings=[{"instrument": "audit", "answers": [5] * 10,
                                        "administered_on": "2026-06-05"}]))
    assert r.status_code == 400
    assert "0 til 4" in json.dumps(r.json(), ensure_ascii=False)
    assert not ScreeningResult.objects.exists() and not Assessment.objects.exists()


def test_assessment_with_an_invalid_screening_saves_neither(cw, course):
    r = post(cw, step("course-assessments", course["id"]), assessment_body(
        course["version"], screenings=[
            {"instrument": "audit", "answers": [0] * 10, "administered_on": "2026-06-05"},
            {"instrument": "dudit", "answers": [0] * 9 + [1, 0],
             "administered_on": "2026-06-05"}]))
    assert r.status_code == 400
    assert r.json() == {"answers": ["Ugyldigt svar i spørgsmål 10."]}
    assert not Assessment.objects.exists() and not ScreeningResult.objects.exists()
    assert Course.objects.get().version == course["version"]


def test_doctor_consultation_after_the_start_is_refused(world, cw, course):
    body = post(cw, step("course-assessments", course["id"]),
                assessment_body(course["version"], done_on="2026-06-03",
                                instrument_on="2026-06-03")).json()
    body = post(cw, step("course-decisions", course["id"]),
                decision_body(body["version"], body["assessments"][0]["id"],
                              decided_on="2026-06-04", provider=world.provider.pk)).json()
    started = post(cw, step("course-start", course["id"]),
                   {"version": body["version"], "started_on": "2026-06-05",
                    "enrolled_on": "2026-06-05", "provider": world.provider.pk})
    assert started.status_code == 201, started.json()
    r = put(cw, step("course-doctor", course["id"]),
            {"version": started.json()["version"], "offered_on": "2026-06-02",
             "accepted": True, "held_on": "2026-06-06"})
    assert r.status_code == 400
    assert "SUL § 142" in r.json()["held_on"][0]
    assert not DoctorConsultation.objects.exists()


def test_assessment_missing_a_domain_is_refused(cw, course):
    partial = domains()
    partial["housing"] = {"findings": " "}
    r = post(cw, step("course-assessments", course["id"]),
             assessment_body(course["version"], domains=partial))
    assert r.status_code == 400 and "housing" in r.json()["domains"][0]
    r = post(cw, step("course-assessments", course["id"]),
             assessment_body(course["version"], children_at_home=None))
    assert r.status_code == 400 and "børn under 18" in r.json()["children_at_home"][0]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("name,body", [
    ("course-requests", {"requested_on": "2026-13-01", "channel": "phone"}),
    ("course-requests", {"requested_on": "i går", "channel": "phone"}),
    ("course-requests", {"requested_on": 20260601, "channel": "phone"}),
    ("course-requests", {"requested_on": None, "channel": "phone"}),
    ("course-requests", {"requested_on": "2026-06-01", "channel": "brevdue"}),
    ("course-requests", {"requested_on": "2026-06-01", "channel": ["phone"]}),
    ("course-requests", {"requested_on": "2026-06-01"}),
    ("course-tracks", {"tracks": "sel101"}),
    ("course-tracks", {"tracks": []}),
    ("course-tracks", {"tracks": ["sel999"]}),
    ("course-doctor", {"offered_on": "2026-06-02", "accepted": "måske"}),
    ("course-screenings", {"instrument": "audit", "answers": "0000000000",
                           "administered_on": "2026-06-05"}),
    ("course-screenings", {"instrument": "audit", "answers": {"1": 0},
                           "administered_on": "2026-06-05"}),
    ("course-screenings", {"instrument": "audit", "answers": [10 ** 30] * 10,
                           "administered_on": "2026-06-05"}),
    ("course-screenings", {"instrument": "audit", "answers": [None] * 10,
                           "administered_on": "2026-06-05"}),
    ("course-screenings", {"instrument": "audit", "answers": [0] * 9,
                           "administered_on": "2026-06-05"}),
    ("course-screenings", {"instrument": "asi", "answers": [0] * 10,
                           "administered_on": "2026-06-05"}),
    ("course-assessments", {"done_on": "2026-06-05", "domains": ["a"]}),
    ("course-assessments", {"done_on": "2026-06-05", "domains": None, "children_count": -1}),
    ("course-decisions", {"assessment": "første", "outcome": "ja"}),
    ("course-decisions", {"assessment": 10 ** 30, "outcome": "afslag"}),
    ("course-start", {"started_on": "2026-06-05", "enrolled_on": "2026-06-05",
                      "provider": 10 ** 30}),
    ("course-start", {"started_on": "2026-06-05", "enrolled_on": "2026-06-05",
                      "provider": "Misbrugscenter Øst"}),
    ("course-breaches", {"clock": "frist", "reason": "no_show"}),
    ("course-free-choice", {"chosen_on": "2026-06-03", "provider": 987654}),
])
def test_malformed_input_is_a_400_not_a_crash(world, cw, course, name, body):
    path = step(name, course["id"])
    send = put if name in ("course-tracks", "course-doctor") else post
    response = send(cw, path, {"version": course["version"], **body})
    assert response.status_code == 400, response.content
    assert Course.objects.get().version == course["version"]


@pytest.mark.parametrize("version", [None, "en", 0, -1, 10 ** 30, 2.5])
def test_missing_or_malformed_version_is_a_400(cw, course, version):
    body = {"requested_on": "2026-06-02", "channel": "phone"}
    if version is not None:
        body["version"] = version
    r = post(cw, step("course-requests", course["id"]), body)
    assert r.status_code == 400 and "version" in r.json()


def test_non_json_and_non_object_bodies_are_refused(cw, course):
    path = step("course-requests", course["id"])
    assert cw.post(path, {"version": "1"}).status_code == 415
    assert cw.post(path, "[1, 2]", content_type=JSON).status_code == 400
    assert cw.post(path, "{nej", content_type=JSON).status_code == 400


# --- Optimistic locking ----------------------------------------------------------------------


@pytest.mark.parametrize("name,body", [
    ("course-requests", {"requested_on": "2026-06-02", "channel": "phone"}),
    ("course-tracks", {"tracks": ["sel101", "sul141"]}),
    ("course-counselling", {"held_on": "2026-06-02"}),
])
def test_second_save_on_a_stale_version_is_409_and_writes_nothing(world, cw, course, name,
                                                                   body):
    send = put if name == "course-tracks" else post
    path = step(name, course["id"])
    first = post(cw, step("course-contacts", course["id"]),
                 {"version": course["version"], "received_on": "2026-06-02",
                  "channel": "written", "substances": "drugs", "asks": "treatment"})
    assert first.status_code == 201
    stale = send(cw, path, {"version": course["version"], **body})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden."}
    detail = cw.get(url("course-detail", course_id=course["id"])).json()
    assert detail["version"] == first.json()["version"]
    assert detail["tracks"] == ["sel101"]
    assert len(detail["requests"]) == 1 and detail["counselling"] == []
