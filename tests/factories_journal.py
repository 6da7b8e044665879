"""Factories and helpers for the journal tests (issue 4 item 6): courses made through the
pathway services, and notes written through the journal service."""

import datetime as dt

from django.test import RequestFactory

from forlob.journal import services
from forlob.journal.models import JournalNote
from forlob.network import services as network_services
from forlob.network.models import Consent, Party
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course, Decision, TreatmentStart

from .factories import AnonymousCitizenFactory
from .test_pathway_services import _assessment

D = dt.date
STARTED_ON = D(2026, 6, 10)
NOTE_DAY = D(2026, 6, 12)
CONSENT_DAY = D(2026, 6, 11)


def req(user, path="/"):
    request = RequestFactory().post(path)
    request.user = user
    return request


def fresh(course) -> Course:
    """The course as stored now (current version)."""
    return Course.objects.get(pk=course.pk)


def _contact(substances="drugs"):
    return Contact(received_on=D(2026, 6, 1), channel="phone", substances=substances,
                   asks="treatment")


def started_course(world, citizen=None, provider=None) -> Course:
    """A § 101 course started on 10 June 2026 at `provider` (the citizen is referred there)."""
    r = req(world.caseworker)
    provider = provider or world.provider
    course = pathway_services.open_course(r, citizen or world.citizen, _contact(),
                                          tracks=["sel101"])
    assessment = pathway_services.record_assessment(r, course, _assessment(D(2026, 6, 5)))
    pathway_services.decide(r, course, Decision(
        assessment=assessment, track="sel101", outcome="bevilling", decided_on=D(2026, 6, 5),
        proposal_focus="f", proposal_goals="g", provider=provider, intensity="ambulant"))
    pathway_services.start_treatment(r, course, TreatmentStart(
        started_on=STARTED_ON, enrolled_on=STARTED_ON, provider=provider))
    return fresh(course)


def anonymous_course(world, started=True) -> Course:
    """An anonymous person's § 101 a course (no decision needed), started at world.provider."""
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    r = req(world.caseworker)
    course = pathway_services.open_course(r, anon, _contact(), tracks=["sel101a"])
    if started:
        pathway_services.start_treatment(r, course, TreatmentStart(
            started_on=STARTED_ON, enrolled_on=STARTED_ON, provider=world.provider))
    return fresh(course)


def note(user, course, text="Samtale om ugens forløb.", kind="samtale", day=NOTE_DAY,
         amends=None) -> JournalNote:
    """A note written through the service, as `user`."""
    course = fresh(course)
    new = JournalNote(note_type=kind, written_on=day, text=text)
    if amends is not None:
        return services.amend_note(req(user), course, amends, new)
    return services.write_note(req(user), course, new)


def give_consent(world, course, day=CONSENT_DAY) -> Consent:
    """The citizen's consent to share between provider and municipality, from `day`."""
    consent, _reopened = network_services.give_consent(
        req(world.caseworker), fresh(course),
        Consent(party=Party.PROVIDER_MUNICIPALITY, given_on=day, scope="Behandlingsforløbet"))
    return consent


def withdraw_consent(world, course, consent):
    network_services.withdraw_consent(req(world.caseworker), fresh(course), consent)
