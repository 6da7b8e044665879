"""The demo's volume (issue 5; portal/management/demo_volume.py): deterministic, consistent
facts recorded through the services, idempotent, removed and reloaded by --reset, and off
under the test settings so the demo's own tests see the hand-built stages alone. The volume is
shrunk here to a few courses per municipality to keep the test quick."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings

from forlob import clock
from forlob.accounts.models import Role, User
from forlob.audit.models import AuditEvent
from forlob.citizens.models import Citizen
from forlob.indicators.catalogue import CATALOGUE
from forlob.indicators.filters import Filters
from forlob.journal.models import JournalNote
from forlob.organisations.models import Municipality
from forlob.pathway import rules
from forlob.pathway.models import Course
from forlob.portal.management import demo_volume

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch):
    """Three municipalities, 16 courses before any come back."""
    places = demo_volume.PLACES
    monkeypatch.setattr(demo_volume, "PLACES", {
        "Solrød": (8, *places["Solrød"][1:]), "Køge": (5, *places["Køge"][1:]),
        "Faxe": (3, *places["Faxe"][1:])})


def load(*args):
    call_command("load_demo", *args, stdout=StringIO())


def volume():
    return Course.objects.filter(caseworker__username=demo_volume.USERNAME)


def fingerprint():
    """What the volume holds, by value (primary keys differ between loads)."""
    return sorted(
        (c.acting_municipality.name, c.citizen.birth_year, c.citizen.is_anonymous,
         tuple(sorted(c.tracks.values_list("track", flat=True))),
         tuple(c.requests.values_list("requested_on", flat=True)),
         tuple(c.decisions.values_list("outcome", "decided_on")),
         getattr(getattr(c, "start", None), "started_on", None),
         tuple(c.reviews.values_list("held_on", "days_of_use_30")),
         getattr(getattr(c, "discharge", None), "reason", None),
         tuple(c.follow_ups.values_list("number", "due", "held_on", "declined_on")))
        for c in volume().select_related("citizen", "acting_municipality"))


def test_off_under_the_test_settings(small):
    assert not demo_volume.enabled()
    load()
    assert not volume().exists() and Course.objects.count() == 7  # the stages alone


@override_settings(FORLOB_DEMO_VOLUME=True)
def test_volume_is_deterministic_idempotent_and_reset(small):
    load()
    first = fingerprint()
    assert len(first) >= 16
    assert {name for name, *_rest in first} == {"Solrød", "Køge", "Faxe"}
    load()  # a second run adds nothing
    assert fingerprint() == first
    load("--reset")  # removed with the demo and loaded afresh: the same facts
    assert fingerprint() == first
    machine = User.objects.get(username=demo_volume.USERNAME)
    assert not machine.has_usable_password()
    assert set(machine.memberships.values_list("role", flat=True)) == {Role.CASEWORKER}
    assert set(machine.memberships.values_list("municipality__name", flat=True)) == {
        "Solrød", "Køge", "Faxe"}


@override_settings(FORLOB_DEMO_VOLUME=True)
def test_volume_facts_are_consistent(small):
    load()
    today = clock.today()
    courses = list(volume().select_related("citizen"))
    for c in courses:
        first = min(c.requests.values_list("requested_on", flat=True))
        tracks = set(c.tracks.values_list("track", flat=True))
        assert first >= today.replace(year=today.year - 2)
        if c.citizen.is_anonymous:  # no CPR, only the anonymous tracks
            assert not c.citizen.cpr_encrypted and tracks <= {"sel101a", "sul141"}
        else:
            assert c.citizen.cpr_encrypted and "sel101a" not in tracks
        start = getattr(c, "start", None)
        if start is not None:
            assert first <= start.started_on <= today
            if rules.decision_required_to_start(tracks):  # granted before the start
                assert c.decisions.exclude(outcome="afslag").filter(
                    decided_on__lte=start.started_on).exists()
            for plan in c.plans.all():
                assert start.started_on <= plan.agreed_on <= today
        ended = getattr(c, "discharge", None)
        if ended is not None:
            assert start is not None and start.started_on <= ended.discharged_on <= today
            assert c.reviews.filter(held_on__gt=ended.discharged_on).count() == 0
            for task in c.follow_ups.all():
                assert task.held_on is None or ended.discharged_on <= task.held_on <= today
        for decision in c.decisions.exclude(outcome="bevilling"):
            assert decision.reasons.strip()
    # A mix: named and anonymous, § 101 and § 141, discharged and in treatment.
    assert any(c.citizen.is_anonymous for c in courses)
    assert volume().filter(tracks__track="sul141").exists()
    assert volume().filter(discharge__isnull=False).exists()
    assert volume().filter(start__isnull=False, discharge__isnull=True).exists()
    assert not JournalNote.objects.filter(course__in=volume()).exists()
    # Recorded through the services: audited as the machine user.
    assert AuditEvent.objects.filter(username=demo_volume.USERNAME, action="create",
                                     object_type="pathway.TreatmentStart").exists()
    # Each volume citizen lives in the municipality acting for it.
    assert not Citizen.objects.filter(courses__in=volume()).exclude(
        residence_municipality=F("acting_municipality")).exists()


@override_settings(FORLOB_DEMO_VOLUME=True)
def test_every_indicator_computes_over_the_volume(small):
    load()
    today = clock.today()
    solrod = Municipality.objects.get(name="Solrød")
    selection = Filters(today.replace(year=today.year - 2), today, frozenset({solrod.pk}))
    values = {code: kpi.compute(selection) for code, kpi in CATALOGUE.items()}
    assert values["completion_rate"].denominator > 0
    assert values["waiting_days"].denominator > 0
