"""The caseworker's pathway pages (issue 3): open a course, the case page with its clocks,
timeline and step forms (plain posts and htmx), the worklist, and scoping and audit of each."""

import datetime as dt
import re

import pytest
from django.test import RequestFactory

from forlob.audit.models import Action, AuditEvent
from forlob.citizens.models import Referral
from forlob.pathway import services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import (
    Assessment,
    Breach,
    Contact,
    CounsellingSession,
    Course,
    Decision,
    DoctorConsultation,
    FreeChoice,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)

from .factories import CitizenFactory, make_user
from .urlwalk import endpoints, fill

D = dt.date
REQUESTED = D(2026, 6, 5)
ASSESSED = D(2026, 6, 9)


def iso(day):
    return day.isoformat()


@pytest.fixture
def req(world):
    request = RequestFactory().post("/")
    request.user = world.caseworker
    return request


def open_course(req, citizen, requested_on=REQUESTED, tracks=("sel101",)):
    contact = Contact(received_on=requested_on, channel="phone", substances="drugs",
                      asks="treatment")
    return services.open_course(req, citizen, contact, tracks=list(tracks))


@pytest.fixture
def course(world, req):
    return open_course(req, world.citizen)


@pytest.fixture
def cw(world, login):
    return login(world.caseworker)


def fresh(course):
    return Course.objects.get(pk=course.pk)


def url(course, key=""):
    slugs = {"contact": "kontakt", "counselling": "raadgivning", "request": "anmodning",
             "tracks": "spor", "doctor": "laegesamtale", "assessment": "afdaekning",
             "screening": "screening", "decision": "afgoerelse", "free_choice": "frit-valg",
             "start": "ivaerksaettelse", "breach": "overskridelse"}
    return f"/forloeb/{course.pk}/" + (f"{slugs[key]}/" if key else "")


PREFIX = {"contact": "kontakt", "counselling": "raadgivning", "request": "anmodning",
          "tracks": "spor", "doctor": "laegesamtale", "assessment": "afdaekning",
          "screening": "screening", "decision": "afgoerelse", "free_choice": "frit-valg",
          "start": "ivaerksaettelse", "breach": "overskridelse"}


def post(client, course, key, data, version=None, htmx=False):
    """Post a step form with its prefix and the course version (current unless given)."""
    prefix = PREFIX[key]
    body = {f"{prefix}-{k}": v for k, v in data.items()}
    body[f"{prefix}-version"] = fresh(course).version if version is None else version
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url(course, key), body, **headers)


def assessment_data(**changes):
    data = {"done_on": iso(D(2026, 6, 9)), "instrument": "europasi",
            "instrument_on": iso(D(2026, 6, 9)), "children_at_home": "nej", "pregnancy": "nej"}
    for key, _label in DOMAINS:
        data[f"{key}_findings"] = f"Fund om {key}"
        data[f"{key}_resources"] = "Ressourcer"
        data[f"{key}_needs"] = "Behov"
    data.update(changes)
    return data


def audit_answers(values):
    return {f"audit_{n}": v for n, v in enumerate(values, 1)}


def decision_data(assessment, **changes):
    data = {"assessment": assessment.pk, "track": "sel101", "outcome": "delvis",
            "decided_on": iso(D(2026, 6, 10)), "proposal_focus": "Stabilt forbrug",
            "proposal_goals": "Fast bolig", "provider": "", "intensity": "ambulant",
            "reasons": "Dagbehandling er ikke nødvendig.", "services": "Samtaler"}
    data.update(changes)
    return data


def last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def text(response):
    return response.content.decode()


def record_assessment(req, course, day=ASSESSED):
    domains = {k: {"findings": "f", "resources": "", "needs": ""} for k, _ in DOMAINS}
    return services.record_assessment(req, fresh(course), Assessment(
        done_on=day, instrument="europasi", instrument_on=day, domains=domains,
        children_at_home=False, pregnancy=False))


# --- Opening a course from the citizen ---------------------------------------------------------

def test_citizen_page_lists_courses_and_offers_opening_one(world, cw, course, login):
    page = text(cw.get(f"/borgere/{world.citizen.public_id}/"))
    assert f'href="/forloeb/{course.pk}/"' in page
    assert f'href="/forloeb/ny/{world.citizen.public_id}/"' in page
    clinician_page = text(login(world.clinician).get(f"/borgere/{world.citizen.public_id}/"))
    assert "/forloeb/ny/" not in clinician_page


def test_open_course_first_contact(world, cw):
    path = f"/forloeb/ny/{world.citizen.public_id}/"
    page = cw.get(path)
    assert page.status_code == 200
    assert re.search(rf'<option value="{world.muni.pk}" selected>', text(page))
    assert AuditEvent.objects.filter(action=Action.VIEW, citizen_id=world.citizen.pk).exists()
    response = cw.post(path, {
        "received_on": "2026-06-10", "channel": "authority", "substances": "both",
        "asks": "treatment", "tracks": ["sel101", "sul142"], "duty_dispute": "on",
        "acting_municipality": world.muni.pk})
    course = Course.objects.get(citizen=world.citizen)
    assert response.status_code == 302 and response["Location"] == f"/forloeb/{course.pk}/"
    assert course.duty_dispute and course.caseworker == world.caseworker
    assert set(course.tracks.values_list("track", flat=True)) == {"sel101", "sul142"}
    assert services.first_request(course) == D(2026, 6, 10)
    assert course.contacts.get().channel == "authority"


def test_open_course_refuses_a_future_date(world, cw):
    response = cw.post(f"/forloeb/ny/{world.citizen.public_id}/", {
        "received_on": "2026-06-16", "channel": "phone", "substances": "drugs",
        "asks": "counselling", "acting_municipality": world.muni.pk})
    assert response.status_code == 400
    assert "Datoen ligger i fremtiden." in text(response)
    assert not Course.objects.exists()


def test_only_caseworkers_open_courses(world, login):
    for user in (world.clinician, world.leader, world.coordinator):
        client = login(user)
        assert client.get(f"/forloeb/ny/{world.citizen.public_id}/").status_code == 404
    # A caseworker cannot reach a citizen of another municipality either.
    client = login(world.caseworker)
    assert client.get(f"/forloeb/ny/{world.outsider.public_id}/").status_code == 404
    assert client.post(f"/forloeb/ny/{world.outsider.public_id}/", {}).status_code == 404


# --- The case page -----------------------------------------------------------------------------

def test_case_page_shows_header_clocks_timeline_and_is_audited(world, cw, course):
    before = last_event()
    response = cw.get(url(course))
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    assert "Karen Jensen" in page and world.citizen.masked_cpr in page
    assert world.citizen.reveal_cpr() not in page
    assert "Social stofmisbrugsbehandling (SEL § 101)" in page
    assert world.caseworker.get_full_name() in page
    # Request on 5 June: all clocks due 19 June, four days left (computed by the rules).
    assert page.count("4 dage tilbage") == 3 and "19. juni 2026" in page
    assert "Anmodning om behandling" in page and "Henvendelse" in page
    [event] = AuditEvent.objects.filter(pk__gt=before)
    assert (event.action, event.citizen_id) == (Action.VIEW, world.citizen.pk)
    assert (event.object_type, event.object_id) == ("pathway.Course", str(course.pk))


def test_case_page_forms_carry_the_version_and_labels(cw, course):
    page = text(cw.get(url(course)))
    assert f'name="kontakt-version" value="{course.version}"' in page
    for slug in ("kontakt", "raadgivning", "anmodning", "spor", "laegesamtale", "afdaekning",
                 "screening", "afgoerelse", "frit-valg", "ivaerksaettelse"):
        assert f'action="/forloeb/{course.pk}/{slug}/"' in page
        assert f'hx-post="/forloeb/{course.pk}/{slug}/"' in page
    assert "overskridelse/" not in page  # no clock is breached
    # Every input has a label; radio and checkbox groups sit in fieldsets with legends.
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', page))
    labels = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    hidden = set(re.findall(r'<input type="hidden"[^>]*id="([^"]+)"', page))
    assert ids - hidden - labels == set()
    assert "<legend" in page and 'style="' not in page and "<script>" not in page


def test_waived_guarantee_shows_waiting_days(world, req, cw, course):
    services.record_free_choice(req, fresh(course), FreeChoice(
        chosen_on=D(2026, 6, 6), provider=world.provider2))
    assert "ingen garanti – ventedage: 10" in text(cw.get(url(course)))


# --- Each step: happy path ---------------------------------------------------------------------

def test_contact_counselling_request_and_tracks(world, cw, course):
    version = course.version
    r = post(cw, course, "contact", {"received_on": "2026-06-08", "channel": "digital",
                                     "substances": "alcohol", "asks": "counselling"})
    assert r.status_code == 302 and r["Location"] == url(course)
    assert course.contacts.count() == 2 and fresh(course).version > version
    r = post(cw, course, "counselling", {"held_on": "2026-06-09", "outreach": "on",
                                         "other_needs": "Bolig"})
    assert r.status_code == 302
    assert CounsellingSession.objects.get(course=course).outreach is True
    r = post(cw, course, "request", {"requested_on": "2026-06-03", "channel": "written",
                                     "told_representation": "on", "told_doctor": "on",
                                     "told_free_choice": "on"})
    assert r.status_code == 302
    treq = TreatmentRequest.objects.get(course=course, requested_on=D(2026, 6, 3))
    assert treq.told_representation and treq.told_doctor and treq.told_free_choice
    assert services.first_request(course) == D(2026, 6, 3)  # the earliest request counts
    r = post(cw, course, "tracks", {"tracks": ["sel101", "sul141"]})
    assert r.status_code == 302
    assert set(course.tracks.values_list("track", flat=True)) == {"sel101", "sul141"}
    page = text(cw.get(url(course)))
    assert "Rådgivningssamtale" in page and "Alkoholbehandling (SUL § 141)" in page


def test_doctor_assessment_decision_start_and_worklist(world, cw, course):
    """The issue's end-to-end path through the forms; the course leaves the worklist at start."""
    assert f"/forloeb/{course.pk}/" in text(cw.get("/forloeb/arbejdsliste/"))
    r = post(cw, course, "doctor", {"offered_on": "2026-06-05", "accepted": "ja",
                                    "held_on": "2026-06-08", "findings": "Abstinenser"})
    assert r.status_code == 302
    assert DoctorConsultation.objects.get(course=course).accepted is True
    r = post(cw, course, "assessment", assessment_data(
        **audit_answers([2, 2, 2, 1, 1, 0, 1, 0, 2, 4]), audit_on="2026-06-09",
        **{f"dudit_{n}": 0 for n in range(1, 12)}))
    assert r.status_code == 302, text(r)
    assessment = Assessment.objects.get(course=course)
    assert assessment.domains["housing"]["findings"] == "Fund om housing"
    totals = dict(ScreeningResult.objects.filter(course=course)
                  .values_list("instrument", "total"))
    assert totals == {"audit": 15, "dudit": 0}
    page = text(cw.get(url(course)))
    assert "score 15, risikozone II" in page
    r = post(cw, course, "decision", decision_data(assessment, provider=world.provider.pk))
    assert r.status_code == 302, text(r)
    decision = Decision.objects.get(course=course)
    assert decision.outcome == "delvis"
    letter = f"/forloeb/{course.pk}/afgoerelser/{decision.pk}/brev/"
    page = text(cw.get(url(course)))
    assert f'href="{letter}"' in page and f'action="{letter}send/"' in page
    pdf = cw.get(letter)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    sent = cw.post(letter + "send/")
    assert sent.status_code == 302 and sent["Location"] == url(course)
    assert Decision.objects.get(pk=decision.pk).letter_sent_on == D(2026, 6, 15)
    assert f'action="{letter}send/"' not in text(cw.get(url(course)))
    r = post(cw, course, "start", {"started_on": "2026-06-12", "enrolled_on": "2026-06-12",
                                   "provider": world.provider.pk, "pre_treatment": "on"})
    assert r.status_code == 302, text(r)
    assert TreatmentStart.objects.get(course=course).pre_treatment
    assert Referral.objects.filter(citizen=world.citizen, referred_on=D(2026, 6, 12)).exists()
    page = text(cw.get(url(course)))
    assert "Behandling iværksat" in page and "ivaerksaettelse/" not in page
    page = text(cw.get("/forloeb/arbejdsliste/"))
    # Gone from the open deadlines; the treatment plan is now due (issue 4, second table).
    deadlines, treatment = page.split("<h2>Behandling og opfølgning</h2>")
    assert f"/forloeb/{course.pk}/" not in deadlines and f"/forloeb/{course.pk}/" in treatment


def test_screening_and_free_choice(world, cw, course):
    r = post(cw, course, "screening", {**audit_answers([4] * 8 + [4, 4]),
                                       "audit_on": "2026-06-10"})
    assert r.status_code == 302, text(r)
    assert ScreeningResult.objects.get(course=course).total == 40
    r = post(cw, course, "free_choice", {"chosen_on": "2026-06-07",
                                         "provider": world.provider2.pk})
    assert r.status_code == 302
    assert FreeChoice.objects.get(course=course).provider == world.provider2


def test_breach_form_appears_when_a_clock_is_breached(world, req, cw):
    course = open_course(req, world.citizen, requested_on=D(2026, 5, 20))
    page = text(cw.get(url(course)))
    assert "Registrér fristoverskridelse" in page and "dage over fristen" in page
    r = post(cw, course, "breach", {"clock": "guarantee", "reason": "capacity", "note": "Kø"})
    assert r.status_code == 302
    assert Breach.objects.get(course=course, clock="guarantee").reason == "capacity"
    page = text(cw.get(url(course)))
    assert "overskridelse registreret" in page
    assert 'name="overskridelse-clock"' in page  # assessment and decision are still breached
    assert '<option value="guarantee">' not in page


def test_complaint_route_follows_the_track(cw, course):
    page = text(cw.get(url(course)))
    assert 'id="klagevejledning"' in page and "Ankestyrelsen" in page
    alcohol = text(cw.get("/forloeb/klagevejledning/", {"afgoerelse-track": "sul141"},
                          HTTP_HX_REQUEST="true"))
    assert "kan ikke indbringes for anden administrativ myndighed" in alcohol
    assert "<html" not in alcohol
    medical = text(cw.get("/forloeb/klagevejledning/", {"spor": "sul142"}))
    assert "Styrelsen for Patientklager" in medical


def test_duty_to_notify_is_shown_for_children_or_pregnancy(cw, course):
    htmx = {"HTTP_HX_REQUEST": "true"}
    shown = text(cw.get("/forloeb/underretningspligt/", {"afdaekning-children_at_home": "ja",
                                                        "afdaekning-pregnancy": "nej"}, **htmx))
    assert "Skærpet underretningspligt" in shown and "<html" not in shown
    hidden = text(cw.get("/forloeb/underretningspligt/", {"afdaekning-children_at_home": "nej",
                                                         "afdaekning-pregnancy": "nej"}, **htmx))
    assert hidden.strip() == ""
    pregnant = text(cw.get("/forloeb/underretningspligt/", {"afdaekning-pregnancy": "ja"}))
    assert pregnant.count("<h1") == 1 and "familieambulatorium" in pregnant  # a whole page
    r = post(cw, course, "assessment", assessment_data(
        children_at_home="ja", children_count="2", children_ages="4 og 9", pregnancy="nej"))
    assert r.status_code == 302, text(r)
    page = text(cw.get(url(course)))
    assert "Afdækningen viser børn i hjemmet eller en graviditet" in page


# --- Bad input: a Danish message, nothing saved ------------------------------------------------

def test_future_date_refused(cw, course):
    r = post(cw, course, "counselling", {"held_on": "2026-06-16"})
    assert r.status_code == 400 and "Datoen ligger i fremtiden." in text(r)
    assert not CounsellingSession.objects.exists()


def test_start_before_request_refused(world, cw, course):
    r = post(cw, course, "start", {"started_on": "2026-06-03", "enrolled_on": "2026-06-05",
                                   "provider": world.provider.pk})
    assert r.status_code == 400
    assert "Datoen ligger før borgerens første anmodning." in text(r)
    assert not TreatmentStart.objects.exists()


def test_decision_without_assessment_refused(world, cw, course):
    data = decision_data(Assessment(pk=0), provider=world.provider.pk)
    data["assessment"] = ""
    r = post(cw, course, "decision", data)
    assert r.status_code == 400 and "En afgørelse skal bygge på en afdækning." in text(r)
    assert not Decision.objects.exists()


def test_refusal_without_reasons_refused(req, cw, course):
    assessment = record_assessment(req, course)
    r = post(cw, course, "decision", decision_data(assessment, outcome="afslag", reasons=""))
    assert r.status_code == 400 and "skal begrundes (forvaltningsloven § 22)" in text(r)
    assert not Decision.objects.exists()


def test_audit_value_out_of_range_refused(cw, course):
    r = post(cw, course, "assessment", assessment_data(**audit_answers([1] * 8 + [3, 0])))
    assert r.status_code == 400
    assert "spørgsmål 9 i AUDIT kan kun besvares med 0, 2 eller 4" in text(r)
    assert not Assessment.objects.exists() and not ScreeningResult.objects.exists()
    r = post(cw, course, "assessment", assessment_data(**audit_answers([1] * 5)))
    assert r.status_code == 400 and "Besvar alle 10 spørgsmål i AUDIT" in text(r)
    assert not Assessment.objects.exists()


def test_doctor_consultation_after_start_refused(world, req, cw, course):
    record_assessment(req, course, D(2026, 6, 6))
    services.decide(req, fresh(course), Decision(
        assessment=course.assessments.get(), track="sel101", outcome="bevilling",
        decided_on=D(2026, 6, 7), proposal_focus="f", proposal_goals="g",
        provider=world.provider, intensity="ambulant"))
    services.start_treatment(req, fresh(course), TreatmentStart(
        started_on=D(2026, 6, 8), enrolled_on=D(2026, 6, 8), provider=world.provider))
    r = post(cw, course, "doctor", {"offered_on": "2026-06-05", "accepted": "ja",
                                    "held_on": "2026-06-10"})
    assert r.status_code == 400 and "inden behandlingen iværksættes" in text(r)
    assert not DoctorConsultation.objects.exists()


def test_mandatory_assessment_questions(cw, course):
    data = assessment_data(housing_findings="")
    del data["children_at_home"]
    r = post(cw, course, "assessment", data)
    assert r.status_code == 400
    assert "Skriv fund for området." in text(r) and "Svar ja eller nej." in text(r)
    assert not Assessment.objects.exists()


def test_stale_version_refused(cw, course):
    loaded = fresh(course).version
    first = post(cw, course, "contact", {"received_on": "2026-06-08", "channel": "phone",
                                         "substances": "drugs", "asks": "counselling"},
                 version=loaded)
    assert first.status_code == 302
    second = post(cw, course, "counselling", {"held_on": "2026-06-09"}, version=loaded)
    assert second.status_code == 400
    assert "Sagen blev ændret af en anden" in text(second) and "Genindlæs siden" in text(second)
    assert not CounsellingSession.objects.exists()


# --- htmx --------------------------------------------------------------------------------------

def test_htmx_invalid_post_swaps_only_its_section(cw, course):
    r = post(cw, course, "counselling", {"held_on": "2026-06-16"}, htmx=True)
    assert r.status_code == 200
    body = text(r)
    assert body.lstrip().startswith('<section id="trin-raadgivning"')
    assert "Datoen ligger i fremtiden." in body and "<html" not in body
    assert not CounsellingSession.objects.exists()


def test_htmx_saved_post_swaps_the_case_body(cw, course):
    r = post(cw, course, "counselling", {"held_on": "2026-06-09"}, htmx=True)
    assert r.status_code == 200
    assert r["HX-Retarget"] == "#case-body" and r["HX-Reswap"] == "outerHTML"
    body = text(r)
    assert body.lstrip().startswith('<div id="case-body">')
    assert "Rådgivningssamtale er gemt." in body
    assert f'name="kontakt-version" value="{fresh(course).version}"' in body


# --- Worklist ----------------------------------------------------------------------------------

def test_worklist_sorts_by_due_date_and_flags_breaches(world, req, cw):
    other = CitizenFactory(residence_municipality=world.muni, first_name="Bo", last_name="Sen")
    late = open_course(req, other, requested_on=D(2026, 5, 25))  # due 8 June: overdue
    soon = open_course(req, world.citizen, requested_on=D(2026, 6, 10))  # due 24 June
    record_assessment(req, late, D(2026, 6, 1))
    before = last_event()
    response = cw.get("/forloeb/arbejdsliste/")
    assert response.status_code == 200
    page = text(response)
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)[1:]
    assert len(rows) == 5  # late: decision, guarantee; soon: assessment, decision, guarantee
    assert all(f"/forloeb/{late.pk}/" in r for r in rows[:2])
    assert all(f"/forloeb/{soon.pk}/" in r for r in rows[2:])
    assert "7 dage over fristen" in rows[0] and "Overskredet" in rows[0]
    assert "9 dage tilbage" in rows[2] and "Overskredet" not in rows[2]
    assert "Bo Sen" in page and "Karen Jensen" in page
    viewed = set(AuditEvent.objects.filter(pk__gt=before, action=Action.VIEW)
                 .values_list("citizen_id", flat=True))
    assert viewed == {other.pk, world.citizen.pk}


def test_worklist_leaves_out_started_courses_and_other_municipalities(world, req, cw, login):
    course = open_course(req, world.citizen)
    outsider_worker = make_user("caseworker", world.muni3, "faxe")
    services.open_course(_request(outsider_worker), world.outsider, Contact(
        received_on=D(2026, 6, 5), channel="phone", substances="drugs", asks="treatment"),
        tracks=["sel101"])
    page = text(cw.get("/forloeb/arbejdsliste/"))
    assert f"/forloeb/{course.pk}/" in page and "Udenfor" not in page
    record_assessment(req, course)
    services.decide(_request(world.caseworker), fresh(course), Decision(
        assessment=course.assessments.get(), track="sel101", outcome="bevilling",
        decided_on=D(2026, 6, 10), proposal_focus="f", proposal_goals="g",
        provider=world.provider, intensity="ambulant"))
    services.start_treatment(req, fresh(course), TreatmentStart(
        started_on=D(2026, 6, 12), enrolled_on=D(2026, 6, 12), provider=world.provider))
    page = text(cw.get("/forloeb/arbejdsliste/"))
    deadlines = page.split("<h2>Behandling og opfølgning</h2>")[0]  # issue 4: plan due there
    assert f"/forloeb/{course.pk}/" not in deadlines
    assert "Der er ingen åbne frister i dine forløb." in page


def test_worklist_lists_waived_courses_apart_and_filters_mine(world, req, cw, login):
    course = open_course(req, world.citizen)
    services.record_free_choice(req, fresh(course), FreeChoice(chosen_on=D(2026, 6, 6),
                                                               provider=world.provider2))
    page = text(cw.get("/forloeb/arbejdsliste/"))
    assert "Forløb uden garanti (frit valg)" in page and "ingen garanti – ventedage: 10" in page
    colleague = make_user("caseworker", world.muni, "kollega")
    mine = text(login(colleague).get("/forloeb/arbejdsliste/", {"vis": "mine"}))
    assert f"/forloeb/{course.pk}/" not in mine
    assert f"/forloeb/{course.pk}/" in text(login(colleague).get("/forloeb/arbejdsliste/"))


def test_worklist_is_the_caseworkers(world, login):
    for user in (world.clinician, world.leader, world.coordinator, world.admin):
        assert login(user).get("/forloeb/arbejdsliste/").status_code == 404
    page = text(login(world.caseworker).get("/"))
    assert 'href="/forloeb/arbejdsliste/"' in page


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


# --- Scoping ------------------------------------------------------------------------------------

def course_routes():
    return [e for e in endpoints() if "course_id" in e.kwargs and not e.is_api]


def test_out_of_scope_course_answers_404_on_every_route(world, login):
    outsider_course = services.open_course(
        _request(make_user("caseworker", world.muni3, "faxe")), world.outsider,
        Contact(received_on=D(2026, 6, 5), channel="phone", substances="drugs",
                asks="treatment"), tracks=["sel101"])
    routes = course_routes()
    assert len(routes) >= 12
    failures = []
    for role in ("caseworker", "clinician", "leader", "coordinator", "admin"):
        client = login(getattr(world, role))
        for e in routes:
            path = e.build(fill(e, world.outsider))
            assert path is not None and f"/{outsider_course.pk}/" in path
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                if status not in (404, 405):
                    failures.append(f"{role} {method} {path} -> {status}")
    assert failures == []
    assert fresh(outsider_course).version == outsider_course.version


def test_clinician_sees_the_case_read_only(world, login, course):
    client = login(world.clinician)
    response = client.get(url(course))
    assert response.status_code == 200
    page = text(response)
    assert "Karen Jensen" in page and "Frister" in page
    assert "<form" not in page.split('id="case-body"')[1]
    assert AuditEvent.objects.filter(user_id=world.clinician.pk, citizen_id=world.citizen.pk,
                                     action=Action.VIEW).exists()
    r = post(client, course, "counselling", {"held_on": "2026-06-09"})
    assert r.status_code == 404 and not CounsellingSession.objects.exists()
    # Without an active referral the course is out of the clinician's reach.
    Referral.objects.filter(citizen=world.citizen).update(ended_on=D(2026, 6, 1))
    assert client.get(url(course)).status_code == 404


def test_anonymous_person_course(world, cw):
    from .factories import AnonymousCitizenFactory

    anon = AnonymousCitizenFactory(acting_municipality=world.muni, pseudonym="Kragen")
    path = f"/forloeb/ny/{anon.public_id}/"
    page = text(cw.get(path))
    assert 'value="sel101a"' in page and 'value="sel101"' not in page
    base = {"received_on": "2026-06-10", "channel": "personal", "substances": "drugs",
            "asks": "treatment", "acting_municipality": world.muni.pk}
    refused = cw.post(path, {**base, "tracks": ["sel101"]})
    assert refused.status_code == 400 and not Course.objects.filter(citizen=anon).exists()
    assert cw.post(path, {**base, "tracks": ["sel101a"]}).status_code == 302
    course = Course.objects.get(citizen=anon)
    page = text(cw.get(url(course)))
    assert "Kragen" in page and "CPR-nummer" not in page
    assert "frit-valg/" not in page  # no free choice in § 101 a


def test_screening_follow_up_appears_on_case_page_and_worklist_until_started(world, login):
    """Retningslinje 3.8: the flagged screening is a follow-up on the worklist until begun."""
    import datetime as dt

    from django.test import RequestFactory
    from django.urls import reverse

    from forlob.pathway import services as svc
    from forlob.pathway.choices import DOMAINS
    from forlob.pathway.models import Assessment, Contact

    request = RequestFactory().post("/")
    request.user = world.caseworker
    course = svc.open_course(request, world.citizen, Contact(
        received_on=dt.date(2026, 6, 10), channel="phone", substances="drugs",
        asks="treatment"), tracks=["sel101"])
    svc.record_assessment(request, course, Assessment(
        done_on=dt.date(2026, 6, 12), instrument="europasi", instrument_on=dt.date(2026, 6, 12),
        domains={k: {"findings": "x"} for k, _l in DOMAINS}, children_at_home=False,
        pregnancy=False, screening_needed=True))
    client = login(world.caseworker)
    label = "<td>Specialiseret screening eller udredning påbegyndt</td>"  # the worklist row
    assert label in client.get(reverse("pathway:worklist")).content.decode()
    course.refresh_from_db()
    response = client.post(reverse("pathway:screening_start", args=[course.pk]), {
        "udredning-version": course.version, "udredning-started_on": "2026-06-14"})
    assert response.status_code in (200, 302)
    assert label not in client.get(reverse("pathway:worklist")).content.decode()
