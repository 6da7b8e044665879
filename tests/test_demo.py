"""`manage.py load_demo`: idempotent demo data, `--reset`, and the printed demo logins."""

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
                      Referral, User, Membership)
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
    ended = Referral.objects.filter(ended_on__isnull=False)
    assert ended.count() == 1
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
    assert Municipality.objects.count() == 17 and Cluster.objects.count() == 3


def test_reset_reloads_and_keeps_the_audit_trail():
    load()
    solrod = Municipality.objects.get(name="Solrød")
    extra_citizen = CitizenFactory(residence_municipality=solrod, first_name="Ekstra")
    ProviderFactory(name="Nyt tilbud", owner_municipality=solrod)
    User.objects.filter(username="leder").update(first_name="Ændret")
    audit_before = AuditEvent.objects.count()
    assert audit_before > 0  # creating demo citizens was audited

    output = load("--reset")
    assert "Loggen over adgang er bevaret" in output
    assert not Citizen.objects.filter(pk=extra_citizen.pk).exists()
    assert not Provider.objects.filter(name="Nyt tilbud").exists()
    assert User.objects.get(username="leder").first_name == "Lene"
    assert Municipality.objects.count() == 17
    assert Citizen.objects.count() == len(CITIZENS) + 2
    assert User.objects.filter(username__in=list(USERS)).count() == len(USERS)
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
