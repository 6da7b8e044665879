"""The treatment section of the case page (issue 4): forms posting to
/forloeb/<course_id>/behandling/..., scoping (404), audit, the worklist rows."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob import clock
from forlob.accounts.models import Role
from forlob.audit.models import AuditEvent
from forlob.pathway.models import Course
from forlob.treatment.models import Discharge, FollowUp, PlanGoal, Review, TreatmentPlan

from .factories import make_user
from .test_treatment_services import _req, discharge, plan, start

D = dt.date
PREFIX = {"plan": "behandlingsplan", "review": "opfoelgning-plan", "discharge": "udskrivning",
          "decline": "afslaa-opfoelgning", "outcome": "opfoelgning-udfald",
          "new_request": "ny-anmodning"}


@pytest.fixture
def started(world):
    from forlob.pathway import services as pathway_services
    from forlob.pathway.models import Contact

    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    return start(world, req, course)


def post(client, course, key, data, htmx=False):
    version = Course.objects.get(pk=course.pk).version
    body = {f"{PREFIX[key]}-{k}": v for k, v in {"version": version, **data}.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(f"treatment:{key}", args=[course.pk]), body, **headers)


PLAN = {"agreed_on": "2026-06-11", "content": "Samtaler hver uge",
        "goal_1_text": "Jeg vil ikke drikke", "goal_1_type": "ophoer",
        "goal_1_domain": "intoxicants"}

DISCHARGE = {"discharged_on": "2026-06-15", "reason": "faerdigbehandlet", "use_status": "ophoert",
             "housing": "egen", "means_of_support": "loen", "status_text": "Godt forløb"}


def test_case_page_shows_section_and_plan_form(world, login, started):
    page = login(world.clinician).get(reverse("pathway:case", args=[started.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Behandling" in text and 'id="trin-behandlingsplan"' in text
    assert "Behandlingsplan" in text and "14 dage tilbage" not in text  # plan due 24 June
    assert "9 dage tilbage" in text


def test_clinician_writes_plan_audited(world, login, started):
    client = login(world.clinician)
    before = AuditEvent.objects.filter(citizen_id=world.citizen.pk).count()
    response = post(client, started, "plan", PLAN)
    assert response.status_code == 302
    p = TreatmentPlan.objects.get(course=started)
    assert p.goals.get().text == "Jeg vil ikke drikke" and p.recorded_by == world.clinician
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     user_id=world.clinician.pk).exists()
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk).count() > before


def test_plan_without_goals_shows_danish_error(world, login, started):
    data = {k: v for k, v in PLAN.items() if not k.startswith("goal_")}
    response = post(login(world.caseworker), started, "plan", data)
    assert response.status_code == 400
    assert "En behandlingsplan skal have mindst ét mål." in response.content.decode()
    assert not TreatmentPlan.objects.exists() and not PlanGoal.objects.exists()


def test_goal_without_type_refused_by_form(world, login, started):
    data = {**PLAN, "goal_1_type": ""}
    response = post(login(world.caseworker), started, "plan", data, htmx=True)
    assert response.status_code == 200 and "Vælg en måltype." in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_stale_version_refused(world, login, started):
    client = login(world.caseworker)
    body = {f"behandlingsplan-{k}": v for k, v in {**PLAN, "version": 1}.items()}
    response = client.post(reverse("treatment:plan", args=[started.pk]), body)
    assert response.status_code == 400 and "Genindlæs siden" in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_review_before_start_is_not_offered(world, login):
    from forlob.pathway import services as pathway_services
    from forlob.pathway.models import Contact

    course = pathway_services.open_course(_req(world.caseworker), world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"))
    client = login(world.caseworker)
    for key in ("plan", "review", "discharge"):
        assert post(client, course, key, {}).status_code == 404
    page = client.get(reverse("pathway:case", args=[course.pk])).content.decode()
    assert "registreres, når behandlingen er iværksat" in page


def test_review_with_audit_through_the_view(world, login, started):
    p = plan(_req(world.clinician), started)
    response = post(login(world.clinician), started, "review", {
        "held_on": "2026-06-14", "days_of_use_30": "3", "audit": "1,1,1,1,1,1,1,1,0,0",
        f"goal_{p.goals.get().pk}": "partly"})
    assert response.status_code == 302
    review = Review.objects.get(course=started)
    assert review.days_of_use_30 == 3 and review.goal_statuses.get().status == "partly"
    assert started.screenings.get().total == 8


def test_discharge_then_follow_ups_on_the_worklist(world, login, started):
    client = login(world.caseworker)
    response = post(client, started, "discharge", DISCHARGE)
    assert response.status_code == 302
    assert list(FollowUp.objects.values_list("due", flat=True).order_by("number")) == [
        D(2026, 7, 15), D(2026, 12, 15)]
    with clock.frozen(D(2026, 7, 16)):
        page = login(world.clinician).get(reverse("treatment:worklist")).content.decode()
        caseworker_page = login(world.caseworker).get(
            reverse("pathway:worklist")).content.decode()
    # The discharging provider follows up by default (issue 4 item 8): the clinician's list.
    assert "Opfølgning 1 måned efter udskrivning" in page
    assert "Opfølgning 6 måneder efter udskrivning" in page
    assert "1 dag over fristen" in page
    assert "Opfølgning 1 måned efter udskrivning" not in caseworker_page


def test_outcome_not_maintained_prompts_and_decline(world, login, started):
    discharge(_req(world.caseworker), started)
    client = login(world.clinician)
    task = started.follow_ups.get(number=1)
    with clock.frozen(D(2026, 7, 15)):
        response = post(client, started, "outcome", {
            "follow_up": task.pk, "held_on": "2026-07-15", "reached": "ja",
            "goal_maintained": "no", "use_status": "oeget"}, htmx=True)
        assert response.status_code == 200
        assert "tilbyd borgeren efterfølgende behandling" in response.content.decode()
        assert post(client, started, "decline", {"declined_on": "2026-07-15"}).status_code == 302
    assert FollowUp.objects.get(number=2).declined_on == D(2026, 7, 15)
    assert FollowUp.objects.get(number=1).declined_on is None


def test_outcome_on_declined_task_not_offered(world, login, started):
    discharge(_req(world.caseworker), started)
    client = login(world.caseworker)
    assert post(client, started, "decline", {"declined_on": "2026-06-15"}).status_code == 302
    task = started.follow_ups.get(number=1)
    response = post(client, started, "outcome", {"follow_up": task.pk, "held_on": "2026-06-15",
                                                 "reached": "nej"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.held_on is None


def test_new_request_from_follow_up_opens_new_course(world, login, started):
    discharge(_req(world.caseworker), started)
    task = started.follow_ups.get(number=2)
    with clock.frozen(D(2026, 12, 15)):
        response = post(login(world.caseworker), started, "new_request", {
            "follow_up": task.pk, "requested_on": "2026-12-15", "channel": "phone"})
    new = Course.objects.exclude(pk=started.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "pathway:case", args=[new.pk])
    assert new.requests.get().requested_on == D(2026, 12, 15)


@pytest.mark.parametrize("who", ["coordinator", "other_caseworker", "leader"])
def test_out_of_scope_or_not_writing_is_404(world, login, started, who):
    user = (make_user(Role.CASEWORKER, world.muni3, "fremmed") if who == "other_caseworker"
            else getattr(world, who))
    client = login(user)
    assert post(client, started, "plan", PLAN).status_code == 404
    assert post(client, started, "discharge", DISCHARGE).status_code == 404
    assert not TreatmentPlan.objects.exists() and not Discharge.objects.exists()
    assert not FollowUp.objects.exists()
    # the same bodies are accepted from a writer, so the refusals above were not bad input
    writer = login(world.caseworker)
    assert post(writer, started, "plan", PLAN).status_code == 302
    assert post(writer, started, "discharge", DISCHARGE).status_code == 302
    assert Discharge.objects.filter(course=started).exists()
