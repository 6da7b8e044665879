"""The network section of the case page (issue 4 items 3 and 4): forms posting to
/forloeb/<course_id>/netvaerk/..., with and without htmx; statuses from the rules; 404 for a
course out of scope or a user who may not write."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.audit.models import AuditEvent
from forlob.network.models import Consent, Disclosure, Guardian, NetworkMember
from forlob.pathway.models import Course
from forlob.treatment.models import FollowUp

from .factories_network import ConsentFactory, GuardianFactory
from .test_network_services import open_course
from .test_treatment_services import _req, discharge, start

D = dt.date
PREFIX = {"member": "netvaerksperson", "guardian": "vaerge", "guardian_end": "vaerge-ophoer",
          "consent": "samtykke", "withdraw": "samtykke-tilbage", "disclosure": "videregivelse"}


@pytest.fixture
def course(world):
    return open_course(world, _req(world.caseworker))


def post(client, course, key, data, htmx=False):
    version = Course.objects.get(pk=course.pk).version
    body = {f"{PREFIX[key]}-{k}": v for k, v in {"version": version, **data}.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(f"network:{key}", args=[course.pk]), body, **headers)


def page(client, course):
    response = client.get(reverse("pathway:case", args=[course.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_case_page_shows_section_with_statuses_from_rules(world, login, course):
    ConsentFactory(course=course, party="gp", given_on=D(2026, 6, 1))
    ConsentFactory(course=course, party="jobcenter", given_on=D(2026, 5, 1),
                   valid_until=D(2026, 5, 31))
    ConsentFactory(course=course, party="psychiatry", given_on=D(2026, 5, 1),
                   withdrawn_on=D(2026, 6, 1))
    GuardianFactory(course=course, name="Advokat Berg")
    text = page(login(world.caseworker), course)
    assert 'id="netvaerk"' in text and "Netværk og samtykke" in text
    assert "I kraft" in text and "Udløbet" in text and "Trukket tilbage" in text
    assert "Advokat Berg" in text and "Aktiv" in text
    for slug in ("netvaerksperson", "vaerge", "vaerge-ophoer", "samtykke",
                 "samtykke-tilbage", "videregivelse"):
        assert f'id="trin-{slug}"' in text


def test_member_saved_without_htmx_redirects_and_is_audited(world, login, course):
    client = login(world.caseworker)
    response = post(client, course, "member", {
        "name": "Lone Hansen", "relation": "partner", "influence": "supportive",
        "involvement_consent_on": "2026-06-10"})
    assert response.status_code == 302
    assert NetworkMember.objects.get().involvement_consent_on == D(2026, 6, 10)
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     user_id=world.caseworker.pk).exists()
    assert "Lone Hansen" in page(client, course)


def test_child_relative_refused_with_danish_error_htmx(world, login, course):
    response = post(login(world.caseworker), course, "member", {
        "name": "Lille Sofie", "relation": "child", "influence": "supportive",
        "under_18": "on", "involvement_consent_on": "2026-06-10"}, htmx=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Børn under 18 år inddrages ikke som pårørende" in text
    assert 'id="trin-netvaerksperson"' in text and "<html" not in text
    assert not NetworkMember.objects.exists()


def test_invalid_without_htmx_is_the_whole_page_400(world, login, course):
    response = post(login(world.caseworker), course, "consent", {
        "party": "naboen", "given_on": "2026-06-10"})
    assert response.status_code == 400
    assert "Ukendt part" in response.content.decode()
    assert not Consent.objects.exists()


def test_valid_until_before_given_on_shown_on_the_field(world, login, course):
    response = post(login(world.caseworker), course, "consent", {
        "party": "gp", "scope": "Status", "given_on": "2026-06-10",
        "valid_until": "2026-06-09"}, htmx=True)
    assert "kan ikke udløbe, før det er givet" in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_saved_with_htmx_swaps_the_case_body(world, login, course):
    response = post(login(world.caseworker), course, "consent", {
        "party": "gp", "scope": "Status", "given_on": "2026-06-10"}, htmx=True)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#case-body"
    assert "Samtykke er gemt" in response.content.decode()
    assert Consent.objects.get().party == "gp"


def test_withdraw_and_disclosure_through_the_page(world, login, course):
    client = login(world.caseworker)
    c = ConsentFactory(course=course, party="gp", given_on=D(2026, 6, 1))
    assert post(client, course, "disclosure", {"party": "gp", "disclosed_on": "2026-06-15",
                                               "content": "Status"}).status_code == 302
    assert post(client, course, "withdraw", {"consent": c.pk}).status_code == 302
    assert Consent.objects.get().withdrawn_on == D(2026, 6, 15)
    response = post(client, course, "disclosure", {"party": "gp", "disclosed_on": "2026-06-15",
                                                   "content": "Mere"}, htmx=True)
    assert "intet samtykke i kraft" in response.content.decode()
    assert Disclosure.objects.count() == 1
    # Nothing left to withdraw: the step is gone (404 when posted anyway).
    assert post(client, course, "withdraw", {"consent": c.pk}).status_code == 404


def test_guardian_added_and_ended(world, login, course):
    client = login(world.caseworker)
    assert post(client, course, "guardian", {
        "name": "Advokat Berg", "contact": "22 33 44 55", "basis": "vml7",
        "from_on": "2026-02-01"}).status_code == 302
    g = Guardian.objects.get()
    assert post(client, course, "guardian_end", {"guardian": g.pk,
                                                 "ended_on": "2026-06-14"}).status_code == 302
    g.refresh_from_db()
    assert g.ended_on == D(2026, 6, 14)
    assert "Ophørt 14. juni 2026" in page(client, course)


def test_stale_version_is_a_form_error(world, login, course):
    client = login(world.caseworker)
    body = {"samtykke-version": 1, "samtykke-party": "gp", "samtykke-scope": "Status",
            "samtykke-given_on": "2026-06-10"}
    Course.objects.filter(pk=course.pk).update(version=5)
    response = client.post(reverse("network:consent", args=[course.pk]), body,
                           HTTP_HX_REQUEST="true")
    assert "ændret af en anden" in response.content.decode()
    assert not Consent.objects.exists()


def test_new_consent_reopens_declined_follow_ups_via_the_page(world, login, course):
    from forlob.treatment import services as treatment_services

    req = _req(world.caseworker)
    course = start(world, req, course)
    discharge(req, course)
    treatment_services.decline_follow_up(req, Course.objects.get(pk=course.pk), D(2026, 6, 15))
    client = login(world.caseworker)
    response = post(client, course, "consent", {"party": "after_discharge", "scope": "Kontakt",
                                                "given_on": "2026-06-15"}, htmx=True)
    assert "2 afslået opfølgning er genåbnet" in response.content.decode()
    assert not FollowUp.objects.filter(declined_on__isnull=False).exists()


def test_out_of_scope_and_non_writers_get_404(world, login, course):
    from .factories import ReferralFactory

    outsider_course = open_course(world, _req(world.caseworker))
    Course.objects.filter(pk=outsider_course.pk).update(citizen=world.outsider,
                                                        acting_municipality=world.muni3)
    ReferralFactory(citizen=world.outsider, provider=world.provider2,
                    referred_on=D(2026, 2, 1))
    valid = {"party": "gp", "scope": "Status", "given_on": "2026-06-10"}
    client = login(world.caseworker)
    assert post(client, outsider_course, "consent", valid).status_code == 404
    assert client.get(reverse("pathway:case", args=[outsider_course.pk])).status_code == 404
    # In scope but may not write (course not started at the clinician's provider): 404 too.
    clinician = login(world.clinician)
    assert post(clinician, course, "consent", valid).status_code == 404
    assert 'id="trin-samtykke"' not in page(clinician, course)
    assert post(login(world.coordinator), course, "consent", valid).status_code == 404
    assert not Consent.objects.exists()
    # the same body is accepted from a writer, so the refusals above were not bad input
    assert post(login(world.caseworker), course, "consent", valid).status_code == 302
    assert Consent.objects.get().course_id == course.pk


def test_anonymous_course_offers_consents_only(world, login):
    from forlob.pathway import services as pathway_services
    from forlob.pathway.models import Contact

    from .factories import AnonymousCitizenFactory

    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    course = pathway_services.open_course(_req(world.caseworker), anon, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="drugs", asks="treatment"),
        tracks=["sel101a"])
    text = page(login(world.caseworker), course)
    assert 'id="trin-samtykke"' in text and 'id="trin-netvaerksperson"' not in text
