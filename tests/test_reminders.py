"""Reminder e-mails before deadlines (issue 3 item 10): 3 and 1 day before, overdue, each once,
one e-mail per responsible caseworker, and no CPR number or name in any e-mail."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from forlob import clock
from forlob.accounts.models import Role
from forlob.pathway import reminders, services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Assessment, Contact, ReminderSent

from .factories import CitizenFactory, make_user

D = dt.date
REQUESTED = D(2026, 6, 10)  # guarantee, assessment and decision all due 24 June 2026
DUE = D(2026, 6, 24)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def open_course(user, citizen, requested=REQUESTED, tracks=("sel101",)):
    contact = Contact(received_on=requested, channel="phone", substances="drugs",
                      asks="treatment")
    return services.open_course(_request(user), citizen, contact, tracks=list(tracks))


@pytest.fixture
def course(world):
    return open_course(world.caseworker, world.citizen)


def run(day, **kwargs):
    with clock.frozen(day):
        call_command("send_reminders", stdout=_Sink(), **kwargs)


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_stage_thresholds():
    assert reminders.stage_for(4) is None
    assert reminders.stage_for(3) == "3"
    assert reminders.stage_for(2) == "3"  # a missed run catches up
    assert reminders.stage_for(1) == "1"
    assert reminders.stage_for(0) == "1"
    assert reminders.stage_for(-1) == "overdue"


def test_due_reminders_grouped_by_caseworker(world, course):
    assert reminders.due_reminders(D(2026, 6, 20)) == {}
    due = reminders.due_reminders(D(2026, 6, 21))
    assert list(due) == [world.caseworker]
    items = due[world.caseworker]
    assert {i.clock for i in items} == {"assessment", "decision", "guarantee"}
    assert all(i.due == DUE and i.days_left == 3 and i.stage == "3" for i in items)
    overdue = reminders.due_reminders(D(2026, 6, 26))[world.caseworker]
    assert all(i.stage == "overdue" and i.overdue_days == 2 for i in overdue)


def test_reminders_at_3_and_1_day_and_overdue_each_once(world, course, mailoutbox):
    run(D(2026, 6, 20))
    assert mailoutbox == []
    run(D(2026, 6, 21))  # 3 days before
    assert len(mailoutbox) == 1
    first = mailoutbox[0]
    assert first.to == [world.caseworker.email]
    assert f"F-{course.pk}" in first.body and "24.06.2026" in first.body
    assert "3 dage tilbage" in first.body and "Helhedsorienteret afdækning" in first.body
    run(D(2026, 6, 21))  # same day again: nothing new
    run(D(2026, 6, 22))  # 2 days before: the 3-day reminder is already sent
    assert len(mailoutbox) == 1
    run(D(2026, 6, 23))  # 1 day before
    assert len(mailoutbox) == 2 and "1 dag tilbage" in mailoutbox[1].body
    run(D(2026, 6, 24))  # due today: the 1-day reminder covered it
    assert len(mailoutbox) == 2
    run(D(2026, 6, 25))  # overdue
    assert len(mailoutbox) == 3 and "overskredet med 1 dag" in mailoutbox[2].body
    run(D(2026, 6, 26))
    run(D(2026, 7, 10))
    assert len(mailoutbox) == 3
    keys = set(ReminderSent.objects.filter(course=course).values_list("clock", flat=True))
    assert keys == {f"{c}:{s}" for c in ("assessment", "decision", "guarantee")
                    for s in ("3", "1", "overdue")}


def test_missed_run_catches_up(world, course, mailoutbox):
    run(D(2026, 6, 22))  # the job did not run on the 21st
    assert len(mailoutbox) == 1 and "2 dage tilbage" in mailoutbox[0].body


def test_no_cpr_and_no_name_in_emails(world, course, mailoutbox):
    run(D(2026, 6, 21))
    run(D(2026, 6, 25))
    assert len(mailoutbox) == 2
    cpr = world.citizen.reveal_cpr()
    for message in mailoutbox:
        text = message.subject + "\n" + message.body
        for secret in (cpr, f"{cpr[:6]}-{cpr[6:]}", world.citizen.first_name,
                       world.citizen.last_name, world.citizen.address,
                       str(world.citizen.public_id)):
            assert secret not in text
        assert f"F-{course.pk}" in text


def test_met_clocks_are_not_reminded(world, course, mailoutbox):
    services.record_assessment(_request(world.caseworker), course, Assessment(
        done_on=D(2026, 6, 12), instrument="europasi", instrument_on=D(2026, 6, 12),
        domains={k: {"findings": "fund"} for k, _ in DOMAINS},
        children_at_home=False, pregnancy=False))
    items = reminders.due_reminders(D(2026, 6, 21))[world.caseworker]
    assert {i.clock for i in items} == {"decision", "guarantee"}
    run(D(2026, 6, 21))
    body = mailoutbox[0].body
    assert "Helhedsorienteret afdækning" not in body and "Afgørelse" in body


def test_one_email_per_caseworker(world, course, mailoutbox):
    second = open_course(world.caseworker, CitizenFactory(residence_municipality=world.muni),
                         requested=D(2026, 6, 11))  # due 25 June: 1 day later
    colleague = make_user(Role.CASEWORKER, world.muni3, "kollega")
    other = open_course(colleague, CitizenFactory(residence_municipality=world.muni3))
    run(D(2026, 6, 22))
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert set(by_recipient) == {(world.caseworker.email,), (colleague.email,)}
    mine = by_recipient[(world.caseworker.email,)].body
    assert f"F-{course.pk}" in mine and f"F-{second.pk}" in mine and f"F-{other.pk}" not in mine
    theirs = by_recipient[(colleague.email,)].body
    assert f"F-{other.pk}" in theirs and f"F-{course.pk}" not in theirs


def test_caseworker_without_email_is_skipped_and_retried(world, course, mailoutbox):
    world.caseworker.email = ""
    world.caseworker.save()
    run(D(2026, 6, 21))
    assert mailoutbox == [] and not ReminderSent.objects.exists()
    world.caseworker.email = "ny@example.org"
    world.caseworker.save()
    run(D(2026, 6, 21))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ny@example.org"]


def test_dry_run_sends_and_records_nothing(course, mailoutbox):
    sink = _Sink()
    with clock.frozen(D(2026, 6, 21)):
        call_command("send_reminders", "--dry-run", stdout=sink)
    assert mailoutbox == [] and not ReminderSent.objects.exists()
    assert "would send 3 reminder(s) in 1 e-mail(s)" in sink.text


def test_custom_thresholds(course, mailoutbox):
    run(D(2026, 6, 17), days_before="7")
    assert len(mailoutbox) == 1 and "7 dage tilbage" in mailoutbox[0].body


# --- Treatment items after treatment start (issue 4 item 10) ---------------------------------

def _started(world, intensity="ambulant"):
    from .test_treatment_aftercare import started_course

    return started_course(world, intensity=intensity)  # started 10 June: plan due 24 June


def test_treatment_items_go_to_clinicians_and_caseworker(world, mailoutbox):
    course = _started(world, intensity="dogn")  # plan (clinician), supervision (caseworker)
    colleague = make_user(Role.CLINICIAN, world.provider, "kollega-behandler")
    elsewhere = make_user(Role.CLINICIAN, world.provider2, "andet-tilbud")
    run(D(2026, 6, 21))  # plan due 24 June: 3 days
    by_recipient = {tuple(m.to): m.body for m in mailoutbox}
    assert set(by_recipient) == {(world.clinician.email,), (colleague.email,)}
    for body in by_recipient.values():
        assert f"F-{course.pk}" in body and "Behandlingsplan" in body
        assert "3 dage tilbage" in body
    assert (elsewhere.email,) not in by_recipient
    # once: the next run sends nothing new, and the plan's 3-day reminder is recorded once
    run(D(2026, 6, 21))
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.filter(course=course, clock="plan:3").count() == 1
    # the supervision (due 10 September) goes to the caseworker only
    mailoutbox.clear()
    with clock.frozen(D(2026, 9, 8)):
        from forlob.pathway.models import Course
        from forlob.treatment.models import PlanGoal, TreatmentPlan
        from forlob.treatment.services import add_plan

        add_plan(_request(world.clinician), Course.objects.get(pk=course.pk), TreatmentPlan(
            agreed_on=D(2026, 9, 8), content="Plan"),
            [PlanGoal(text="Mål", goal_type="ophoer", need_domain="intoxicants")])
    run(D(2026, 9, 8))
    assert [m.to for m in mailoutbox] == [[world.caseworker.email]]
    assert "Personrettet tilsyn med døgnanbringelse" in mailoutbox[0].body


def test_treatment_reminders_hold_no_personal_data(world, mailoutbox):
    course = _started(world)
    run(D(2026, 6, 25))  # plan overdue
    assert mailoutbox
    cpr = world.citizen.reveal_cpr()
    for message in mailoutbox:
        text = message.subject + "\n" + message.body
        for secret in (cpr, world.citizen.first_name, world.citizen.last_name):
            assert secret not in text
        assert f"F-{course.pk}" in text and "overskredet med 1 dag" in text


def test_no_reminder_to_clinicians_after_the_referral_ended(world, mailoutbox):
    course = _started(world)
    from forlob.citizens.models import Referral

    assert Referral.objects.filter(citizen=world.citizen).update(ended_on=D(2026, 6, 20))
    run(D(2026, 6, 21))
    assert all(m.to != [world.clinician.email] for m in mailoutbox)
    assert not ReminderSent.objects.filter(course=course, clock="plan:3").exists()


def test_follow_up_reminders_follow_the_responsibility(world, mailoutbox):
    from forlob.pathway.models import Course
    from forlob.treatment.models import Discharge
    from forlob.treatment.services import discharge

    from .factories_standards import adopted

    course = _started(world)
    discharge(_request(world.caseworker), Course.objects.get(pk=course.pk), Discharge(
        discharged_on=D(2026, 6, 15), reason="faerdigbehandlet", use_status="ophoert",
        housing="egen", means_of_support="loen", status_text="Godt"))
    adopted(world.muni, follow_up_by="municipality")
    run(D(2026, 7, 14))  # follow-up 1 due 15 July
    assert [m.to for m in mailoutbox] == [[world.caseworker.email]]
    assert "Opfølgning 1 måned efter udskrivning" in mailoutbox[0].body
