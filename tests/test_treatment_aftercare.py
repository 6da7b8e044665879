"""Aftercare duties (issue 4 items 2, 5, 8, 9, 10): review interval per municipality and
track, a relapse bringing the review forward, personal supervision of a residential placement,
coordinating-plan meetings, follow-up responsibility, the worklists of caseworkers and
clinicians (service levels from the quality standard), and the measures chart."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from forlob import clock
from forlob.accounts.models import Role
from forlob.attendance.models import RelapseEvent
from forlob.audit.models import AuditEvent
from forlob.locking import StaleRecord
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision, TreatmentStart
from forlob.treatment import services, services_aftercare
from forlob.treatment.clocks import open_items
from forlob.treatment.measures import measure_charts, measure_points
from forlob.treatment.models import (
    CoordinatingMeeting,
    Discharge,
    PlanGoal,
    Review,
    SupervisionVisit,
    TreatmentPlan,
)
from forlob.treatment.rules import Party
from forlob.treatment.worklist import due_items, items_for

from .factories import make_user
from .factories_standards import adopted
from .test_pathway_services import _assessment

D = dt.date
AUDIT = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
STARTED, AGREED, DISCHARGED = D(2026, 6, 10), D(2026, 6, 11), D(2026, 6, 15)


def _req(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def started_course(world, intensity="ambulant", tracks=("sel101",), day=STARTED):
    if intensity not in world.provider.intensities:
        world.provider.intensities = [*world.provider.intensities, intensity]
        world.provider.save()
    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=list(tracks))
    assessment = pathway_services.record_assessment(req, course, _assessment(D(2026, 6, 5)))
    pathway_services.decide(req, course, Decision(
        assessment=assessment, track=tracks[0], outcome="bevilling", decided_on=D(2026, 6, 5),
        proposal_focus="f", proposal_goals="g", provider=world.provider, intensity=intensity,
        visitation_meeting_on=None if intensity == "ambulant" else D(2026, 6, 4)))
    pathway_services.start_treatment(req, course, TreatmentStart(
        started_on=day, enrolled_on=day, provider=world.provider))
    return Course.objects.get(pk=course.pk)


def add_plan(user, course, day=AGREED, coordinating=False):
    return services.add_plan(_req(user), course, TreatmentPlan(
        agreed_on=day, content="Samtaler", coordinating_plan=coordinating),
        [PlanGoal(text="Stoppe", goal_type="ophoer", need_domain="intoxicants")])


def fresh(course):
    return Course.objects.get(pk=course.pk)


@pytest.fixture
def course(world):
    return started_course(world)


@pytest.fixture
def residential(world):
    return started_course(world, intensity="dogn")


def names(course, today=None):
    return {r.clock.name: r.clock.due for r in open_items(fresh(course), today)}


# --- Review interval per municipality and track (item 2) ---------------------------------------

def test_review_default_every_three_months(world, course):
    add_plan(world.clinician, course)
    assert names(course)["review"] == D(2026, 9, 11)


def test_review_interval_configured_for_the_track(world):
    course = started_course(world, tracks=("sul141",))
    add_plan(world.clinician, course)
    adopted(world.muni, review_months_sul141=4)
    assert names(course)["review"] == D(2026, 10, 11)
    adopted(world.muni2, review_months_sul141=1)
    assert names(course)["review"] == D(2026, 10, 11)  # another municipality's setting


def test_several_tracks_the_shortest_interval(world):
    course = started_course(world, tracks=("sul141", "sul142"))
    add_plan(world.clinician, course)
    adopted(world.muni, review_months_sul141=4, review_months_sul142=2)
    assert names(course)["review"] == D(2026, 8, 11)


# --- Relapse makes a review due (item 5; retningslinje 3.10.3) ---------------------------------

def test_relapse_brings_the_review_forward(world, course):
    add_plan(world.clinician, course)
    RelapseEvent.objects.create(course=course, occurred_on=D(2026, 6, 13), kind="relapse")
    items = names(course)
    assert items["relapse"] == D(2026, 6, 27) and "review" not in items
    rows = open_items(fresh(course))
    assert rows[0].label.startswith("Opfølgning på behandlingsplanen efter")
    # a review after the relapse restores the regular interval
    plan = services.current_plan(course)
    services.add_review(_req(world.clinician), fresh(course), Review(held_on=D(2026, 6, 14)),
                        {g.pk: "partly" for g in plan.goals.all()})
    assert names(course) == {"review": D(2026, 9, 14)}


# --- Personal supervision of residential placements (item 9) -----------------------------------

def test_supervision_due_for_residential_only(world, course, residential):
    assert "supervision" not in names(course)
    assert names(residential)["supervision"] == D(2026, 9, 10)
    adopted(world.muni, supervision_months=2)
    assert names(residential)["supervision"] == D(2026, 8, 10)


def test_supervision_visit_recorded_and_restarts_interval(world, residential):
    visit = services_aftercare.add_supervision_visit(
        _req(world.caseworker), residential, SupervisionVisit(
            visited_on=D(2026, 6, 14), progression="Godt i gang", placement_fits=True))
    assert visit.pk and visit.recorded_by == world.caseworker
    assert names(residential)["supervision"] == D(2026, 9, 14)
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     user_id=world.caseworker.pk,
                                     object_id=str(visit.pk)).exists()
    assert fresh(residential).version == residential.version


@pytest.mark.parametrize(("visit", "field"), [
    (SupervisionVisit(visited_on=D(2026, 6, 20), progression="x", placement_fits=True),
     "visited_on"),
    (SupervisionVisit(visited_on=D(2026, 6, 1), progression="x", placement_fits=True),
     "visited_on"),
    (SupervisionVisit(visited_on=D(2026, 6, 12), progression="  ", placement_fits=True),
     "progression"),
    (SupervisionVisit(visited_on=D(2026, 6, 12), progression="x", placement_fits=None),
     "placement_fits"),
])
def test_bad_supervision_refused(world, residential, visit, field):
    with pytest.raises(ValidationError) as exc:
        services_aftercare.add_supervision_visit(_req(world.caseworker), residential, visit)
    assert field in exc.value.message_dict
    assert not SupervisionVisit.objects.exists()


def test_supervision_refused_when_not_residential_or_not_caseworker(world, course, residential):
    visit = SupervisionVisit(visited_on=D(2026, 6, 12), progression="x", placement_fits=True)
    with pytest.raises(ValidationError):
        services_aftercare.add_supervision_visit(_req(world.caseworker), course, visit)
    with pytest.raises(PermissionDenied):
        services_aftercare.add_supervision_visit(_req(world.clinician), residential, visit)
    assert not SupervisionVisit.objects.exists()


def test_stale_supervision_saves_nothing(world, residential):
    residential.version = 1  # loaded before the start
    with pytest.raises(StaleRecord):
        services_aftercare.add_supervision_visit(_req(world.caseworker), residential,
                                                 SupervisionVisit(visited_on=D(2026, 6, 12),
                                                                  progression="x",
                                                                  placement_fits=False))
    assert not SupervisionVisit.objects.exists()


# --- Coordinating-plan meetings (item 1; retningslinje 2.6.13) ---------------------------------

def test_coordinating_meetings_at_most_six_months_apart(world, course):
    add_plan(world.clinician, course, coordinating=True)
    assert names(course)["coordinating"] == D(2026, 12, 11)
    services_aftercare.add_coordinating_meeting(_req(world.clinician), fresh(course),
                                                CoordinatingMeeting(held_on=D(2026, 6, 14)))
    assert names(course)["coordinating"] == D(2026, 12, 14)


def test_coordinating_meeting_refused_without_coordinating_plan(world, course):
    with pytest.raises(ValidationError):
        services_aftercare.add_coordinating_meeting(
            _req(world.clinician), course, CoordinatingMeeting(held_on=D(2026, 6, 14)))
    add_plan(world.clinician, course)
    with pytest.raises(ValidationError):
        services_aftercare.add_coordinating_meeting(
            _req(world.clinician), fresh(course), CoordinatingMeeting(held_on=D(2026, 6, 14)))
    assert "coordinating" not in names(course)
    assert not CoordinatingMeeting.objects.exists()


# --- Follow-up responsibility and worklists (items 8, 10) --------------------------------------

def _discharge(world, course, day=DISCHARGED):
    services.discharge(_req(world.caseworker), fresh(course), Discharge(
        discharged_on=day, reason="faerdigbehandlet", use_status="ophoert", housing="egen",
        means_of_support="loen", status_text="Godt"))


def test_follow_ups_go_to_the_discharging_provider_by_default(world, course):
    _discharge(world, course)
    c = fresh(course)
    assert {r.clock.name for r in items_for(c, Party.CLINICIAN)} == {"follow_up_1",
                                                                     "follow_up_2"}
    assert items_for(c, Party.CASEWORKER) == []
    adopted(world.muni, follow_up_by="municipality")
    assert items_for(c, Party.CLINICIAN) == []
    assert {r.clock.name for r in items_for(c, Party.CASEWORKER)} == {"follow_up_1",
                                                                      "follow_up_2"}


def test_due_items_merge_attendance_rows(world, course):
    from forlob.attendance.models import NewDecisionRequest

    add_plan(world.clinician, course)
    NewDecisionRequest.objects.create(course=course, requested_on=D(2026, 6, 12))
    rows = due_items(fresh(course))
    assert [r.clock.name for r in rows] == sorted(
        [r.clock.name for r in rows], key=lambda n: {"new_decision": 0, "review": 1}[n])
    assert {r.clock.name for r in rows} == {"review", "new_decision"}
    assert [r.clock.name for r in items_for(fresh(course), Party.CLINICIAN)] == ["review"]


def test_clinician_worklist_page(world, login, course, residential):
    add_plan(world.clinician, course)
    client = login(world.clinician)
    with clock.frozen(D(2026, 9, 13)):
        page = client.get(reverse("treatment:worklist"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Opfølgning på behandlingsplanen" in text and "2 dage over fristen" in text
    assert "Personrettet tilsyn" not in text  # the caseworker's
    assert "Karen Jensen" in text or world.citizen.display_name in text
    assert AuditEvent.objects.filter(user_id=world.clinician.pk, citizen_id=world.citizen.pk,
                                     action="view").exists()
    # sorted by due date: the plan of the residential course (24 June) before the review
    assert text.index("Behandlingsplan<") < text.index("Opfølgning på behandlingsplanen<")


def test_clinician_worklist_scoped(world, login, course):
    other_provider_clinician = make_user(Role.CLINICIAN, world.provider2, "anden")
    page = login(other_provider_clinician).get(reverse("treatment:worklist"))
    assert page.status_code == 200 and world.citizen.display_name not in page.content.decode()
    assert login(world.caseworker).get(reverse("treatment:worklist")).status_code == 404
    assert login(world.coordinator).get(reverse("treatment:worklist")).status_code == 404


def test_caseworker_worklist_shows_supervision(world, login, residential):
    page = login(world.caseworker).get(reverse("pathway:worklist")).content.decode()
    assert "Personrettet tilsyn med døgnanbringelse" in page and "dage tilbage" in page


def test_nav_link_for_clinicians(world, login):
    page = login(world.clinician).get(reverse("portal:home")).content.decode()
    assert reverse("treatment:worklist") in page
    page = login(world.caseworker).get(reverse("portal:home")).content.decode()
    assert reverse("treatment:worklist") not in page


# --- Case page steps -----------------------------------------------------------------------

def _post(client, course, key, prefix, data):
    body = {f"{prefix}-{k}": v for k, v in {"version": fresh(course).version, **data}.items()}
    return client.post(reverse(f"treatment:{key}", args=[course.pk]), body)


def test_supervision_step_on_the_case_page(world, login, residential):
    client = login(world.caseworker)
    page = client.get(reverse("pathway:case", args=[residential.pk])).content.decode()
    assert 'id="trin-tilsyn"' in page
    response = _post(client, residential, "supervision", "tilsyn", {
        "visited_on": "2026-06-14", "progression": "Fremgang", "placement_fits": "nej"})
    assert response.status_code == 302
    assert SupervisionVisit.objects.get().placement_fits is False
    page = client.get(reverse("pathway:case", args=[residential.pk])).content.decode()
    assert "Fremgang" in page
    # a clinician does not get the step
    assert _post(login(world.clinician), residential, "supervision", "tilsyn", {
        "visited_on": "2026-06-14", "progression": "x", "placement_fits": "ja"}).status_code == 404
    assert SupervisionVisit.objects.count() == 1


def test_supervision_step_bad_input_400(world, login, residential):
    response = _post(login(world.caseworker), residential, "supervision", "tilsyn", {
        "visited_on": "2026-07-14", "progression": "x", "placement_fits": "ja"})
    assert response.status_code == 400 and "Datoen ligger i fremtiden." in \
        response.content.decode()
    assert not SupervisionVisit.objects.exists()


def test_coordinating_step(world, login, course):
    add_plan(world.clinician, course, coordinating=True)
    client = login(world.clinician)
    response = _post(client, course, "coordinating", "indsatsplan-moede",
                     {"held_on": "2026-06-13", "note": "Møde med psykiatrien"})
    assert response.status_code == 302
    assert CoordinatingMeeting.objects.get().note == "Møde med psykiatrien"


def test_not_residential_course_has_no_supervision_step(world, login, course):
    assert _post(login(world.caseworker), course, "supervision", "tilsyn", {
        "visited_on": "2026-06-14", "progression": "x", "placement_fits": "ja"}).status_code == 404
    assert not SupervisionVisit.objects.exists()


# --- Measures chart (item 2) ---------------------------------------------------------------

def _two_reviews(world, course):
    add_plan(world.clinician, course)
    goals = services.current_plan(course).goals.all()
    with clock.frozen(D(2026, 9, 20)):
        services.add_review(_req(world.clinician), fresh(course), Review(
            held_on=D(2026, 9, 10), days_of_use_30=12), {g.pk: "partly" for g in goals},
            [("audit", AUDIT, D(2026, 9, 10))])
        services.add_review(_req(world.clinician), fresh(course), Review(
            held_on=D(2026, 9, 20), days_of_use_30=4), {g.pk: "achieved" for g in goals},
            [("audit", [0] * 10, D(2026, 9, 20)), ("dudit", [0] * 11, D(2026, 9, 20))])


def test_measure_points_and_chart(world, course):
    _two_reviews(world, course)
    points = measure_points(fresh(course))
    audit_reviews = [(p.on, p.value, p.source) for p in points["audit"] if p.source == "review"]
    assert audit_reviews == [(D(2026, 9, 10), 8, "review"), (D(2026, 9, 20), 0, "review")]
    assert [(p.on, p.value) for p in points["days"]] == [(D(2026, 9, 10), 12),
                                                         (D(2026, 9, 20), 4)]
    charts = {c.key: c for c in measure_charts(fresh(course))}
    assert set(charts) == {"audit", "dudit", "days"}
    days = charts["days"]
    (a, b) = days.plotted
    assert a.x < b.x and a.y < b.y  # 12 days is higher up than 4 (SVG y grows downwards)
    assert days.polyline == f"{a.x},{a.y} {b.x},{b.y}"
    assert len(charts["dudit"].plotted) == 1


def test_chart_on_the_case_page(world, login, course):
    _two_reviews(world, course)
    with clock.frozen(D(2026, 9, 20)):
        page = login(world.clinician).get(reverse("pathway:case", args=[course.pk]))
    text = page.content.decode()
    assert "<svg" in text and 'role="img"' in text and "<polyline" in text
    assert "Dage med brug de seneste 30 dage" in text and "<caption>AUDIT-score</caption>" in text
    assert "style=" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<script" not in text.split('id="behandling"', 1)[1].split("</section>", 1)[0]
