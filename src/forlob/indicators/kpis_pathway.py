"""Pathway indicators (issue 5 item 1): the treatment guarantee, waiting days, assessment and
decision within 14 days, the legal quality of decisions and the plan at start. Every figure is
counted in SQL over population.courses(); only the waiting days are fetched as a flat list of
numbers for the median and 90th percentile (rules.median, rules.percentile)."""

import datetime as dt
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Length, Trim
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway.models import CourseTrack, Decision
from forlob.pathway.rules import Outcome, Track
from forlob.pathway.rules_aftercare import PLAN_DAYS
from forlob.standards.models import ServiceStandard, Status
from forlob.treatment.models import TreatmentPlan

from . import population, rules
from . import rules_pathway as rp
from .catalogue import Kpi, Value, register
from .filters import Filters

GROUP = "pathway"


def _any_track(tracks) -> Q:
    return Q(Exists(CourseTrack.objects.filter(course=OuterRef("pk"), track__in=tracks)))


def waited_days():
    """Days from the first request to the start, as a duration column."""
    return ExpressionWrapper(F("started_on") - F("first_request"), output_field=DurationField())


def per_day_count(make) -> Q:
    """OR over the guarantee day counts a standard can hold: `make(days)` is the condition for
    courses whose guarantee_days is `days` (keeps the date arithmetic out of SQL)."""
    return reduce(or_, (Q(guarantee_days=d) & make(d) for d in rp.GUARANTEE_DAY_RANGE))


def guarantee_q() -> Q:
    """Courses under the guarantee (pathway.rules.guarantee_applies): a § 101 or § 141 track,
    no free choice (SEL § 101, stk. 6), and for the under-18s only when the youth guarantee is
    configured (SEL § 101, stk. 12; settings.FORLOB_YOUTH_GUARANTEE)."""
    q = _any_track(rp.GUARANTEE_TRACKS) & Q(free_choice=False)
    if not settings.FORLOB_YOUTH_GUARANTEE:
        q &= Q(age__isnull=True) | Q(age__gt=rules.YOUTH_MAX_AGE)
    return q


def _refused_unstarted() -> Q:
    """Not started and the latest decision refuses treatment: no guarantee to keep
    [inference: the guarantee is for treatment granted; a later grant reopens it]."""
    return Q(started_on__isnull=True, latest_outcome=Outcome.REFUSAL.value)


def guarantee_population(filters: Filters):
    """Guarantee courses whose deadline (first request + the standard's guarantee days) lies
    in the period and is settled: started, or still waiting after the deadline has passed."""
    today = clock.today()
    latest = Decision.objects.filter(course=OuterRef("pk")).order_by("-decided_on", "-pk")
    qs = population.courses(filters).annotate(
        latest_outcome=Coalesce(Subquery(latest.values("outcome")[:1]), V("")),
        waited=waited_days())
    in_period = per_day_count(lambda d: Q(
        first_request__range=rp.request_window(filters.start, filters.end, d)))
    overdue = per_day_count(lambda d: Q(first_request__lt=today - dt.timedelta(days=d)))
    return qs.filter(guarantee_q(), in_period).exclude(_refused_unstarted()).filter(
        Q(started_on__isnull=False) | overdue)


def guarantee_kept(filters: Filters) -> Value:
    """SEL § 101, stk. 4; SUL § 141, stk. 2; KL inspirationskatalog 2009, indikator I2."""
    kept = per_day_count(lambda d: Q(waited__lte=dt.timedelta(days=d)))
    counts = guarantee_population(filters).aggregate(
        n=Count("pk"), kept=Count("pk", filter=kept))
    return Value(rules.share(counts["kept"], counts["n"]), counts["kept"], counts["n"])


def _days(qs) -> list[int]:
    return [w.days for w in qs.values_list("waited", flat=True)]


def _stats(days: list[int]) -> tuple[float | None, float | None]:
    return rules.median(days), rules.percentile(days, 90)


def _started_in_period(filters: Filters):
    qs = population.courses(filters).annotate(waited=waited_days())
    return population.in_period(qs, "started_on", filters).filter(first_request__isnull=False)


def waiting_population(filters: Filters):
    """Guarantee courses started in the period (waiting_days' courses)."""
    return _started_in_period(filters).filter(guarantee_q())


def waiting_days(filters: Filters) -> Value:
    """Days from first request to start of guarantee courses started in the period: median,
    with the 90th percentile in the cells (KL inspirationskatalog 2009, indikator I2)."""
    days = _days(waiting_population(filters))
    median, p90 = _stats(days)
    cells = (("median", _("Median"), median), ("p90", _("90. percentil"), p90))
    return Value(median, None, len(days), cells, unit="days")


def _free_choice() -> Q:
    return Q(free_choice=True)


def _anonymous_track() -> Q:
    """§ 101 a courses without free choice (disjoint from _free_choice) and without a
    guarantee: an anonymous course also on § 141 has the alcohol guarantee
    (pathway.rules.guarantee_tracks_apply), so waiting_days counts it, not this group."""
    return (Q(free_choice=False) & _any_track([Track.ANONYMOUS_DRUG.value])
            & ~guarantee_q())


def no_guarantee_population(filters: Filters):
    """Free-choice and § 101 a courses started in the period (waiting_days_no_guarantee's)."""
    return _started_in_period(filters).filter(_free_choice() | _anonymous_track())


def waiting_days_no_guarantee(filters: Filters) -> Value:
    """The same for courses without a guarantee, shown apart: free choice (SEL § 101, stk. 6)
    and anonymous treatment (SEL § 101 a). The value is over both; the cells split them."""
    started = _started_in_period(filters)
    free = _days(started.filter(_free_choice()))
    anonymous = _days(started.filter(_anonymous_track()))
    median, p90 = _stats(free + anonymous)
    free_median, free_p90 = _stats(free)
    anon_median, anon_p90 = _stats(anonymous)
    cells = (("median", _("Median"), median), ("p90", _("90. percentil"), p90),
             ("free_choice_n", _("Frit valg, forløb"), len(free)),
             ("free_choice_median", _("Frit valg, median"), free_median),
             ("free_choice_p90", _("Frit valg, 90. percentil"), free_p90),
             ("sel101a_n", _("§ 101 a, forløb"), len(anonymous)),
             ("sel101a_median", _("§ 101 a, median"), anon_median),
             ("sel101a_p90", _("§ 101 a, 90. percentil"), anon_p90))
    return Value(median, None, len(free) + len(anonymous), cells, unit="days")


def _within_14_population(column: str, filters: Filters):
    """Courses needing a decision (pathway.rules.decision_required_to_start) whose 14-day
    deadline lies in the period and is settled: `column` done, or the deadline passed."""
    today = clock.today()
    days = dt.timedelta(days=rp.ASSESSMENT_DAYS)
    return population.courses(filters).filter(
        _any_track(rp.DECISION_TRACKS),
        first_request__range=rp.request_window(filters.start, filters.end, rp.ASSESSMENT_DAYS),
    ).filter(Q(**{f"{column}__isnull": False}) | Q(first_request__lt=today - days))


def _within_14(column: str, filters: Filters) -> Value:
    """_within_14_population counted; numerator: `column` done on or before the deadline."""
    days = dt.timedelta(days=rp.ASSESSMENT_DAYS)
    qs = _within_14_population(column, filters)
    done = ExpressionWrapper(F(column) - F("first_request"), output_field=DurationField())
    counts = qs.annotate(done_after=done).aggregate(
        n=Count("pk"), kept=Count("pk", filter=Q(done_after__lte=days)))
    return Value(rules.share(counts["kept"], counts["n"]), counts["kept"], counts["n"])


def assessment_14(filters: Filters) -> Value:
    """Bek. 1477 § 1; retningslinje 3.5; KL inspirationskatalog 2009, indikator I2."""
    return _within_14("first_assessment", filters)


def decision_14(filters: Filters) -> Value:
    """Bek. 1477 § 1; retningslinje 3.6; KL inspirationskatalog 2009, indikator I2."""
    return _within_14("first_decision", filters)


def assessment_14_cases(filters: Filters):
    return _within_14_population("first_assessment", filters)


def decision_14_cases(filters: Filters):
    return _within_14_population("first_decision", filters)


def _non_full_decisions(filters: Filters):
    """Decisions of the selected courses in the period that are not full grants."""
    return Decision.objects.filter(
        course__in=population.courses(filters).values("pk"), outcome__in=rp.NON_FULL,
        decided_on__gte=filters.start, decided_on__lte=filters.end)


def decision_legal_quality_cases(filters: Filters):
    """The courses with a decision counted by decision_legal_quality (a course with two such
    decisions in the period is listed once)."""
    return population.courses(filters).filter(
        pk__in=_non_full_decisions(filters).values("course"))


def decision_legal_quality(filters: Filters) -> Value:
    """Decisions in the period that are not full grants (FVL §§ 22-25; retningslinje 3.6.2-3):
    the share whose letter was sent with reasons, and for a refusal the other help that can
    compensate (retningslinje 3.6.3). A sent letter always carries the legal basis and the
    complaint guidance (pathway.letters), so those need no separate check."""
    qs = _non_full_decisions(filters).annotate(reasons_len=Length(Trim("reasons")),
                                               other_len=Length(Trim("other_help")))
    good = (Q(letter_sent_on__isnull=False) & Q(reasons_len__gt=0)
            & (Q(outcome=Outcome.PARTIAL.value) | Q(other_len__gt=0)))
    counts = qs.aggregate(n=Count("pk"), good=Count("pk", filter=good))
    return Value(rules.share(counts["good"], counts["n"]), counts["good"], counts["n"])


def _plan_days():
    """The plan day count in the standard in force on the start (like population's
    _guarantee_days), or the default 14 (pathway.rules_aftercare.PLAN_DAYS)."""
    in_force = ServiceStandard.objects.filter(
        municipality=OuterRef("acting_municipality"), status=Status.ADOPTED,
        valid_from__lte=OuterRef("started_on")).order_by("-valid_from", "-number")
    return Coalesce(Subquery(in_force.values("plan_days")[:1]), PLAN_DAYS)


def _plan_population(filters: Filters):
    """Courses started in the period whose plan deadline (start + plan_days) has passed or that
    have a plan, and the condition for a first plan agreed on or before the deadline."""
    today = clock.today()
    first_plan = TreatmentPlan.objects.filter(course=OuterRef("pk")).values("course").annotate(
        first=Min("agreed_on")).values("first")
    qs = population.in_period(population.courses(filters), "started_on", filters).annotate(
        plan_days=_plan_days(), first_plan=Subquery(first_plan[:1]),
        plan_after=ExpressionWrapper(F("first_plan") - F("started_on"),
                                     output_field=DurationField()))
    day_counts = qs.values_list("plan_days", flat=True).distinct()
    settled = reduce(or_, (Q(plan_days=d, started_on__lt=today - dt.timedelta(days=d))
                           for d in day_counts), Q(first_plan__isnull=False))
    kept = reduce(or_, (Q(plan_days=d, plan_after__lte=dt.timedelta(days=d))
                        for d in day_counts), Q(pk__in=[]))
    return qs.filter(settled), kept


def plan_at_start_cases(filters: Filters):
    return _plan_population(filters)[0]


def plan_at_start(filters: Filters) -> Value:
    """_plan_population counted; numerator: first plan agreed on or before the deadline (SEL
    § 101, stk. 8; retningslinje 3.7.1)."""
    qs, kept = _plan_population(filters)
    counts = qs.aggregate(n=Count("pk"), kept=Count("pk", filter=kept))
    return Value(rules.share(counts["kept"], counts["n"]), counts["kept"], counts["n"])


def _kpi(code, compute, name_da, name_en, definition_da, definition_en, numerator,
         denominator, source, better, period_date, cases):
    return register(Kpi(code=code, name_da=name_da, name_en=name_en,
                        definition_da=definition_da, definition_en=definition_en,
                        numerator=numerator, denominator=denominator, source=source,
                        better=better, period_date=period_date, compute=compute, group=GROUP,
                        cases=cases))


_kpi("guarantee_kept", guarantee_kept, _("Behandlingsgaranti overholdt"),
     "Treatment guarantee kept",
     _("Andel af forløb med behandlingsgaranti (§ 101 og § 141; ikke frit valg, ikke § 101 a), "
       "hvor behandlingen startede senest på fristen. Forløb tælles i perioden for fristen; "
       "forløb, der stadig venter efter fristen, tæller som ikke overholdt."),
     "Share of courses under the guarantee (§ 101 and § 141; not free choice, not § 101 a) "
     "that started by the deadline. A course counts in the period of its deadline; a course "
     "still waiting after the deadline counts as not kept.",
     "courses started on or before first request + guarantee days",
     "guarantee courses whose deadline lies in the period, started or past the deadline "
     "(unstarted courses whose latest decision is a refusal excluded)",
     "SEL § 101, stk. 4; SUL § 141, stk. 2; KL inspirationskatalog 2009, I2", "higher",
     "deadline (first request + guarantee days)", guarantee_population)
_kpi("waiting_days", waiting_days, _("Ventetid til behandlingsstart"),
     "Waiting days to treatment start",
     _("Dage fra første anmodning til behandlingsstart for forløb med behandlingsgaranti, "
       "startet i perioden: median og 90. percentil."),
     "Days from the first request to treatment start for guarantee courses started in the "
     "period: median and 90th percentile.",
     "median of the waiting days (90th percentile in the cells)",
     "guarantee courses started in the period",
     "SEL § 101, stk. 4; KL inspirationskatalog 2009, I2", "lower", "treatment start",
     waiting_population)
_kpi("waiting_days_no_guarantee", waiting_days_no_guarantee,
     _("Ventetid uden behandlingsgaranti"), "Waiting days without a guarantee",
     _("Dage fra første anmodning til behandlingsstart for forløb uden garanti, startet i "
       "perioden: frit valg og anonym behandling (§ 101 a) hver for sig. Et anonymt forløb, "
       "der også er alkoholbehandling (§ 141), har garantien og tælles med garantien."),
     "Days from the first request to start for courses without a guarantee, started in the "
     "period: free choice and anonymous treatment (§ 101 a) shown separately. An anonymous "
     "course that is also alcohol treatment (§ 141) has the guarantee and counts with it.",
     "median of the waiting days (per group in the cells)",
     "free-choice courses and § 101 a courses without a guarantee, started in the period",
     "SEL § 101, stk. 6; SEL § 101 a; KL inspirationskatalog 2009, I2", "lower",
     "treatment start", no_guarantee_population)
_kpi("assessment_14", assessment_14, _("Afdækning inden for 14 dage"),
     "Assessment within 14 days",
     _("Andel af forløb, der kræver afgørelse (§ 101 og § 142), hvor første afdækning var "
       "afsluttet senest 14 dage efter første anmodning."),
     "Share of courses needing a decision (§ 101 and § 142) whose first assessment was done "
     "within 14 days of the first request.",
     "courses with the first assessment on or before first request + 14 days",
     "§ 101/§ 142 courses whose 14-day deadline lies in the period, assessed or past it",
     "Bek. 1477 § 1; retningslinje 3.5; KL inspirationskatalog 2009, I2", "higher",
     "first request + 14 days", assessment_14_cases)
_kpi("decision_14", decision_14, _("Afgørelse inden for 14 dage"), "Decision within 14 days",
     _("Andel af forløb, der kræver afgørelse (§ 101 og § 142), hvor første afgørelse var "
       "truffet senest 14 dage efter første anmodning."),
     "Share of courses needing a decision (§ 101 and § 142) whose first decision was made "
     "within 14 days of the first request.",
     "courses with the first decision on or before first request + 14 days",
     "§ 101/§ 142 courses whose 14-day deadline lies in the period, decided or past it",
     "Bek. 1477 § 1; retningslinje 3.6; KL inspirationskatalog 2009, I2", "higher",
     "first request + 14 days", decision_14_cases)
_kpi("decision_legal_quality", decision_legal_quality, _("Afgørelsernes juridiske kvalitet"),
     "Legal quality of decisions",
     _("Andel af delvise bevillinger og afslag, hvor brevet er sendt med begrundelse, "
       "lovgrundlag og klagevejledning, og for afslag med anden hjælp, der kan kompensere."),
     "Share of partial grants and refusals whose letter was sent with reasons, legal basis "
     "and complaint guidance, and for refusals the other help that can compensate.",
     "such decisions with the letter sent, reasons given and (refusals) other help named",
     "partial grants and refusals decided in the period",
     "FVL §§ 22-25; retningslinje 3.6.2-3.6.3", "higher", "decision date",
     decision_legal_quality_cases)
_kpi("plan_at_start", plan_at_start, _("Behandlingsplan ved start"), "Plan at start",
     _("Andel af forløb startet i perioden, hvor behandlingsplanen blev aftalt inden for "
       "kvalitetsstandardens antal dage efter start."),
     "Share of courses started in the period with a treatment plan agreed within the quality "
     "standard's number of days after start.",
     "courses whose first plan was agreed on or before start + plan days",
     "courses started in the period that have a plan or whose plan deadline has passed",
     "SEL § 101, stk. 8; retningslinje 3.7.1", "higher", "treatment start",
     plan_at_start_cases)
