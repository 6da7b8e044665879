"""The service levels in force: the one place the pathway, treatment and attendance contexts
read a municipality's promises from (issue 7 item 2). A clock asks for the levels in force on
the day it started, so adopting a new version never moves a running deadline."""

import datetime as dt

from . import rules
from .models import ServiceStandard, Status


def adopted(municipality_id) -> list[rules.Adopted]:
    return [rules.Adopted(n, d) for n, d in ServiceStandard.objects.filter(
        municipality_id=municipality_id, status=Status.ADOPTED).values_list(
        "number", "valid_from")]


def standard_on(municipality_id, day: dt.date) -> ServiceStandard | None:
    """The version in force on `day` (rules.in_force), or None before the first."""
    number = rules.in_force(adopted(municipality_id), day)
    if number is None:
        return None
    return ServiceStandard.objects.get(municipality_id=municipality_id, number=number)


def levels_on(municipality_id, day: dt.date) -> rules.ServiceLevels:
    """The service levels in force on `day`; the law's levels where no version is in force."""
    standard = standard_on(municipality_id, day)
    return standard.levels() if standard is not None else rules.ServiceLevels()
