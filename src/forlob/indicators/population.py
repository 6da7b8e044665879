"""The set of courses an indicator counts, as one annotated queryset (issue 5): every fact an
indicator needs is a column computed in SQL by a subquery, so the engine never loops over cases
in Python. Dimension filters (municipality, track, provider, cluster, sex, age group) are
applied here; each indicator then puts its own date in the period (catalogue.py)."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from forlob.pathway.models import (
    Assessment,
    Course,
    CourseTrack,
    Decision,
    FreeChoice,
    TreatmentRequest,
)
from forlob.standards.models import ServiceStandard, Status
from forlob.standards.rules import GUARANTEE_DAYS

from . import rules
from .filters import Filters


def _first(model, column, order=None, **match):
    qs = model.objects.filter(course=OuterRef("pk"), **match).order_by(order or column, "pk")
    return Subquery(qs.values(column)[:1])


def _guarantee_days():
    """The guarantee day count in the acting municipality's quality standard in force on the
    first request (standards.rules.in_force, as SQL), or the law's 14 days."""
    in_force = ServiceStandard.objects.filter(
        municipality=OuterRef("acting_municipality"), status=Status.ADOPTED,
        valid_from__lte=OuterRef("first_request")).order_by("-valid_from", "-number")
    return Coalesce(Subquery(in_force.values("guarantee_days")[:1]), GUARANTEE_DAYS)


def courses(filters: Filters):
    """Courses of the selected municipalities with their facts as columns: first_request,
    first_assessment, first_decision, started_on, provider_id (of the start), discharged_on,
    discharge_reason, free_choice, anonymous, sex, age (at the first request) and
    guarantee_days (the promise in force at the first request)."""
    qs = Course.objects.filter(acting_municipality__in=filters.municipalities).annotate(
        first_request=_first(TreatmentRequest, "requested_on"),
        first_assessment=_first(Assessment, "done_on"),
        first_decision=_first(Decision, "decided_on"),
        started_on=F("start__started_on"),
        start_provider=F("start__provider_id"),
        discharged_on=F("discharge__discharged_on"),
        discharge_reason=F("discharge__reason"),
        free_choice=Exists(FreeChoice.objects.filter(course=OuterRef("pk"), limited=False)),
        anonymous=F("citizen__is_anonymous"),
        sex=F("citizen__sex"),
        age=ExtractYear("first_request") - F("citizen__birth_year"),
    ).annotate(guarantee_days=_guarantee_days())
    if filters.track == "youth":
        qs = qs.filter(age__lte=rules.YOUTH_MAX_AGE)
    elif filters.track:
        qs = qs.filter(Exists(CourseTrack.objects.filter(course=OuterRef("pk"),
                                                         track=filters.track)))
    if filters.provider:
        qs = qs.filter(start_provider=filters.provider)
    if filters.cluster:
        qs = qs.filter(acting_municipality__cluster=filters.cluster)
    if filters.sex is not None:
        qs = qs.filter(sex=filters.sex)
    if filters.age_group:
        low, high = rules.age_bounds(filters.age_group)
        qs = qs.filter(age__gte=low, age__lte=high)
    return qs


def in_period(qs, column: str, filters: Filters):
    """Courses whose `column` date lies in the selected period."""
    return qs.filter(**{f"{column}__gte": filters.start, f"{column}__lte": filters.end})


def has_track(track: str):
    return Q(Exists(CourseTrack.objects.filter(course=OuterRef("pk"), track=track)))
