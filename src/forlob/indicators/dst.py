"""Danmarks Statistik's "Stofmisbrugsbehandling – Social" reproduced on the municipality's own
data (issue 5 item 2), so a municipality sees its figures before the state publishes them.

Built from the register's events as Forløb records them: the authority's request (the first
TreatmentRequest of a course, DST's BehandlingAnmodningDato), the start (iværksættelse,
TreatmentStart.started_on), the provider enrolment (tilbudstilknytning,
TreatmentStart.enrolled_on) and the end of treatment (Discharge.discharged_on).

Scope, as DST's: social drug treatment under SEL § 101 only. Anonymous treatment (§ 101 a) is
not in the statistic (DST, indhold), nor are courses granted under SUL § 142 alone (DST, emne
"Stofmisbrug"); a course with both § 101 and § 142 counts. Courses of anonymous citizens are
left out as well, whatever their track.

Counts are set-based: one grouped query per event kind (requests, starts, enrolments, ends,
end status), one aggregate for the active treatment courses and persons, and one for the
guarantee: eight queries, never one per course. The one exception is the contact-course merge
(rules_dst.merge_contact_courses): it reads one flat list of (person, request date, end date)
and merges in Python, since the 10-day merge is a chain over each person's courses; doing it
in SQL (a gaps-and-islands window query) is left for later. The rules and their citations are
in rules_dst.py.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from forlob.pathway.rules import Track
from forlob.treatment.choices import Reason

from . import population, rules, rules_dst
from .filters import Filters
from .kpis_pathway import per_day_count, waited_days

END_STATUS_LABELS = {
    "stoffri": _("Stoffri"),
    "reduceret_stabiliseret": _("Reduceret eller stabiliseret stofmisbrug"),
    "andet": _("Andet"),
}


@dataclass(frozen=True)
class CourseCounts:
    """Courses begun (påbegyndt), ended (afsluttet) and active (running on at least one day)
    in a period. DST's headline count of contact and treatment courses is `active`."""

    begun: int = 0
    ended: int = 0
    active: int = 0


@dataclass(frozen=True)
class Guarantee:
    """Starts in the period by guarantee status: kept or broken against the guarantee days of
    the quality standard in force at the first request (population.guarantee_days), the same
    against the law's 14 days (what DST monitors), and waived by free choice."""

    kept: int = 0
    broken: int = 0
    waived: int = 0
    kept_law: int = 0

    @property
    def share(self) -> float | None:
        return rules.share(self.kept, self.kept + self.broken)

    @property
    def share_law(self) -> float | None:
        return rules.share(self.kept_law, self.kept + self.broken)


@dataclass(frozen=True)
class Month:
    first: dt.date  # first day of the month, clipped to the period
    last: dt.date
    requests: int = 0
    starts: int = 0
    enrolments: int = 0
    ends: int = 0
    contact: CourseCounts = CourseCounts()
    treatment: CourseCounts = CourseCounts()


@dataclass(frozen=True)
class Statistic:
    """The figures for one selection and period. `end_reasons` and `end_status` are
    (key, label, count) rows over the ends in the period, every category listed."""

    requests: int
    starts: int
    enrolments: int
    ends: int
    contact: CourseCounts
    treatment: CourseCounts
    persons_in_treatment: int
    end_reasons: tuple
    end_status: tuple
    guarantee: Guarantee
    months: tuple[Month, ...]


def selection(filters: Filters):
    """The § 101 courses of named citizens in the selection (see the module docstring)."""
    return population.courses(filters).filter(
        population.has_track(Track.SOCIAL_DRUG), anonymous=False)


def _per_month(qs, column: str, filters: Filters) -> dict[dt.date, int]:
    """Courses whose `column` lies in the period, counted per calendar month (one query)."""
    rows = (population.in_period(qs, column, filters).annotate(month=TruncMonth(column))
            .values("month").annotate(n=Count("pk")).order_by("month"))
    return {r["month"]: r["n"] for r in rows}


def _treatment_active(qs, buckets) -> tuple[list[int], int]:
    """Treatment courses running on at least one day of each bucket, and the distinct persons
    with one running in the first bucket (the period), in one aggregate."""
    def running(first, last):
        return Q(started_on__lte=last) & (Q(discharged_on__isnull=True)
                                          | Q(discharged_on__gte=first))
    counts = qs.filter(started_on__isnull=False).aggregate(
        persons=Count("citizen", distinct=True, filter=running(*buckets[0])),
        **{f"b{i}": Count("pk", filter=running(first, last))
           for i, (first, last) in enumerate(buckets)})
    return [counts[f"b{i}"] for i in range(len(buckets))], counts["persons"]


def contact_courses(qs, filters: Filters) -> list[rules_dst.ContactCourse]:
    """The merged contact courses that can touch the period. Every earlier request counts (a
    course begun years ago may still be running); a request later than the period's end plus
    the merge gap cannot change whether a course begun, ended or ran in the period."""
    horizon = filters.end + dt.timedelta(days=rules_dst.MERGE_GAP_DAYS)
    rows = qs.filter(first_request__isnull=False, first_request__lte=horizon).values_list(
        "acting_municipality_id", "citizen_id", "first_request", "discharged_on")
    return rules_dst.merge_contact_courses(((m, c), r, e) for m, c, r, e in rows)


def _guarantee(qs, filters: Filters) -> Guarantee:
    """Starts in the period against the guarantee (rules_dst.guarantee_status, as one
    aggregate): waived with free choice, kept when started within the standard's days of the
    first request, broken otherwise; and kept against the law's 14 days."""
    qs = population.in_period(qs, "started_on", filters).filter(
        first_request__isnull=False).annotate(waited=waited_days())
    own = Q(free_choice=False) & per_day_count(lambda d: Q(waited__lte=dt.timedelta(days=d)))
    law = Q(free_choice=False, waited__lte=dt.timedelta(days=rules_dst.GUARANTEE_DAYS))
    counts = qs.aggregate(n=Count("pk"), waived=Count("pk", filter=Q(free_choice=True)),
                          kept=Count("pk", filter=own), kept_law=Count("pk", filter=law))
    broken = counts["n"] - counts["waived"] - counts["kept"]
    return Guarantee(counts["kept"], broken, counts["waived"], counts["kept_law"])


def _ends_by(qs, filters: Filters) -> tuple[tuple, tuple]:
    rows = population.in_period(qs, "discharged_on", filters).values(
        "discharge_reason", "discharge__use_status").annotate(n=Count("pk"))
    reasons = dict.fromkeys(Reason.values, 0)
    groups = dict.fromkeys(rules_dst.END_STATUS_GROUPS, 0)
    for r in rows:
        reasons[r["discharge_reason"]] = reasons.get(r["discharge_reason"], 0) + r["n"]
        groups[rules_dst.end_status_group(r["discharge__use_status"])] += r["n"]
    labels = dict(Reason.choices)
    return (tuple((k, labels.get(k, k), n) for k, n in reasons.items()),
            tuple((k, END_STATUS_LABELS[k], n) for k, n in groups.items()))


def statistic(filters: Filters) -> Statistic:
    """The DST figures for the selection and period, with a row per calendar month."""
    qs = selection(filters)
    requests = _per_month(qs, "first_request", filters)
    starts = _per_month(qs, "started_on", filters)
    enrolments = _per_month(qs, "start__enrolled_on", filters)
    ends = _per_month(qs, "discharged_on", filters)
    buckets = [(filters.start, filters.end), *rules.months(filters.start, filters.end)]
    active, persons = _treatment_active(qs, buckets)
    contact = contact_courses(qs, filters)
    end_reasons, end_status = _ends_by(qs, filters)

    def treatment(i, first):
        key = first.replace(day=1)
        return CourseCounts(starts.get(key, 0), ends.get(key, 0), active[i])

    months = tuple(
        Month(first, last, requests.get(first.replace(day=1), 0),
              starts.get(first.replace(day=1), 0), enrolments.get(first.replace(day=1), 0),
              ends.get(first.replace(day=1), 0),
              CourseCounts(*rules_dst.course_counts(contact, first, last)),
              treatment(i, first))
        for i, (first, last) in enumerate(buckets[1:], start=1))
    return Statistic(
        requests=sum(requests.values()), starts=sum(starts.values()),
        enrolments=sum(enrolments.values()), ends=sum(ends.values()),
        contact=CourseCounts(*rules_dst.course_counts(contact, filters.start, filters.end)),
        treatment=CourseCounts(sum(starts.values()), sum(ends.values()), active[0]),
        persons_in_treatment=persons,
        end_reasons=end_reasons, end_status=end_status,
        guarantee=_guarantee(qs, filters), months=months)
