"""Factories for the network context (issue 4 items 3 and 4). Each needs a `course`."""

import datetime as dt

import factory

from forlob.network.models import Consent, Disclosure, Guardian, NetworkMember, Party


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    party = Party.GP
    scope = "Status på behandlingen"
    given_on = dt.date(2026, 6, 1)


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    name = factory.Sequence(lambda n: f"Netværksperson {n}")
    relation = "friend"
    influence = "supportive"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    name = factory.Sequence(lambda n: f"Værge {n}")
    basis = "vml7"
    from_on = dt.date(2026, 1, 1)


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    party = Party.GP
    disclosed_on = dt.date(2026, 6, 10)
    content = "Status"
    consent = factory.SubFactory(ConsentFactory, course=factory.SelfAttribute("..course"))
