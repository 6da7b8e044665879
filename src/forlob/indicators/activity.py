"""A provider's activity per purchasing municipality, month by month (issue 5 item 6): the
citizens in treatment, starts, discharges, place days and citizens by intensity, and the
anonymous alcohol treatments by the municipality of residence. The definitions are
rules_activity.py's; this module computes them set-based through the ORM.

Queries: one per month for the named citizens' courses (grouped by acting municipality; the
intensity of each day comes from correlated subqueries over the plans and decisions, so no
course is read into Python), one for the anonymous alcohol treatments of every month (grouped
by residence), and one for the purchase agreements: 2 + the number of months, whatever the
number of courses. Only counts and day sums leave the database: no citizen, no course id."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from forlob.organisations.models import PurchaseAgreement
from forlob.pathway.models import Course, CourseTrack, Decision
from forlob.treatment.models import TreatmentPlan

from . import rules_activity as rules

ZERO = dt.timedelta(0)
#: Stands in for "no later fact" in the segment arithmetic; later than any month asked for.
FAR = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Row:
    """One purchasing municipality's figures for one month. `municipality` is None for the
    anonymous treatments of users who did not state a municipality of residence."""

    municipality: int | None
    citizens: int = 0
    starts: int = 0
    discharges: int = 0
    #: Distinct citizens with at least one place day at each intensity (rules.INTENSITIES).
    citizens_by_intensity: tuple = (0, 0, 0)
    #: Place days at each intensity.
    days_by_intensity: tuple = (0, 0, 0)
    anonymous_alcohol: int = 0
    #: A purchase agreement with the provider was in force on a day of the month.
    agreement: bool = False

    @property
    def active(self) -> bool:
        return bool(self.citizens or self.starts or self.discharges or self.anonymous_alcohol
                    or any(self.days_by_intensity))


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date
    rows: tuple = field(default=())  # Row, ordered by municipality id, None last

    @property
    def empty(self) -> bool:
        """No activity at all in the month (an agreement alone is no activity)."""
        return not any(r.active for r in self.rows)

    def places(self, days: int) -> float:
        return rules.places_used(days, self.first, self.last)


def _date(value):
    return Value(value, output_field=DateField())


def _days(later, earlier):
    return ExpressionWrapper(later - earlier, output_field=DurationField())


def _stated_plans(course_ref):
    return TreatmentPlan.objects.filter(course=course_ref).exclude(intensity="")


def _granting_decisions(course_ref):
    return Decision.objects.filter(course=course_ref).exclude(intensity="").exclude(
        outcome=rules.REFUSAL)


def _plan_days(intensity: str):
    """Place days at `intensity` from the plans (rules.intensity_on, first branch): each plan
    stating it holds from its agreement day until the next plan stating an intensity, clipped
    to the course's place days in the month (the outer query's lo and hi, hi excluded)."""
    following = _stated_plans(OuterRef("course")).filter(
        Q(agreed_on__gt=OuterRef("agreed_on"))
        | Q(agreed_on=OuterRef("agreed_on"), number__gt=OuterRef("number"))
    ).order_by("agreed_on").values("agreed_on")[:1]
    segments = _stated_plans(OuterRef("pk")).filter(intensity=intensity).annotate(
        seg_from=Greatest(F("agreed_on"), OuterRef("lo"), output_field=DateField()),
        seg_to=Least(Coalesce(Subquery(following), _date(FAR)), OuterRef("hi"),
                     output_field=DateField()),
    ).filter(seg_to__gt=F("seg_from"))
    total = segments.values("course").annotate(
        total=Sum(_days(F("seg_to"), F("seg_from")))).values("total")
    return Coalesce(Subquery(total, output_field=DurationField()), Value(ZERO))


def _decision_days(intensity: str):
    """Place days at `intensity` from the decisions (rules.intensity_on, second branch): each
    granting decision stating it holds from its day until the next such decision or the first
    plan stating an intensity, clipped like the plans'."""
    following = _granting_decisions(OuterRef("course")).filter(
        Q(decided_on__gt=OuterRef("decided_on"))
        | Q(decided_on=OuterRef("decided_on"), pk__gt=OuterRef("pk"))
    ).order_by("decided_on").values("decided_on")[:1]
    segments = _granting_decisions(OuterRef("pk")).filter(intensity=intensity).annotate(
        seg_from=Greatest(F("decided_on"), OuterRef("lo"), output_field=DateField()),
        seg_to=Least(Coalesce(Subquery(following), _date(FAR)), OuterRef("plan_from"),
                     OuterRef("hi"), output_field=DateField()),
    ).filter(seg_to__gt=F("seg_from"))
    total = segments.values("course").annotate(
        total=Sum(_days(F("seg_to"), F("seg_from")))).values("total")
    return Coalesce(Subquery(total, output_field=DurationField()), Value(ZERO))


def _named(provider_id: int, first: dt.date, last: dt.date, municipalities) -> list[dict]:
    """The named citizens' courses at the provider in treatment in the month, grouped by
    acting municipality (rules.purchaser), with their counts and place days (one query)."""
    after = last + dt.timedelta(days=1)
    qs = Course.objects.filter(
        start__provider_id=provider_id, citizen__is_anonymous=False,
        start__started_on__lte=last,
    ).filter(Q(discharge__isnull=True) | Q(discharge__discharged_on__gte=first))
    if municipalities is not None:
        qs = qs.filter(acting_municipality__in=municipalities)
    first_plan = _stated_plans(OuterRef("pk")).order_by("agreed_on").values("agreed_on")[:1]
    first_decision = _granting_decisions(OuterRef("pk")).order_by(
        "decided_on").values("decided_on")[:1]
    qs = qs.annotate(
        # The place days in the month are [lo, hi): rules.place_days.
        lo=Greatest(F("start__started_on"), _date(first), output_field=DateField()),
        hi=Least(Coalesce(F("discharge__discharged_on"), _date(after)), _date(after),
                 output_field=DateField()),
        plan_from=Coalesce(Subquery(first_plan), _date(FAR)),
        decision_from=Coalesce(Subquery(first_decision), _date(FAR)),
    ).annotate(
        # Before the first plan or decision stating an intensity: ambulant (rules.intensity_on).
        default_to=Least(F("plan_from"), F("decision_from"), F("hi"), output_field=DateField()),
    )
    columns = {}
    for i, intensity in enumerate(rules.INTENSITIES):
        columns[f"plan_{i}"] = _plan_days(intensity)
        columns[f"decision_{i}"] = _decision_days(intensity)
    qs = qs.annotate(**columns)
    default_days = Sum(_days(F("default_to"), F("lo")), filter=Q(default_to__gt=F("lo")))
    aggregates = {
        "citizens": Count("citizen", distinct=True),
        "starts": Count("pk", filter=Q(start__started_on__gte=first)),
        "discharges": Count("pk", filter=Q(discharge__discharged_on__lte=last)),
        "default_days": default_days,
    }
    for i, intensity in enumerate(rules.INTENSITIES):
        some = Q(**{f"plan_{i}__gt": ZERO}) | Q(**{f"decision_{i}__gt": ZERO})
        if intensity == rules.AMBULANT:
            some |= Q(default_to__gt=F("lo"))
        aggregates[f"plan_days_{i}"] = Sum(f"plan_{i}")
        aggregates[f"decision_days_{i}"] = Sum(f"decision_{i}")
        aggregates[f"citizens_{i}"] = Count("citizen", distinct=True, filter=some)
    return list(qs.order_by().values("acting_municipality").annotate(**aggregates))


def _whole_days(duration) -> int:
    return duration.days if duration else 0


def _anonymous(provider_id: int, months, municipalities) -> dict:
    """Anonymous alcohol treatments (rules.counts_as_anonymous_alcohol) at the provider in
    treatment in each month, by the residence stated (None: not stated). One query."""
    qs = Course.objects.filter(start__provider_id=provider_id, citizen__is_anonymous=True).filter(
        Exists(CourseTrack.objects.filter(course=OuterRef("pk"), track=rules.ALCOHOL_TRACK)))
    if municipalities is not None:
        qs = qs.filter(citizen__residence_municipality__in=municipalities)

    def running(first, last):
        return Q(start__started_on__lte=last) & (
            Q(discharge__isnull=True) | Q(discharge__discharged_on__gte=first))

    rows = qs.order_by().values("citizen__residence_municipality").annotate(**{
        f"m{i}": Count("pk", filter=running(first, last))
        for i, (first, last) in enumerate(months)})
    return {(i, r["citizen__residence_municipality"]): r[f"m{i}"]
            for r in rows for i in range(len(months)) if r[f"m{i}"]}


def _agreements(provider_id: int, months, municipalities) -> set:
    """(month index, municipality) where a purchase agreement with the provider was in force
    on a day of the month. Agreements are reference data, read as rows."""
    qs = PurchaseAgreement.objects.filter(provider_id=provider_id)
    if municipalities is not None:
        qs = qs.filter(municipality__in=municipalities)
    found = set()
    for municipality, valid_from, valid_to in qs.values_list(
            "municipality", "valid_from", "valid_to"):
        for i, (first, last) in enumerate(months):
            if valid_from <= last and (valid_to is None or valid_to >= first):
                found.add((i, municipality))
    return found


def _order(municipality):
    return (municipality is None, municipality or 0)


def report(provider_id: int, first_month: dt.date, last_month: dt.date,
           municipalities=None) -> list[Month]:
    """The provider's activity for each month from `first_month` to `last_month`, one Row per
    purchasing municipality (a municipality with an agreement in force gets a row even without
    activity). `municipalities`: the ids whose rows the caller may show, or None for all of
    them, the anonymous treatments without a stated residence included."""
    months = rules.month_range(first_month, last_month)
    if len(months) > rules.MAX_MONTHS:
        raise ValueError(f"at most {rules.MAX_MONTHS} months")
    if municipalities is not None:
        municipalities = frozenset(municipalities)
    anonymous = _anonymous(provider_id, months, municipalities)
    agreements = _agreements(provider_id, months, municipalities)
    result = []
    for i, (first, last) in enumerate(months):
        rows = {}
        for r in _named(provider_id, first, last, municipalities):
            default = _whole_days(r["default_days"])
            days = tuple(
                _whole_days(r[f"plan_days_{n}"]) + _whole_days(r[f"decision_days_{n}"])
                + (default if intensity == rules.AMBULANT else 0)
                for n, intensity in enumerate(rules.INTENSITIES))
            rows[r["acting_municipality"]] = Row(
                r["acting_municipality"], r["citizens"], r["starts"], r["discharges"],
                tuple(r[f"citizens_{n}"] for n in range(len(rules.INTENSITIES))), days)
        keys = set(rows) | {m for j, m in anonymous if j == i} | {
            m for j, m in agreements if j == i}
        shaped = []
        for m in sorted(keys, key=_order):
            row = rows.get(m, Row(m))
            shaped.append(Row(m, row.citizens, row.starts, row.discharges,
                              row.citizens_by_intensity, row.days_by_intensity,
                              anonymous.get((i, m), 0), (i, m) in agreements))
        result.append(Month(first, last, tuple(shaped)))
    return result
