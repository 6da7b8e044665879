"""Demo courses for `load_demo`: the Solrød caseworker's citizens at different stages of the
pathway (issue 3), so the worklist, the case page and the clocks have something to show.

Every date is relative to `clock.today()` on the day the demo is loaded, so a fresh demo
always has live clocks. Everything is recorded through forlob.pathway.services as the demo
caseworker, so the same validation and audit run as in the app. A citizen who already has a
course is skipped: running the command again creates nothing (a course keeps the dates of the
day it was created; `--reset` loads it afresh).
"""

import datetime as dt

from django.core.management.base import CommandError
from django.db.models import Q
from django.test import RequestFactory
from django.utils.translation import gettext as _

from forlob.audit.recorder import Action, record
from forlob.journal.models import JournalNote
from forlob.pathway import services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import (
    Assessment,
    Contact,
    CounsellingSession,
    Course,
    Decision,
    FreeChoice,
    TreatmentRequest,
    TreatmentStart,
)
from forlob.portal.management import demo_treatment
from forlob.treatment.models import Review

# Keys into load_demo's persons (CPR text or pseudonym); all act in Solrød.
LUKAS, ALI, JENS, METTE, CAMILLA = (
    "140509-4101", "210795-0103", "021171-0103", "120384-0100", "300190-0100")
SOMMERFUGL = "Sommerfugl"

CLINICIAN = "behandler"  # load_demo.USERS: the clinician at Misbrugscenter Køge

# Providers (names as in load_demo.PROVIDERS).
KOEGE_CENTRE = "Misbrugscenter Køge"
ROSKILDE = "Rusmiddelcenter Roskilde"

# AUDIT items 1-8 score 0-4, items 9-10 score 0, 2 or 4: total 14 (zone II).
AUDIT_ANSWERS = [3, 2, 2, 1, 1, 0, 1, 2, 2, 0]
# DUDIT items 1-9 score 0-4, items 10-11 score 0, 2 or 4: total 9.
DUDIT_ANSWERS = [2, 1, 1, 1, 0, 1, 0, 1, 0, 2, 0]


def _domains(**findings) -> dict:
    """The six assessment domains; a domain not named gets a neutral finding."""
    return {key: {"findings": findings.get(key, "Ingen særlige forhold."),
                  "resources": "", "needs": ""}
            for key, _label in DOMAINS}


class _Builder:
    """Builds one course per stage for the caseworker; `ago(n)` is n days before today."""

    def __init__(self, caseworker, persons, providers, today):
        request = RequestFactory().post("/")
        request.user = caseworker
        # The audit records show where the facts came from (the recorder files them as "ui").
        request.path = request.path_info = "manage.py load_demo"
        self.request, self.persons, self.providers, self.today = (
            request, persons, providers, today)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def open(self, key, days_ago, channel, substances, tracks, asks="treatment", notes=""):
        contact = Contact(received_on=self.ago(days_ago), channel=channel,
                          substances=substances, asks=asks, notes=notes)
        return services.open_course(self.request, self.persons[key], contact, tracks=tracks)

    # (a) A request three days ago, nothing else: open clocks on the worklist.
    def requested(self):
        self.open(LUKAS, 3, "personal", "drugs", ["sel101"],
                  notes="Kom sammen med sin mor og bad om hjælp til at stoppe med hash.")

    # (b) Request ten days ago; doctor consultation and assessment with AUDIT done; the
    #     decision is pending and due in four days.
    def assessed(self):
        course = self.open(ALI, 10, "phone", "both", ["sel101", "sul142"])
        services.record_doctor(self.request, course, self.ago(9), True, self.ago(6),
                               findings="Abstinenssymptomer; medicinsk behandling anbefales.")
        assessment = Assessment(
            done_on=self.ago(5), instrument="europasi", instrument_on=self.ago(5),
            domains=_domains(
                intoxicants="Dagligt forbrug af alkohol og kokain i weekenderne.",
                work="Sygemeldt fra job som lagermedarbejder.",
                social="Bor med partner og to børn; netværket er presset."),
            other_help="Kontakt til jobcenteret om sygemeldingen.",
            feedback_on=self.ago(5), children_at_home=True, children_count=2,
            children_ages="6 og 9 år", pregnancy=False, notified_on=self.ago(5),
            notified_to="Solrød Kommune, Børn og Familie")
        services.record_assessment(self.request, course, assessment, [
            ("audit", AUDIT_ANSWERS, self.ago(5)), ("dudit", DUDIT_ANSWERS, self.ago(5))])

    # (c) Request sixteen days ago and nothing since: every clock is overdue; the breach of
    #     the guarantee is recorded with its reason.
    def overdue(self):
        course = self.open(JENS, 16, "written", "alcohol", ["sul141"])
        services.record_breach(self.request, course, "guarantee", "capacity",
                               note="Ingen ledig tid til afdækning; borgeren er på venteliste.")

    # (d) A whole course: request, assessment, a partial grant with reasons (the letter is not
    #     sent yet) and a start inside the 14 days.
    def started(self):
        course = self.open(METTE, 12, "digital", "drugs", ["sel101"])
        assessment = services.record_assessment(self.request, course, Assessment(
            done_on=self.ago(9), instrument="voksenmap", instrument_on=self.ago(9),
            domains=_domains(intoxicants="Dagligt forbrug af amfetamin gennem to år.",
                             housing="Egen lejlighed; huslejerestance."),
            feedback_on=self.ago(9), children_at_home=False, pregnancy=False))
        koege = self.providers[KOEGE_CENTRE]
        services.decide(self.request, course, Decision(
            assessment=assessment, track="sel101", outcome="delvis", decided_on=self.ago(7),
            proposal_focus="Stoppe forbruget af amfetamin; stabil hverdag.",
            proposal_goals="Være stoffri og betale huslejerestancen af inden et halvt år.",
            provider=koege, intensity="ambulant",
            services="Ambulant behandling to gange om ugen i 3 måneder.",
            execution="Individuelle samtaler og gruppeforløb på Misbrugscenter Køge.",
            reasons="Borgeren har anmodet om dagbehandling. Afdækningen viser, at borgeren har "
                    "egen bolig og et netværk, der støtter, så ambulant behandling vurderes at "
                    "være tilstrækkelig.",
            other_help="Gældsrådgivning via kommunens borgerservice.",
            told_free_choice=True))
        services.start_treatment(self.request, course, TreatmentStart(
            started_on=self.ago(3), enrolled_on=self.ago(3), provider=koege))
        # Issue 4: her earlier, discharged course, and the treatment part of this one.
        demo_treatment.earlier_course(self.request.user, CLINICIAN, self.persons[METTE], koege,
                                      self.today, _domains)
        demo_treatment.extend_started(Course.objects.get(pk=course.pk), CLINICIAN, self.today)

    # (e) Free choice of another offer: no guarantee, the waiting days are counted.
    def free_choice(self):
        course = self.open(CAMILLA, 8, "personal", "drugs", ["sel101"])
        assessment = services.record_assessment(self.request, course, Assessment(
            done_on=self.ago(5), instrument="europasi", instrument_on=self.ago(5),
            domains=_domains(intoxicants="Tilbagefald til kokain efter døgnbehandling."),
            feedback_on=self.ago(5), children_at_home=False, pregnancy=False))
        roskilde = self.providers[ROSKILDE]
        services.record_free_choice(self.request, course, FreeChoice(
            chosen_on=self.ago(4), provider=roskilde))
        services.decide(self.request, course, Decision(
            assessment=assessment, track="sel101", outcome="bevilling", decided_on=self.ago(3),
            proposal_focus="Fastholde stoffrihed efter tilbagefald.",
            proposal_goals="Tilbage i uddannelse efter sommerferien.",
            provider=roskilde, intensity="ambulant",
            services="Ambulant efterbehandling en gang om ugen.", told_free_choice=True))

    # (f) An anonymous person (SEL § 101 a): counselling first, then anonymous treatment.
    def anonymous(self):
        course = self.open(SOMMERFUGL, 28, "personal", "drugs", ["sel101a"],
                           asks="counselling")
        services.add_counselling(self.request, course, CounsellingSession(
            held_on=self.ago(28), other_needs="Søvnproblemer.",
            referred_to="Egen læge"))
        services.add_request(self.request, course, TreatmentRequest(
            requested_on=self.ago(24), channel="personal", told_free_choice=False))
        services.start_treatment(self.request, course, TreatmentStart(
            started_on=self.ago(21), enrolled_on=self.ago(21),
            provider=self.providers[KOEGE_CENTRE]))


STAGES = [
    (LUKAS, _Builder.requested),
    (ALI, _Builder.assessed),
    (JENS, _Builder.overdue),
    (METTE, _Builder.started),
    (CAMILLA, _Builder.free_choice),
    (SOMMERFUGL, _Builder.anonymous),
]


def load_courses(caseworker, persons, providers, today) -> int:
    """Create the demo courses that are missing; returns how many were created."""
    builder = _Builder(caseworker, persons, providers, today)
    created = 0
    for key, build in STAGES:
        if Course.objects.filter(citizen=persons[key]).exists():
            continue
        build(builder)
        created += 1
    return created


def delete_courses(citizen_ids, municipalities, providers) -> None:
    """Remove the courses that hold demo citizens, municipalities or providers (which they
    protect from deletion). A course of a citizen who stays gets its own audit record."""
    courses = Course.objects.filter(
        Q(citizen__in=citizen_ids) | Q(acting_municipality__in=municipalities)
        | Q(decisions__provider__in=providers) | Q(start__provider__in=providers)
        | Q(free_choices__provider__in=providers)
    ).select_related("citizen").distinct()
    ids = []
    for course in courses:
        ids.append(course.pk)
        if course.citizen_id not in citizen_ids:
            record(None, Action.DELETE, citizen=course.citizen, obj=course,
                   purpose=_("nulstilling af demodata"))
    if JournalNote.objects.filter(course__in=ids).exists():
        raise CommandError(_("Demoforløbene har journalnotater, og de kan aldrig slettes. Slet "
                             "databasen (var/forlob.sqlite3) for at begynde forfra."))
    # A decision protects its assessment, and a review its plan and goals, which the cascade
    # from the course would meet first.
    Decision.objects.filter(course__in=ids).delete()
    Review.objects.filter(course__in=ids).delete()
    Course.objects.filter(pk__in=ids).delete()
