"""Network services (issue 4 items 3 and 4): network persons, guardian, consents given and
withdrawn, the disclosure log, and follow-ups reopened by a new consent - the happy paths, and
each bad input refused with a Danish message and nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forlob import clock
from forlob.audit.models import AuditEvent
from forlob.locking import StaleRecord
from forlob.network import services
from forlob.network.consents import has_consent
from forlob.network.models import Consent, Disclosure, Guardian, NetworkMember, Party
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact, Course
from forlob.treatment import services as treatment_services
from forlob.treatment.models import FollowUp

from .factories import AnonymousCitizenFactory
from .test_treatment_services import _req, discharge, start

D = dt.date
JUNE_1, JUNE_15 = D(2026, 6, 1), D(2026, 6, 15)


@pytest.fixture
def req(world):
    return _req(world.caseworker)


def open_course(world, req, citizen=None):
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="alcohol",
                      asks="treatment")
    return pathway_services.open_course(req, citizen or world.citizen, contact,
                                        tracks=["sel101"])


@pytest.fixture
def course(world, req):
    return open_course(world, req)


def counts():
    return (NetworkMember.objects.count(), Guardian.objects.count(), Consent.objects.count(),
            Disclosure.objects.count(), AuditEvent.objects.count())


def fresh(course):
    return Course.objects.get(pk=course.pk)


def refused(call, field=None, text=None):
    """Run `call`, expect a ValidationError (on `field`), and nothing saved."""
    before = counts()
    with pytest.raises(ValidationError) as exc:
        call()
    assert counts() == before
    if field:
        assert field in exc.value.message_dict, exc.value
    if text:
        assert text in " ".join(exc.value.messages)
    return exc.value


def member(**kw):
    return NetworkMember(**{"name": "Lone Hansen", "relation": "partner",
                            "influence": "supportive", **kw})


def consent(party=Party.GP, given_on=JUNE_1, valid_until=None, scope="Status"):
    return Consent(party=party, given_on=given_on, valid_until=valid_until, scope=scope)


# --- Network and guardian --------------------------------------------------------------------

def test_network_member_recorded_audited_and_versioned(world, req, course):
    version = course.version
    m = services.add_member(req, course, member(involvement_consent_on=D(2026, 6, 10),
                                                notes="Vil gerne deltage"))
    assert NetworkMember.objects.get().name == "Lone Hansen"
    assert m.course == course and m.recorded_by == world.caseworker
    assert fresh(course).version == version + 1
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="create",
                                     object_id=str(m.pk)).exists()


def test_a_risk_person_who_uses_drugs(req, course):
    m = services.add_member(req, course, member(relation="friend", influence="risk"))
    assert m.get_influence_display().startswith("Risiko")


def test_child_under_18_cannot_be_involved_as_relative(req, course):
    error = refused(lambda: services.add_member(req, course, member(
        relation="child", under_18=True, involvement_consent_on=D(2026, 6, 10))),
        "involvement_consent_on", "Børn under 18 år inddrages ikke som pårørende")
    assert "3.2.5" in " ".join(error.messages)


def test_child_under_18_can_be_recorded_without_involvement(req, course):
    m = services.add_member(req, course, member(relation="child", under_18=True))
    assert m.pk and m.involvement_consent_on is None


def test_adult_child_may_be_involved(req, course):
    m = services.add_member(req, course, member(relation="child",
                                                involvement_consent_on=D(2026, 6, 1)))
    assert m.pk


@pytest.mark.parametrize("bad,field", [
    ({"name": "  "}, "name"),
    ({"relation": "nabo"}, "relation"),
    ({"influence": "neutral"}, "influence"),
    ({"involvement_consent_on": D(2026, 6, 16)}, "involvement_consent_on"),
])
def test_member_bad_input(req, course, bad, field):
    refused(lambda: services.add_member(req, course, member(**bad)), field)


def test_no_network_persons_on_an_anonymous_course(world, req):
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="drugs",
                      asks="treatment")
    course = pathway_services.open_course(req, anon, contact, tracks=["sel101a"])
    refused(lambda: services.add_member(req, course, member()), text="anonymt")
    refused(lambda: services.add_guardian(req, course, Guardian(
        name="V", basis="vml7", from_on=D(2026, 1, 1))), text="anonymt")


def test_guardian_recorded_and_ended_once(world, req, course):
    g = services.add_guardian(req, course, Guardian(
        name="Advokat Berg", contact="22 33 44 55", basis="vml7", from_on=D(2026, 2, 1)))
    assert Guardian.objects.get().ended_on is None
    course = fresh(course)
    refused(lambda: services.end_guardian(req, course, g, D(2026, 1, 31)), "ended_on",
            "før værgemålets start")
    refused(lambda: services.end_guardian(req, course, g, D(2026, 6, 16)), "ended_on")
    services.end_guardian(req, course, g, D(2026, 6, 14))
    assert Guardian.objects.get().ended_on == D(2026, 6, 14)
    course = fresh(course)
    refused(lambda: services.end_guardian(req, course, g, D(2026, 6, 15)), "ended_on",
            "allerede afsluttet")


def test_guardian_bad_input(req, course):
    refused(lambda: services.add_guardian(req, course, Guardian(
        name="V", basis="ukendt", from_on=D(2026, 1, 1))), "basis")
    refused(lambda: services.add_guardian(req, course, Guardian(
        name="V", basis="vml5", from_on=D(2026, 6, 16))), "from_on")


# --- Consents --------------------------------------------------------------------------------

def test_consent_given_and_withdrawn_at_once(world, req, course):
    c, reopened = services.give_consent(req, course, consent(valid_until=D(2026, 12, 31)))
    assert reopened == [] and has_consent(course, Party.GP, clock.today())
    course = fresh(course)
    services.withdraw_consent(req, course, c)
    assert Consent.objects.get().withdrawn_on == clock.today()
    assert not has_consent(course, Party.GP, clock.today())
    assert has_consent(course, Party.GP, clock.today() - dt.timedelta(days=1))
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="update",
                                     object_id=str(c.pk)).exists()


def test_consent_to_an_unknown_party_is_refused(req, course):
    refused(lambda: services.give_consent(req, course, consent(party="naboen")), "party",
            "Ukendt part")


def test_valid_until_before_given_on_is_refused(req, course):
    refused(lambda: services.give_consent(req, course, consent(
        given_on=D(2026, 6, 10), valid_until=D(2026, 6, 9))), "valid_until")


def test_consent_in_the_future_is_refused(req, course):
    refused(lambda: services.give_consent(req, course, consent(given_on=D(2026, 6, 16))),
            "given_on")


def test_withdraw_twice_is_refused_and_only_a_new_consent_undoes_it(req, course):
    c, _ = services.give_consent(req, course, consent())
    services.withdraw_consent(req, fresh(course), c)
    refused(lambda: services.withdraw_consent(req, fresh(course), c), "consent",
            "allerede trukket tilbage")
    stale = Consent.objects.get(pk=c.pk)
    stale.withdrawn_on = None  # a client holding an old copy cannot withdraw again either
    refused(lambda: services.withdraw_consent(req, fresh(course), stale), "consent")
    services.give_consent(req, fresh(course), consent(given_on=clock.today()))
    assert has_consent(course, Party.GP, clock.today())


def test_expired_consent_cannot_be_withdrawn(req, course):
    c, _ = services.give_consent(req, course, consent(valid_until=D(2026, 6, 10)))
    refused(lambda: services.withdraw_consent(req, fresh(course), c), "consent", "udløbet")


def test_another_courses_consent_cannot_be_withdrawn(world, req, course):
    other = open_course(world, req)
    c, _ = services.give_consent(req, other, consent())
    refused(lambda: services.withdraw_consent(req, fresh(course), c), "consent")
    assert Consent.objects.get().withdrawn_on is None


def test_stale_version_saves_nothing(req, course):
    services.give_consent(req, course, consent())
    old = Course.objects.get(pk=course.pk)
    old.version -= 1
    before = counts()
    with pytest.raises(StaleRecord):
        services.give_consent(req, old, consent(party=Party.JOBCENTER))
    with pytest.raises(StaleRecord):
        services.add_member(req, old, member())
    assert counts() == before


def test_readers_who_may_not_write_are_refused(world, course):
    # The clinician sees the citizen (active referral) but the course has not started at
    # their provider; the leader sees no personal data at all.
    for user in (world.clinician, world.leader):
        with pytest.raises(PermissionDenied):
            services.give_consent(_req(user), course, consent())
    assert not Consent.objects.exists()


def test_provider_municipality_consent_gates_the_journal_helper(req, course):
    today = clock.today()
    assert not has_consent(course, Party.PROVIDER_MUNICIPALITY, today)
    c, _ = services.give_consent(req, course, consent(Party.PROVIDER_MUNICIPALITY))
    assert has_consent(course, Party.PROVIDER_MUNICIPALITY, today)
    services.withdraw_consent(req, fresh(course), c)
    assert not has_consent(course, Party.PROVIDER_MUNICIPALITY, today)
    services.give_consent(req, fresh(course), consent(Party.PROVIDER_MUNICIPALITY, today))
    assert has_consent(course, Party.PROVIDER_MUNICIPALITY, today)


# --- Disclosures -----------------------------------------------------------------------------

def disclosure(party=Party.GP, day=JUNE_15):
    return Disclosure(party=party, disclosed_on=day, content="Behandlingsstatus")


def test_disclosure_needs_a_consent_in_force_and_loses_it_on_withdrawal(world, req, course):
    refused(lambda: services.record_disclosure(req, course, disclosure()), "party",
            "intet samtykke i kraft")
    c, _ = services.give_consent(req, fresh(course), consent())
    d = services.record_disclosure(req, fresh(course), disclosure())
    assert d.consent == c and d.recorded_by == world.caseworker
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk,
                                     object_id=str(d.pk)).exists()
    services.withdraw_consent(req, fresh(course), c)
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure()), "party")
    # Before the withdrawal day it was in force: a disclosure made then may be logged.
    assert services.record_disclosure(req, fresh(course), disclosure(day=D(2026, 6, 14))).pk
    new, _ = services.give_consent(req, fresh(course), consent(given_on=clock.today()))
    again = services.record_disclosure(req, fresh(course), disclosure())
    assert again.consent == new


def test_disclosure_bad_input(req, course):
    services.give_consent(req, course, consent(Party.PROVIDER_MUNICIPALITY))
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure(
        Party.PROVIDER_MUNICIPALITY)), "party", "egen læge")
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure("naboen")),
            "party", "Ukendt part")
    services.give_consent(req, fresh(course), consent(Party.JOBCENTER))
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure(
        Party.JOBCENTER, D(2026, 6, 16))), "disclosed_on")
    refused(lambda: services.record_disclosure(req, fresh(course), Disclosure(
        party=Party.JOBCENTER, disclosed_on=D(2026, 6, 15), content=" ")), "content")
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure(
        Party.PSYCHIATRY)), "party")  # no consent to psychiatry


def test_consent_to_another_party_does_not_cover_a_disclosure(req, course):
    services.give_consent(req, course, consent(Party.JOBCENTER))
    refused(lambda: services.record_disclosure(req, fresh(course), disclosure(Party.GP)))


# --- A new consent reopens declined follow-ups -------------------------------------------------

@pytest.fixture
def declined(world, req, course):
    """Started 10 June, discharged 15 June (follow-ups due 15 July and 15 December), and the
    citizen declined follow-up on 15 June."""
    course = start(world, req, course)
    discharge(req, course)
    course = fresh(course)
    treatment_services.decline_follow_up(req, course, D(2026, 6, 15))
    assert FollowUp.objects.filter(declined_on__isnull=False).count() == 2
    return fresh(course)


def test_new_after_discharge_consent_reopens_declined_follow_ups(world, req, declined):
    _c, reopened = services.give_consent(req, declined, consent(Party.AFTER_DISCHARGE,
                                                                  D(2026, 6, 15)))
    assert [t.number for t in reopened] == [1, 2]
    assert not FollowUp.objects.filter(declined_on__isnull=False).exists()
    events = AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="update",
                                       purpose__contains="genåbnet")
    assert events.count() == 2


def test_only_follow_ups_not_yet_due_and_without_outcome_reopen(req, declined):
    with clock.frozen(D(2026, 8, 1)):  # the first follow-up (15 July) has passed
        _c, reopened = services.give_consent(req, declined, consent(Party.AFTER_DISCHARGE,
                                                                      D(2026, 8, 1)))
    assert [t.number for t in reopened] == [2]
    assert FollowUp.objects.get(number=1).declined_on == D(2026, 6, 15)
    assert FollowUp.objects.get(number=2).declined_on is None


def test_a_follow_up_with_an_outcome_stays_closed(req, declined):
    FollowUp.objects.filter(number=1).update(held_on=D(2026, 6, 15), reached=False)
    _c, reopened = services.give_consent(req, declined, consent(Party.AFTER_DISCHARGE,
                                                                  D(2026, 6, 15)))
    assert [t.number for t in reopened] == [2]


def test_other_parties_and_expired_consents_reopen_nothing(req, declined):
    _c, reopened = services.give_consent(req, declined, consent(Party.GP))
    assert reopened == []
    _c, reopened = services.give_consent(req, fresh(declined), consent(
        Party.AFTER_DISCHARGE, D(2026, 6, 1), valid_until=D(2026, 6, 10)))
    assert reopened == []
    assert FollowUp.objects.filter(declined_on__isnull=False).count() == 2


def test_reopening_rolls_back_with_a_stale_version(req, declined):
    old = fresh(declined)
    old.version -= 1
    with pytest.raises(StaleRecord):
        services.give_consent(req, old, consent(Party.AFTER_DISCHARGE, D(2026, 6, 15)))
    assert FollowUp.objects.filter(declined_on__isnull=False).count() == 2
    assert not Consent.objects.exists()


def test_deleting_a_course_with_disclosures_is_possible(req, course):
    services.give_consent(req, course, consent())
    services.record_disclosure(req, fresh(course), disclosure())
    Course.objects.filter(pk=course.pk).delete()
    assert not Disclosure.objects.exists() and not Consent.objects.exists()



def test_backdated_consent_does_not_undo_a_withdrawal(req, course):
    """Issue 4: a withdrawal is undone only by a NEW consent: one dated before the withdrawal
    is refused, nothing saved; one dated on the withdrawal day or later is accepted."""
    c, _ = services.give_consent(req, course, consent(given_on=JUNE_1))
    services.withdraw_consent(req, fresh(course), c)  # today, 15 June
    refused(lambda: services.give_consent(req, fresh(course), consent(given_on=D(2026, 6, 10))),
            "given_on", "trukket tilbage")
    assert not has_consent(course, Party.GP, JUNE_15)
    services.give_consent(req, fresh(course), consent(given_on=JUNE_15))
    assert has_consent(course, Party.GP, JUNE_15)


def test_consent_older_than_the_decline_reopens_nothing(req, declined):
    """An after-discharge consent given before the citizen declined (entered late) does not
    undo the decline of 15 June."""
    _c, reopened = services.give_consent(req, declined, consent(Party.AFTER_DISCHARGE,
                                                                  D(2026, 6, 12)))
    assert reopened == []
    assert FollowUp.objects.filter(declined_on__isnull=False).count() == 2


def test_consent_scope_is_required(req, course):
    refused(lambda: services.give_consent(req, course, consent(scope="  ")), "scope")


def test_withdrawing_after_discharge_consent_declines_open_follow_ups(world, req, course):
    """Withdrawal takes effect at once: the open follow-ups close as declined that day."""
    course = start(world, req, course)
    c, _ = services.give_consent(req, course, consent(Party.AFTER_DISCHARGE, D(2026, 6, 11)))
    discharge(req, fresh(course))
    assert FollowUp.objects.filter(course=course, declined_on=None).count() == 2
    services.withdraw_consent(req, fresh(course), c)
    assert set(FollowUp.objects.filter(course=course).values_list("declined_on", flat=True)) \
        == {JUNE_15}
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action="update",
                                     purpose__contains="samtykke trukket tilbage").count() == 3
