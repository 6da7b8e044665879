"""Factories for the foundation's models. CPR numbers are fictitious, generated per test."""

import datetime as dt

import factory

from forlob.accounts.models import Membership, Role, User
from forlob.citizens.models import Citizen, Referral
from forlob.organisations.models import (
    Cluster,
    Municipality,
    Provider,
    PurchaseAgreement,
    Region,
    TreatmentKind,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Klynge {n}")


def free_code(n: int) -> str:
    """A three-digit municipality code not yet in use, starting from the sequence's: tests also
    create municipalities with real codes (269, 259, …), which a plain sequence could repeat."""
    taken = set(Municipality.objects.values_list("code", flat=True))
    for step in range(900):
        code = f"{(n + step) % 900 + 100:03d}"
        if code not in taken:
            return code
    raise RuntimeError("no free municipality code")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: free_code(n))
    name = factory.Sequence(lambda n: f"Kommune {n}")
    cluster = factory.SubFactory(ClusterFactory)
    population = 35000


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Behandlingstilbud {n}")
    owner_municipality = factory.SubFactory(MunicipalityFactory)
    kinds = factory.LazyFunction(lambda: [TreatmentKind.SOCIAL_DRUG, TreatmentKind.ALCOHOL])
    intensities = factory.LazyFunction(lambda: ["ambulant"])
    approved_by_socialtilsynet = True


class PurchaseAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseAgreement

    municipality = factory.SubFactory(MunicipalityFactory)
    provider = factory.SubFactory(ProviderFactory)
    kinds = factory.LazyFunction(lambda: [TreatmentKind.SOCIAL_DRUG])
    valid_from = dt.date(2024, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruger{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("korrekt-hest-batteri")


def make_user(role: str, org, username: str | None = None) -> User:
    """A user with one membership: role in org (municipality, provider, cluster or region)."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    field = {
        Municipality: "municipality", Provider: "provider", Cluster: "cluster", Region: "region",
    }[type(org)]
    Membership.objects.create(user=user, role=role, **{field: org})
    return user


_cpr_seq = iter(range(10_000_000))


def next_cpr() -> str:
    """A fictitious, valid CPR number (unique per call): a real date, 4 serial digits."""
    n = next(_cpr_seq)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 14000)
    serial = 1000 + (n // 14000) % 9000
    serial = int(str(serial)[0].replace("4", "1").replace("5", "1").replace("6", "1")
                 .replace("7", "1").replace("8", "1").replace("9", "1") + str(serial)[1:])
    return f"{birth:%d%m%y}{serial:04d}"


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen
        exclude = ("cpr",)

    cpr = factory.LazyFunction(next_cpr)
    first_name = factory.Sequence(lambda n: f"Fornavn{n}")
    last_name = factory.Sequence(lambda n: f"Efternavn{n}")
    address = factory.Sequence(lambda n: f"Testvej {n}")
    postal_code = "4000"
    city = "Roskilde"
    residence_municipality = factory.SubFactory(MunicipalityFactory)
    acting_municipality = factory.SelfAttribute("residence_municipality")
    birth_year = 1980

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        cpr = kwargs.pop("cpr_plain", None)
        obj = model_class(*args, **kwargs)
        obj.set_cpr(cpr or next_cpr())
        obj.save()
        return obj

    @factory.lazy_attribute
    def cpr_plain(self):
        return self.cpr


class AnonymousCitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    is_anonymous = True
    pseudonym = factory.Sequence(lambda n: f"Pseudonym{n}")
    birth_year = 1990
    acting_municipality = factory.SubFactory(MunicipalityFactory)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    citizen = factory.SubFactory(CitizenFactory)
    provider = factory.SubFactory(ProviderFactory)
    referred_on = dt.date(2026, 1, 1)


ALL_ROLES = [r.value for r in Role]
