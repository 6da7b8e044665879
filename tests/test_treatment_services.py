"""Treatment services (issue 4): plan, review, discharge and follow-up - the happy path, and
each bad input refused with nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from forlob import clock
from forlob.audit.models import AuditEvent
from forlob.locking import StaleRecord
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision, ScreeningResult, TreatmentStart
from forlob.treatment import services
from forlob.treatment.clocks import open_items
from forlob.treatment.models import (
    Discharge,
    FollowUp,
    PlanGoal,
    Review,
    ReviewGoalStatus,
    TreatmentPlan,
)

from .test_pathway_services import _assessment

D = dt.date
STARTED_ON, AGREED_ON, DISCHARGED_ON = D(2026, 6, 10), D(2026, 6, 11), D(2026, 6, 15)


def _req(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def req(world):
    return _req(world.caseworker)


@pytest.fixture
def course(world, req):
    """A course opened on 1 June; not started."""
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="alcohol",
                      asks="treatment")
    return pathway_services.open_course(req, world.citizen, contact, tracks=["sel101"])


def start(world, req, course, day=STARTED_ON):
    assessment = pathway_services.record_assessment(req, course, _assessment(D(2026, 6, 5)))
    pathway_services.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=D(2026, 6, 5),
        proposal_focus="f", proposal_goals="g", provider=world.provider, intensity="ambulant"))
    pathway_services.start_treatment(req, course, TreatmentStart(
        started_on=day, enrolled_on=day, provider=world.provider))
    return Course.objects.get(pk=course.pk)


@pytest.fixture
def started(world, req, course):
    return start(world, req, course)


def goal(text="Jeg vil stoppe med at drikke", kind="ophoer", domain="intoxicants"):
    return PlanGoal(text=text, goal_type=kind, need_domain=domain)


def plan(request, course, day=AGREED_ON, goals=None):
    return services.add_plan(request, course, TreatmentPlan(agreed_on=day, content="Samtaler"),
                             [goal()] if goals is None else goals)


def discharge(request, course, reason="faerdigbehandlet", day=DISCHARGED_ON):
    return services.discharge(request, course, Discharge(
        discharged_on=day, reason=reason, use_status="ophoert", housing="egen",
        means_of_support="loen", status_text="Forløbet gik godt."))


def test_happy_path_plan_review_discharge(world, req, started):
    clinician = _req(world.clinician)  # the provider the citizen is referred to at start
    p = plan(clinician, started, goals=[goal(), goal("Bo i egen bolig", "bolig", "housing")])
    assert (p.number, p.goals.count(), p.recorded_by) == (1, 2, world.clinician)
    second = plan(clinician, started, day=D(2026, 6, 12))
    assert second.number == 2 and services.current_plan(started) == second
    review = services.add_review(
        clinician, started, Review(held_on=D(2026, 6, 14), days_of_use_30=4),
        {second.goals.get().pk: "partly"}, [("audit", [1] * 8 + [0, 0], D(2026, 6, 14))])
    assert review.plan == second
    assert ReviewGoalStatus.objects.get(review=review).status == "partly"
    assert ScreeningResult.objects.get(course=started).total == 8
    d, prompts = discharge(clinician, started)
    assert d.reason == "faerdigbehandlet" and prompts == []
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     user_id=world.clinician.pk).count() == 4


def test_plan_without_goals_refused(req, started):
    with pytest.raises(ValidationError) as exc:
        plan(req, started, goals=[])
    assert "mindst ét mål" in str(exc.value)
    for bad in (goal(text="  "), goal(domain="unknown")):
        with pytest.raises(ValidationError):
            plan(req, started, goals=[bad])
    assert not TreatmentPlan.objects.exists() and not PlanGoal.objects.exists()


def test_plan_before_start_refused(req, course):
    with pytest.raises(ValidationError) as exc:
        plan(req, course)
    assert "ikke iværksat" in str(exc.value)
    assert not TreatmentPlan.objects.exists()


def test_plan_dated_before_start_refused(req, started):
    with pytest.raises(ValidationError) as exc:
        plan(req, started, day=D(2026, 6, 9))
    assert "før behandlingens start" in str(exc.value)


def test_review_before_start_refused(req, course):
    with pytest.raises(ValidationError) as exc:
        services.add_review(req, course, Review(held_on=D(2026, 6, 14)), {})
    assert "før behandlingen er iværksat" in str(exc.value)
    assert not Review.objects.exists()


def test_review_needs_status_for_every_goal_and_saves_nothing(req, started):
    p = plan(req, started, goals=[goal(), goal("Arbejde", "arbejde", "work")])
    first = p.goals.first()
    with pytest.raises(ValidationError):
        services.add_review(req, started, Review(held_on=D(2026, 6, 14)), {first.pk: "achieved"})
    with pytest.raises(ValidationError):  # a bad AUDIT answer: no review, no screening
        services.add_review(req, started, Review(held_on=D(2026, 6, 14)),
                            {g.pk: "achieved" for g in p.goals.all()},
                            [("audit", [9] * 10, D(2026, 6, 14))])
    with pytest.raises(ValidationError):
        services.add_review(req, started, Review(held_on=D(2026, 6, 14), days_of_use_30=31),
                            {g.pk: "achieved" for g in p.goals.all()})
    assert not Review.objects.exists() and not ScreeningResult.objects.exists()


def test_discharge_before_start_refused(req, course):
    with pytest.raises(ValidationError) as exc:
        discharge(req, course)
    assert "før behandlingen er iværksat" in str(exc.value)
    assert not Discharge.objects.exists() and not FollowUp.objects.exists()


def test_double_discharge_refused(req, started):
    discharge(req, started)
    with pytest.raises(ValidationError):
        discharge(req, started)
    assert FollowUp.objects.count() == 2


@pytest.mark.parametrize(("discharged", "dues"), [
    (D(2026, 6, 15), [D(2026, 7, 15), D(2026, 12, 15)]),
    (D(2027, 1, 31), [D(2027, 2, 28), D(2027, 7, 31)]),
    (D(2028, 1, 31), [D(2028, 2, 29), D(2028, 7, 31)]),  # leap year
    (D(2026, 8, 31), [D(2026, 9, 30), D(2027, 2, 28)]),
])
def test_follow_up_due_dates_fixed_at_discharge(req, started, discharged, dues):
    with clock.frozen(discharged):
        discharge(req, started, day=discharged)
    assert list(started.follow_ups.order_by("number").values_list("due", flat=True)) == dues


@pytest.mark.parametrize(("reason", "creates"), [
    ("faerdigbehandlet", True), ("andet_tilbud", True), ("hospital", True), ("anden", True),
    ("flyttet", False), ("oensker_stop", False), ("bortvist", False), ("udeblevet", False),
    ("doed", False),
])
def test_only_the_laws_reasons_create_follow_ups(req, started, reason, creates):
    _d, prompts = discharge(req, started, reason=reason)
    assert started.follow_ups.count() == (2 if creates else 0)
    unplanned = reason in ("bortvist", "udeblevet", "anden")
    assert ("outreach_contact" in prompts) == unplanned


def test_declining_closes_both_follow_ups(req, started):
    discharge(req, started)
    services.decline_follow_up(req, started, D(2026, 6, 15))
    assert list(started.follow_ups.values_list("declined_on", flat=True)) == [D(2026, 6, 15)] * 2
    assert not services.open_follow_ups(started).exists()
    with pytest.raises(ValidationError):  # nothing left to decline
        services.decline_follow_up(req, started, D(2026, 6, 15))


def test_outcome_on_declined_task_refused(req, started):
    discharge(req, started)
    services.decline_follow_up(req, started, D(2026, 6, 15))
    task = started.follow_ups.get(number=1)
    with clock.frozen(D(2026, 7, 15)):
        with pytest.raises(ValidationError) as exc:
            services.record_follow_up_outcome(req, started, task, D(2026, 7, 15), True, "yes",
                                              "ophoert")
    assert "takket nej" in str(exc.value)
    task.refresh_from_db()
    assert task.held_on is None and task.reached is None


def test_outcome_not_maintained_prompts_follow_on_treatment(req, started):
    discharge(req, started)
    task = started.follow_ups.get(number=1)
    with clock.frozen(D(2026, 7, 14)):
        prompts = services.record_follow_up_outcome(req, started, task, D(2026, 7, 14), True,
                                                    "no", "oeget", "Henvist til egen læge")
        assert [r.clock.name for r in open_items(started)] == ["follow_up_2"]
    assert prompts == ["follow_on_treatment"]
    task.refresh_from_db()
    assert (task.reached, task.goal_maintained) == (True, "no")
    with clock.frozen(D(2026, 7, 14)), pytest.raises(ValidationError):
        services.record_follow_up_outcome(req, started, task, D(2026, 7, 14), True, "yes",
                                          "ophoert")


def test_new_request_at_follow_up_starts_a_new_clock(req, started):
    discharge(req, started)
    task = started.follow_ups.get(number=2)
    with clock.frozen(D(2026, 12, 15)):
        new = services.new_request_from_follow_up(req, started, task, D(2026, 12, 15), "phone")
        guarantee = {c.name: c for c in pathway_services.course_clocks(new)}["guarantee"]
    assert new.pk != started.pk and new.citizen_id == started.citizen_id
    assert pathway_services.first_request(new) == D(2026, 12, 15)
    assert guarantee.started == D(2026, 12, 15) and guarantee.status == "open"
    assert set(new.tracks.values_list("track", flat=True)) == {"sel101"}
    task.refresh_from_db()
    assert task.new_course == new
    with clock.frozen(D(2026, 12, 15)), pytest.raises(ValidationError):
        services.new_request_from_follow_up(req, started, task, D(2026, 12, 15), "phone")


def test_clinician_cannot_open_a_new_course(world, started):
    discharge(_req(world.caseworker), started)
    task = started.follow_ups.get(number=1)
    with pytest.raises(PermissionDenied):
        services.new_request_from_follow_up(_req(world.clinician), started, task,
                                            D(2026, 6, 15), "phone")
    assert Course.objects.count() == 1


def test_who_may_write(world, started, course):
    assert services.can_write(world.caseworker, started)
    assert services.can_write(world.clinician, started)
    for user in (world.leader, world.coordinator, world.admin):
        assert not services.can_write(user, started)
        with pytest.raises(PermissionDenied):
            plan(_req(user), started)


def test_stale_version_refused_and_nothing_saved(req, started):
    started.version -= 1
    with pytest.raises(StaleRecord):
        plan(req, started)
    assert not TreatmentPlan.objects.exists() and not PlanGoal.objects.exists()


def test_open_items_plan_then_review(req, started):
    items = open_items(started)
    assert [(r.clock.name, r.clock.due) for r in items] == [("plan", D(2026, 6, 24))]
    plan(req, started, day=D(2026, 6, 11))
    services.add_review(req, started, Review(held_on=D(2026, 6, 14)),
                        {g.pk: "partly" for g in services.current_plan(started).goals.all()})
    assert [(r.clock.name, r.clock.due) for r in open_items(started)] == [
        ("review", D(2026, 9, 14))]
    with clock.frozen(D(2026, 9, 20)):
        row = open_items(started)[0]
        assert row.overdue and row.label == "Opfølgning på behandlingsplanen"
