"""Factories for the quality standard (issue 7)."""

import datetime as dt

import factory

from forlob.standards.models import ComplaintRoute, ContactPoint, ServiceStandard, Status
from forlob.standards.rules import ALL_TRACKS

SINCE = dt.date(2000, 1, 1)


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    """A draft version; `adopted(...)` below for one in force."""

    class Meta:
        model = ServiceStandard

    number = factory.Sequence(lambda n: n + 1)
    sections = factory.LazyFunction(lambda: {"target": "Borgere over 18 år i kommunen."})


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    kind = "counselling"
    name = "Rådgivningen"
    address = "Torvet 1, 2680 Solrød Strand"
    phone = "56 18 28 60"
    email = "raadgivning@example.dk"
    opening_hours = "Mandag-fredag 9-15"


def adopted(municipality, valid_from=SINCE, adopted_on=None, routes=True, **levels):
    """An adopted version in force from `valid_from`, with a complaint route per track."""
    number = (ServiceStandard.objects.filter(municipality=municipality).count()) + 1
    standard = ServiceStandardFactory(
        municipality=municipality, number=number, status=Status.ADOPTED, valid_from=valid_from,
        adopted_on=adopted_on or valid_from, involvement="Brugerrådet blev hørt.",
        involved_on=adopted_on or valid_from, **levels)
    if routes:
        for track in ALL_TRACKS:
            ComplaintRoute.objects.create(standard=standard, track=track,
                                          authority=f"Klageinstans {track}", deadline="4 uger")
    return standard
