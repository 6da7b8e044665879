"""Who sees which journal notes (issue 4 items 4 and 6): a note is always visible to its own
side; the other side sees it only while the citizen's consent to share between provider and
municipality is in force. Withdrawal takes effect at once; a new consent shows them again.
Out of consent a note is simply not there: 404 on direct access."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob import clock
from forlob.access import scoped
from forlob.journal.models import JournalNote

from .api_helpers import post, url
from .factories_journal import give_consent, note, started_course, withdraw_consent
from .test_journal_api import body
from .test_journal_views import GOOD, post_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return started_course(world)


@pytest.fixture
def notes(world, course):
    return {"municipality": note(world.caseworker, course, text="Kommunens notat"),
            "provider": note(world.clinician, course, text="Tilbuddets notat")}


def visible(user):
    return set(scoped(user, JournalNote).values_list("text", flat=True))


def test_each_side_sees_only_its_own_notes_without_consent(world, notes):
    assert visible(world.caseworker) == {"Kommunens notat"}
    assert visible(world.clinician) == {"Tilbuddets notat"}


@pytest.mark.parametrize("role", ["leader", "coordinator", "region_coordinator", "admin"])
def test_roles_without_personal_data_see_no_notes(world, notes, role):
    assert visible(getattr(world, role)) == set()


def test_consent_shares_withdrawal_hides_at_once_new_consent_shares_again(world, course,
                                                                         notes, login):
    both = {"Kommunens notat", "Tilbuddets notat"}
    consent = give_consent(world, course)
    assert visible(world.caseworker) == both and visible(world.clinician) == both

    withdraw_consent(world, course, consent)  # takes effect today
    assert visible(world.caseworker) == {"Kommunens notat"}
    assert visible(world.clinician) == {"Tilbuddets notat"}
    other = notes["municipality"]
    client = login(world.clinician)
    assert client.get(url("course-journal-note", course_id=course.pk,
                          journalnote_id=other.pk)).status_code == 404
    listed = client.get(url("course-journal", course_id=course.pk)).json()["notes"]
    assert [n["text"] for n in listed] == ["Tilbuddets notat"]

    give_consent(world, course, day=clock.today())
    assert visible(world.caseworker) == both and visible(world.clinician) == both
    assert client.get(url("course-journal-note", course_id=course.pk,
                          journalnote_id=other.pk)).status_code == 200


def test_consent_ending_or_not_yet_given_does_not_share(world, course, notes):
    from forlob.network.models import Consent, Party

    Consent.objects.create(course=course, party=Party.PROVIDER_MUNICIPALITY,
                           given_on=dt.date(2026, 1, 1), valid_until=dt.date(2026, 6, 14))
    Consent.objects.create(course=course, party=Party.GP, given_on=dt.date(2026, 1, 1))
    assert visible(world.caseworker) == {"Kommunens notat"}
    with clock.frozen(dt.date(2026, 6, 14)):
        assert "Tilbuddets notat" in visible(world.caseworker)


def test_consent_on_another_course_does_not_share(world, course, notes):
    give_consent(world, started_course(world))
    assert visible(world.caseworker) == {"Kommunens notat"}


def test_clinician_loses_notes_when_the_referral_ends(world, course, notes):
    from forlob.citizens.models import Referral

    Referral.objects.filter(citizen=world.citizen).update(ended_on=clock.today())
    with clock.frozen(clock.today() + dt.timedelta(days=1)):
        assert visible(world.clinician) == set()
    assert visible(world.caseworker) == {"Kommunens notat"}


def test_out_of_consent_note_cannot_be_amended_either(world, course, notes, login):
    client = login(world.caseworker)
    path = reverse("journal:amend", args=[course.pk, notes["provider"].pk])
    before = JournalNote.objects.count()
    assert client.get(path).status_code == 404
    assert post_note(client, course, GOOD, prefix=f"ret-notat-{notes['provider'].pk}",
                     path=path).status_code == 404
    api = url("course-journal-note-amend", course_id=course.pk,
              journalnote_id=notes["provider"].pk)
    assert post(client, api, body(course)).status_code == 404
    assert JournalNote.objects.count() == before
    assert not JournalNote.objects.filter(amends=notes["provider"]).exists()
