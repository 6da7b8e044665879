"""Network API v1 (issue 4 items 3 and 4): network persons, guardian, consents given and
withdrawn, disclosures, and the read of it all. Bad input is a Danish 400 with nothing saved;
a stale version is 409; a course out of scope is 404; a reader who may not write, 403."""

import datetime as dt

import pytest

from forlob.audit.models import Action
from forlob.network.models import Consent, Disclosure, Guardian, NetworkMember
from forlob.pathway.models import Course

from .api_helpers import events, post, url
from .factories import ReferralFactory
from .factories_network import ConsentFactory, GuardianFactory
from .test_network_services import open_course
from .test_treatment_services import _req

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def course(world):
    return open_course(world, _req(world.caseworker))


def version(course):
    return Course.objects.get(pk=course.pk).version


def counts():
    return [m.objects.count() for m in (Consent, NetworkMember, Guardian, Disclosure)]


def test_whole_slice_through_the_api(world, login, course):
    client = login(world.caseworker)
    r = post(client, url("course-network-members", course_id=course.pk), {
        "version": version(course), "name": "Lone Hansen", "relation": "partner",
        "influence": "risk", "involvement_consent_on": "2026-06-10"})
    assert r.status_code == 201, r.json()
    assert r.json()["version"] == version(course)
    r = post(client, url("course-network-guardians", course_id=course.pk), {
        "version": version(course), "name": "Advokat Berg", "basis": "vml7",
        "from_on": "2026-02-01"})
    assert r.status_code == 201, r.json()
    g = Guardian.objects.get()
    r = post(client, url("course-network-guardian-end", course_id=course.pk, guardian_id=g.pk),
             {"version": version(course), "ended_on": "2026-06-14"})
    assert r.status_code == 200, r.json()
    r = post(client, url("course-consents", course_id=course.pk), {
        "version": version(course), "party": "gp", "scope": "Status", "given_on": "2026-06-01",
        "valid_until": "2026-12-31"})
    assert r.status_code == 201, r.json()
    c = Consent.objects.get()
    r = post(client, url("course-disclosures", course_id=course.pk), {
        "version": version(course), "party": "gp", "disclosed_on": "2026-06-15",
        "content": "Behandlingsstatus"})
    assert r.status_code == 201, r.json()
    r = post(client, url("course-consent-withdraw", course_id=course.pk, consent_id=c.pk),
             {"version": version(course)})
    assert r.status_code == 200, r.json()
    r = post(client, url("course-disclosures", course_id=course.pk), {
        "version": version(course), "party": "gp", "disclosed_on": "2026-06-15",
        "content": "Mere"})
    assert r.status_code == 400 and "intet samtykke" in str(r.json())
    before = events(citizen_id=world.citizen.pk, action=Action.VIEW).count()
    body = client.get(url("course-network", course_id=course.pk)).json()
    assert events(citizen_id=world.citizen.pk, action=Action.VIEW).count() == before + 1
    assert body["can_write"] is True and body["version"] == version(course)
    assert body["members"][0]["influence"] == "risk"
    assert body["guardians"][0]["ended_on"] == "2026-06-14"
    assert body["guardians"][0]["active"] is False  # ended yesterday
    assert body["consents"][0]["status"] == "withdrawn"
    assert body["disclosures"][0]["disclosed_by"] == world.caseworker.username


@pytest.mark.parametrize("body,field", [
    ({"party": "naboen", "given_on": "2026-06-01"}, "party"),
    ({"party": "gp", "scope": "Status", "given_on": "2026-06-10",
      "valid_until": "2026-06-09"}, "valid_until"),
    ({"party": "gp", "scope": "Status", "given_on": "2026-06-16"}, "given_on"),
    ({"party": "gp", "scope": "Status", "given_on": "ikke en dato"}, "given_on"),
    ({"party": "gp", "scope": "Status"}, "given_on"),
])
def test_bad_consent_is_a_danish_400_and_nothing_saved(world, login, course, body, field):
    r = post(login(world.caseworker), url("course-consents", course_id=course.pk),
             {"version": version(course), **body})
    assert r.status_code == 400
    assert field in r.json()
    assert counts() == [0, 0, 0, 0]


def test_unknown_party_message_is_clear(world, login, course):
    r = post(login(world.caseworker), url("course-consents", course_id=course.pk),
             {"version": version(course), "party": "naboen", "given_on": "2026-06-01"})
    assert "Ukendt part: naboen" in str(r.json()["party"])


def test_child_relative_refused(world, login, course):
    r = post(login(world.caseworker), url("course-network-members", course_id=course.pk), {
        "version": version(course), "name": "Sofie", "relation": "child",
        "influence": "supportive", "under_18": True, "involvement_consent_on": "2026-06-10"})
    assert r.status_code == 400 and "3.2.5" in str(r.json())
    assert counts() == [0, 0, 0, 0]


def test_withdraw_twice_is_400(world, login, course):
    c = ConsentFactory(course=course, withdrawn_on=D(2026, 6, 10))
    r = post(login(world.caseworker),
             url("course-consent-withdraw", course_id=course.pk, consent_id=c.pk),
             {"version": version(course)})
    assert r.status_code == 400 and "allerede trukket tilbage" in str(r.json())
    assert Consent.objects.get().withdrawn_on == D(2026, 6, 10)


def test_stale_version_is_409(world, login, course):
    r = post(login(world.caseworker), url("course-consents", course_id=course.pk),
             {"version": version(course) + 7, "party": "gp", "scope": "Status",
              "given_on": "2026-06-01"})
    assert r.status_code == 409
    assert not Consent.objects.exists()


def test_reader_who_may_not_write_gets_403(world, login, course):
    # The clinician sees the citizen (active referral) but treatment has not started there.
    client = login(world.clinician)
    assert client.get(url("course-network", course_id=course.pk)).status_code == 200
    r = post(client, url("course-consents", course_id=course.pk),
             {"version": version(course), "party": "gp", "scope": "Status",
              "given_on": "2026-06-01"})
    assert r.status_code == 403
    assert not Consent.objects.exists()


@pytest.mark.parametrize("role", ["leader", "coordinator", "region_coordinator", "admin"])
def test_out_of_scope_is_404_on_every_route(world, login, course, role):
    c = ConsentFactory(course=course)
    g = GuardianFactory(course=course)
    client = login(getattr(world, role))
    assert client.get(url("course-network", course_id=course.pk)).status_code == 404
    for name, kw in [("course-consents", {}), ("course-disclosures", {}),
                     ("course-network-members", {}), ("course-network-guardians", {}),
                     ("course-consent-withdraw", {"consent_id": c.pk}),
                     ("course-network-guardian-end", {"guardian_id": g.pk})]:
        r = post(client, url(name, course_id=course.pk, **kw), {"version": version(course)})
        assert r.status_code == 404, name
    assert Consent.objects.get().withdrawn_on is None


def test_another_courses_consent_or_guardian_is_404(world, login, course):
    other = open_course(world, _req(world.caseworker))
    c = ConsentFactory(course=other)
    g = GuardianFactory(course=other)
    client = login(world.caseworker)
    r = post(client, url("course-consent-withdraw", course_id=course.pk, consent_id=c.pk),
             {"version": version(course)})
    assert r.status_code == 404
    r = post(client, url("course-network-guardian-end", course_id=course.pk, guardian_id=g.pk),
             {"version": version(course), "ended_on": "2026-06-14"})
    assert r.status_code == 404
    assert Consent.objects.get().withdrawn_on is None and Guardian.objects.get().ended_on is None


def test_citizen_out_of_scope_course_is_404(world, login):
    ReferralFactory(citizen=world.outsider, provider=world.provider2, referred_on=D(2026, 2, 1))
    course = open_course(world, _req(world.caseworker))
    Course.objects.filter(pk=course.pk).update(citizen=world.outsider,
                                               acting_municipality=world.muni3)
    for role in ("caseworker", "clinician"):
        client = login(getattr(world, role))
        assert client.get(url("course-network", course_id=course.pk)).status_code == 404
        r = post(client, url("course-consents", course_id=course.pk),
                 {"version": version(course), "party": "gp", "scope": "Status",
                  "given_on": "2026-06-01"})
        assert r.status_code == 404
    assert not Consent.objects.exists()
