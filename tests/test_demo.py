"""`manage.py load_demo`: idempotent demo data, `--reset`, and the printed demo logins."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from forlob import clock
from forlob.access import scoped
from forlob.accounts.models import Membership, Role, User
from forlob.audit.models import AuditEvent
from forlob.citizens.models import Citizen, Referral
from forlob.citizens.rules import parse_cpr, passes_modulus11
from forlob.organisations.models import (
    Cluster,
    Municipality,
    Provider,
    PurchaseAgreement,
    Region,
    TreatmentKind,
)
from forlob.pathway import services
from forlob.pathway.models import Course, Decision, TreatmentStart
from forlob.portal.management.commands.load_demo import CITIZENS, DEMO_PASSWORD, USERS

from .conftest import verify_second_factor
from .factories import CitizenFactory, ProviderFactory

pytestmark = pytest.mark.django_db

EXPECTED_CLUSTERS = {
    "Syd": {"Faxe", "Guldborgsund", "Lolland", "Næstved", "Stevns", "Vordingborg"},
    "Øst": {"Greve", "Køge", "Lejre", "Roskilde", "Solrød"},
    "Vest": {"Holbæk", "Kalundborg", "Odsherred", "Ringsted", "Slagelse", "Sorø"},
}


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Region, Cluster, Municipality, Provider, PurchaseAgreement, Citizen,
                      Referral, User, Membership, Course, Decision, TreatmentStart)
    }


def test_load_demo_builds_region_sjaelland():
    load()
    region = Region.objects.get(name="Region Sjælland")
    assert Municipality.objects.count() == 17
    assert Cluster.objects.filter(region=region).count() == 3
    for cluster, names in EXPECTED_CLUSTERS.items():
        assert set(Municipality.objects.filter(cluster__name=cluster)
                   .values_list("name", flat=True)) == names
    assert Municipality.objects.get(name="Solrød").code == "269"
    assert Municipality.objects.get(name="Køge").code == "259"
    assert all(10_000 < m.population < 150_000 for m in Municipality.objects.all())


def test_load_demo_has_providers_of_each_kind_and_purchase_relations():
    load()
    offered = {k for p in Provider.objects.all() for k in p.kinds}
    assert offered == set(TreatmentKind.values)
    koege = Provider.objects.get(name="Misbrugscenter Køge")
    assert koege.owner_municipality.name == "Køge"
    assert {"sul142", "sel101", "sel101a"} <= set(koege.kinds)
    assert Provider.objects.filter(owner_municipality__isnull=True, kinds=["sul141"],
                                   intensities=["ambulant"]).exists()
    residential = next(p for p in Provider.objects.filter(owner_municipality__isnull=True)
                       if "dogn" in p.intensities)
    assert residential.approved_by_socialtilsynet and residential.listed_on_tilbudsportalen
    solrod = PurchaseAgreement.objects.get(municipality__name="Solrød", provider=koege)
    assert set(solrod.kinds) == {"sel101", "sel101a", "sul142"}
    assert PurchaseAgreement.objects.get(municipality__name="Greve", provider=koege).kinds == [
        "sul142"]
    # Every agreement obeys the model's rules (kinds offered, end after start).
    for agreement in PurchaseAgreement.objects.all():
        agreement.full_clean()
    assert PurchaseAgreement.objects.filter(valid_to__isnull=False).exists()


def test_load_demo_citizens_are_fictitious_and_referred():
    load()
    named = Citizen.objects.filter(is_anonymous=False)
    assert 8 <= named.count() <= 12
    assert 1 <= Citizen.objects.filter(is_anonymous=True).count() <= 2
    for citizen in named:
        number = citizen.reveal_cpr()
        assert not passes_modulus11(number)  # outside the classic series: fictitious
        assert parse_cpr(number).birth_date.year == citizen.birth_year
    assert Referral.objects.active(clock.today()).count() >= 5
    ended = Referral.objects.filter(ended_on__lt=clock.today())
    assert ended.count() == 1
    # Mette Sørensen's earlier course was discharged: its referral ends 30 days after her last
    # follow-up is due (treatment.rules.referral_end_after_discharge), so it is still active.
    ending = Referral.objects.get(ended_on__gte=clock.today())
    assert ending.ended_on == _course_of_discharge().follow_ups.get(number=2).due + dt.timedelta(
        days=30)
    # The demo clinician sees the active referrals to the Køge centre, not the ended one.
    clinician = User.objects.get(username="behandler")
    seen = scoped(clinician, Citizen)
    assert seen.count() >= 3
    assert ended.get().citizen not in seen
    caseworker = User.objects.get(username="sagsbehandler")
    assert set(scoped(caseworker, Citizen).values_list("acting_municipality__name",
                                                       flat=True)) == {"Solrød"}
    assert not scoped(User.objects.get(username="koordinator"), Citizen).exists()


def test_load_demo_creates_one_user_per_role_and_prints_logins():
    output = load()
    roles = {}
    for username in USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_staff and not user.is_superuser
        roles[username] = list(user.memberships.values_list("role", flat=True))
    assert sorted(r for rs in roles.values() for r in rs) == sorted(
        [*Role.values, Role.COORDINATOR])  # cluster and region coordinator
    assert Membership.objects.get(user__username="koordinator").cluster.name == "Øst"
    assert Membership.objects.get(user__username="regionskoordinator").region.name == (
        "Region Sjælland")
    assert Membership.objects.get(user__username="behandler").provider.name == (
        "Misbrugscenter Køge")
    for username in ("sagsbehandler", "leder", "administrator"):
        assert Membership.objects.get(user__username=username).municipality.name == "Solrød"
    lines = output.splitlines()
    for username, (role, _kind, org, *_names) in USERS.items():
        row = next(line for line in lines if line.startswith(username + " "))
        assert str(role.label) in row and org in row and DEMO_PASSWORD in row
    # No CPR number ever appears in the output.
    for cpr, *_rest in CITIZENS:
        assert cpr not in output and cpr.replace("-", "") not in output


def test_load_demo_is_idempotent():
    load()
    first = snapshot()
    password_hash = User.objects.get(username="leder").password
    output = load()
    assert snapshot() == first
    assert User.objects.get(username="leder").password == password_hash  # sessions survive
    assert "0 nye rækker" in output
    # Six stages plus an earlier, discharged course; the second run added none.
    assert Course.objects.count() == 7
    assert Municipality.objects.count() == 17 and Cluster.objects.count() == 3


def test_reset_reloads_and_keeps_the_audit_trail():
    load()
    solrod = Municipality.objects.get(name="Solrød")
    extra_citizen = CitizenFactory(residence_municipality=solrod, first_name="Ekstra")
    ProviderFactory(name="Nyt tilbud", owner_municipality=solrod)
    User.objects.filter(username="leder").update(first_name="Ændret")
    audit_before = AuditEvent.objects.count()
    assert audit_before > 0  # creating demo citizens was audited
    courses_before = list(Course.objects.values_list("pk", flat=True))

    output = load("--reset")
    assert "Loggen over adgang er bevaret" in output
    assert not Citizen.objects.filter(pk=extra_citizen.pk).exists()
    assert not Provider.objects.filter(name="Nyt tilbud").exists()
    assert User.objects.get(username="leder").first_name == "Lene"
    assert Municipality.objects.count() == 17
    assert Citizen.objects.count() == len(CITIZENS) + 2
    assert User.objects.filter(username__in=list(USERS)).count() == len(USERS)
    # The courses (which protect their citizens) were removed and loaded afresh.
    assert not Course.objects.filter(pk__in=courses_before).exists()
    assert Course.objects.count() == len(courses_before) == 7
    # The audit trail only grows: deletions are recorded, nothing is removed.
    assert AuditEvent.objects.count() > audit_before
    assert AuditEvent.objects.filter(action="delete", citizen_id=extra_citizen.pk,
                                     channel="cli").exists()


def test_demo_logins_reach_their_pages(client):
    load()
    for username in USERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        verify_second_factor(client, user)
        for url in (reverse("portal:home"), reverse("organisations:overview")):
            assert client.get(url).status_code == 200, (username, url)
        client.logout()


def test_refuses_production_settings():
    with override_settings(SETTINGS_MODULE="forlob.settings.production"):
        with pytest.raises(CommandError):
            load()
    assert not Region.objects.exists()


def _course_of_discharge():
    return Course.objects.filter(discharge__isnull=False).get()


def _course(key):
    citizen = (Citizen.objects.get(pseudonym=key) if not key[0].isdigit()
               else next(c for c in Citizen.objects.filter(is_anonymous=False)
                         if c.reveal_cpr() == key.replace("-", "")))
    # The stage's course is the citizen's first; Mette Sørensen also has an earlier, discharged
    # course (demo_treatment), opened after it with older dates.
    return Course.objects.filter(citizen=citizen).order_by("pk").first()


def _clocks(key, today=None):
    return {c.name: c for c in services.course_clocks(_course(key), today)}


def test_demo_courses_show_each_stage_of_the_pathway():
    load()
    today = clock.today()
    caseworker = User.objects.get(username="sagsbehandler")
    assert Course.objects.count() == 7  # six stages, and Mette Sørensen's earlier course
    assert set(Course.objects.values_list("acting_municipality__name", flat=True)) == {"Solrød"}
    assert set(Course.objects.values_list("caseworker", flat=True)) == {caseworker.pk}
    # (a) A request three days ago: every clock open.
    a = _clocks("140509-4101")
    assert {c.status for c in a.values()} == {"open"} and a["guarantee"].days_left == 11
    # (b) Doctor and assessment with AUDIT done; the decision is due in four days.
    b = _clocks("210795-0103")
    assert b["doctor"].status == "met" and b["assessment"].status == "met"
    assert b["decision"].status == "open" and b["decision"].days_left == 4
    assert _course("210795-0103").screenings.filter(instrument="audit", total=14).exists()
    # (c) Sixteen days without a start: overdue, the guarantee breach recorded with a reason.
    c = _clocks("021171-0103")
    assert c["guarantee"].status == "breached" and c["guarantee"].days_left == -2
    assert _course("021171-0103").breaches.get().clock == "guarantee"
    # (d) Partial grant with reasons, letter not sent, started inside the 14 days.
    d = _course("120384-0100")
    decision = d.decisions.get()
    assert decision.outcome == "delvis" and decision.reasons and decision.letter_sent_on is None
    assert {n: c.status for n, c in _clocks("120384-0100").items()} == {
        "assessment": "met", "decision": "met", "guarantee": "met"}
    assert TreatmentStart.objects.get(course=d).started_on == today - dt.timedelta(days=3)
    # The start referred her to the centre, so the demo clinician sees her.
    assert d.citizen in scoped(User.objects.get(username="behandler"), Citizen)
    # (e) Free choice: no guarantee, waiting days counted.
    e = _clocks("300190-0100")
    assert e["guarantee"].status == "waived" and e["guarantee"].waiting_days == 8
    # (f) The anonymous person's § 101 a course with counselling: no CPR, no clocks.
    f = _course("Sommerfugl")
    assert f.citizen.is_anonymous and not f.citizen.cpr_encrypted
    assert list(f.tracks.values_list("track", flat=True)) == ["sel101a"]
    assert f.counselling.exists() and hasattr(f, "start") and not f.decisions.exists()
    # Recorded through the services: audited as the caseworker (the stages' two decisions and
    # the one of Mette Sørensen's earlier course).
    assert AuditEvent.objects.filter(username="sagsbehandler", action="create",
                                     object_type="pathway.Decision").count() == 3


def test_demo_clocks_are_relative_to_the_day_it_is_loaded():
    day = dt.date(2027, 2, 1)
    with clock.frozen(day):
        load()
        assert _clocks("210795-0103")["decision"].due == day + dt.timedelta(days=4)
        assert _clocks("021171-0103")["guarantee"].status == "breached"


def test_demo_worklist_shows_overdue_and_open_clocks(login):
    load()
    client = login(User.objects.get(username="sagsbehandler"))
    response = client.get(reverse("pathway:worklist"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert any(row.overdue for _course, row in rows)
    assert any(row.is_open and not row.overdue for _course, row in rows)
    assert response.context["waived"]  # the free-choice course with its waiting days
    html = response.content.decode()
    assert "dage over fristen" in html and "dage tilbage" in html
    # The started and the anonymous course have no open clock.
    listed = {course.pk for course, _row in rows}
    assert _course("120384-0100").pk not in listed and _course("Sommerfugl").pk not in listed


def test_demo_has_a_course_in_treatment_and_one_in_follow_up(login):
    """Issue 4 in the demo: the clinician's worklist shows the outreach task after a no-show and
    the 6-month follow-up of Mette Sørensen's earlier course; her current course has a plan,
    a review with AUDIT, a consent and a network person."""
    load()
    current = _course("120384-0100")
    assert current.plans.count() == 1 and current.reviews.count() == 1
    assert current.consents.count() == 1 and current.network_members.count() == 1
    earlier = Course.objects.filter(citizen=current.citizen).exclude(pk=current.pk).get()
    assert earlier.discharge.reason == "faerdigbehandlet"
    first, second = earlier.follow_ups.order_by("number")
    assert first.held_on is not None and second.held_on is None
    assert second.due > clock.today()
    client = login(User.objects.get(username="behandler"))
    html = client.get(reverse("treatment:worklist")).content.decode()
    assert "Opsøgende kontakt efter udeblivelse" in html
    assert "Opfølgning 6 måneder efter udskrivning" in html
