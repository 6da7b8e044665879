"""Indicators after treatment start (issue 5 item 1): review cadence, completion rate and
follow-up after discharge at 1 and 6 months. Counted in SQL over population.courses()."""

from functools import reduce
from operator import or_

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway.models import CourseTrack
from forlob.pathway.rules import Track
from forlob.pathway.rules_aftercare import PLANNED, REVIEW_MONTHS
from forlob.standards.models import ServiceStandard, Status
from forlob.treatment.models import FollowUp, Review, TreatmentPlan

from . import population, rules
from . import rules_pathway as rp
from .catalogue import Kpi, Value, register
from .filters import Filters

GROUP = "aftercare"

#: Stands for "no such track" in the shortest-interval expression (above any real interval).
_NONE = 99


def _latest(model, column, day):
    qs = model.objects.filter(course=OuterRef("pk"), **{f"{column}__lte": day})
    return Subquery(qs.order_by(f"-{column}").values(column)[:1])


def _track_months(track: str):
    """The review interval of `track` in the standard in force at the anchor, or the default
    3 months (pathway.rules_aftercare.REVIEW_MONTHS) without a standard; _NONE when the course
    is not on the track."""
    in_force = ServiceStandard.objects.filter(
        municipality=OuterRef("acting_municipality"), status=Status.ADOPTED,
        valid_from__lte=OuterRef("anchor")).order_by("-valid_from", "-number")
    months = Coalesce(Subquery(in_force.values(f"review_months_{track}")[:1]), REVIEW_MONTHS,
                      output_field=IntegerField())
    on_track = Exists(CourseTrack.objects.filter(course=OuterRef("pk"), track=track))
    return Case(When(on_track, then=months), default=V(_NONE), output_field=IntegerField())


def _review_population(filters: Filters):
    """Active courses on the reference day (the period end, or today if earlier): started,
    not discharged, with a plan. Numerator: the latest plan or review (the anchor,
    treatment.rules.review_anchor) plus the review interval is not before the reference day.
    The interval is the shortest of the course's tracks in the standard in force at the anchor
    (treatment.clocks.review_months); a relapse that brings a review forward is not counted
    [inference: set-based approximation]. Retningslinje 3.9.1; SEL § 101, stk. 8."""
    day = min(filters.end, clock.today())
    plan = _latest(TreatmentPlan, "agreed_on", day)
    review = _latest(Review, "held_on", day)
    qs = population.courses(filters).filter(started_on__lte=day).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=day)).annotate(
        last_plan=plan, last_review=review).filter(last_plan__isnull=False).annotate(
        anchor=Greatest("last_plan", Coalesce("last_review", "last_plan")))
    qs = qs.annotate(shortest=Least(*(_track_months(t.value) for t in Track),
                                  output_field=IntegerField())).annotate(
        interval=Case(When(shortest=_NONE, then=V(REVIEW_MONTHS)), default="shortest",
                              output_field=IntegerField()))
    within = reduce(or_, (Q(interval=m, anchor__gte=rp.earliest_anchor(day, m))
                          for m in rp.REVIEW_MONTH_RANGE))
    return qs, within


def review_cadence_cases(filters: Filters):
    return _review_population(filters)[0]


def review_cadence(filters: Filters) -> Value:
    """_review_population counted (retningslinje 3.9.1; SEL § 101, stk. 8)."""
    qs, within = _review_population(filters)
    counts = qs.aggregate(n=Count("pk"), kept=Count("pk", filter=within))
    return Value(rules.share(counts["kept"], counts["n"]), counts["kept"], counts["n"])


def discharged_in_period(filters: Filters):
    """Courses discharged in the period (completion_rate's denominator)."""
    return population.in_period(population.courses(filters), "discharged_on", filters)


def completion_rate(filters: Filters) -> Value:
    """Planned discharges (pathway.rules_aftercare.PLANNED) over all discharges in the period
    (retningslinje 3.11; KL inspirationskatalog 2009, indikator I1)."""
    qs = discharged_in_period(filters)
    planned = Q(discharge_reason__in=[r.value for r in PLANNED])
    counts = qs.aggregate(n=Count("pk"), planned=Count("pk", filter=planned))
    return Value(rules.share(counts["planned"], counts["n"]), counts["planned"], counts["n"])


def _due_follow_ups(number: int, filters: Filters):
    return FollowUp.objects.filter(
        course__in=population.courses(filters).values("pk"), number=number,
        due__gte=filters.start, due__lte=filters.end)


def _follow_up_cases(number: int, filters: Filters):
    """The courses of the follow-ups _follow_up counts: declined, held, or due before today
    (the union of its declined, done and missed)."""
    counted = (Q(declined_on__isnull=False) | Q(held_on__isnull=False)
               | Q(due__lt=clock.today()))
    return population.courses(filters).filter(
        pk__in=_due_follow_ups(number, filters).filter(counted).values("course"))


def _follow_up(number: int, filters: Filters) -> Value:
    """Follow-ups number `number` due in the period (bek. 1477 § 4, stk. 2; retningslinje
    3.12), by status (pathway.rules_aftercare.follow_up_status): declined (declined_on,
    whatever else), done (held_on), missed (neither, and due before today). Still open ones
    are not yet counted. Value: done over done + declined + missed."""
    today = clock.today()
    qs = _due_follow_ups(number, filters)
    declined = Q(declined_on__isnull=False)
    done = Q(declined_on__isnull=True, held_on__isnull=False)
    missed = Q(declined_on__isnull=True, held_on__isnull=True, due__lt=today)
    c = qs.aggregate(done=Count("pk", filter=done), declined=Count("pk", filter=declined),
                     missed=Count("pk", filter=missed))
    n = c["done"] + c["declined"] + c["missed"]
    cells = (("done", _("Gennemført"), c["done"]), ("declined", _("Takket nej"), c["declined"]),
             ("missed", _("Ikke gennemført"), c["missed"]))
    return Value(rules.share(c["done"], n), c["done"], n, cells)


def follow_up_1(filters: Filters) -> Value:
    return _follow_up(1, filters)


def follow_up_6(filters: Filters) -> Value:
    return _follow_up(2, filters)


def follow_up_1_cases(filters: Filters):
    return _follow_up_cases(1, filters)


def follow_up_6_cases(filters: Filters):
    return _follow_up_cases(2, filters)


def _kpi(code, compute, name_da, name_en, definition_da, definition_en, numerator,
         denominator, source, better, period_date, cases):
    return register(Kpi(code=code, name_da=name_da, name_en=name_en,
                        definition_da=definition_da, definition_en=definition_en,
                        numerator=numerator, denominator=denominator, source=source,
                        better=better, period_date=period_date, compute=compute, group=GROUP,
                        cases=cases))


_kpi("review_cadence", review_cadence, _("Opfølgning på plan til tiden"), "Review cadence",
     _("Andel af aktive forløb ved periodens slutning, hvor seneste plan eller opfølgning "
       "ligger inden for forløbets opfølgningsinterval."),
     "Share of courses active at the period end whose latest plan or review lies within the "
     "course's review interval.",
     "active courses whose latest plan or review + interval is not before the period end",
     "courses started, not discharged and with a plan at the period end (or today if earlier)",
     "SEL § 101, stk. 8; retningslinje 3.9.1", "higher", "period end (active courses)",
     review_cadence_cases)
_kpi("completion_rate", completion_rate, _("Gennemførselsgrad"), "Completion rate",
     _("Planlagte udskrivninger (færdigbehandlet, andet tilbud, hospital, flyttet, ønsker at "
       "stoppe) i forhold til alle udskrivninger i perioden."),
     "Planned discharges (completed, other offer, hospital, moved, citizen stops) over all "
     "discharges in the period.",
     "discharges with a planned reason", "discharges in the period",
     "Retningslinje 3.11; KL inspirationskatalog 2009, I1", "higher", "discharge date",
     discharged_in_period)
for _code, _number, _da, _en in (("follow_up_1", 1, _("Opfølgning 1 måned efter udskrivning"),
                                  "Follow-up 1 month after discharge"),
                                 ("follow_up_6", 2, _("Opfølgning 6 måneder efter udskrivning"),
                                  "Follow-up 6 months after discharge")):
    _kpi(_code, follow_up_1 if _number == 1 else follow_up_6, _da, _en,
         _("Andel af opfølgninger med frist i perioden, der blev gennemført; fordelt på "
           "gennemført, takket nej og ikke gennemført. Åbne opfølgninger tælles ikke endnu."),
         "Share of the follow-ups due in the period that were held; split into done, declined "
         "and missed. Follow-ups still open are not counted yet.",
         "follow-ups held (not declined)",
         "follow-ups due in the period that were held, declined or missed",
         "Bek. 1477 § 4, stk. 2; retningslinje 3.12; KL anbefaling 5", "higher", "due date",
         follow_up_1_cases if _number == 1 else follow_up_6_cases)
