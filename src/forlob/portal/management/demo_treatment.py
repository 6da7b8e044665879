"""Demo of the course after treatment start (issue 4), for `load_demo`: Mette Sørensen's
course gets a plan written by the demo clinician, a review with AUDIT repeated, a no-show with
its outreach task, a consent and a network person; her earlier course was discharged as
completed, its first follow-up held, the second one due soon. Everything goes through the
services, as the clinician or the caseworker, with dates relative to today.

No journal notes in the demo: notes can never be deleted (they are append-only), and
`load_demo --reset` deletes the demo courses.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import RequestFactory

from forlob.attendance import services as attendance
from forlob.attendance.models import Appointment
from forlob.network import services as network
from forlob.network.models import Consent, NetworkMember
from forlob.pathway import services as pathway
from forlob.pathway.models import Assessment, Contact, Decision, TreatmentStart
from forlob.treatment import services as treatment
from forlob.treatment.models import Discharge, Method, PlanGoal, Review, TreatmentPlan

AUDIT_LATER = [1, 1, 1, 0, 0, 0, 1, 0, 0, 0]


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.path = request.path_info = "manage.py load_demo"  # where the facts came from
    return request


def _reload(course):
    return type(course).objects.get(pk=course.pk)


def extend_started(course, clinician_name, today):
    """Plan, review, a no-show and a consent on a course started recently (stage d)."""
    clinician = get_user_model().objects.get(username=clinician_name)
    req = _request(clinician)
    started = course.start.started_on
    plan = treatment.add_plan(req, course, TreatmentPlan(
        agreed_on=started, content="Individuelle samtaler to gange om ugen og et gruppeforløb "
        "om tilbagefald.", methods="Samtalerne følger KAT-manualen; MI i den første måned.",
        expected_duration="3 måneder", intensity="ambulant",
        relapse_prevention="Genkende situationer med trang; ringe til behandleren."), [
        PlanGoal(text="Jeg vil være helt stoffri.", goal_type="ophoer",
                 need_domain="intoxicants"),
        PlanGoal(text="Jeg vil have betalt huslejen af.", goal_type="bolig",
                 need_domain="housing")],
        Method.objects.filter(name__in=["Motiverende Interview (MI)",
                                        "Kognitiv adfærdsterapi (KAT)"]))
    course = _reload(course)
    network.give_consent(req, course, Consent(
        party="provider_municipality", scope="Behandlingsplan, status og fremmøde.",
        given_on=started))
    course = _reload(course)
    network.add_member(req, course, NetworkMember(
        name="Søsteren Lise", relation="sibling", influence="supportive",
        involvement_consent_on=started))
    course = _reload(course)
    treatment.add_review(req, course, Review(held_on=today, days_of_use_30=2,
                                             notes="Godt i gang."),
                         {g.pk: "partly" for g in plan.goals.all()},
                         [("audit", AUDIT_LATER, today)])
    course = _reload(course)
    attendance.record_appointment(req, course, Appointment(
        held_on=today - dt.timedelta(days=1), kind="samtale", attendance="no_show"))


def earlier_course(caseworker, clinician_name, citizen, provider, today, demo_domains):
    """A course discharged as completed about five months ago: follow-up 1 held, follow-up 2
    due in a few weeks (bek. 1477 § 4), on the clinician's worklist."""
    req = _request(caseworker)
    clinician = _request(get_user_model().objects.get(username=clinician_name))
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    course = pathway.open_course(req, citizen, Contact(
        received_on=day(300), channel="phone", substances="drugs", asks="treatment"),
        tracks=["sel101"])
    assessment = pathway.record_assessment(req, course, Assessment(
        done_on=day(295), instrument="voksenmap", instrument_on=day(295),
        domains=demo_domains(intoxicants="Dagligt forbrug af cannabis."), feedback_on=day(295),
        children_at_home=False, pregnancy=False))
    pathway.decide(req, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=day(293),
        proposal_focus="Stoppe forbruget.", proposal_goals="Stoffri.", provider=provider,
        intensity="ambulant", told_free_choice=True))
    pathway.start_treatment(req, course, TreatmentStart(
        started_on=day(290), enrolled_on=day(290), provider=provider))
    course = _reload(course)
    treatment.add_plan(clinician, course, TreatmentPlan(agreed_on=day(288),
                       content="Ambulante samtaler."),
                       [PlanGoal(text="Stoffri.", goal_type="ophoer",
                                 need_domain="intoxicants")])
    course = _reload(course)
    treatment.discharge(clinician, course, Discharge(
        discharged_on=day(160), reason="faerdigbehandlet", use_status="ophoert",
        housing="egen", means_of_support="overfoersel", status_text="Målet er nået."))
    course = _reload(course)
    first = course.follow_ups.get(number=1)
    treatment.record_follow_up_outcome(clinician, course, first, first.due, True, "yes",
                                       "ophoert")
