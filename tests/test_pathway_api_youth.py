"""Youth under 18 through the API alone (issue 3 items 4 and 11): custody holders and routing to
the children and youth service, with the same services, scoping, locking and audit as the UI.
Bad input is a Danish 400 with nothing saved; a stale version 409; a reader who cannot act 403;
a course out of scope 404 on every method."""

import datetime as dt
import json

import pytest

from forlob.accounts.models import Role
from forlob.audit.models import Action
from forlob.pathway.models import Contact, Course, CustodyHolder, TreatmentRequest

from .api_helpers import JSON, ROLES, events, post, url
from .factories import CitizenFactory, make_user

pytestmark = pytest.mark.django_db

YOUTH_CPR = "0101104123"  # born 1 January 2010: 16 years old on 15 June 2026
HOLDERS = "course-custody-holders"
ROUTING = "course-youth-routing"


def put(client, path, data):
    return client.put(path, json.dumps(data), content_type=JSON)


def fresh(course_id):
    return Course.objects.get(pk=course_id)


@pytest.fixture
def cw(world, login):
    return login(world.caseworker)


@pytest.fixture
def youth(world):
    return CitizenFactory(residence_municipality=world.muni, first_name="Emil",
                          last_name="Ung", cpr_plain=YOUTH_CPR)


def open_course(client, citizen):
    response = post(client, url("course-list"), {
        "citizen": str(citizen.public_id), "received_on": "2026-06-10", "channel": "phone",
        "substances": "alcohol", "asks": "treatment", "tracks": ["sel101"]})
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def youth_course(cw, youth):
    return open_course(cw, youth)


@pytest.fixture
def course(cw, world):
    """A course of the citizen referred to the clinician's provider (the clinician reads it)."""
    return open_course(cw, world.citizen)


def holder_body(version, **overrides):
    body = {"version": version, "name": "Mette Ung", "relation": "mor", "phone": "12345678"}
    body.update(overrides)
    return body


# --- Happy paths -----------------------------------------------------------------------------


def test_youth_course_is_flagged_and_starts_without_holders_or_routing(youth_course):
    assert youth_course["is_youth"] is True
    assert youth_course["custody_holders"] == [] and youth_course["youth_routed_on"] is None


def test_custody_holders_are_added_through_the_api_and_audited(world, cw, youth, youth_course):
    cid = youth_course["id"]
    r = post(cw, url(HOLDERS, course_id=cid), holder_body(youth_course["version"]))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["version"] == youth_course["version"] + 1
    assert [(h["name"], h["relation"], h["phone"]) for h in body["custody_holders"]] == [
        ("Mette Ung", "mor", "12345678")]
    holder = CustodyHolder.objects.get(course_id=cid)
    created = events(action=Action.CREATE, citizen_id=youth.pk, channel="api",
                     object_type="pathway.CustodyHolder")
    assert list(created.values_list("object_id", "user_id")) == [
        (str(holder.pk), world.caseworker.pk)]

    # A second holder, with only a name; the detail shows both.
    r = post(cw, url(HOLDERS, course_id=cid),
             {"version": body["version"], "name": "  Jens Ung  "})
    assert r.status_code == 201, r.json()
    assert [h["name"] for h in r.json()["custody_holders"]] == ["Mette Ung", "Jens Ung"]
    assert r.json()["custody_holders"][1]["relation"] == ""
    detail = cw.get(url("course-detail", course_id=cid)).json()
    assert len(detail["custody_holders"]) == 2


def test_routing_to_the_youth_service_is_recorded_corrected_and_audited(world, cw, youth,
                                                                        youth_course):
    cid = youth_course["id"]
    r = put(cw, url(ROUTING, course_id=cid),
            {"version": youth_course["version"], "routed_on": "2026-06-11"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["youth_routed_on"] == "2026-06-11"
    assert body["version"] == youth_course["version"] + 1
    assert fresh(cid).youth_routed_on == dt.date(2026, 6, 11)
    updated = events(action=Action.UPDATE, citizen_id=youth.pk, channel="api",
                     object_type="pathway.Course", object_id=str(cid),
                     purpose="henvist til børne- og ungeområdet")
    assert updated.count() == 1 and updated.get().user_id == world.caseworker.pk

    # A later call corrects the day; today is allowed.
    r = put(cw, url(ROUTING, course_id=cid), {"version": body["version"],
                                              "routed_on": "2026-06-15"})
    assert r.status_code == 200, r.json()
    assert r.json()["youth_routed_on"] == "2026-06-15"
    assert fresh(cid).youth_routed_on == dt.date(2026, 6, 15)


# --- Bad input: a Danish 400 and nothing saved ------------------------------------------------


def test_future_routing_date_is_refused(cw, youth_course):
    cid = youth_course["id"]
    r = put(cw, url(ROUTING, course_id=cid),
            {"version": youth_course["version"], "routed_on": "2026-06-16"})
    assert r.status_code == 400
    assert r.json() == {"routed_on": ["Datoen ligger i fremtiden."]}
    course = fresh(cid)
    assert course.youth_routed_on is None and course.version == youth_course["version"]


@pytest.mark.parametrize("routed_on", ["2026-02-30", "15-06-2026", "", None, 20260610, [],
                                       "9999-12-31T00:00:00"])
def test_malformed_routing_date_is_refused(cw, youth_course, routed_on):
    r = put(cw, url(ROUTING, course_id=youth_course["id"]),
            {"version": youth_course["version"], "routed_on": routed_on})
    assert r.status_code == 400
    assert list(r.json()) == ["routed_on"]
    assert fresh(youth_course["id"]).youth_routed_on is None


def test_missing_routing_date_is_refused(cw, youth_course):
    r = put(cw, url(ROUTING, course_id=youth_course["id"]), {"version": youth_course["version"]})
    assert r.status_code == 400 and r.json() == {"routed_on": ["Angiv datoen."]}


@pytest.mark.parametrize("name", ["", "   ", None])
def test_blank_custody_holder_name_is_refused(cw, youth_course, name):
    r = post(cw, url(HOLDERS, course_id=youth_course["id"]),
             holder_body(youth_course["version"], name=name))
    assert r.status_code == 400
    assert r.json() == {"name": ["Feltet skal udfyldes."]}
    assert not CustodyHolder.objects.exists()
    assert fresh(youth_course["id"]).version == youth_course["version"]


def test_missing_custody_holder_name_is_refused(cw, youth_course):
    body = holder_body(youth_course["version"])
    del body["name"]
    r = post(cw, url(HOLDERS, course_id=youth_course["id"]), body)
    assert r.status_code == 400 and r.json() == {"name": ["Feltet skal udfyldes."]}
    assert not CustodyHolder.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("name", "x" * 201), ("relation", "x" * 101), ("phone", "1" * 31), ("name", ["Mette"]),
    ("phone", {"nr": 1}), ("name", "Mette\x00Ung"), ("relation", None),
])
def test_custody_holder_fields_of_wrong_type_or_length_are_refused(cw, youth_course, field,
                                                                   value):
    r = post(cw, url(HOLDERS, course_id=youth_course["id"]),
             holder_body(youth_course["version"], **{field: value}))
    assert r.status_code == 400
    assert list(r.json()) == [field]
    assert not CustodyHolder.objects.exists()


@pytest.mark.parametrize("version", [None, "to", 0, -1, 2**31, 1.5])
def test_missing_or_malformed_version_is_refused(cw, youth_course, version):
    r = post(cw, url(HOLDERS, course_id=youth_course["id"]),
             {**holder_body(1), "version": version})
    assert r.status_code == 400 and list(r.json()) == ["version"]
    r = put(cw, url(ROUTING, course_id=youth_course["id"]),
            {"version": version, "routed_on": "2026-06-11"})
    assert r.status_code == 400 and list(r.json()) == ["version"]
    assert not CustodyHolder.objects.exists()
    assert fresh(youth_course["id"]).youth_routed_on is None


@pytest.mark.parametrize("raw", ["[]", "null", '"tekst"', "{", "42"])
def test_body_that_is_not_an_object_is_refused(cw, youth_course, raw):
    for method, name in (("post", HOLDERS), ("put", ROUTING)):
        r = cw.generic(method, url(name, course_id=youth_course["id"]), raw, content_type=JSON)
        assert r.status_code == 400, (method, raw)
    assert not CustodyHolder.objects.exists()


# --- Locking, permissions and scope ------------------------------------------------------------


def test_stale_version_is_409_with_nothing_saved(cw, youth_course):
    cid = youth_course["id"]
    stale = youth_course["version"]
    r = post(cw, url(HOLDERS, course_id=cid), holder_body(stale))
    assert r.status_code == 201
    again = post(cw, url(HOLDERS, course_id=cid), holder_body(stale, name="Jens Ung"))
    assert again.status_code == 409
    assert again.json() == {
        "detail": "Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden."}
    assert list(CustodyHolder.objects.values_list("name", flat=True)) == ["Mette Ung"]
    routed = put(cw, url(ROUTING, course_id=cid), {"version": stale, "routed_on": "2026-06-11"})
    assert routed.status_code == 409
    course = fresh(cid)
    assert course.youth_routed_on is None and course.version == r.json()["version"]


def test_clinician_who_reads_the_course_cannot_write_it(world, login, course):
    clinician = login(world.clinician)
    assert clinician.get(url("course-detail", course_id=course["id"])).status_code == 200
    r = post(clinician, url(HOLDERS, course_id=course["id"]), holder_body(course["version"]))
    assert r.status_code == 403 and "sagsbehandlere" in r.json()["detail"]
    r = put(clinician, url(ROUTING, course_id=course["id"]),
            {"version": course["version"], "routed_on": "2026-06-11"})
    assert r.status_code == 403
    assert not CustodyHolder.objects.exists()
    assert fresh(course["id"]).youth_routed_on is None
    assert not events(action__in=[Action.CREATE, Action.UPDATE],
                      user_id=world.clinician.pk).exists()


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


@pytest.mark.parametrize("role", ROLES)
def test_course_out_of_scope_is_404_on_every_method(world, login, foreign_course, role):
    client = login(getattr(world, role))
    valid = {HOLDERS: holder_body(foreign_course.version),
             ROUTING: {"version": foreign_course.version, "routed_on": "2026-06-11"}}
    for name in (HOLDERS, ROUTING):
        path = url(name, course_id=foreign_course.pk)
        for method in ("get", "post", "put", "patch", "delete", "options"):
            for data in ("{}", json.dumps(valid[name])):
                response = client.generic(method, path, data, content_type=JSON)
                assert response.status_code == 404, (role, name, method)
                assert response.json() == {"detail": "Findes ikke."}
        assert client.generic("post", url(name, course_id=987654321), "{}",
                              content_type=JSON).status_code == 404
    assert not CustodyHolder.objects.exists()
    assert fresh(foreign_course.pk).youth_routed_on is None
    assert not events(citizen_id=world.outsider.pk).exists()


def test_wrong_method_on_an_in_scope_course_is_405(cw, youth_course):
    assert cw.get(url(HOLDERS, course_id=youth_course["id"])).status_code == 405
    assert post(cw, url(ROUTING, course_id=youth_course["id"]), {}).status_code == 405


def test_screening_start_closes_the_follow_up(world, login):
    """Retningslinje 3.8: the screening flag's follow-up is closed through the API alone."""
    from .test_pathway_api import assessment_body, open_body

    client = login(world.caseworker)
    body = post(client, url("course-list"), open_body(world.citizen)).json()
    body = post(client, url("course-assessments", course_id=body["id"]),
                assessment_body(body["version"], screening_needed=True)).json()
    assert {c["name"]: c["status"] for c in body["clocks"]}["screening"] == "open"
    start = url("course-screening-start", course_id=body["id"])
    bad = client.put(start, json.dumps({"version": body["version"], "started_on": "2026-06-16"}),
                     content_type="application/json")
    assert bad.status_code == 400 and "started_on" in bad.json()
    ok = client.put(start, json.dumps({"version": body["version"], "started_on": "2026-06-10"}),
                    content_type="application/json")
    assert ok.status_code == 200, ok.json()
    assert {c["name"]: c["status"] for c in ok.json()["clocks"]}["screening"] == "met"
